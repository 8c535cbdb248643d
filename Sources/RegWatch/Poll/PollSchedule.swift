import FeedParser
import Foundation

/// When a feed may be fetched next: its interval, never sooner than the server's
/// freshness hints allow, backed off exponentially while it fails, and spread with a
/// per-feed jitter so that feeds configured alike do not all fire in the same second.
///
/// Pure: the same inputs give the same instant, so the daemon's schedule is testable
/// without a clock or a network.
public struct PollSchedule: Sendable, Equatable {
    /// The longest any hint or backoff may push a feed out. A regulatory source that asks
    /// for a week of silence (or a server misconfigured to say so) is still read daily.
    public static let ceiling: Duration = .seconds(24 * 3600)
    /// The shortest wait after a failure: a failing server is not hammered — unless the feed's
    /// own interval is shorter, which its operator chose (tests, a local source).
    public static let minimumBackoff: Duration = .seconds(60)
    /// The fraction of the wait added as jitter, at most.
    public static let jitterFraction = 0.1

    /// The feed's polling interval (its own `interval`, else `[fetch] default_interval`).
    public var interval: Duration

    /// Creates a schedule for a feed polled every `interval`.
    public init(interval: Duration) {
        self.interval = interval
    }

    /// What the last attempt said about when to come back.
    public enum Outcome: Sendable, Equatable {
        /// 200 or 304. `freshFor` is the longest of Cache-Control max-age, Expires − now and
        /// the feed's `<ttl>`, when the server gave any.
        case success(freshFor: Duration?)
        /// A failure; `streak` counts consecutive failures including this one (≥ 1);
        /// `retryAfter` is the server's Retry-After, when it sent one.
        case failure(streak: Int, retryAfter: Duration?)
    }

    /// The wait before the next attempt, jitter included.
    ///
    /// - Parameters:
    ///   - outcome: what the last attempt gave.
    ///   - feedKey: a stable key of the feed (its URL), from which the jitter is derived, so each
    ///     feed keeps its own offset from one poll to the next.
    public func delay(after outcome: Outcome, feedKey: String) -> Duration {
        let base: Duration
        switch outcome {
        case .success(let freshFor):
            base = max(interval, min(freshFor ?? .zero, Self.ceiling))
        case .failure(let streak, let retryAfter):
            let start = max(interval / 4, min(Self.minimumBackoff, interval))
            let exponent = min(max(streak - 1, 0), 16)
            let backedOff = min(start * (1 << exponent), Self.ceiling)
            base = max(backedOff, min(retryAfter ?? .zero, Self.ceiling))
        }
        return base + base * (Self.jitterFraction * Self.unitJitter(feedKey, salt: outcome.salt))
    }

    /// The next due instant after an attempt that ended at `now`.
    public func nextDue(after outcome: Outcome, at now: Date, feedKey: String) -> Date {
        now.addingTimeInterval(delay(after: outcome, feedKey: feedKey).timeInterval)
    }

    /// A number in [0, 1) fixed for a key: FNV-1a, so it does not change between runs
    /// (Swift's `Hasher` is seeded per process).
    static func unitJitter(_ key: String, salt: UInt64) -> Double {
        var hash = FNV1a(seed: FNV1a.offsetBasis ^ salt)
        hash.combine(key.utf8)
        return Double(hash.value >> 11) / Double(1 << 53)
    }
}

extension PollSchedule.Outcome {
    /// Successive failures draw different jitter, so feeds that failed together drift apart.
    fileprivate var salt: UInt64 {
        switch self {
        case .success: 0
        case .failure(let streak, _): UInt64(streak)
        }
    }
}

extension Duration {
    /// The duration in seconds, as Foundation wants it.
    public var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
