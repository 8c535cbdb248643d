#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import TestSupport

/// `watchctl daemon` running as a child process, the way systemd runs it.
///
/// stderr goes to a file the test reads (the log); the test sends real signals and waits for
/// events with a deadline — never a fixed sleep.
final class DaemonProcess {
    let process = Process()
    let logFile: URL

    /// Starts `watchctl [--config FILE] daemon EXTRA…` with `environment` added to the test's own.
    init(config: URL, extra: [String] = [], environment: [String: String] = [:], logFile: URL) throws {
        self.logFile = logFile
        if !FileManager.default.fileExists(atPath: logFile.path) {
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        }
        process.executableURL = Watchctl.executable
        process.arguments = ["--config", config.path, "daemon"] + extra
        // Not under systemd unless the test says so: its variables come from `environment` only.
        var env = Watchctl.environment()
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "JOURNAL_STREAM"] { env.removeValue(forKey: name) }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.currentDirectoryURL = config.deletingLastPathComponent()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// The process id.
    var pid: Int32 { process.processIdentifier }

    /// Everything the daemon logged so far.
    var log: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    /// Sends `signal` (SIGTERM, SIGHUP…).
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits until the log holds a line containing every one of `fragments`.
    @discardableResult
    func waitForLog(_ fragments: String..., timeout: TimeInterval = 15) -> Bool {
        waitUntil(timeout: timeout) {
            self.log.split(separator: "\n").contains { line in fragments.allSatisfy { line.contains($0) } }
        }
    }

    /// Waits for the process to exit; its status, or nil if it still runs after `timeout`.
    func waitForExit(timeout: TimeInterval) -> Int32? {
        guard waitUntil(timeout: timeout, { !self.process.isRunning }) else { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
@discardableResult
func waitUntil(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

/// Runs `sqlite3 DATABASE SQL` and returns its output, trimmed.
func sqlite3(_ database: URL, _ sql: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [database.path, sql]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
