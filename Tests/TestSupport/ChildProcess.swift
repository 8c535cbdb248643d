import Foundation

/// Runs a program as a child process and keeps what it printed and how it ended: `watchctl`
/// itself (``Watchctl/run(_:environment:currentDirectory:stdin:stdinFile:)``), and the tools the
/// tests check it with (GNU time, sqlite3, cmark, make).
public enum ChildProcess {
    /// What one run printed and how it ended.
    public struct Result: Sendable {
        /// The exit status (or the signal number for a child killed by a signal).
        public let status: Int32
        /// Everything written to stdout, decoded as UTF-8.
        public let stdout: String
        /// Everything written to stderr, decoded as UTF-8.
        public let stderr: String
    }

    /// Runs `executable ARGUMENTS` and waits for it to exit.
    ///
    /// stdout and stderr are read while the child runs and stdin is written beside them, so a
    /// child that prints a lot before it has read its input can block on none of the pipes.
    ///
    /// - Parameters:
    ///   - executable: the program.
    ///   - arguments: its command line.
    ///   - environment: the child's whole environment; `nil` inherits the test's.
    ///   - currentDirectory: the working directory of the child.
    ///   - stdin: bytes written to the child's standard input, then closed (empty when `nil`).
    ///   - stdinFile: a file opened as the child's standard input instead (`program < file`).
    ///   - whileRunning: called once the child runs and its stdin is written, before waiting for
    ///     its end: to act on it or on its files while it works.
    public static func run(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String]? = nil,
        currentDirectory: URL? = nil,
        stdin: Data? = nil,
        stdinFile: URL? = nil,
        whileRunning: ((Process) throws -> Void)? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }

        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        let file = try stdinFile.map { try FileHandle(forReadingFrom: $0) }
        process.standardInput = file ?? input
        try process.run()
        try file?.close()

        let group = DispatchGroup()
        // Each buffer is written by its one reader before `group.leave()` and read after
        // `group.wait()`: the group orders the accesses.
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        if file == nil, let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        do {
            try whileRunning?(process)
        } catch {
            process.waitUntilExit()  // no test leaves its child running
            throw error
        }
        process.waitUntilExit()
        group.wait()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }
}
