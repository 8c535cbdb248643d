import ArgumentParser
import Foundation
import RegWatch

/// `watchctl init [DIR] [--force]`: a starting feeds.toml for someone who has only the binary.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starting feeds.toml (the shipped sources) into a folder.",
        discussion: """
            Writes DIR/feeds.toml with the sources regwatch ships (official sources, \
            Qualiopi, CPF, digital learning, neurodiversity) and the default settings, \
            every key commented. The database (state/regwatch.sqlite) and the digests \
            (digests/) go beside it: paths in feeds.toml are relative to its folder. \
            DIR is created if needed.

            An existing feeds.toml is never replaced unless --force is given (exit 2).

            Examples:
              watchctl init                    # ./feeds.toml
              watchctl init ~/veille           # ~/veille/feeds.toml
              watchctl init ~/veille --force   # start again from the shipped sources
            """)

    @Argument(
        help: ArgumentHelp("The folder to write feeds.toml into (default: the current folder).", valueName: "DIR"))
    var directory: String?

    @Flag(help: "Replace an existing feeds.toml.")
    var force = false

    func run() throws {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let expanded = ((directory ?? ".") as NSString).expandingTildeInPath
        let folder =
            expanded.hasPrefix("/")
            ? URL(fileURLWithPath: expanded, isDirectory: true)
            : current.appendingPathComponent(expanded, isDirectory: true)
        let file = try StarterConfiguration.write(into: folder, overwrite: force)
        let configuration = try Configuration.load(from: file)
        let inCurrentFolder =
            file.deletingLastPathComponent().standardizedFileURL.path == current.standardizedFileURL.path
        let config = inCurrentFolder ? "" : "--config \(Self.quoted(file.path)) "
        let say = Messages.current
        let topics = configuration.topics.map(\.label).joined(separator: ", ")
        let steps = ["check-config", "poll", "items --since 7d", "digest"]
        let width = steps.map(\.count).max()!
        func step(_ command: String) -> String {
            let padding = String(repeating: " ", count: width - command.count)
            return
                "  watchctl \(config)\(command)\(padding)  # \(say.initStep(command.components(separatedBy: " ")[0]))"
        }
        print(say.initWrote(file: file.path, sources: configuration.feeds.count, topics: topics))
        print(say.initNext)
        for command in steps { print(step(command)) }
        print(
            say.initPaths(
                database: configuration.storage.database.path, digests: configuration.digest.outputDirectory.path))
    }

    /// A path as a shell reads it back: quoted when it holds anything but plain characters.
    static func quoted(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "/._-~+".unicodeScalars.contains($0)
        }
        return plain ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
