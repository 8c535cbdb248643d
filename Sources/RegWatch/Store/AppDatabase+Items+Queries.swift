import Foundation
import GRDB

extension AppDatabase {
    /// Stored items, newest first (publication date, else first seen).
    ///
    /// - Parameters:
    ///   - since: only items dated at or after this instant.
    ///   - topic: only items tagged with this topic.
    ///   - feed: only items of this feed.
    ///   - limit: at most this many; `nil` for all that match.
    public func items(since: Date? = nil, topic: TopicID? = nil, feed: FeedURL? = nil, limit: Int? = nil) throws
        -> [StoredItem]
    {
        let query = Self.itemsQuery(since: since, topic: topic, feed: feed, limit: limit)
        return try read(.readItems) { db in
            try Self.storedItems(db, rows: Row.fetchAll(db, sql: query.sql, arguments: query.arguments))
        }
    }

    /// The statement ``items(since:topic:feed:limit:)`` runs (its plan is tested).
    static func itemsQuery(since: Date?, topic: TopicID?, feed: FeedURL?, limit: Int?) -> (
        sql: String, arguments: StatementArguments
    ) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let since {
            conditions.append("item.sortDate >= ?")
            arguments += [since]
        }
        if let topic {
            // Correlated, so SQLite walks `item_on_sortDate` newest first and probes
            // itemTopic's primary key (itemId, topic) per item, stopping at `limit`; the
            // schema has no index by topic (v12-item-topics-by-item).
            conditions.append(
                "EXISTS (SELECT 1 FROM itemTopic WHERE itemTopic.itemId = item.id AND itemTopic.topic = ?)")
            arguments += [topic.rawValue]
        }
        if let feed {
            conditions.append("feed.urlKey = ?")
            arguments += [feed.normalized]
        }
        var sql = Self.storedItemSelect
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY item.sortDate DESC, item.id DESC"
        if let limit {
            sql += " LIMIT ?"
            arguments += [max(0, limit)]
        }
        return (sql, arguments)
    }

    /// One item by row id, `nil` if there is none.
    public func item(id: Int64) throws -> StoredItem? {
        try read(.readItem(id)) { db in
            try Self.storedItems(
                db, rows: Row.fetchAll(db, sql: Self.storedItemSelect + " WHERE item.id = ?", arguments: [id])
            ).first
        }
    }

    /// The number of stored items.
    public func itemCount() throws -> Int {
        try read(.countItems) { db in try ItemRecord.fetchCount(db) }
    }

    /// Items of the same story as `itemID` (itself included), oldest first.
    public func storyItems(of itemID: Int64) throws -> [StoredItem] {
        try read(.readStory(itemID)) { db in
            try Self.storedItems(
                db,
                rows: Row.fetchAll(
                    db,
                    sql: Self.storedItemSelect
                        + " WHERE item.storyId = (SELECT storyId FROM item WHERE id = ?) ORDER BY item.firstSeen, item.id",
                    arguments: [itemID]))
        }
    }

    /// The rows ``storedItems(_:rows:)`` reads: every item column, its feed's URL and title.
    static let storedItemSelect = """
        SELECT item.*, feed.url AS feedURL, feed.title AS feedTitle
        FROM item JOIN feed ON feed.id = item.feedId
        """

    /// Rows of `item.*` + `feedURL` + `feedTitle` → values, with their topics.
    static func storedItems(_ db: Database, rows: [Row]) throws -> [StoredItem] {
        guard let first = rows.first else { return [] }
        let layout = try ItemRecord.RowLayout(first)
        let records = try rows.map { try ItemRecord(row: $0, layout: layout) }
        var topics: [Int64: [TopicID]] = [:]
        let ids = records.compactMap(\.id)
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ ids[$0..<min($0 + 500, ids.count)] }) {
            // Only the two columns the topics need, in plain SQL: the records' query building and
            // their `matches` (JSON, decoded for every tag) cost more than the read.
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let tagRows = try Row.fetchCursor(
                db, sql: "SELECT itemId, topic FROM itemTopic WHERE itemId IN (\(marks)) ORDER BY score DESC, topic",
                arguments: StatementArguments(Array(chunk)))
            while let tag = try tagRows.next() {
                if let id = TopicID(rawValue: tag["topic"]) { topics[tag["itemId"], default: []].append(id) }
            }
        }
        return zip(rows, records).map { row, record in
            StoredItem(
                id: record.id!, feedURL: row[layout.feedURL], feedTitle: row[layout.feedTitle], guid: record.guid,
                title: record.title, link: record.link, canonicalLink: record.canonicalLink,
                published: record.published, updated: record.updated, firstSeen: record.firstSeen,
                summary: record.summary, content: record.content, authors: record.authors,
                categories: record.categories, topics: topics[record.id!] ?? [], storyID: record.storyId)
        }
    }
}
