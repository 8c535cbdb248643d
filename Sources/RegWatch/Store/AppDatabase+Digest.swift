import Foundation
import GRDB

/// One version of a week's digest as the store remembers it.
///
/// A week's digest is recorded when it is produced (written to `[digest] output_dir`, sent or
/// delivered), never when it is only previewed. Until it is sent or delivered its version is
/// open: each production rebuilds it from the store. Sending or delivering freezes it: from
/// then on the week is reproduced from the renditions kept here, byte for byte, and only an
/// explicit rebuild makes a new version (the old one stays in the record, marked superseded).
public struct StoredDigest: Sendable, Equatable {
    /// The week.
    public var week: ISOWeek
    /// 1 for the first version, then one more for each rebuild of a frozen week.
    public var version: Int
    /// The format of the last production.
    public var format: String
    /// When the content of this version was built (for a frozen version: the build that was sent).
    public var builtAt: Date
    /// When it was first sent by email, `nil` until then.
    public var sentAt: Date?
    /// Who it was sent to (comma-separated), `nil` until sent.
    public var sentTo: String?
    /// When it was frozen (first sent or delivered), `nil` while open.
    public var frozenAt: Date?
    /// When a rebuild replaced it, `nil` for the current version.
    public var supersededAt: Date?
    /// How many entries it shows in full.
    public var shownCount: Int
    /// Its estimated reading time.
    public var readingMinutes: Int
    /// The renditions kept when it was frozen, `nil` while open.
    public var renditions: DigestRenditions?
    /// The items it carries (shown or listed), by row id.
    public var itemIDs: [Int64]

    /// Whether it is reproduced from its renditions rather than rebuilt.
    public var isFrozen: Bool { frozenAt != nil }
}

/// A digest rendered in every format, as kept when a week is sent or delivered.
public struct DigestRenditions: Sendable, Equatable {
    /// The CommonMark digest.
    public var markdown: String
    /// The plain-text digest.
    public var text: String
    /// The JSON digest.
    public var json: String
    /// The email exactly as sent, `nil` when the week was frozen without an email.
    public var email: String?

    /// Creates renditions.
    public init(markdown: String, text: String, json: String, email: String?) {
        self.markdown = markdown
        self.text = text
        self.json = json
        self.email = email
    }

    /// The rendition of `format`, `nil` for an email that was never made.
    public func text(for format: DigestFormat) -> String? {
        switch format {
        case .markdown: markdown
        case .text: text
        case .json: json
        case .email: email
        }
    }
}

/// What a production records about a digest: its items and size.
public struct DigestProduction: Sendable, Equatable {
    /// The format produced.
    public var format: DigestFormat
    /// The items it carries.
    public var itemIDs: [Int64]
    /// Entries shown in full.
    public var shownCount: Int
    /// Estimated reading time.
    public var readingMinutes: Int

    /// Creates a production record.
    public init(format: DigestFormat, itemIDs: [Int64], shownCount: Int, readingMinutes: Int) {
        self.format = format
        self.itemIDs = itemIDs
        self.shownCount = shownCount
        self.readingMinutes = readingMinutes
    }
}

extension AppDatabase {
    /// The date an item is news of: when it was published, or when regwatch first saw it if
    /// that is earlier (a feed dating an item in the future) or the feed gives no date. An SQL
    /// expression over `item`, spelled exactly as the `item_on_newsDate` index is, so SQLite uses it.
    static let newsDate = "min(item.sortDate, item.firstSeen)"

    /// The items of a week, as an SQL condition over `item` joined with `feed`: those published
    /// (``newsDate``) in `[:start, :end)`, and the late arrivals — published the week before,
    /// first seen in this one, from a feed already watched when they were published (a
    /// backdated item, or one published late on Sunday). An item discovered with the back
    /// catalogue of a newly added feed is not news of the week it was found in.
    static let weekItems = """
        ((\(newsDate) >= :start AND \(newsDate) < :end)
          OR (item.firstSeen >= :start AND item.firstSeen < :end
              AND \(newsDate) >= :lateStart AND \(newsDate) < :start AND feed.firstSeen <= \(newsDate)))
        """

    /// The back catalogue found during a week: items first seen in `[:start, :end)` that are
    /// news of no week the digest of this one could show.
    static let olderItemsFound = """
        item.firstSeen >= :start AND item.firstSeen < :end AND \(newsDate) < :start
          AND NOT (\(newsDate) >= :lateStart AND feed.firstSeen <= \(newsDate))
        """

    /// What the digest of `week` is built from: the items that are news of that week (see
    /// ``weekItems``) that no earlier week's digest carried, neither themselves nor another
    /// item of their story; their topics and the other sources of their story; the failing
    /// feeds; the counts; the items still `à exploiter` ("Suivi").
    ///
    /// An item now `sans suite` is left out, with the other items of its story: whenever the
    /// decision was recorded, no digest built afterwards shows it again (a rebuild included).
    ///
    /// The week's own earlier builds do not count as "earlier", so rebuilding a week gives the
    /// same content. Source names and weights come from `feeds` (feeds.toml), matched on the
    /// normalised URL; a feed no longer configured keeps its own title and weight 1.
    ///
    /// - Parameter now: the follow-up states and ages are read at the end of the week, or at
    ///   `now` for a week not over yet (a preview of the current week).
    public func digestInput(week: ISOWeek, timeZone: TimeZone, feeds: [FeedEntry], now: Date = .distantFuture) throws
        -> DigestInput
    {
        let start = week.start(in: timeZone)
        let end = week.end(in: timeZone)
        let asOf = min(end, now)
        let weekArguments: StatementArguments = [
            "start": start, "end": end, "lateStart": week.previous.start(in: timeZone), "week": week.description,
        ]
        let configured = Dictionary(feeds.map { ($0.url.normalized, $0) }, uniquingKeysWith: { first, _ in first })
        func source(url: String, urlKey: String, title: String?) -> (name: String, weight: Double) {
            let entry = configured[urlKey]
            let name = entry?.displayName ?? title ?? FeedURL(url)?.host ?? url
            return (name, entry?.weight ?? 1.0)
        }

        return try read(.readItemsOfWeek(week)) { db in
            let carried = """
                SELECT digestItem.itemId FROM digestItem JOIN digest ON digest.id = digestItem.digestId
                WHERE digest.week < :week
                """
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT item.id, item.title, item.link, item.summary, item.content, item.published,
                           item.firstSeen, item.storyId, feed.url AS feedURL, feed.urlKey, feed.title AS feedTitle
                    FROM item JOIN feed ON feed.id = item.feedId
                    WHERE \(Self.weekItems)
                      AND item.id NOT IN (\(carried))
                      AND (item.storyId IS NULL OR item.storyId NOT IN (
                            SELECT item.storyId FROM item WHERE item.storyId IS NOT NULL AND item.id IN (\(carried))))
                      AND item.id NOT IN (\(Self.dismissedItems))
                      AND (item.storyId IS NULL OR item.storyId NOT IN (
                            SELECT item.storyId FROM item WHERE item.storyId IS NOT NULL AND item.id IN (\(Self.dismissedItems))))
                    ORDER BY item.id
                    """,
                arguments: weekArguments)

            let ids = rows.map { $0["id"] as Int64 }
            let wanted = Set(ids)
            var topics: [Int64: [TopicScore]] = [:]
            var storySources: [Int64: [(itemID: Int64, name: String)]] = [:]
            if !ids.isEmpty {
                // The same week filter as above, as a subquery: a superset of the candidates
                // (excluded items included), filtered here, rather than 10 000 ids in the SQL.
                let inWeek = "SELECT item.id FROM item JOIN feed ON feed.id = item.feedId WHERE \(Self.weekItems)"
                for row in try Row.fetchAll(
                    db, sql: "SELECT itemId, topic, score FROM itemTopic WHERE itemId IN (\(inWeek))",
                    arguments: weekArguments)
                {
                    let itemID: Int64 = row["itemId"]
                    guard wanted.contains(itemID), let topic = TopicID(rawValue: row["topic"]) else { continue }
                    topics[itemID, default: []].append(TopicScore(topic, row["score"]))
                }
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT item.id, item.storyId, feed.url, feed.urlKey, feed.title
                        FROM item JOIN feed ON feed.id = item.feedId
                        WHERE item.storyId IN (
                            SELECT item.storyId FROM item JOIN feed ON feed.id = item.feedId
                            WHERE \(Self.weekItems) AND item.storyId IS NOT NULL)
                        """,
                    arguments: weekArguments)
                {
                    let name = source(url: row["url"], urlKey: row["urlKey"], title: row["title"]).name
                    storySources[row["storyId"], default: []].append((row["id"], name))
                }
            }

            let candidates = rows.map { row -> DigestCandidate in
                let id: Int64 = row["id"]
                let feed = source(url: row["feedURL"], urlKey: row["urlKey"], title: row["feedTitle"])
                let storyID: Int64? = row["storyId"]
                let alsoIn =
                    storyID.map { story in
                        (storySources[story] ?? []).filter { $0.itemID != id && $0.name != feed.name }.map(\.name)
                    } ?? []
                return DigestCandidate(
                    id: id, shortID: String(id), title: row["title"] ?? "", link: row["link"], source: feed.name,
                    sourceWeight: feed.weight, published: row["published"], firstSeen: row["firstSeen"],
                    summary: row["summary"], content: row["content"], topics: topics[id] ?? [],
                    alsoIn: Array(Set(alsoIn)).sorted(), storyID: storyID)
            }

            let enabled = feeds.filter(\.enabled)
            let enabledKeys = Set(enabled.map(\.url.normalized))
            let failing = try Row.fetchAll(
                db,
                sql: """
                    SELECT url, urlKey, title, lastError, lastStatus, disabled FROM feed
                    WHERE errorStreak > 0 OR disabled ORDER BY url
                    """
            ).filter { enabledKeys.contains($0["urlKey"]) }.map { row -> FailingSource in
                let status: Int? = row["lastStatus"]
                let disabled: Bool = row["disabled"]
                let error: String =
                    row["lastError"]
                    ?? (disabled ? "410 Gone: no longer fetched" : status.map { "HTTP \($0)" } ?? "failed")
                // Fetch errors start with the URL; the digest already shows it beside the error.
                let url: String = row["url"]
                let stripped = error.hasPrefix(url + ": ") ? String(error.dropFirst(url.count + 2)) : error
                return FailingSource(
                    url: url, error: stripped,
                    name: source(url: url, urlKey: row["urlKey"], title: row["title"]).name,
                    reason: FailureReason(error: stripped, status: status, gone: disabled))
            }

            let feedsPolled =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(DISTINCT feedId) FROM fetchLog WHERE time >= ? AND time < ?",
                    arguments: [start, end]) ?? 0
            let itemsSeen =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM item WHERE firstSeen >= ? AND firstSeen < ?",
                    arguments: [start, end]) ?? 0
            let olderFound =
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM item JOIN feed ON feed.id = item.feedId WHERE \(Self.olderItemsFound)",
                    arguments: weekArguments) ?? 0
            let followUps = try Self.followUps(db, stateAt: asOf, excluding: wanted).map { item in
                DigestFollowUp(
                    id: item.itemID, title: item.title ?? "",
                    link: item.link,
                    source: source(
                        url: item.feedURL, urlKey: FeedURL(item.feedURL)?.normalized ?? item.feedURL,
                        title: item.feedTitle
                    ).name,
                    owner: item.owner, note: item.note, since: item.toActSince)
            }
            return DigestInput(
                week: week, candidates: candidates, failingSources: failing,
                counts: DigestCounts(
                    feedsPolled: feedsPolled, itemsSeen: itemsSeen, sources: enabled.count, olderFound: olderFound),
                followUps: followUps, asOf: asOf)
        }
    }

    /// The earliest moment the store knows anything about: its first fetch, or the news date of
    /// its oldest item (a back catalogue can reach years back). `nil` for an empty store.
    public func earliestKnownDate() throws -> Date? {
        try read(.readFirstDate) { db in
            let firstFetch = try Date.fetchOne(db, sql: "SELECT MIN(time) FROM fetchLog")
            let oldestItem = try Date.fetchOne(db, sql: "SELECT MIN(\(Self.newsDate)) FROM item")
            return [firstFetch, oldestItem].compactMap { $0 }.min()
        }
    }

    /// Records that `week`'s digest was produced (written to `[digest] output_dir`, sent or
    /// delivered) and carries `production.itemIDs`.
    ///
    /// The week's current version is updated while it is open; a frozen version is left as it
    /// is (it is reproduced, not rebuilt) unless `rebuild` is set, which supersedes it with a
    /// new open version, so that both stay in the record.
    @discardableResult
    public func recordDigest(week: ISOWeek, production: DigestProduction, builtAt: Date, rebuild: Bool = false) throws
        -> StoredDigest
    {
        try write(.recordDigest(week)) { db in
            let record = try Self.recordProduction(
                db, week: week, production: production, builtAt: builtAt, rebuild: rebuild)
            return try Self.storedDigest(db, record: record)
        }
    }

    /// Records a production of `week` (as ``recordDigest(week:production:builtAt:rebuild:)``)
    /// and freezes that version with `renditions`: from then on the week is reproduced from them.
    /// `sentTo` marks it sent by email (the first time only: a resend keeps the first date).
    @discardableResult
    public func freezeDigest(
        week: ISOWeek, production: DigestProduction, renditions: DigestRenditions, at time: Date,
        sentTo recipients: [String]? = nil, rebuild: Bool = false
    ) throws -> StoredDigest {
        try write(.keepDigestSent(week)) { db in
            var record = try Self.recordProduction(
                db, week: week, production: production, builtAt: time, rebuild: rebuild)
            if record.frozenAt == nil {
                record.frozenAt = time
                record.markdown = renditions.markdown
                record.plainText = renditions.text
                record.json = renditions.json
                record.email = renditions.email
            }
            if let recipients, record.sentAt == nil {
                record.sentAt = time
                record.sentTo = recipients.joined(separator: ", ")
            }
            try record.update(db)
            return try Self.storedDigest(db, record: record)
        }
    }

    /// The one place a production is written: the open version updated, a frozen one kept
    /// (or superseded by a new version when `rebuild`), the carried items replaced.
    static func recordProduction(
        _ db: Database, week: ISOWeek, production: DigestProduction, builtAt: Date, rebuild: Bool
    ) throws -> DigestRecord {
        let current = try currentDigestRecord(db, week: week)
        var record: DigestRecord
        if let current, current.frozenAt == nil {
            record = current
        } else if let current, !rebuild {
            return current
        } else {
            if var superseded = current {
                superseded.supersededAt = builtAt
                try superseded.update(db)
            }
            record = DigestRecord(
                id: nil, week: week.description, version: (current?.version ?? 0) + 1,
                format: production.format.rawValue,
                builtAt: builtAt)
        }
        record.format = production.format.rawValue
        record.builtAt = builtAt
        record.shown = production.shownCount
        record.readingMinutes = production.readingMinutes
        try record.save(db)
        try db.execute(sql: "DELETE FROM digestItem WHERE digestId = ?", arguments: [record.id!])
        let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO digestItem(digestId, itemId) VALUES (?, ?)")
        for id in production.itemIDs { try insert.execute(arguments: [record.id!, id]) }
        return record
    }

    /// The current version of `week`'s digest, if one was produced.
    public func storedDigest(week: ISOWeek) throws -> StoredDigest? {
        try read(.readDigest(week)) { db in
            try Self.currentDigestRecord(db, week: week).map { try Self.storedDigest(db, record: $0) }
        }
    }

    /// Every version of `week`'s digest, oldest first.
    public func digestVersions(week: ISOWeek) throws -> [StoredDigest] {
        try read(.readDigests(week)) { db in
            try DigestRecord.filter(DigestRecord.Columns.week == week.description).order(
                Column("version"), Column("id")
            )
            .fetchAll(db).map { try Self.storedDigest(db, record: $0) }
        }
    }

    static func currentDigestRecord(_ db: Database, week: ISOWeek) throws -> DigestRecord? {
        try DigestRecord.filter(DigestRecord.Columns.week == week.description)
            .order(Column("version").desc, Column("id").desc).fetchOne(db)
    }

    static func storedDigest(_ db: Database, record: DigestRecord) throws -> StoredDigest {
        let ids = try Int64.fetchAll(
            db, sql: "SELECT itemId FROM digestItem WHERE digestId = ? ORDER BY itemId", arguments: [record.id!])
        var renditions: DigestRenditions?
        if record.frozenAt != nil, let markdown = record.markdown, let text = record.plainText, let json = record.json {
            renditions = DigestRenditions(markdown: markdown, text: text, json: json, email: record.email)
        }
        return StoredDigest(
            week: (try? ISOWeek(parsing: record.week)) ?? ISOWeek(year: 1, week: 1)!, version: record.version,
            format: record.format, builtAt: record.builtAt, sentAt: record.sentAt, sentTo: record.sentTo,
            frozenAt: record.frozenAt, supersededAt: record.supersededAt, shownCount: record.shown ?? 0,
            readingMinutes: record.readingMinutes ?? 0, renditions: renditions, itemIDs: ids)
    }

    /// The ids of the items whose latest decision is `sans suite`, as a subquery.
    static let dismissedItems = """
        SELECT last.itemId FROM followChange AS last
        WHERE last.state = 'dismissed' AND last.id = (
            SELECT id FROM followChange WHERE itemId = last.itemId ORDER BY time DESC, id DESC LIMIT 1)
        """

    /// Items whose state at `time` (changes recorded before it) is `à exploiter`, except the
    /// `excluded` ones (the week's own items, shown as entries), with their history cut at `time`.
    static func followUps(_ db: Database, stateAt time: Date, excluding excluded: Set<Int64>) throws -> [FollowedItem] {
        try followedItems(
            db, where: "item.id IN (SELECT itemId FROM followChange WHERE state = 'to-act' AND time < ?)",
            arguments: [time]
        ).compactMap { item in
            guard !excluded.contains(item.itemID) else { return nil }
            var item = item
            item.history.removeAll { $0.time >= time }
            return item.history.last?.state == .toAct ? item : nil
        }
    }
}

extension FollowedItem {
    /// When the current `à exploiter` run began: a repeated `à exploiter` (a new owner, a
    /// note) does not reset the age.
    var toActSince: Date {
        var since = self.since
        for change in history.reversed() {
            guard change.state == .toAct else { break }
            since = change.time
        }
        return since
    }
}
