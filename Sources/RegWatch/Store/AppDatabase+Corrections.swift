import Foundation
import GRDB

/// A team's corrections of topics (`topicCorrection`): recorded once, applied every time an
/// item's topics are written, so the digest, `items`, `search` and the audit, which read the
/// stored topics, follow them.
extension AppDatabase {
    /// Records a correction of item `itemID` and rewrites its topics: `ruleTags` (what the
    /// current rules find) with every correction of the item applied, this one last.
    ///
    /// - Parameters:
    ///   - ruleTags: the rules' topics for the item, before any correction.
    /// - Returns: the recorded correction; its `reviewedTopics` are the item's topics now.
    /// - Throws: ``StoreError`` (bad input) when no item has that id.
    @discardableResult
    public func recordCorrection(
        itemID: Int64, added: [TopicID], removed: [TopicID], author: String, ruleTags: [TopicMatch],
        at time: Date
    ) throws -> TopicCorrection {
        try write(.recordCorrection(itemID)) { db in
            guard
                try Int64.fetchOne(db, sql: "SELECT id FROM item WHERE id = ?", arguments: [itemID]) != nil
            else {
                throw StoreError(
                    path: path, action: .correctTopics(itemID),
                    message: .noSuchItem,
                    kind: .badInput)
            }
            var overrides = try Self.topicOverrides(db, itemID: itemID)
            overrides.record(added: added, removed: removed)
            let tags = overrides.apply(to: ruleTags)
            try db.cachedStatement(sql: "DELETE FROM itemTopic WHERE itemId = ?").execute(arguments: [
                itemID
            ])
            try Self.insertTags(db, itemID: itemID, tags: tags)
            try db.cachedStatement(sql: "UPDATE item SET taggedAt = ? WHERE id = ?").execute(arguments: [
                StoredDate(time), itemID,
            ])
            let correction = TopicCorrection(
                itemID: itemID, added: added, removed: removed, author: author, time: time,
                reviewedTopics: tags.map(\.id))
            try db.execute(
                sql: """
                    INSERT INTO topicCorrection(itemId, time, author, added, removed, reviewedTopics)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    itemID, StoredDate(time), author, JSONText.array(added.map(\.rawValue)),
                    JSONText.array(removed.map(\.rawValue)),
                    JSONText.array(correction.reviewedTopics.map(\.rawValue)),
                ])
            return correction
        }
    }

    /// The corrections of item `itemID`, oldest first.
    public func corrections(itemID: Int64) throws -> [TopicCorrection] {
        try read(.readCorrections(itemID)) { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM topicCorrection WHERE itemId = ? ORDER BY id", arguments: [itemID]
            ).map(Self.correction)
        }
    }

    /// Every item a team has corrected, with its latest correction (whose `reviewedTopics` is
    /// the reference), in item order.
    public func correctedItems() throws -> [(item: TaggableItem, correction: TopicCorrection)] {
        try read(.readCorrectedItems) { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT topicCorrection.*, item.title, item.summary, item.content, feed.url AS feedURL
                    FROM topicCorrection
                    JOIN item ON item.id = topicCorrection.itemId JOIN feed ON feed.id = item.feedId
                    WHERE topicCorrection.id = (SELECT MAX(latest.id) FROM topicCorrection latest WHERE latest.itemId = item.id)
                    ORDER BY item.id
                    """
            ).map { row in
                (
                    TaggableItem(
                        id: row["itemId"], feedURL: row["feedURL"], title: row["title"],
                        summary: row["summary"],
                        content: row["content"]),
                    Self.correction(row)
                )
            }
        }
    }

    /// One stored item as the tagger reads it, or `nil` when no item has that id.
    public func taggableItem(id: Int64) throws -> TaggableItem? {
        try taggableItems(after: id - 1, limit: 1).first { $0.id == id }
    }

    /// Replaces the topics of many items with the rules' tags and their corrections, in one
    /// transaction (a full retag), and says how many items changed their set of topics.
    public func retag(_ batch: [(itemID: Int64, tags: [TopicMatch])], at time: Date) throws -> Int {
        try write(.storeTags) { db in
            var changed = 0
            let before = try db.cachedStatement(sql: "SELECT topic FROM itemTopic WHERE itemId = ?")
            for (itemID, tags) in batch {
                let old = Set(try String.fetchAll(before, arguments: [itemID]))
                let new = try Self.replaceTags(db, itemID: itemID, tags: tags, at: time)
                if old != Set(new.map(\.id.rawValue)) { changed += 1 }
            }
            return changed
        }
    }

    /// The overrides of every correction of an item (empty when it has none: the usual case,
    /// one indexed lookup).
    static func topicOverrides(_ db: Database, itemID: Int64) throws -> TopicOverrides {
        var overrides = TopicOverrides()
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: "SELECT added, removed FROM topicCorrection WHERE itemId = ? ORDER BY id"),
            arguments: [itemID])
        while let row = try rows.next() {
            overrides.record(added: topicIDs(row["added"]), removed: topicIDs(row["removed"]))
        }
        return overrides
    }

    private static func correction(_ row: Row) -> TopicCorrection {
        TopicCorrection(
            itemID: row["itemId"], added: topicIDs(row["added"]), removed: topicIDs(row["removed"]),
            author: row["author"], time: row["time"], reviewedTopics: topicIDs(row["reviewedTopics"]))
    }

    /// The topic ids of a JSON array column; ids that are not well-formed are skipped.
    private static func topicIDs(_ json: String?) -> [TopicID] {
        guard let data = json?.data(using: .utf8),
            let strings = try? JSONDecoder().decode([String].self, from: data)
        else { return [] }
        return strings.compactMap(TopicID.init(rawValue:))
    }
}
