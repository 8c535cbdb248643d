#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// One daemon per state folder: an exclusive `flock(2)` on `daemon.lock` beside the database.
///
/// Two daemons on one database would poll every feed twice and fight over its state. The lock
/// is held for the life of this value and released by the kernel when the descriptor closes,
/// so a daemon killed with `kill -9` never leaves a stale lock behind; the file itself stays
/// (removing it would let a third daemon lock a fresh file while the second still holds the old one).
/// The file holds the holder's pid, so the refusal can name it. The CLI (`poll`, `digest`…) does
/// not take the lock: SQLite's WAL lets it share the database with a running daemon.
public final class StateLock: Sendable {
    /// The name of the lock file inside the state folder.
    public static let fileName = "daemon.lock"

    /// The lock file.
    public let path: URL
    // Immutable after init and only closed in deinit: the class is Sendable without a lock.
    private let descriptor: Int32

    /// Takes the lock of the folder that holds `database`, creating the folder and the file if needed.
    ///
    /// - Throws: `StateLockError` when another process holds the lock (naming its pid) or the
    ///   file cannot be opened.
    public convenience init(besideDatabase database: URL) throws(StateLockError) {
        try self.init(path: database.deletingLastPathComponent().appendingPathComponent(Self.fileName))
    }

    /// Takes the lock at `path`, creating its folder and the file if needed.
    ///
    /// - Throws: `StateLockError` when another process holds the lock (naming its pid) or the
    ///   file cannot be opened.
    public init(path: URL) throws(StateLockError) {
        self.path = path
        let folder = path.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StateLockError(path: path, problem: .unusable(error.localizedDescription))
        }
        let descriptor = open(path.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StateLockError(path: path, problem: .unusable(String(cString: strerror(errno))))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.readPID(descriptor)
            close(descriptor)
            if code == EWOULDBLOCK {
                throw StateLockError(path: path, problem: .held(pid: holder))
            }
            throw StateLockError(path: path, problem: .unusable(String(cString: strerror(code))))
        }
        let line = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = line.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// The pid written by the holder, if it got that far.
    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// The state folder is locked by another daemon, or the lock file cannot be used.
public struct StateLockError: ActionableError, Equatable {
    /// What stopped us.
    public enum Problem: Sendable, Equatable {
        /// Another process holds the lock; its pid when it wrote one.
        case held(pid: Int32?)
        /// The file or its folder could not be created or opened.
        case unusable(String)
    }

    /// The lock file.
    public let path: URL
    /// What stopped us.
    public let problem: Problem

    /// A runtime failure: the command line is fine, the machine's state is in the way.
    public var kind: FailureKind { .runtime }

    /// One line: the English of ``wording`` (RegWatch/Messages/).
    public var description: String { wording.english }
}
