import ArgumentParser
import FeedParser
import Foundation
import RegWatch

/// `watchctl import-opml FILE`: add the feeds of an OPML subscription list to feeds.toml.
struct ImportOPML: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-opml",
        abstract: "Add the feeds of an OPML file (from newsboat, Miniflux, Feedly…) to feeds.toml.",
        discussion: """
            Nested outlines are walked; each outline with an xmlUrl becomes a [[feeds]] table with its \
            title. Feeds already listed (same URL up to trailing slash and scheme/host case) are \
            skipped, as are URLs that are not http(s). Feeds are not fetched: run `watchctl poll`. \
            An outline category whose name is a topic id (cpf, qualiopi, ia…) becomes the feed's topic. \
            A file written by `watchctl export-opml` gives back each source whole: its kind (feed, \
            page, change), page recipe or region and ignore patterns, interval, weight and enabled, \
            checked as feeds.toml is (one that fails is skipped with the reason).

            Example:
              watchctl import-opml newsboat-export.opml
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The OPML file.")
    var file: String

    func run() async throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw InputError(Messages.current.line(Wording.cannotReadFile(.fileReason(error)).about(file)))
        }
        let document: OPMLDocument
        do {
            document = try OPMLDocument.parse(data)
        } catch {
            throw InputError(Messages.current.line(Wording.of(error).about(file)))
        }
        let configFile = try global.configurationFile()
        let configuration = try Configuration.load(from: configFile)
        let result = try OPMLImport.run(document, configuration: configuration, file: FeedsFile(file: configFile))
        print(
            Messages.current.imported(
                file: file, read: result.read, added: result.added.count, duplicates: result.duplicates,
                skipped: result.skipped.count))
        for skip in result.skipped {
            switch skip {
            case .notHTTP(let url): print(Messages.current.importSkipped(url))
            case .invalid(let url, let reason): print(Messages.current.importSkipped(url, because: reason))
            }
        }
    }
}
