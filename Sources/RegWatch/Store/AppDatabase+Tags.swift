import Foundation
import GRDB

extension AppDatabase {
    /// Replaces the topics of an item with what the tagger found, and marks it tagged.
    ///
    /// - Parameters:
    ///   - itemID: the item.
    ///   - tags: one per topic (an empty list means: looked at, about none of the topics).
    ///   - at: when it was tagged.
    public func setTags(itemID: Int64, tags: [TopicMatch], at time: Date = Date()) throws {
        try setTags([(itemID, tags)], at: time)
    }

    /// ``setTags(itemID:tags:at:)`` for many items in one transaction (a retag of thousands).
    public func setTags(_ batch: [(itemID: Int64, tags: [TopicMatch])], at time: Date = Date()) throws {
        try write(.storeTags) { db in
            for (itemID, tags) in batch {
                try Self.replaceTags(db, itemID: itemID, tags: tags, at: time)
            }
        }
    }

    /// Replaces an item's topics inside the caller's transaction (a poll stores an item and its
    /// tags together). Cached statements: this runs once per stored item.
    ///
    /// A team's corrections of the item (``recordCorrection(itemID:added:removed:author:ruleTags:at:)``)
    /// override the rules' `tags` here, so every path that writes topics keeps them.
    /// - Returns: the topics written.
    @discardableResult
    static func replaceTags(_ db: Database, itemID: Int64, tags: [TopicMatch], at time: Date) throws -> [TopicMatch] {
        let tags = try topicOverrides(db, itemID: itemID).apply(to: tags)
        try db.cachedStatement(sql: "DELETE FROM itemTopic WHERE itemId = ?").execute(arguments: [itemID])
        try insertTags(db, itemID: itemID, tags: tags)
        try db.cachedStatement(sql: "UPDATE item SET taggedAt = ? WHERE id = ?")
            .execute(arguments: [StoredDate(time), itemID])
        return tags
    }

    /// The topics of an item that has none yet (its `taggedAt` is the caller's to set). A new
    /// item has no corrections, so none are applied here.
    static func insertTags(_ db: Database, itemID: Int64, tags: [TopicMatch]) throws {
        guard !tags.isEmpty else { return }
        let insert = try db.cachedStatement(
            sql: "INSERT INTO itemTopic(itemId, topic, score, matches) VALUES (?, ?, ?, ?)")
        for tag in tags {
            try insert.execute(arguments: [itemID, tag.id.rawValue, tag.score, JSONText.array(tag.matches)])
        }
    }

    /// The topics of an item, best score first.
    public func tags(itemID: Int64) throws -> [TopicMatch] {
        try read(.readTopics(itemID)) { db in
            try ItemTopicRecord
                .filter(ItemTopicRecord.Columns.itemId == itemID)
                .order(ItemTopicRecord.Columns.score.desc, ItemTopicRecord.Columns.topic)
                .fetchAll(db)
                .compactMap { record in
                    TopicID(rawValue: record.topic).map {
                        TopicMatch(id: $0, score: record.score, matches: record.matches)
                    }
                }
        }
    }

    /// Items the tagger has not looked at yet, oldest first.
    public func itemsNeedingTags(limit: Int = 1000) throws -> [TaggableItem] {
        try taggable(where: "item.taggedAt IS NULL", [], limit: limit)
    }

    /// Every item with a row id above `afterID`, in id order: page through the whole store for
    /// a retag (`afterID` = the last id of the previous page, 0 to start).
    public func taggableItems(after afterID: Int64, limit: Int = 1000) throws -> [TaggableItem] {
        try taggable(where: "item.id > ?", [afterID], limit: limit)
    }

    private func taggable(where condition: String, _ arguments: StatementArguments, limit: Int) throws
        -> [TaggableItem]
    {
        try read(.readItemsToTag) { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT item.id, item.title, item.summary, item.content, feed.url AS feedURL
                    FROM item JOIN feed ON feed.id = item.feedId
                    WHERE \(condition) ORDER BY item.id LIMIT ?
                    """, arguments: arguments + [limit]
            ).map {
                TaggableItem(
                    id: $0["id"], feedURL: $0["feedURL"], title: $0["title"], summary: $0["summary"],
                    content: $0["content"])
            }
        }
    }
}
