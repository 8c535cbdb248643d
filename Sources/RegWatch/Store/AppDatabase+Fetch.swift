import FeedParser
import Foundation
import GRDB

extension AppDatabase {
    /// Records a successful fetch (200) of `feedURL`: its entries, its new state and a log line,
    /// all in one transaction, so a crash leaves either all of it or none.
    ///
    /// Clears the error streak and a 410 `disabled` flag (the user re-added the feed and it is
    /// back), keeps the validators for the next conditional GET and remembers a permanent redirect.
    /// - Parameter feed: the parsed feed, prepared (and tagged) outside the transaction.
    /// - Returns: what storing the entries did.
    @discardableResult
    /// - Parameter memory: what a page or watched document's read leaves for the next one, stored
    ///   in the same transaction.
    /// - Parameter expectsItems: a source that always lists its items (a feed, unlike a change
    ///   watch): when it gives none though the store holds items of it, the fetch succeeds but
    ///   its state says so (``FeedProblem/noItems``) and the result's `emptiedFeed` is set.
    public func recordFetchSuccess(
        _ feedURL: FeedURL, feed: PreparedFeed, report: FetchReport, memory: SourceMemory? = nil,
        expectsItems: Bool = false
    ) throws -> UpsertResult {
        try write(.recordFetch(feedURL)) { db in
            var record = try Self.feedRecord(db, feedURL, at: report.time)
            var result = try Self.upsert(db, entries: feed.entries, feedID: record.id!, fetchedAt: report.time)
            if expectsItems, feed.entries.isEmpty {
                result.emptiedFeed =
                    try Bool.fetchOne(
                        db, sql: "SELECT EXISTS(SELECT 1 FROM item WHERE feedId = ?)", arguments: [record.id!])
                    ?? false
            }
            if let memory { try Self.saveMemory(db, memory, feedID: record.id!, at: report.time) }
            if let title = feed.feed.title, !title.isEmpty { record.title = title }
            record.etag = report.etag
            record.lastModified = report.lastModified
            record.errorStreak = 0
            record.lastError = nil
            record.lastProblem = result.emptiedFeed ? FeedProblem.noItems.rawValue : nil
            record.disabled = false
            try Self.finish(db, &record, report: report, outcome: "ok", newItems: result.inserted, error: nil)
            return result
        }
    }

    /// Records a 304 Not Modified: the feed is healthy and nothing changed.
    public func recordFetchNotModified(_ feedURL: FeedURL, report: FetchReport) throws {
        try write(.recordFetch(feedURL)) { db in
            var record = try Self.feedRecord(db, feedURL, at: report.time)
            record.errorStreak = 0
            record.lastError = nil
            record.lastProblem = nil
            try Self.finish(db, &record, report: report, outcome: "notModified", newItems: 0, error: nil)
        }
    }

    /// Records a failed fetch: the error streak grows, the feed is disabled if the server
    /// said 410 Gone, and its next due time comes from `retryAt` given the new streak.
    ///
    /// - Parameters:
    ///   - error: one line saying what failed (shown by `list-feeds`, `status` and the digest footer).
    ///   - problem: what the response held when the server answered but no feed could be read
    ///     (a web page…), shown by `list-feeds` instead of the bare status.
    ///   - gone: the server answered 410: stop fetching the feed.
    ///   - retryAt: the poller's backoff: the new streak (≥ 1) → when to try again.
    /// - Returns: the feed's state after recording.
    @discardableResult
    public func recordFetchFailure(
        _ feedURL: FeedURL, report: FetchReport, error: String, problem: FeedProblem? = nil, gone: Bool = false,
        retryAt: ((Int) -> Date?)? = nil
    ) throws -> FeedState {
        try write(.recordFetch(feedURL)) { db in
            var record = try Self.feedRecord(db, feedURL, at: report.time)
            record.errorStreak += 1
            record.lastError = String(error.split(whereSeparator: \.isNewline).joined(separator: " ").prefix(500))
            record.lastProblem = problem?.rawValue
            if gone { record.disabled = true }
            var report = report
            if let retryAt { report.nextDue = retryAt(record.errorStreak) }
            try Self.finish(db, &record, report: report, outcome: "failed", newItems: 0, error: record.lastError)
            return try Self.feedStates(db, where: "feed.id = ?", [record.id!]).first!
        }
    }

    private static func finish(
        _ db: Database, _ record: inout FeedRecord, report: FetchReport, outcome: String, newItems: Int,
        error: String?
    ) throws {
        record.lastFetched = report.time
        record.lastStatus = report.status
        record.nextDue = report.nextDue
        if let target = report.permanentRedirect, let url = FeedURL(target) {
            record.redirectTo = url.rawValue
        }
        try record.update(db, columns: FeedRecord.Columns.fetchState)
        let (seconds, attoseconds) = report.duration.components
        var log = FetchLogRecord(
            id: nil, feedId: record.id!, time: report.time, outcome: outcome, status: report.status,
            durationMs: Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000), bytes: report.bytes,
            newItems: newItems, error: error)
        try log.insert(db)
    }

    /// The state of one feed, `nil` if it was never fetched.
    public func feedState(_ feedURL: FeedURL) throws -> FeedState? {
        try read(.readFeedState(feedURL)) { db in
            try Self.feedStates(db, where: "feed.urlKey = ?", [feedURL.normalized]).first
        }
    }

    /// The state of every feed the store knows (also those since removed from feeds.toml), by URL.
    public func feedStates() throws -> [FeedState] {
        try read(.readFeeds) { db in try Self.feedStates(db, where: "1", []) }
    }

    /// ``feedStates()`` keyed by ``FeedURL/normalized``, as configured feeds are looked up
    /// (trailing slash and scheme/host case do not make another feed).
    public func feedStatesByURL() throws -> [String: FeedState] {
        Dictionary(
            try feedStates().compactMap { state in FeedURL(state.url).map { ($0.normalized, state) } },
            uniquingKeysWith: { first, _ in first })
    }

    static func feedStates(_ db: Database, where condition: String, _ arguments: StatementArguments) throws
        -> [FeedState]
    {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT feed.*, (SELECT COUNT(*) FROM item WHERE item.feedId = feed.id) AS itemCount
                FROM feed WHERE \(condition) ORDER BY feed.url
                """, arguments: arguments)
        return try rows.map { row in
            let record = try FeedRecord(row: row)
            return FeedState(
                id: record.id!, url: record.url, title: record.title, etag: record.etag,
                lastModified: record.lastModified, lastFetched: record.lastFetched, lastStatus: record.lastStatus,
                lastError: record.lastError, errorStreak: record.errorStreak, nextDue: record.nextDue,
                redirectTo: record.redirectTo, disabled: record.disabled, firstSeen: record.firstSeen,
                itemCount: row["itemCount"], lastProblem: record.lastProblem.flatMap(FeedProblem.init(rawValue:)))
        }
    }

    /// The most recent fetch attempts of a feed, newest first: (time, outcome, status, error).
    public func fetchLog(_ feedURL: FeedURL, limit: Int = 20) throws -> [(
        time: Date, outcome: String, status: Int?, error: String?
    )] {
        try read(.readFetchLog(feedURL)) { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT fetchLog.* FROM fetchLog JOIN feed ON feed.id = fetchLog.feedId
                    WHERE feed.urlKey = ? ORDER BY fetchLog.time DESC, fetchLog.id DESC LIMIT ?
                    """, arguments: [feedURL.normalized, limit]
            ).map { ($0["time"], $0["outcome"], $0["status"], $0["error"]) }
        }
    }
}
