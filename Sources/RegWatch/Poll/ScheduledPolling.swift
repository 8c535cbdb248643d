import Foundation
import Logging
import Synchronization
import Transfer

/// The daemon's work: each round, poll the enabled feeds that are due.
///
/// A feed is due when the store has never fetched it (a feed just added to feeds.toml is
/// picked up on the next round), or when its `nextDue` — set by ``PollSchedule`` from its
/// interval, the server's freshness hints and its failure backoff — has passed. A feed the
/// server declared gone (410) is not polled again until it is re-added.
public struct ScheduledPolling: PollingWork {
    public typealias Settings = Configuration

    private let database: AppDatabase
    private let logger: Logger
    private let fetchers = FetcherCache()

    /// Creates the work over `database`.
    public init(database: AppDatabase, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public func pollDue(_ settings: Configuration, now: Date) async throws -> PollRound {
        let enabled = settings.enabledFeeds
        let before = try database.feedStatesByURL()
        let due = enabled.filter { feed in
            guard let state = before[feed.url.normalized] else { return true }
            return !state.disabled && (state.nextDue ?? .distantPast) <= now
        }
        var newItems = 0
        if !due.isEmpty {
            let poller = Poller(
                configuration: settings, database: database, fetcher: fetcher(for: settings.fetch), logger: logger,
                now: { now })
            let summary = try await poller.poll(due)
            newItems = summary.newItems
            logger.info(
                "poll round done",
                metadata: [
                    "poll.feeds": "\(summary.feeds)", "poll.ok": "\(summary.ok)",
                    "poll.not_modified": "\(summary.notModified)", "poll.failed": "\(summary.failed)",
                    "poll.new_items": "\(summary.newItems)",
                ])
        }
        let after = try database.feedStatesByURL()
        var failing = 0
        var nextDue: Date?
        for feed in enabled {
            guard let state = after[feed.url.normalized] else {
                nextDue = now
                continue
            }
            if state.errorStreak > 0 || state.disabled { failing += 1 }
            if !state.disabled {
                let due = state.nextDue ?? now
                nextDue = min(nextDue ?? due, due)
            }
        }
        return PollRound(
            feeds: enabled.count, polled: due.count, failing: failing, newItems: newItems, nextDue: nextDue)
    }

    /// One fetcher while `[fetch]` stays the same, so connections are reused between rounds.
    private func fetcher(for settings: Configuration.Fetch) -> Fetcher {
        fetchers.cached.withLock { cached in
            if let cached, cached.settings == settings { return cached.fetcher }
            let fetcher = Fetcher(configuration: Fetcher.Configuration(settings))
            cached = (settings, fetcher)
            return fetcher
        }
    }
}

/// The fetcher of the current `[fetch]` settings, shared by the rounds.
private final class FetcherCache: Sendable {
    let cached = Mutex<(settings: Configuration.Fetch, fetcher: Fetcher)?>(nil)
}
