import ArgumentParser
import FeedParser
import Foundation
import RegWatch
import Transfer

/// `watchctl fetch URL [--json]`: fetch one URL (discovering the feed from a page) and parse it.
struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch and parse one URL, discovering the feed when it is a web page. Stores nothing.",
        discussion: """
            With --json, prints the parse JSON (as `watchctl parse`) plus final_url, status, etag, \
            last_modified and discovered_from. The [fetch] limits of feeds.toml apply when a config \
            is found; otherwise the defaults.

            With --kind page, the URL is read as a listing page instead: the items the recipe \
            (--items and the others, or the block detected when --items is not given) reads from \
            it, in the same JSON shape, plus "recipe" (the XPath expressions used) and "detected". \
            With --kind change, the text that a change watch compares (one line per block). \
            Nothing is stored: this is how a recipe is checked before it goes into feeds.toml.

            Examples:
              watchctl fetch https://www.centre-inffo.fr --json
              watchctl fetch https://www.francecompetences.fr/actualites/ --kind page --json
              watchctl fetch https://example.gouv.fr/actualites --kind page --items "//div[@class='views-row']"
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A feed URL, or a site page that announces its feed.")
    var url: String

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    @OptionGroup var page: PageOptions

    func validate() throws {
        guard FeedURL(url) != nil else {
            throw ValidationError(Messages.current.notHTTP("fetch", url))
        }
        try page.validate()
    }

    func run() async throws {
        let fetchSettings = (try? global.loadConfiguration())?.fetch ?? Configuration.Fetch()
        switch page.impliedKind {
        case .page?:
            return try await PageCommands.previewPage(
                url: FeedURL(url)!.url, recipe: page.recipe, fetch: fetchSettings, json: json)
        case .change?:
            return try await PageCommands.previewChange(
                url: FeedURL(url)!.url, region: page.region, fetch: fetchSettings, json: json)
        case .feed?, nil:
            break
        }
        let fetcher = Fetcher(configuration: Fetcher.Configuration(fetchSettings))
        let discovery = try await FeedDiscoverer(fetcher: fetcher).discover(FeedURL(url)!.url)

        if json {
            let response = discovery.response
            var extra: [String: FeedJSON.Value] = [
                "final_url": .string(response.finalURL.absoluteString),
                "status": .integer(response.status),
                "etag": response.etag.map { .string($0) } ?? .null,
                "last_modified": response.lastModified.map { .string($0) } ?? .null,
            ]
            if let page = discovery.discoveredFrom {
                extra["discovered_from"] = .string(page.absoluteString)
            }
            var out = FeedJSON.encode(discovery.feed, extra: extra)
            out.append(0x0A)
            StandardOutput.write(out)
            return
        }

        let feed = discovery.feed
        let say = Messages.current
        print(say.fetchTitle(feed.title ?? say.untitled, format: feed.format.rawValue, items: feed.items.count))
        print(say.fetchFeed(discovery.feedURL.absoluteString))
        if let page = discovery.discoveredFrom {
            print(say.discoveredFrom(page.absoluteString))
            for other in discovery.alternatives where other.url != discovery.feedURL.absoluteString {
                print(say.alsoAnnounced(other.url) + (other.title.map { " (\($0))" } ?? ""))
            }
        }
        for item in feed.items.prefix(10) {
            let date = item.published ?? item.updated
            print(
                "  \(date.map(FeedJSON.timestamp) ?? "                    ")  \(item.title ?? item.link ?? say.untitled)"
            )
        }
        if feed.items.count > 10 { print(say.andMore(feed.items.count - 10)) }
    }
}
