import ArgumentParser
import FeedParser
import Foundation
import RegWatch
import Transfer

/// `watchctl add-feed URL`: check a feed and append it to feeds.toml, comments kept.
struct AddFeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-feed",
        abstract: "Check that a URL is a feed (discovering it from a web page) and add it to feeds.toml.",
        discussion: """
            The URL is fetched and parsed first, unless --no-check; a site's page is searched for \
            the feed it announces. The feed is appended as a [[feeds]] table at the end of \
            feeds.toml; every existing line and comment stays as it was (the file is rewritten \
            through a temporary file and a rename). A feed already listed — also with another \
            trailing slash or scheme/host case — is refused. A running daemon picks the new feed \
            up on its next tick.

            A page that announces no feed and has none at the usual places is read as a listing \
            page: its main repeated block (three or more blocks of one shape, each with a headline \
            link, outside navigation, header, footer and pagination) is detected, and the entry is \
            written with kind = "page" and the XPath found, under a comment saying so. --kind forces \
            a kind; --items (and --title, --link, --date, --summary) give a page's selectors by hand; \
            --kind change watches the page's text (--region) or a document's content instead.

            --name names the source for people, whatever its kind (written as name = "…"): a page \
            otherwise goes by its <title>, often long and generic. For a feed or a change watch \
            --title does the same (written as title = "…"); give one of the two.

            Examples:
              watchctl add-feed https://www.centre-inffo.fr/feed --topic cpf --topic qualiopi
              watchctl add-feed https://sydologie.com --interval 6h
              watchctl add-feed https://www.francecompetences.fr/actualites/
              watchctl add-feed https://travail-emploi.gouv.fr/guide-lecture-qualiopi --kind change
              watchctl add-feed https://travail-emploi.gouv.fr/actualites --kind page --name "Ministère du Travail"
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The feed URL, or a page that announces its feed.")
    var url: String

    @Option(help: "The title to show (default: the feed's own); with --kind page, the XPath of each item's title.")
    var title: String?

    @Option(
        help: ArgumentHelp(
            "The source's display name, for any kind (default: the feed's or page's own title).", valueName: "NAME"))
    var name: String?

    @Option(
        name: .customLong("topic"),
        help: ArgumentHelp(
            "A topic this source is about (repeatable): its id or its label, case and accents optional; boosts those topics.",
            valueName: "TOPIC"))
    var topics: [String] = []

    @Option(
        help: ArgumentHelp(
            "How often to poll it, such as 30m, 2h, 1d (default: [fetch] default_interval).", valueName: "DURATION"))
    var interval: String?

    @Flag(name: .customLong("no-check"), help: "Add the URL without fetching it.")
    var noCheck = false

    @OptionGroup var page: PageOptions

    func validate() throws {
        var page = page
        page.title = title
        try page.validate()
        if let title, page.impliedKind == .page, let problem = PageRecipe.problem(in: title) {
            throw ValidationError(Messages.current.badTitleXPath(title, problem: problem))
        }
        if let name, name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError(Messages.current.emptyName)
        }
        // Outside a page, --title is the display name too: both would be refused by check-config.
        if title != nil, name != nil, page.impliedKind != .page {
            throw ValidationError(Messages.current.titleAndName)
        }
    }

    /// `--name` as written in feeds.toml: trimmed, as the loader trims it.
    private var displayName: String? { name?.trimmingCharacters(in: .whitespacesAndNewlines) }

    func run() async throws {
        guard let given = FeedURL(url) else { throw InputError(Messages.current.notHTTP("add-feed", url)) }
        let file = try global.configurationFile()
        let configuration = try Configuration.load(from: file)
        let topicIDs = try topics.map { try configuration.resolveTopic($0, option: "add-feed: --topic") }
        var every: Duration?
        if let interval {
            guard let parsed = Interval(parsing: interval) else {
                throw InputError(Messages.current.badInterval(interval))
            }
            every = parsed.duration
        }

        var pageOptions = page
        pageOptions.title = title
        switch pageOptions.impliedKind {
        case .page?:
            return try await addPage(
                given, options: pageOptions, topics: topicIDs, interval: every, file: file, configuration: configuration
            )
        case .change?:
            return try await addChange(
                given, options: pageOptions, topics: topicIDs, interval: every, file: file, configuration: configuration
            )
        case .feed?, nil:
            break
        }
        var feedURL = given
        var report: [String] = []
        if !noCheck {
            let fetcher = Fetcher(configuration: Fetcher.Configuration(configuration.fetch))
            let discovery: FeedDiscoverer.Discovery
            do {
                discovery = try await FeedDiscoverer(fetcher: fetcher).discover(given.url)
            } catch let error as DiscoveryError where page.kind == nil && error.pageIsHTML {
                // A page with no feed: read it as a listing page, if a repeated block is found.
                return try await addPage(
                    given, options: pageOptions, topics: topicIDs, interval: every, file: file,
                    configuration: configuration)
            }
            if let discovered = FeedURL(discovery.feedURL.absoluteString), discovery.discoveredFrom != nil {
                feedURL = discovered
                report.append(Messages.current.addedDiscovered(from: given.rawValue))
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
                Messages.current.addedFeed(
                    displayName ?? title ?? feed.title ?? feedURL.host, format: feed.format.rawValue,
                    items: feed.items.count),
                at: 0)
            report.append(Messages.current.topicsSeen(topicsSeen))
        }

        try FeedsFile(file: file).append(
            feed: FeedEntry(url: feedURL, title: title, name: displayName, topics: topicIDs, interval: every))
        print(Messages.current.added(feedURL.rawValue, to: file.path, kind: nil))
        for line in report { print("  \(line)") }
    }

    /// `kind = "page"`: the recipe given or detected, checked on the page, written with a comment.
    private func addPage(
        _ url: FeedURL, options: PageOptions, topics: [TopicID], interval: Duration?, file: URL,
        configuration: Configuration
    ) async throws {
        var entry = FeedEntry(url: url, name: displayName, topics: topics, interval: interval)
        var comment: [String] = []
        var report: [String] = []
        if noCheck {
            entry.kind = .page(options.recipe)
        } else {
            let preview = try await PagePreview.load(url.url, recipe: options.recipe, fetch: configuration.fetch)
            entry.kind = .page(preview.recipe)
            report.append(PageCommands.summary(preview))
            report.append(contentsOf: PageCommands.recipeLines(preview.recipe))
            report.append(contentsOf: PageCommands.itemLines(preview.feed, limit: 5).map { String($0.dropFirst(2)) })
            if preview.detected {
                comment = [
                    "\(preview.feed.title ?? url.host): a page with no feed, read as a listing page.",
                    "items was detected by watchctl add-feed (\(preview.feed.items.count) items found); to tune it, try",
                    "  watchctl fetch \(url.rawValue) --kind page --items \"XPATH\"",
                    "and add title, link, date or summary (XPath relative to each item) if the defaults read them wrong.",
                ]
            }
        }
        try FeedsFile(file: file).append(feed: entry, comment: comment)
        print(Messages.current.added(url.rawValue, to: file.path, kind: "page"))
        for line in report { print("  \(line)") }
    }

    /// `kind = "change"`: the page's compared text (or the document) checked, then written.
    private func addChange(
        _ url: FeedURL, options: PageOptions, topics: [TopicID], interval: Duration?, file: URL,
        configuration: Configuration
    ) async throws {
        var entry = FeedEntry(url: url, title: title, name: displayName, topics: topics, interval: interval)
        entry.kind = .change(ChangeWatch(region: options.region))
        var report: [String] = []
        if !noCheck {
            let preview = try await ChangePreview.load(url.url, region: options.region, fetch: configuration.fetch)
            if preview.lines.isEmpty {
                report.append(
                    Messages.current.watchedDocument(
                        preview.title ?? url.host, type: preview.response.contentType,
                        bytes: preview.response.body.count))
            } else {
                report.append(Messages.current.watchedLines(preview.title ?? url.host, count: preview.lines.count))
            }
        }
        try FeedsFile(file: file).append(feed: entry)
        print(Messages.current.added(url.rawValue, to: file.path, kind: "change"))
        for line in report { print("  \(line)") }
    }
}
