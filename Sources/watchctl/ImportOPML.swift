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
            An outline category whose name is a topic id (cpf, qualiopi, ia…) becomes the feed's topic.

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
        let feedsFile = FeedsFile(file: configFile)
        var added = 0
        var duplicates = 0
        var invalid: [String] = []
        var listed = configuration.feeds.map(\.url)
        for outline in document.outlines {
            guard let url = FeedURL(outline.url) else {
                invalid.append(outline.url)
                continue
            }
            if listed.contains(where: { $0.isSameFeed(as: url) }) {
                duplicates += 1
                continue
            }
            // OPML categories are free text ("Neurodiversité"): the same lookup as --topic, the
            // ones naming no configured topic left out.
            let topics = outline.categories.compactMap { try? TopicID(resolving: $0, in: configuration.topics) }
            try feedsFile.append(feed: FeedEntry(url: url, title: outline.title, topics: Array(Set(topics)).sorted()))
            listed.append(url)
            added += 1
        }
        print(
            Messages.current.imported(
                file: file, read: document.outlines.count, added: added, duplicates: duplicates,
                skipped: invalid.count))
        for url in invalid { print(Messages.current.importSkipped(url)) }
    }
}
