import Foundation
import GRDB

/// One digest of a week as the store remembers it.
public struct StoredDigest: Sendable, Equatable {
    /// The week.
    public var week: ISOWeek
    /// The format of the last build.
    public var format: String
    /// When it was last built.
    public var builtAt: Date
    /// When it was first sent successfully, `nil` until then.
    public var sentAt: Date?
    /// Who it was sent to (comma-separated), `nil` until sent.
    public var sentTo: String?
    /// The items it carries (shown or listed), by row id.
    public var itemIDs: [Int64]
}

extension AppDatabase {
    /// What the digest of `week` is built from: the items first seen that week (in `timeZone`)
    /// that no earlier week's digest carried, neither themselves nor another item of their
    /// story; their topics and the other sources of their story; the failing feeds; the counts;
    /// the items of earlier weeks still `à exploiter` at the end of the week ("Suivi").
    ///
    /// An item now `sans suite` is left out, with the other items of its story: whenever the
    /// decision was recorded, no digest built afterwards shows it again (a rebuild included).
    ///
    /// The week's own earlier builds do not count as "earlier", so rebuilding a week gives the
    /// same content. Source names and weights come from `feeds` (feeds.toml), matched on the
    /// normalised URL; a feed no longer configured keeps its own title and weight 1.
    public func digestInput(week: ISOWeek, timeZone: TimeZone, feeds: [FeedEntry]) throws -> DigestInput {
        let start = week.start(in: timeZone)
        let end = week.end(in: timeZone)
        let configured = Dictionary(feeds.map { ($0.url.normalized, $0) }, uniquingKeysWith: { first, _ in first })
        func source(url: String, urlKey: String, title: String?) -> (name: String, weight: Double) {
            let entry = configured[urlKey]
            let name = entry?.title ?? title ?? FeedURL(url)?.host ?? url
            return (name, entry?.weight ?? 1.0)
        }

        return try read("read the items of \(week)") { db in
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
                    WHERE item.firstSeen >= :start AND item.firstSeen < :end
                      AND item.id NOT IN (\(carried))
                      AND (item.storyId IS NULL OR item.storyId NOT IN (
                            SELECT item.storyId FROM item WHERE item.storyId IS NOT NULL AND item.id IN (\(carried))))
                      AND item.id NOT IN (\(Self.dismissedItems))
                      AND (item.storyId IS NULL OR item.storyId NOT IN (
                            SELECT item.storyId FROM item WHERE item.storyId IS NOT NULL AND item.id IN (\(Self.dismissedItems))))
                    ORDER BY item.id
                    """,
                arguments: ["start": start, "end": end, "week": week.description])

            let ids = rows.map { $0["id"] as Int64 }
            var topics: [Int64: [TopicScore]] = [:]
            var storySources: [Int64: [(itemID: Int64, name: String)]] = [:]
            if !ids.isEmpty {
                // The same week filter as above, as a subquery: a superset of the candidates
                // (excluded items included), filtered here, rather than 10 000 ids in the SQL.
                let wanted = Set(ids)
                let inWeek = "SELECT id FROM item WHERE firstSeen >= :start AND firstSeen < :end"
                for row in try Row.fetchAll(
                    db, sql: "SELECT itemId, topic, score FROM itemTopic WHERE itemId IN (\(inWeek))",
                    arguments: ["start": start, "end": end])
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
                            SELECT storyId FROM item WHERE firstSeen >= :start AND firstSeen < :end AND storyId IS NOT NULL)
                        """,
                    arguments: ["start": start, "end": end])
                {
                    let name = source(url: row["url"], urlKey: row["urlKey"], title: row["title"]).name
                    storySources[row["storyId"], default: []].append((row["id"], name))
                }
            }

            let candidates = rows.map { row -> DigestCandidate in
                let id: Int64 = row["id"]
                let feed = source(url: row["feedURL"], urlKey: row["urlKey"], title: row["feedTitle"])
                let storyID: Int64? = row["storyId"]
                let alsoIn = storyID.map { story in
                    (storySources[story] ?? []).filter { $0.itemID != id && $0.name != feed.name }.map(\.name)
                } ?? []
                return DigestCandidate(
                    id: id, shortID: String(id), title: row["title"] ?? "", link: row["link"], source: feed.name,
                    sourceWeight: feed.weight, published: row["published"], firstSeen: row["firstSeen"],
                    summary: row["summary"], content: row["content"], topics: topics[id] ?? [],
                    alsoIn: Array(Set(alsoIn)).sorted(), storyID: storyID)
            }

            let enabled = Set(feeds.filter(\.enabled).map(\.url.normalized))
            let failing = try Row.fetchAll(
                db,
                sql: """
                    SELECT url, urlKey, lastError, lastStatus, disabled FROM feed
                    WHERE errorStreak > 0 OR disabled ORDER BY url
                    """
            ).filter { enabled.contains($0["urlKey"]) }.map { row -> FailingSource in
                let status: Int? = row["lastStatus"]
                let error: String = row["lastError"]
                    ?? (row["disabled"] as Bool ? "410 Gone: no longer fetched" : status.map { "HTTP \($0)" } ?? "failed")
                // Fetch errors start with the URL; the digest already shows it beside the error.
                let url: String = row["url"]
                let stripped = error.hasPrefix(url + ": ") ? String(error.dropFirst(url.count + 2)) : error
                return FailingSource(url: url, error: stripped)
            }

            let feedsPolled = try Int.fetchOne(
                db, sql: "SELECT COUNT(DISTINCT feedId) FROM fetchLog WHERE time >= ? AND time < ?",
                arguments: [start, end]) ?? 0
            let itemsSeen = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM item WHERE firstSeen >= ? AND firstSeen < ?", arguments: [start, end]) ?? 0
            let followUps = try Self.followUps(db, before: start, stateAt: end).map { item in
                DigestFollowUp(
                    id: item.itemID, title: item.title ?? "",
                    link: item.link,
                    source: source(
                        url: item.feedURL, urlKey: FeedURL(item.feedURL)?.normalized ?? item.feedURL, title: item.feedTitle
                    ).name,
                    owner: item.owner, note: item.note, since: item.toActSince)
            }
            return DigestInput(
                week: week, candidates: candidates, failingSources: failing,
                counts: DigestCounts(feedsPolled: feedsPolled, itemsSeen: itemsSeen), followUps: followUps)
        }
    }

    /// Records that `week`'s digest was built and carries `itemIDs`: one row per week, whose
    /// items are replaced on each rebuild and whose sent state is kept.
    @discardableResult
    public func recordDigest(week: ISOWeek, format: DigestFormat, itemIDs: [Int64], builtAt: Date) throws -> StoredDigest {
        try write("record the digest of \(week)") { db in
            var record = try DigestRecord.filter(DigestRecord.Columns.week == week.description).order(Column("id"))
                .fetchOne(db)
                ?? DigestRecord(id: nil, week: week.description, format: format.rawValue, builtAt: builtAt, sentAt: nil, sentTo: nil)
            record.format = format.rawValue
            record.builtAt = builtAt
            try record.save(db)
            try db.execute(sql: "DELETE FROM digestItem WHERE digestId = ?", arguments: [record.id!])
            let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO digestItem(digestId, itemId) VALUES (?, ?)")
            for id in itemIDs { try insert.execute(arguments: [record.id!, id]) }
            return try Self.storedDigest(db, week: week)!
        }
    }

    /// Marks `week`'s digest as sent, the first time only: a later resend keeps the first date.
    ///
    /// - Returns: whether this call marked it (false when it was already marked).
    @discardableResult
    public func markDigestSent(week: ISOWeek, at time: Date, to recipients: [String]) throws -> Bool {
        try write("mark the digest of \(week) as sent") { db in
            try db.execute(
                sql: "UPDATE digest SET sentAt = ?, sentTo = ? WHERE week = ? AND sentAt IS NULL",
                arguments: [time, recipients.joined(separator: ", "), week.description])
            return db.changesCount > 0
        }
    }

    /// The stored digest of `week`, if one was built.
    public func storedDigest(week: ISOWeek) throws -> StoredDigest? {
        try read("read the digest of \(week)") { db in try Self.storedDigest(db, week: week) }
    }

    static func storedDigest(_ db: Database, week: ISOWeek) throws -> StoredDigest? {
        guard let record = try DigestRecord.filter(DigestRecord.Columns.week == week.description)
            .order(Column("id")).fetchOne(db)
        else { return nil }
        let ids = try Int64.fetchAll(
            db, sql: "SELECT itemId FROM digestItem WHERE digestId = ? ORDER BY itemId", arguments: [record.id!])
        return StoredDigest(
            week: week, format: record.format, builtAt: record.builtAt, sentAt: record.sentAt, sentTo: record.sentTo,
            itemIDs: ids)
    }

    /// The ids of the items whose latest decision is `sans suite`, as a subquery.
    static let dismissedItems = """
        SELECT last.itemId FROM followChange AS last
        WHERE last.state = 'dismissed' AND last.id = (
            SELECT id FROM followChange WHERE itemId = last.itemId ORDER BY time DESC, id DESC LIMIT 1)
        """

    /// Items first seen before `start` whose state at `end` (changes recorded before it) is
    /// `à exploiter`, with their history cut at `end`.
    static func followUps(_ db: Database, before start: Date, stateAt end: Date) throws -> [FollowedItem] {
        try followedItems(
            db,
            where: """
                item.firstSeen < ? AND item.id IN (SELECT itemId FROM followChange WHERE state = 'to-act' AND time < ?)
                """,
            arguments: [start, end]
        ).compactMap { item in
            var item = item
            item.history.removeAll { $0.time >= end }
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
