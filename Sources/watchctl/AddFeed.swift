import ArgumentParser
import Foundation
import RegWatch
import Transfer

/// `watchctl add-feed URL`: check a feed and append it to feeds.toml, comments kept.
struct AddFeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-feed",
        abstract: "Check that a URL is a feed (discovering it from a web page) and add it to feeds.toml.",
        discussion: """
            The URL is fetched and parsed first, unless --no-check; a site's page is searched for
            the feed it announces. The feed is appended as a [[feeds]] table at the end of
            feeds.toml; every existing line and comment stays as it was (the file is rewritten
            through a temporary file and a rename). A feed already listed — also with another
            trailing slash or scheme/host case — is refused. A running daemon picks the new feed
            up on its next tick.

            Examples:
              watchctl add-feed https://www.centre-inffo.fr/feed --topic cpf --topic qualiopi
              watchctl add-feed https://sydologie.com --interval 6h
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The feed URL, or a page that announces its feed.")
    var url: String

    @Option(help: "The title to show (default: the feed's own).")
    var title: String?

    @Option(name: .customLong("topic"), help: ArgumentHelp(
            "A topic this source is about (repeatable): its id or its label, case and accents optional; boosts those topics.",
            valueName: "TOPIC"))
    var topics: [String] = []

    @Option(help: ArgumentHelp("How often to poll it, such as 30m, 2h, 1d (default: [fetch] default_interval).", valueName: "DURATION"))
    var interval: String?

    @Flag(name: .customLong("no-check"), help: "Add the URL without fetching it.")
    var noCheck = false

    func run() async throws {
        guard let given = FeedURL(url) else { throw InputError("add-feed: \"\(url)\" is not an http(s) URL") }
        let file = try global.configurationFile()
        let configuration = try Configuration.load(from: file)
        let topicIDs = try topics.map { try configuration.resolveTopic($0, option: "add-feed: --topic") }
        var every: Duration?
        if let interval {
            guard let parsed = Interval(parsing: interval) else {
                throw InputError("add-feed: --interval \(interval) is not a duration such as 90s, 30m, 2h or 1d")
            }
            every = parsed.duration
        }

        var feedURL = given
        var report: [String] = []
        if !noCheck {
            let fetcher = Fetcher(configuration: Fetcher.Configuration(configuration.fetch))
            let discovery = try await FeedDiscoverer(fetcher: fetcher).discover(given.url)
            if let discovered = FeedURL(discovery.feedURL.absoluteString), discovery.discoveredFrom != nil {
                feedURL = discovered
                report.append("discovered from \(given.rawValue)")
            }
            let feed = discovery.feed
            let tagger = Tagger(topics: configuration.topics)
            var seen: [TopicID: Int] = [:]
            for item in feed.items {
                for match in tagger.tag(title: item.title, summary: item.summary, content: item.content) {
                    seen[match.id, default: 0] += 1
                }
            }
            let topicsSeen = configuration.topics.compactMap { topic in
                seen[topic.id].map { "\(topic.label) (\($0))" }
            }
            report.insert(
                "\(title ?? feed.title ?? feedURL.host): \(feed.format.rawValue), \(feed.items.count) articles", at: 0)
            report.append("topics seen: " + (topicsSeen.isEmpty ? "none" : topicsSeen.joined(separator: ", ")))
        }

        try FeedsFile(file: file).append(
            feed: FeedEntry(url: feedURL, title: title, topics: topicIDs, interval: every))
        print("added \(feedURL.rawValue) to \(file.path)")
        for line in report { print("  \(line)") }
    }
}
