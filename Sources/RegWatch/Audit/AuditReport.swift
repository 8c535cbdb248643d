import Foundation

/// The dated record of the watch for a Qualiopi audit (indicator 23): the sources watched and
/// when they failed, each digest produced and sent, every item acted on with its history,
/// grouped by topic then by month. Built from the database alone by
/// ``AppDatabase/auditReport(period:configuration:generatedAt:)``; rendered as Markdown,
/// self-contained HTML or JSON.
public struct AuditReport: Sendable, Equatable {
    /// A source (feed) and how it was followed.
    public struct Source: Sendable, Equatable {
        /// The feed URL.
        public var url: String
        /// Its configured title, else its own, else its URL.
        public var name: String
        /// Its topics: those feeds.toml gives it, else those its items were tagged with in the period.
        public var topics: [TopicID]
        /// Whether feeds.toml still lists it (a removed feed stays in the record).
        public var configured: Bool
        /// Whether it answered 410 Gone and is no longer fetched.
        public var gone: Bool
        /// Whether feeds.toml lists it with `enabled = false` (not polled).
        public var disabled: Bool = false
        /// When regwatch first fetched it, `nil` if never.
        public var followedSince: Date?
        /// Whole days between `followedSince` and the end of the period.
        public var followedDays: Int
        /// Fetch attempts during the period.
        public var fetches: Int
        /// Failed attempts during the period.
        public var failedFetches: Int
        /// Runs of consecutive failures that overlap the period.
        public var failingPeriods: [FailingPeriod]
    }

    /// A run of consecutive failed fetches of one source.
    public struct FailingPeriod: Sendable, Equatable {
        /// The first failed attempt.
        public var start: Date
        /// The next successful attempt, `nil` when it was still failing at the end of the period.
        public var end: Date?
        /// How many attempts failed.
        public var attempts: Int
        /// The last error, one line.
        public var lastError: String
    }

    /// A digest regwatch produced.
    public struct Digest: Sendable, Equatable {
        /// Its ISO week.
        public var week: String
        /// When it was (last) built.
        public var builtAt: Date
        /// When it was first sent, `nil` if never.
        public var sentAt: Date?
        /// To whom, `nil` if never sent.
        public var sentTo: String?
        /// How many items it carried.
        public var items: Int
        /// 1, then one more for each rebuild of a week already sent (`digest --rebuild`).
        public var version: Int = 1
        /// When a rebuild replaced it, `nil` for the week's current version.
        public var supersededAt: Date? = nil
    }

    /// One delivery of a digest to a target (`digest --deliver`): when the watch reached whom.
    public struct Delivery: Sendable, Equatable {
        /// The week delivered.
        public var week: String
        /// The target's name in feeds.toml.
        public var target: String
        /// Its type (`matrix`, `email`…).
        public var type: String
        /// When.
        public var time: Date
        /// Whether it was delivered; a failed attempt stays in the record too.
        public var delivered: Bool
    }

    /// An item with at least one decision recorded during the period.
    public struct ActedItem: Sendable, Equatable {
        /// Its row id (`réf.`).
        public var id: Int64
        /// Its title (feed text, escaped by each renderer).
        public var title: String
        /// Its link as the feed gave it.
        public var link: String?
        /// The source name.
        public var source: String
        /// Its topics, best first.
        public var topics: [TopicID]
        /// When the feed says it was published.
        public var published: Date?
        /// When regwatch first stored it.
        public var firstSeen: Date
        /// Its decisions up to the end of the period, oldest first.
        public var history: [FollowChange]

        /// Its state at the end of the period.
        public var state: FollowState { history.last!.state }
        /// Its owner at the end of the period.
        public var owner: String? { history.last(where: { $0.owner != nil })?.owner }
    }

    /// The acted-on items of one month (by their first decision in the period).
    public struct Month: Sendable, Equatable {
        /// `2025-12`.
        public var month: String
        /// Its items, by first decision.
        public var items: [ActedItem]
    }

    /// The acted-on items of one topic (an item counts under its best topic only).
    public struct TopicGroup: Sendable, Equatable {
        /// The topic, `nil` for items no topic claims.
        public var topic: TopicID?
        /// Its label ("CPF", "Autres").
        public var label: String
        /// Its months, oldest first.
        public var months: [Month]
    }

    /// The period covered.
    public var period: AuditPeriod
    /// When the report was produced.
    public var generatedAt: Date
    /// The zone dates are written in (`[digest] time_zone`).
    public var timeZone: TimeZone
    /// The database file it was read from (its name).
    public var database: String
    /// Every source, configured or once fetched, in natural order of names.
    public var sources: [Source]

    /// The sources the watch polled or polls: all but those disabled in feeds.toml and never fetched.
    public var watchedSources: [Source] { sources.filter { !($0.disabled && $0.followedSince == nil) } }
    /// Sources disabled in feeds.toml and never fetched: listed apart, they were not watched.
    public var disabledSources: [Source] { sources.filter { $0.disabled && $0.followedSince == nil } }
    /// Every digest built during the period.
    public var digests: [Digest]
    /// Every delivery attempt during the period, oldest first.
    public var deliveries: [Delivery] = []
    /// The acted-on items, by topic (configured order, then "Autres"), then by month.
    public var groups: [TopicGroup]

    /// Every acted-on item, in report order.
    public var actedItems: [ActedItem] { groups.flatMap { $0.months.flatMap(\.items) } }
    /// Decisions recorded during the period.
    public var decisionCount: Int {
        actedItems.reduce(0) { count, item in count + item.history.filter { period.contains($0.time) }.count }
    }
}

/// The days an audit report covers, in the digest's time zone: `--from` (inclusive, midnight)
/// to `--to` (inclusive, until the next midnight).
public struct AuditPeriod: Sendable, Equatable {
    /// The first instant covered, `nil` for "since the beginning".
    public var start: Date?
    /// The first instant not covered.
    public var end: Date
    /// `2025-12-01`, as typed, `nil` for "since the beginning".
    public var firstDay: String?
    /// `2025-12-31`: the last day covered.
    public var lastDay: String

    /// Whether `date` falls in the period.
    public func contains(_ date: Date) -> Bool {
        date < end && (start.map { date >= $0 } ?? true)
    }

    /// The period `--from`/`--to` describe; without `--to`, up to and including today (`now`).
    ///
    /// - Throws: ``AuditInputError`` (exit 2) for a date that is not `YYYY-MM-DD` or a
    ///   `--from` after `--to`.
    public init(from: String?, to: String?, timeZone: TimeZone, now: Date) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        func day(_ text: String, _ option: String) throws -> Date {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]),
                let date = calendar.date(from: DateComponents(year: year, month: month, day: dayOfMonth)),
                calendar.component(.day, from: date) == dayOfMonth, calendar.component(.month, from: date) == month
            else {
                throw AuditInputError(wording: .notADay(option, text))
            }
            return date
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        start = try from.map { try day($0, "--from") }
        firstDay = from
        let last = try to.map { try day($0, "--to") } ?? calendar.startOfDay(for: now)
        lastDay = formatter.string(from: last)
        end = calendar.date(byAdding: .day, value: 1, to: last)!
        if let start, start >= end {
            throw AuditInputError(wording: .fromAfterTo(from!, lastDay))
        }
    }
}

/// A bad `audit` argument: one line, exit 2.
public struct AuditInputError: ActionableError, Equatable {
    /// What is wrong and how to write it, in both languages.
    public var wording: Wording
    /// The English line.
    public var description: String { wording.english }
    /// Bad input.
    public var kind: FailureKind { .badInput }
}
