import ArgumentParser
import Foundation
import RegWatch

/// `watchctl export-opml [FILE]`: the feed list as OPML 2.0, for another reader or a backup.
struct ExportOPML: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-opml",
        abstract: "Write the feeds of feeds.toml as OPML 2.0 (to FILE, or stdout).",
        discussion: """
            Topics go in each outline's category attribute; feeds with enabled = false are \
            exported with isComment="true". Pages (kind = "page") and watched pages (kind = \
            "change") are OPML links (type="link" htmlUrl=…), which other readers do not subscribe to. \
            regwatch's own settings (kind, name, recipe, region, ignore, interval, weight) ride along as \
            regwatch:… attributes, so `watchctl import-opml` reads the file back whole.

            Example:
              watchctl export-opml veille.opml
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Where to write; stdout when absent or -.")
    var file: String?

    func run() async throws {
        let configuration = try global.loadConfiguration()
        var titles: [String: String] = [:]
        if FileManager.default.fileExists(atPath: configuration.storage.database.path) {
            titles = try global.openDatabase(configuration).feedStatesByURL().compactMapValues(\.title)
        }
        let document = OPMLExport.document(feeds: configuration.feeds, storedTitles: titles)
        guard let file, file != "-" else {
            StandardOutput.write(document)
            return
        }
        let url = URL(fileURLWithPath: file)
        do {
            try Data(document.utf8).write(to: url, options: .atomic)
        } catch {
            throw ExportError(path: url.path, reason: (error as NSError).localizedDescription)
        }
        FileHandle.standardError.write(
            Data((Messages.current.exported(configuration.feeds.count, to: url.path) + "\n").utf8))
    }
}

/// The OPML file could not be written.
struct ExportError: ActionableError {
    let path: String
    let reason: String
    var kind: FailureKind { .runtime }
    var wording: Wording { .opmlUnwritable(path, reason: reason) }
    var description: String { wording.english }
}
