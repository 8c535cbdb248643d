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
        try write(.storeItems(feedURL)) { db in
            let feed = try Self.feedRecord(db, feedURL, at: fetchedAt)
            return try Self.upsert(
                db, entries: PreparedFeed.entries(items, tags: nil), feedID: feed.id!, fetchedAt: fetchedAt)
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

    /// Stores prepared entries (see ``PreparedFeed``); an entry carrying tags is tagged in the
    /// same transaction.
    static func upsert(_ db: Database, entries: [PreparedItem], feedID: Int64, fetchedAt: Date) throws -> UpsertResult {
        var existing: [String: ItemRecord] = [:]
        for chunk in stride(from: 0, to: entries.count, by: 500).map({ entries[$0..<min($0 + 500, entries.count)] }) {
            let records =
                try ItemRecord
                .filter(ItemRecord.Columns.feedId == feedID)
                .filter(chunk.map(\.identity).contains(ItemRecord.Columns.identity))
                .fetchAll(db)
            for record in records { existing[record.identity] = record }
        }
        var result = UpsertResult()
        var stories = StoryAssigner(feedID: feedID)
        for entry in entries {
            let item = entry.item
            if var record = existing[entry.identity] {
                guard record.contentHash != entry.contentHash else { continue }
                let moved = item.updated.flatMap { $0 != record.updated ? $0 : nil } ?? fetchedAt
                record.apply(entry)
                record.updated = moved
                record.taggedAt = nil  // changed text: the tagger must read it again
                try record.update(db)
                try stories.index(record, entry: entry, in: db, replacing: true)
                if let tags = entry.tags { try replaceTags(db, itemID: record.id!, tags: tags, at: fetchedAt) }
                result.updated += 1
                result.updatedIDs.append(record.id!)
            } else {
                var record = ItemRecord(
                    id: nil, feedId: feedID, identity: entry.identity, guid: nil, firstSeen: fetchedAt, published: nil,
                    updated: nil, title: nil, link: nil, canonicalLink: nil, summary: nil, content: nil, authors: [],
                    categories: [], contentHash: entry.contentHash, sortDate: fetchedAt, taggedAt: nil, storyId: nil,
                    titleKey: nil)
                record.apply(entry)
                record.updated = item.updated
                record.storyId = try stories.story(for: record, entry: entry, in: db)
                if entry.tags != nil { record.taggedAt = fetchedAt }
                try record.insertNew(db)
                try stories.index(record, entry: entry, in: db, replacing: false)
                if let tags = entry.tags { try insertTags(db, itemID: record.id!, tags: tags) }
                result.inserted += 1
                result.insertedIDs.append(record.id!)
            }
        }
        try indexForSearch(db, newItems: result.insertedIDs)
        return result
    }

    /// Adds newly inserted items to the full-text index, in one statement (see migration v6).
    static func indexForSearch(_ db: Database, newItems ids: [Int64]) throws {
        guard let first = ids.min(), let last = ids.max() else { return }
        // Ids are handed out in order within this write transaction, and nothing else writes
        // during it: every item between the first and the last new id is one of these.
        try db.cachedStatement(
            sql: """
                INSERT INTO itemFTS(rowid, title, summary, content)
                SELECT id, title, summary, content FROM item WHERE id BETWEEN ? AND ?
                """
        ).execute(arguments: [first, last])
    }
}

/// One feed entry made ready for the store: everything storing it computes from the entry
/// alone (identity, content hash, canonical link, title key and its words), so that this
/// work runs in the fetch's task, on any core, and the single writer only writes.
struct PreparedItem: Sendable {
    let item: Item
    let identity: String
    let contentHash: String
    let canonicalLink: String?
    let titleKey: String?
    /// The title's words for look-alike matching (``TitleWords``).
    let titleWords: TitleWords?
    /// The words the title is indexed under (``StoryKey/indexWords(_:)``).
    let indexWords: [String]
    /// The entry's topics, when the poller tagged it.
    let tags: [TopicMatch]?

    init(_ item: Item, identity: String, tags: [TopicMatch]?) {
        self.item = item
        self.identity = identity
        self.contentHash = StableHash.content(of: item)
        self.canonicalLink = CanonicalLink.canonicalize(item.link)
        let titleKey = StoryKey.normalizedTitle(item.title)
        self.titleKey = titleKey
        self.titleWords = titleKey.map(TitleWords.init)
        self.indexWords = titleKey.map(StoryKey.indexWords) ?? []
        self.tags = tags
    }
}

/// A fetched feed made ready for ``AppDatabase/recordFetchSuccess(_:feed:report:)``: its
/// entries' identities, hashes, canonical links and title keys computed outside the store's
/// write transaction (the poller does it in each fetch's own task).
public struct PreparedFeed: Sendable {
    /// The feed as parsed.
    public let feed: Feed
    let entries: [PreparedItem]

    /// Prepares `feed`'s entries.
    ///
    /// - Parameter tags: the topics of each entry of `feed.items` (same order), stored with
    ///   the entries that are new or changed; without it they wait for the tagger
    ///   (``AppDatabase/itemsNeedingTags(limit:)``).
    public init(_ feed: Feed, tags: [[TopicMatch]]? = nil) {
        self.feed = feed
        self.entries = Self.entries(feed.items, tags: tags)
    }

    /// The entries of `items`, each identity once: a feed that repeats an id within one
    /// document is stored with its first occurrence.
    static func entries(_ items: [Item], tags: [[TopicMatch]]?) -> [PreparedItem] {
        let tags = tags?.count == items.count ? tags : nil
        var seen: Set<String> = []
        return items.enumerated().compactMap { index, item in
            let identity = item.identity
            guard seen.insert(identity).inserted else { return nil }
            return PreparedItem(item, identity: identity, tags: tags?[index])
        }
    }
}

extension ItemRecord {
    /// Copies what the feed says of the entry (not `firstSeen`, `updated`, story or tags).
    mutating func apply(_ entry: PreparedItem) {
        let item = entry.item
        guid = item.id?.trimmingCharacters(in: .whitespacesAndNewlines)
        published = item.published
        title = item.title
        link = item.link
        canonicalLink = entry.canonicalLink
        summary = item.summary
        content = item.content
        authors = item.authors
        categories = item.categories
        contentHash = entry.contentHash
        sortDate = item.published ?? firstSeen
        titleKey = entry.titleKey
    }
}

/// Finds the story a new item belongs to: the story of an item from another feed with the
/// same canonical link, else with a near-identical title within ``StoryKey/window``; else a
/// new story.
///
/// Look-alike titles are found through `storyCandidate` (schema v10): each title's index
/// words (``StoryKey/indexWords(_:)``), each row carrying what the comparison needs of its
/// item (feed, story, date, title words), so that finding a title's candidates reads a few
/// narrow rows of one index and never the items themselves.
///
/// One assigner serves one fetch's transaction, and keeps what it read of the index for the
/// next entries: the entries of one feed share title words ("Décret", the feed's own
/// vocabulary).
struct StoryAssigner {
    let feedID: Int64
    /// For each index word read so far, its ``StoryKey/candidatesPerWord`` most recent entries
    /// in `storyCandidate` (newest first), as the index holds them now: entries this
    /// transaction adds are put in front (see ``index(_:entry:in:replacing:)``).
    private var recentByWord: [String: [Candidate]] = [:]

    /// An entry of the look-alike index: an item indexed under a word, with its feed, story,
    /// date and title words as the item row holds them.
    private struct Candidate {
        let id: Int64
        let feedID: Int64
        let storyID: Int64?
        /// As stored: the window is compared as SQLite compares text (byte order).
        let sortDate: String
        let words: TitleWords
    }

    init(feedID: Int64) { self.feedID = feedID }

    /// Keeps the item's entries in the look-alike index current (its story, date and title
    /// words are copied there: `item` and `storyCandidate` are written together, here).
    mutating func index(_ item: ItemRecord, entry: PreparedItem, in db: Database, replacing: Bool) throws {
        let id = item.id!
        if replacing {
            try db.cachedStatement(sql: "DELETE FROM storyCandidate WHERE itemId = ?").execute(arguments: [id])
            // The item leaves the lists it was in and comes back at its old place: read again.
            recentByWord.removeAll()
        }
        guard !entry.indexWords.isEmpty, let words = entry.titleWords else { return }
        let insert = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO storyCandidate(word, itemId, feedId, storyId, sortDate, words)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
        let sortDate = StoredDate(item.sortDate).databaseValue
        let blob = words.databaseValue
        // A new item has the largest id yet (AUTOINCREMENT): first in each of its words' lists.
        let newest =
            replacing
            ? nil
            : String.fromDatabaseValue(sortDate).map {
                Candidate(id: id, feedID: feedID, storyID: item.storyId, sortDate: $0, words: words)
            }
        for word in entry.indexWords {
            try insert.execute(arguments: [word, id, item.feedId, item.storyId, sortDate, blob])
            // Changed in place: a copy of the list taken out would be copied again on write.
            guard let newest, recentByWord[word] != nil else { continue }
            recentByWord[word]?.insert(newest, at: 0)
            if let count = recentByWord[word]?.count, count > StoryKey.candidatesPerWord {
                recentByWord[word]?.removeLast()
            }
        }
    }

    mutating func story(for item: ItemRecord, entry: PreparedItem, in db: Database) throws -> Int64 {
        let groupable = (entry.titleWords?.count ?? 0) >= StoryKey.minimumWords ? item.titleKey : nil
        let from = StoredDate(item.sortDate.addingTimeInterval(-StoryKey.window))
        let to = StoredDate(item.sortDate.addingTimeInterval(StoryKey.window))
        // Same canonical link first, else the same title within the window: one query.
        if item.canonicalLink != nil || groupable != nil,
            let id = try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT storyId FROM item
                        WHERE feedId <> ? AND storyId IS NOT NULL
                          AND (canonicalLink = ? OR (titleKey = ? AND sortDate BETWEEN ? AND ?))
                        ORDER BY (canonicalLink = ?) DESC, id LIMIT 1
                        """), arguments: [feedID, item.canonicalLink, groupable, from, to, item.canonicalLink])
        {
            return id
        }
        // Look-alike titles: the most recent items indexed under each of this title's index
        // words (a bounded read, whatever the size of the window), from another feed, with a
        // story, within the window, compared in full here, oldest first. (Two equal titles have
        // equal word sets: comparing the sets is comparing the titles.)
        if groupable != nil, let words = entry.titleWords, !entry.indexWords.isEmpty,
            let fromText = String.fromDatabaseValue(from.databaseValue),
            let toText = String.fromDatabaseValue(to.databaseValue)
        {
            // Each word's list is newest first: merged from their ends, oldest first, each once.
            var lists: [[Candidate]] = []
            for word in entry.indexWords { lists.append(try recentCandidates(word, in: db)) }
            var ends = lists.map(\.count)
            while true {
                var oldest: Candidate?
                for list in lists.indices where ends[list] > 0 {
                    let candidate = lists[list][ends[list] - 1]
                    if candidate.id < oldest?.id ?? .max { oldest = candidate }
                }
                guard let candidate = oldest else { break }
                for list in lists.indices where ends[list] > 0 && lists[list][ends[list] - 1].id == candidate.id {
                    ends[list] -= 1
                }
                guard let storyID = candidate.storyID, candidate.feedID != feedID,
                    !candidate.sortDate.utf8.lexicographicallyPrecedes(fromText.utf8),
                    !toText.utf8.lexicographicallyPrecedes(candidate.sortDate.utf8)
                else { continue }
                if words.isSameStory(as: candidate.words, false) { return storyID }
            }
        }
        try db.cachedStatement(sql: "INSERT INTO story(firstSeen) VALUES (?)").execute(arguments: [
            StoredDate(item.firstSeen)
        ])
        return db.lastInsertedRowID
    }

    /// The ``StoryKey/candidatesPerWord`` most recent entries of `word` in the look-alike
    /// index, newest first: read once per transaction, then kept current by ``index(_:entry:in:replacing:)``.
    private mutating func recentCandidates(_ word: String, in db: Database) throws -> [Candidate] {
        if let recent = recentByWord[word] { return recent }
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT itemId, feedId, storyId, sortDate, words FROM storyCandidate
                    WHERE word = ? ORDER BY itemId DESC LIMIT ?
                    """), arguments: [word, StoryKey.candidatesPerWord])
        var recent: [Candidate] = []
        recent.reserveCapacity(StoryKey.candidatesPerWord)
        while let row = try rows.next() {
            recent.append(
                Candidate(
                    id: row[0], feedID: row[1], storyID: row[2], sortDate: row[3],
                    words: TitleWords(storedHashes: row.dataNoCopy(atIndex: 4))))
        }
        recentByWord[word] = recent
        return recent
    }
}
