import Foundation
import TestSupport
import XCTest

/// What the hostile-input and fault tests share: running `watchctl` under `/usr/bin/time -v`
/// to read its peak memory, and asking the real `sqlite3` about the database it left.
enum Hostile {
    /// One `watchctl` run with its peak resident set size.
    struct MeasuredRun: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
        /// Peak RSS of the child in KiB, as the kernel counted it (`wait4`'s `ru_maxrss`);
        /// -1 when the run was not measured.
        let peakKiB: Int
    }

    /// Runs `watchctl ARGUMENTS` through GNU time, which prints the child's rusage to a file
    /// (not stderr, so the child's own stderr stays clean for the one-line checks).
    static func measured(_ arguments: [String], in directory: URL) throws -> MeasuredRun {
        let report = directory.appendingPathComponent("time-\(UUID().uuidString).txt")
        let run = try ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/time"), ["-v", "-o", report.path, Watchctl.executable.path] + arguments,
            environment: Watchctl.environment())
        let text = (try? String(contentsOf: report, encoding: .utf8)) ?? ""
        var peak = -1
        var status = run.status
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("Maximum resident set size (kbytes):") {
                peak = Int(trimmed.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) ?? -1
            }
            if trimmed.hasPrefix("Exit status:") {
                status = Int32(trimmed.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) ?? status
            }
        }
        try? FileManager.default.removeItem(at: report)
        return MeasuredRun(status: status, stdout: run.stdout, stderr: run.stderr, peakKiB: peak)
    }

    /// Runs one SQL statement through Debian's `sqlite3` (a reader independent of GRDB)
    /// and returns its output, trimmed.
    static func sqlite(_ database: URL, _ sql: String, immutable: Bool = false) throws -> String {
        let run = try ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/sqlite3"),
            immutable ? ["file:\(database.path)?immutable=1", sql] : ["-readonly", database.path, sql])
        guard run.status == 0 else { throw LoopbackServerError(description: "sqlite3 \(sql): " + run.stderr) }
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The poll's `--json` summary, decoded.
    struct Summary: Sendable {
        let feeds: Int
        let ok: Int
        let failed: Int
        let newItems: Int
        /// Error line per feed URL.
        let errors: [String: String]

        init(_ json: String) throws {
            let object = try XCTUnwrap(
                JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "not JSON: \(json.prefix(500))")
            feeds = try XCTUnwrap(object["feeds"] as? Int)
            ok = try XCTUnwrap(object["ok"] as? Int)
            failed = try XCTUnwrap(object["failed"] as? Int)
            newItems = try XCTUnwrap(object["new_items"] as? Int)
            let list = try XCTUnwrap(object["errors"] as? [[String: String]])
            var errors: [String: String] = [:]
            for entry in list { errors[entry["url"] ?? ""] = entry["error"] ?? "" }
            self.errors = errors
        }
    }
}

extension Hostile {
    /// A tiny tmpfs mounted on a folder, as a disk that fills up (or is read-only) for real.
    /// Needs root and a kernel that allows the mount; `mount` returns nil elsewhere and
    /// the tests fall back to a per-process file size limit (RLIMIT_FSIZE) or to modes.
    struct TinyFilesystem {
        let mountPoint: URL

        static func mount(at folder: URL, kibibytes: Int) -> TinyFilesystem? {
            guard getuid() == 0 else { return nil }
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            guard shell("mount -t tmpfs -o size=\(kibibytes)k tmpfs '\(folder.path)'") == 0 else { return nil }
            return TinyFilesystem(mountPoint: folder)
        }

        /// Remounts read-only: even root cannot write, unlike with file modes.
        func makeReadOnly() -> Bool {
            Hostile.shell("mount -o remount,ro '\(mountPoint.path)'") == 0
        }

        /// Fills every free byte with a filler file (the write stops at ENOSPC).
        func fill() {
            _ = Hostile.shell("cat /dev/zero > '\(mountPoint.path)/remplissage' 2>/dev/null")
        }

        func unmount() {
            _ = Hostile.shell("umount -l '\(mountPoint.path)'")
        }
    }

    /// Runs `/bin/sh -c COMMAND`, returns its exit status.
    @discardableResult
    static func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs `watchctl ARGUMENTS` with a file size limit of `blocks` × 512 bytes and SIGXFSZ
    /// ignored, so a write past the limit fails with EFBIG as a full disk's fails with ENOSPC.
    static func runLimited(_ arguments: [String], fileSizeBlocks blocks: Int) throws -> MeasuredRun {
        let quoted = ([Watchctl.executable.path] + arguments).map {
            "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        return try runShell("trap '' XFSZ; ulimit -f \(blocks); exec " + quoted.joined(separator: " "))
    }

    /// `/bin/sh -c COMMAND` with its output captured, in the environment `watchctl` runs in.
    static func runShell(_ command: String) throws -> MeasuredRun {
        let run = try ChildProcess.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", command], environment: Watchctl.environment())
        return MeasuredRun(status: run.status, stdout: run.stdout, stderr: run.stderr, peakKiB: -1)
    }
}
