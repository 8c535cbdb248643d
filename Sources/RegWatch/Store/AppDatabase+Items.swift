import FeedParser
import Foundation
import GRDB

extension AppDatabase {
    /// Stores the entries of one fetch of `feedURL`, in one transaction.
    ///
    /// Each entry is recognised by its identity within the feed (its id, else its canonical link,
    /// else a hash of title and date). A new entry is inserted and given a story; a known entry
    /// whose text is unchanged adds nothing; a known entry whose text changed is updated in place
    /// and its `updated` moves. Entries the feed no longer carries are kept.
    ///
    /// - Parameters:
    ///   - items: the parsed entries, in feed order.
    ///   - feedURL: the configured feed URL (created in the store if new).
    ///   - fetchedAt: when they were fetched: the `firstSeen` of new entries.
    /// - Returns: counts and row ids of inserted and updated entries.
    @discardableResult
    public func upsertItems(_ items: [Item], feedURL: FeedURL, fetchedAt: Date) throws -> UpsertResult {
        try write("store the items of \(feedURL)") { db in
            let feed = try Self.feedRecord(db, feedURL, at: fetchedAt)
            return try Self.upsert(db, items: items, feedID: feed.id!, fetchedAt: fetchedAt)
        }
    }

    /// The row of a feed, inserted on first sight.
    static func feedRecord(_ db: Database, _ url: FeedURL, at time: Date) throws -> FeedRecord {
        if let existing = try FeedRecord.filter(FeedRecord.Columns.urlKey == url.normalized).fetchOne(db) {
            return existing
        }
        var record = FeedRecord(
            id: nil, url: url.rawValue, urlKey: url.normalized, title: nil, etag: nil, lastModified: nil,
            lastFetched: nil, lastStatus: nil, lastError: nil, errorStreak: 0, nextDue: nil, redirectTo: nil,
            disabled: false, firstSeen: time)
        try record.insert(db)
        return record
    }

    /// - Parameter tags: when given, the topics of each entry of `items` (same order), stored
    ///   with the entries it inserts or changes, so they are tagged in the same transaction.
    static func upsert(
        _ db: Database, items: [Item], feedID: Int64, fetchedAt: Date, tags: [[TopicMatch]]? = nil
    ) throws -> UpsertResult {
        let tags = tags?.count == items.count ? tags : nil
        // A feed that repeats an id within one document: the first occurrence wins.
        var seen: Set<String> = []
        let entries = items.enumerated().compactMap { index, item -> (String, Item, Int)? in
            let identity = ItemIdentity.of(item)
            return seen.insert(identity).inserted ? (identity, item, index) : nil
        }
        var existing: [String: ItemRecord] = [:]
        for chunk in stride(from: 0, to: entries.count, by: 500).map({ entries[$0..<min($0 + 500, entries.count)] }) {
            let records = try ItemRecord
                .filter(ItemRecord.Columns.feedId == feedID)
                .filter(chunk.map(\.0).contains(ItemRecord.Columns.identity))
                .fetchAll(db)
            for record in records { existing[record.identity] = record }
        }
        var result = UpsertResult()
        var stories = StoryAssigner(feedID: feedID)
        for (identity, item, index) in entries {
            let hash = ItemIdentity.contentHash(item)
            if var record = existing[identity] {
                guard record.contentHash != hash else { continue }
                let moved = item.updated.flatMap { $0 != record.updated ? $0 : nil } ?? fetchedAt
                record.apply(item, hash: hash)
                record.updated = moved
                record.taggedAt = nil  // changed text: the tagger must read it again
                try record.update(db)
                try StoryAssigner.index(record, in: db, replacing: true)
                if let tags { try replaceTags(db, itemID: record.id!, tags: tags[index], at: fetchedAt) }
                result.updated += 1
                result.updatedIDs.append(record.id!)
            } else {
                var record = ItemRecord(
                    id: nil, feedId: feedID, identity: identity, guid: nil, firstSeen: fetchedAt, published: nil,
                    updated: nil, title: nil, link: nil, canonicalLink: nil, summary: nil, content: nil, authors: [],
                    categories: [], contentHash: hash, sortDate: fetchedAt, taggedAt: nil, storyId: nil, titleKey: nil)
                record.apply(item, hash: hash)
                record.updated = item.updated
                record.storyId = try stories.story(for: record, in: db)
                if tags != nil { record.taggedAt = fetchedAt }
                try record.insert(db)
                try StoryAssigner.index(record, in: db, replacing: false)
                if let tags { try insertTags(db, itemID: record.id!, tags: tags[index]) }
                result.inserted += 1
                result.insertedIDs.append(record.id!)
            }
        }
        return result
    }
}

extension ItemRecord {
    /// Copies what the feed says of the entry (not `firstSeen`, `updated`, story or tags).
    mutating func apply(_ item: Item, hash: String) {
        guid = item.id?.trimmingCharacters(in: .whitespacesAndNewlines)
        published = item.published
        title = item.title
        link = item.link
        canonicalLink = CanonicalLink.canonicalize(item.link)
        summary = item.summary
        content = item.content
        authors = item.authors
        categories = item.categories
        contentHash = hash
        sortDate = item.published ?? firstSeen
        titleKey = StoryKey.normalizedTitle(item.title)
    }
}

/// Finds the story a new item belongs to: the story of an item from another feed with the
/// same canonical link, else with a near-identical title within ``StoryKey/window``; else a
/// new story.
struct StoryAssigner {
    let feedID: Int64
    /// The word sets of the candidates compared so far: the items of one feed meet the same
    /// recent candidates again and again.
    private var candidateWords: [Int64: TitleWords] = [:]

    init(feedID: Int64) { self.feedID = feedID }

    /// Keeps the item's entry in the look-alike word index current.
    static func index(_ item: ItemRecord, in db: Database, replacing: Bool) throws {
        guard let id = item.id else { return }
        if replacing {
            try db.cachedStatement(sql: "DELETE FROM storyWord WHERE itemId = ?").execute(arguments: [id])
        }
        guard let key = item.titleKey else { return }
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO storyWord(itemId, word) VALUES (?, ?)")
        for word in StoryKey.indexWords(key) {
            try insert.execute(arguments: [id, word])
        }
    }

    mutating func story(for item: ItemRecord, in db: Database) throws -> Int64 {
        if let link = item.canonicalLink,
            let id = try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT storyId FROM item
                        WHERE canonicalLink = ? AND feedId <> ? AND storyId IS NOT NULL
                        ORDER BY id LIMIT 1
                        """), arguments: [link, feedID])
        {
            return id
        }
        if let key = item.titleKey, case let words = TitleWords(key), words.count >= StoryKey.minimumWords {
            let from = StoredDate(item.sortDate.addingTimeInterval(-StoryKey.window))
            let to = StoredDate(item.sortDate.addingTimeInterval(StoryKey.window))
            if let id = try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT storyId FROM item
                        WHERE titleKey = ? AND feedId <> ? AND storyId IS NOT NULL AND sortDate BETWEEN ? AND ?
                        ORDER BY id LIMIT 1
                        """), arguments: [key, feedID, from, to])
            {
                return id
            }
            // Look-alike titles: the most recent items indexed under one of this title's index
            // words (a bounded read, whatever the size of the window), compared in full here.
            var candidateIDs: Set<Int64> = []
            for word in StoryKey.indexWords(key) {
                let ids = try Int64.fetchAll(
                    db.cachedStatement(sql: "SELECT itemId FROM storyWord WHERE word = ? ORDER BY itemId DESC LIMIT ?"),
                    arguments: [word, StoryKey.candidatesPerWord])
                candidateIDs.formUnion(ids)
            }
            if !candidateIDs.isEmpty {
                let marks = Array(repeating: "?", count: candidateIDs.count).joined(separator: ", ")
                let rows = try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT id, storyId, titleKey FROM item
                            WHERE id IN (\(marks)) AND feedId <> ? AND storyId IS NOT NULL AND sortDate BETWEEN ? AND ?
                            ORDER BY id
                            """), arguments: StatementArguments(candidateIDs.sorted()) + [feedID, from, to])
                for row in rows {
                    let id: Int64 = row["id"]
                    guard let other: String = row["titleKey"] else { continue }
                    let otherWords = candidateWords[id] ?? TitleWords(other)
                    candidateWords[id] = otherWords
                    if words.isSameStory(as: otherWords, key == other) { return row["storyId"] }
                }
            }
        }
        try db.cachedStatement(sql: "INSERT INTO story(firstSeen) VALUES (?)").execute(arguments: [StoredDate(item.firstSeen)])
        return db.lastInsertedRowID
    }
}
