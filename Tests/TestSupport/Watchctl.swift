import Foundation

/// Runs the built `watchctl` binary as a child process, as a user or systemd would.
public struct Watchctl {
    /// What one run printed and how it ended.
    public typealias Result = ChildProcess.Result

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

    /// The environment a `watchctl` child gets: the test's own without `REGWATCH_CONFIG` and the
    /// locale variables (`LC_ALL`, `LC_MESSAGES`, `LANG`), then `variables`. The child speaks
    /// English and finds no config of the machine's unless the test names them.
    public static func environment(adding variables: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "REGWATCH_CONFIG")
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] { environment.removeValue(forKey: name) }
        for (key, value) in variables { environment[key] = value }
        return environment
    }

    /// Runs `watchctl ARGUMENTS` and waits for it to exit.
    ///
    /// - Parameters:
    ///   - arguments: the command line after `watchctl`.
    ///   - environment: variables added to the child's environment (see ``environment(adding:)``).
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
        try ChildProcess.run(
            executable, arguments, environment: Self.environment(adding: environment),
            currentDirectory: currentDirectory, stdin: stdin, stdinFile: stdinFile)
    }

    /// Starts `watchctl ARGUMENTS` without waiting for it (a poll to kill, or to run beside other
    /// commands), its output discarded; the caller waits for it or kills it.
    ///
    /// - Parameters:
    ///   - arguments: the command line after `watchctl`.
    ///   - environment: variables added to the child's environment (see ``environment(adding:)``).
    ///   - currentDirectory: the working directory of the child.
    public static func start(
        _ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil
    ) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = Self.environment(adding: environment)
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
