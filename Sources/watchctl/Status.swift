import ArgumentParser
import Foundation
import RegWatch

/// `watchctl status [--json]`: is the watch healthy, and what came in this week.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Health of the watch: feeds ok and failing, items per topic this week, last poll, last digest.",
        discussion: """
            "This week" is the current ISO week in [digest] time_zone (Monday 00:00 \
            onwards); its items are the ones its digest will hold: published this \
            week (see watchctl digest --help). The back catalogue found this week is \
            counted apart. Exit status 0 whatever the health; failing feeds are \
            listed with their error, and each delivery target with its last delivery.

            Example:
              watchctl status --json | jq .failing
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print one JSON document.")
    var json = false

    func run() async throws {
        let configuration = try global.loadConfiguration()
        let database = try global.openDatabase(configuration)
        let zone = configuration.digest.timeZone
        let week = ISOWeek.containing(Date(), in: zone)
        let status = try database.watchStatus(week: week, timeZone: zone)
        let states = try database.feedStatesByURL()
        let enabled = configuration.enabledFeeds
        let failing = enabled.compactMap { feed -> (FeedEntry, FeedState)? in
            guard let state = states[feed.url.normalized], state.errorStreak > 0 || state.disabled else { return nil }
            return (feed, state)
        }
        // Read fine, but empty where they used to give items: blind spots too.
        let emptied = enabled.filter { states[$0.url.normalized]?.lastProblem == .noItems }
        let neverFetched = enabled.filter { states[$0.url.normalized]?.lastFetched == nil }.count
        let deliveries = try database.lastDeliveries()
        let topics = configuration.topics.map {
            (id: $0.id.rawValue, label: $0.label, count: status.itemsPerTopic[$0.id.rawValue] ?? 0)
        }

        if json {
            try Output.printJSON(
                StatusJSON(
                    week: week.description,
                    feeds: enabled.count,
                    ok: enabled.count - failing.count - neverFetched,
                    failing: failing.map {
                        .init(
                            url: $0.0.url.rawValue, error: $0.1.lastError ?? "gone (410)", errorStreak: $0.1.errorStreak
                        )
                    },
                    emptied: emptied.map(\.url.rawValue),
                    neverFetched: neverFetched,
                    itemsThisWeek: status.itemsThisWeek,
                    itemsFirstSeen: status.itemsFirstSeenThisWeek,
                    itemsStored: status.itemsStored,
                    topics: Dictionary(uniqueKeysWithValues: topics.map { ($0.id, $0.count) }),
                    lastPoll: Output.iso(status.lastPoll),
                    lastDigest: status.lastDigest.map {
                        .init(week: $0.week, builtAt: Output.iso($0.builtAt)!, sentAt: Output.iso($0.sentAt))
                    },
                    deliveries: deliveries.map {
                        .init(target: $0.target, week: $0.week, time: Output.iso($0.time)!, error: $0.error)
                    }))
            return
        }
        let say = Messages.current
        print(say.statusTitle(week: week.description))
        print(
            say.statusFeeds(
                enabled: enabled.count, ok: enabled.count - failing.count - neverFetched, failing: failing.count,
                neverFetched: neverFetched))
        print(
            say.statusItems(
                thisWeek: status.itemsThisWeek, stored: status.itemsStored,
                older: status.itemsFirstSeenThisWeek - status.itemsThisWeek))
        for topic in topics {
            print("  \(Output.clip(topic.label, 20).padding(toLength: 20, withPad: " ", startingAt: 0)) \(topic.count)")
        }
        print(say.statusLastPoll(status.lastPoll.map { Output.local($0, in: zone) }))
        if let digest = status.lastDigest {
            print(
                say.statusLastDigest(
                    week: digest.week, built: Output.local(digest.builtAt, in: zone),
                    sent: digest.sentAt.map { Output.local($0, in: zone) }))
        } else {
            print(say.statusNoDigest)
        }
        for delivery in deliveries {
            print(
                say.statusDelivery(
                    target: delivery.target, week: delivery.week, time: Output.local(delivery.time, in: zone),
                    error: delivery.failure.map(say.line)))
        }
        if !emptied.isEmpty {
            print(say.statusEmptied)
            for feed in emptied { print("  \(feed.displayName ?? feed.url.rawValue) (\(feed.url.rawValue))") }
        }
        if !failing.isEmpty {
            print(say.statusFailingHeader)
            for (feed, state) in failing {
                // The stored error starts with the URL the line already names; French gives the
                // kind of failure, the fetcher's words being English (list-feeds keeps them).
                let url = feed.url.rawValue
                let error = state.lastError.map {
                    say.language == .french
                        ? say.failureReason(url: url, error: $0, status: state.lastStatus, gone: state.disabled)
                        : $0.hasPrefix(url + ": ") ? String($0.dropFirst(url.count + 2)) : $0
                }
                print(
                    "  "
                        + say.statusFailing(
                            name: feed.displayName ?? feed.url.rawValue, url: feed.url.rawValue,
                            streak: state.errorStreak,
                            error: error))
            }
        }
    }
}

/// `status --json`.
struct StatusJSON: Encodable {
    struct Failing: Encodable {
        var url: String
        var error: String
        var errorStreak: Int
        enum CodingKeys: String, CodingKey {
            case url, error
            case errorStreak = "error_streak"
        }
    }

    struct Digest: Encodable {
        var week: String
        var builtAt: String
        var sentAt: String?
        enum CodingKeys: String, CodingKey {
            case week
            case builtAt = "built_at"
            case sentAt = "sent_at"
        }
    }

    struct Delivery: Encodable {
        var target: String
        var week: String
        var time: String
        var error: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(target, forKey: .target)
            try container.encode(week, forKey: .week)
            try container.encode(time, forKey: .time)
            try container.encode(error, forKey: .error)
        }
        enum CodingKeys: String, CodingKey { case target, week, time, error }
    }

    var week: String
    var feeds: Int
    var ok: Int
    var failing: [Failing]
    var emptied: [String]
    var neverFetched: Int
    var itemsThisWeek: Int
    var itemsFirstSeen: Int
    var itemsStored: Int
    var topics: [String: Int]
    var lastPoll: String?
    var lastDigest: Digest?
    var deliveries: [Delivery]

    enum CodingKeys: String, CodingKey {
        case week, feeds, ok, failing, topics, deliveries, emptied
        case neverFetched = "never_fetched"
        case itemsThisWeek = "items_this_week"
        case itemsFirstSeen = "items_first_seen"
        case itemsStored = "items_stored"
        case lastPoll = "last_poll"
        case lastDigest = "last_digest"
    }
}
