import Foundation

/// What the daemon drives: one round of polling over the feeds that are due.
///
/// The daemon owns time, signals, reloads and systemd; the work owns fetching, parsing,
/// storing, tagging and each feed's schedule (interval, freshness hints, backoff, jitter).
/// `Poller` conforms; the daemon's own tests drive it through the real `watchctl daemon`.
public protocol PollingWork: Sendable {
    /// The configuration the work runs with (feeds.toml, loaded).
    associatedtype Settings: Sendable

    /// Polls every enabled feed of `settings` that is due at `now`, and says when the next one is.
    ///
    /// Feeds the database has never seen are due at once, so a feed added to the config is
    /// picked up on the next round.
    ///
    /// Cancellation is how the daemon shuts down: once the task is cancelled, start no new
    /// transfer, abandon the ones in flight, keep every feed already committed, and return
    /// (or throw `CancellationError`) promptly — the whole shutdown must fit in 10 s.
    func pollDue(_ settings: Settings, now: Date) async throws -> PollRound
}

/// What one round did, and what the daemon shows in `systemctl status`.
public struct PollRound: Sendable, Equatable {
    /// Enabled feeds in the configuration.
    public var feeds: Int
    /// Feeds fetched in this round (the due ones).
    public var polled: Int
    /// Enabled feeds whose last attempt failed, after this round.
    public var failing: Int
    /// Items stored for the first time in this round.
    public var newItems: Int
    /// The earliest instant at which an enabled feed is due; nil when no feed is enabled.
    public var nextDue: Date?

    /// Creates a summary.
    public init(feeds: Int, polled: Int, failing: Int, newItems: Int, nextDue: Date?) {
        self.feeds = feeds
        self.polled = polled
        self.failing = failing
        self.newItems = newItems
        self.nextDue = nextDue
    }

    /// The `STATUS=` line: "42 feeds, 3 failing, next poll 10:42" / "42 flux, 3 en échec,
    /// prochaine lecture 10:42".
    ///
    /// - Parameters:
    ///   - now: the present, to tell whether the next poll is today.
    ///   - timeZone: the zone the operator reads times in.
    ///   - language: the daemon's language (its locale, as for watchctl's other lines).
    public func statusLine(now: Date, timeZone: TimeZone = .current, language: HumanLanguage = .current) -> String {
        let next: String?
        if let nextDue {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: max(nextDue, now))
            let time = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
            if calendar.isDate(max(nextDue, now), inSameDayAs: now) {
                next = time
            } else {
                next = String(format: "%04d-%02d-%02d ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0) + time
            }
        } else {
            next = nil
        }
        return Wording.daemonStatus(feeds: feeds, failing: failing, nextPoll: next).text(language)
    }
}
