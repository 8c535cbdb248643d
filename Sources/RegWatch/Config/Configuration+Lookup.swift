import Foundation

extension Configuration {
    /// The system-wide config, used when nothing else names one.
    public static let systemFile = URL(fileURLWithPath: "/etc/regwatch/feeds.toml")

    /// Finds the config file the way docs/cli.md says: `explicit` (`--config`), else
    /// `$REGWATCH_CONFIG`, else `./feeds.toml`, else `/etc/regwatch/feeds.toml`.
    ///
    /// An explicit or environment path is returned even if missing, so that loading it
    /// reports the path the user asked for.
    /// - Throws: ``ConfigurationError`` when nothing names a file and neither default exists.
    public static func locate(
        explicit: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
        systemFile: URL = Configuration.systemFile
    ) throws -> URL {
        func absolute(_ path: String) -> URL {
            let expanded = (path as NSString).expandingTildeInPath
            if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
            return currentDirectory.appendingPathComponent(expanded).standardizedFileURL
        }
        if let explicit, !explicit.isEmpty { return absolute(explicit) }
        if let env = environment["REGWATCH_CONFIG"], !env.isEmpty { return absolute(env) }
        let local = currentDirectory.appendingPathComponent("feeds.toml")
        if FileManager.default.fileExists(atPath: local.path) { return local }
        if FileManager.default.fileExists(atPath: systemFile.path) { return systemFile }
        throw ConfigurationError(problems: [
            .init(
                file: "feeds.toml", line: nil,
                message: .noConfigFound(system: systemFile.path))
        ])
    }
}
