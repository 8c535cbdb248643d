import ArgumentParser
import Foundation
import RegWatch

/// `watchctl search QUERY [--limit N] [--json]`: full-text search, best match first.
struct Search: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search over stored items, best match first.",
        discussion: """
            All words must match, accents and case do not matter, and plurals and feminines \
            are folded as topic rules fold them: "indicateurs" finds "indicateur", \
            "formatrices" finds "formateur" and "formatrice". "Quoted words" match as a \
            phrase (folded too), a trailing * matches a prefix of the words as written, OR \
            between two terms matches either. \
            A query matching more than 2 000 items ranks the 2 000 most recently stored:
            add a word to reach older ones.

            Examples:
              watchctl search "référentiel national qualité"
              watchctl search "indicateurs 23"
              watchctl search 'handicap OR neurodivers*' --limit 5
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "What to look for.")
    var query: String

    @Option(help: "At most N results.")
    var limit: Int = 20

    @Flag(help: "Print one JSON document: [{id, feed, title, link, published, first_seen, topics}].")
    var json = false

    func validate() throws {
        if limit < 0 { throw ValidationError(Messages.current.negativeLimit) }
    }

    func run() async throws {
        let configuration = try global.loadConfiguration()
        let database = try global.openDatabase(configuration, oneConnection: true)
        // The JSON has no snippet: not reading them saves a full-text query.
        let results = try database.search(query, limit: limit, snippets: !json)
        if json {
            try Output.printJSON(results.map { ItemJSON($0.item) })
            return
        }
        if results.isEmpty {
            print(Messages.current.noSearchResult(query))
            return
        }
        for result in results {
            let item = result.item
            let date = Output.local(item.published ?? item.firstSeen, in: configuration.digest.timeZone)
            let source = configuration.displayName(feedURL: item.feedURL, storedTitle: item.feedTitle)
            print("\(item.id)  \(date)  \(Output.clip(source, 40))")
            print("    \(Output.clip(item.title ?? Messages.current.untitled, 100))")
            let plainSnippet = result.snippet.replacingOccurrences(of: "[", with: "").replacingOccurrences(
                of: "]", with: "")
            if !result.snippet.isEmpty, plainSnippet != item.title { print("    \(Output.clip(result.snippet, 160))") }
            if let link = item.link { print("    \(link)") }
        }
    }
}
