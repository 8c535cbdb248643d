import Foundation

/// Runs the built `watchctl` binary as a child process, as a user or systemd would.
public struct Watchctl {
    /// What one run printed and how it ended.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The `watchctl` executable beside the test bundle in the build products folder.
    public static var executable: URL {
        productsDirectory.appendingPathComponent("watchctl")
    }

    /// The folder `swift build` wrote the products to.
    public static var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    /// Runs `watchctl ARGUMENTS` and waits for it to exit.
    ///
    /// - Parameters:
    ///   - arguments: the command line after `watchctl`.
    ///   - environment: variables added to (or overriding) the test's own environment, whose
    ///     locale variables (`LC_ALL`, `LC_MESSAGES`, `LANG`) are dropped: English unless given.
    ///   - currentDirectory: the working directory of the child.
    ///   - stdin: bytes written to the child's standard input, then closed.
    ///   - stdinFile: a file opened as the child's standard input instead (`watchctl … < file`).
    public static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        currentDirectory: URL? = nil,
        stdin: Data? = nil,
        stdinFile: URL? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "REGWATCH_CONFIG")
        // The child speaks English unless the test names a locale: the machine's own never decides.
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] { env.removeValue(forKey: name) }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }

        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        let file = try stdinFile.map { try FileHandle(forReadingFrom: $0) }
        process.standardInput = file ?? input
        try process.run()
        if file == nil, let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        try file?.close()

        // Read both pipes while the child runs, so a large output cannot fill a pipe and block it.
        let group = DispatchGroup()
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
        process.waitUntilExit()
        group.wait()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }
}
