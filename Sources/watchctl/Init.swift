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
        let french = Self.prefersFrench(ProcessInfo.processInfo.environment)
        let topics = configuration.topics.map(\.label).joined(separator: ", ")
        let steps: [(command: String, french: String, english: String)] = [
            ("check-config", "vérifier le fichier après l'avoir modifié", "check the file after editing it"),
            ("poll", "lire les sources une première fois", "read the sources a first time"),
            ("items --since 7d", "ce qui a été trouvé", "what was found"),
            ("digest", "le digest de la semaine écoulée", "the digest of the week that ended"),
        ]
        let width = steps.map(\.command.count).max()!
        func step(_ command: String, _ comment: String) -> String {
            "  watchctl \(config)\(command)\(String(repeating: " ", count: width - command.count))  # \(comment)"
        }
        let database = configuration.storage.database.path
        let digests = configuration.digest.outputDirectory.path
        if french {
            print("\(file.path) écrit : \(configuration.feeds.count) sources, thèmes \(topics).")
            print("Ensuite :")
            for entry in steps { print(step(entry.command, entry.french)) }
            print("Base de données : \(database) ; digests : \(digests)")
        } else {
            print("wrote \(file.path): \(configuration.feeds.count) sources, topics \(topics).")
            print("Next:")
            for entry in steps { print(step(entry.command, entry.english)) }
            print("Database: \(database); digests: \(digests)")
        }
    }

    /// A path as a shell reads it back: quoted when it holds anything but plain characters.
    static func quoted(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "/._-~+".unicodeScalars.contains($0)
        }
        return plain ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// French for fr* locales (LC_ALL, else LC_MESSAGES, else LANG), English otherwise.
    static func prefersFrench(_ environment: [String: String]) -> Bool {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty { return value.lowercased().hasPrefix("fr") }
        }
        return false
    }
}
