import ArgumentParser
import Foundation
import RegWatch

/// `watchctl list-feeds [--json]`: the feeds of feeds.toml and how their last fetch went.
struct ListFeeds: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list-feeds",
        abstract: "List the feeds of feeds.toml with their state: last fetch, status, error streak, items.",
        discussion: """
            One line per [[feeds]] table, in file order. A feed never fetched shows "—"; a disabled \
            feed (enabled = false) or one the server said is gone (410) is marked.

            Example:
              watchctl list-feeds --json | jq '.[] | select(.error_streak > 0)'
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print one JSON document: [{url, title, last_status, last_fetched, error_streak, items}].")
    var json = false

    func run() async throws {
        let configuration = try global.loadConfiguration()
        let database = try global.openDatabase(configuration)
        let states = try database.feedStatesByURL()
        let rows = configuration.feeds.map { feed in (feed, states[feed.url.normalized]) }
        if json {
            try Output.printJSON(rows.map { FeedListingJSON(feed: $0.0, state: $0.1) })
            return
        }
        var table = [Messages.current.feedsHeader]
        for (feed, state) in rows {
            table.append([
                Output.clip(feed.displayName ?? state?.title ?? feed.url.host, 36),
                Self.status(feed, state),
                Output.local(state?.lastFetched, in: configuration.digest.timeZone),
                String(state?.errorStreak ?? 0),
                String(state?.itemCount ?? 0),
                feed.url.rawValue,
            ])
        }
        print(Output.table(table))
        let failing = rows.filter { ($0.1?.errorStreak ?? 0) > 0 }
        print("\n" + Messages.current.feedsTotal(rows.count, failing: failing.count))
        for (feed, state) in failing {
            print(
                "  \(Self.failureLine(feed, state?.lastError, status: state?.lastStatus, gone: state?.disabled ?? false))"
            )
        }
    }

    /// The error once: it names the URL it is about already (the feed's, or where a redirect
    /// led), so the feed's URL is added only when the error does not start with it. The stored
    /// error is the fetcher's English: a French run gives the kind of failure, as `poll` does.
    static func failureLine(_ feed: FeedEntry, _ error: String?, status: Int?, gone: Bool) -> String {
        guard let error, !error.isEmpty else { return feed.url.rawValue }
        let say = Messages.current
        if say.language == .french {
            return "\(feed.url.rawValue) : "
                + say.failureReason(url: feed.url.rawValue, error: error, status: status, gone: gone)
        }
        if error.hasPrefix(feed.url.rawValue + ":") || error.hasPrefix(feed.url.rawValue + " ") { return error }
        return "\(feed.url.rawValue): \(error)"
    }

    static func status(_ feed: FeedEntry, _ state: FeedState?) -> String {
        let say = Messages.current
        if !feed.enabled { return say.feedDisabled }
        guard let state else { return say.feedNeverRead }
        if state.disabled { return say.feedGone }
        // A 200 that held no readable feed is not an HTTP failure: say what it held.
        if state.errorStreak > 0, let problem = state.lastProblem {
            return say.feedFailing(problem.label(french: say.language == .french))
        }
        if state.errorStreak > 0 { return state.lastStatus.map(say.feedFailing(status:)) ?? say.feedFailing(nil) }
        if state.lastProblem == .noItems { return FeedProblem.noItems.label(french: say.language == .french) }
        return state.lastStatus.map(String.init) ?? "—"
    }
}

/// One feed in `list-feeds --json` (docs/cli.md keys).
private struct FeedListingJSON: Encodable {
    let url: String
    let title: String?
    let lastStatus: Int?
    let lastFetched: String?
    let errorStreak: Int
    let items: Int

    init(feed: FeedEntry, state: FeedState?) {
        url = feed.url.rawValue
        title = feed.displayName ?? state?.title
        lastStatus = state?.lastStatus
        lastFetched = Output.iso(state?.lastFetched)
        errorStreak = state?.errorStreak ?? 0
        items = state?.itemCount ?? 0
    }

    enum CodingKeys: String, CodingKey {
        case url, title
        case lastStatus = "last_status"
        case lastFetched = "last_fetched"
        case errorStreak = "error_streak"
        case items
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(url, forKey: .url)
        try c.encode(title, forKey: .title)
        try c.encode(lastStatus, forKey: .lastStatus)
        try c.encode(lastFetched, forKey: .lastFetched)
        try c.encode(errorStreak, forKey: .errorStreak)
        try c.encode(items, forKey: .items)
    }
}
