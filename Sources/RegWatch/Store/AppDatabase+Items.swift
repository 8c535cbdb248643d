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
        if let existing = try FeedRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM feed WHERE urlKey = ? LIMIT 1"), arguments: [url.normalized])
        {
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
        var result = UpsertResult()
        guard !entries.isEmpty else { return result }
        let known = try WriteStatement(db, "SELECT id, contentHash FROM item WHERE feedId = ? AND identity = ?")
        let insert = try WriteStatement(
            db,
            """
            INSERT INTO item (feedId, identity, guid, firstSeen, published, updated, title, link, canonicalLink,
                summary, content, authors, categories, contentHash, sortDate, taggedAt, storyId, titleKey)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertTag = try WriteStatement(
            db, "INSERT INTO itemTopic(itemId, topic, score, matches) VALUES (?, ?, ?, ?)")
        // What every new entry of this fetch shares: when it was first seen (and the date of
        // an undated entry).
        let fetched = EntryDates(sortDate: fetchedAt)
        let stories = try StoryAssigner(db, feedID: feedID, firstSeen: fetched.sortDate)
        for entry in entries {
            let item = entry.item
            known.bind(1, feedID)
            known.bind(2, entry.identity)
            var existing: (id: Int64, contentHash: String?)?
            try known.forEachRow { existing = ($0.int64(0), $0.text(1)) }
            if let existing {
                // A digest stored in the legacy format is compared through the legacy function.
                if StableHash.isUnchanged(item, digest: entry.contentHash, stored: existing.contentHash) { continue }
                var record = try ItemRecord.fetchOne(db, key: existing.id)!
                let moved = item.updated.flatMap { $0 != record.updated ? $0 : nil } ?? fetchedAt
                record.apply(entry)
                record.updated = moved
                record.taggedAt = nil  // changed text: the tagger must read it again
                try record.update(db)
                try stories.reindex(
                    itemID: existing.id, storyID: record.storyId, sortDate: StoredDate(record.sortDate).databaseValue,
                    entry: entry)
                if let tags = entry.tags { try replaceTags(db, itemID: existing.id, tags: tags, at: fetchedAt) }
                result.updated += 1
                result.updatedIDs.append(existing.id)
            } else {
                let dates = entry.dates ?? fetched
                let storyID = try stories.story(for: entry, dates: dates)
                insert.bind(1, feedID)
                insert.bind(2, entry.identity)
                insert.bind(3, entry.guid)
                insert.bind(4, fetched.sortDate)  // firstSeen
                insert.bind(5, entry.dates?.sortDate ?? .null)  // published
                insert.bind(6, entry.updated)
                insert.bind(7, item.title)
                insert.bind(8, item.link)
                insert.bind(9, entry.canonicalLink)
                insert.bind(10, item.summary)
                insert.bind(11, item.content)
                insert.bind(12, entry.authors)
                insert.bind(13, entry.categories)
                insert.bind(14, entry.contentHash)
                insert.bind(15, dates.sortDate)
                insert.bind(16, entry.tags == nil ? .null : fetched.sortDate)  // taggedAt
                insert.bind(17, storyID)
                insert.bind(18, entry.titleKey)
                try insert.execute()
                let id = db.lastInsertedRowID
                try stories.index(newItemID: id, storyID: storyID, dates: dates, entry: entry)
                if let tags = entry.tags {
                    // A new item has no corrections (``insertTags(_:itemID:tags:)``).
                    for (tag, matches) in zip(tags, entry.tagMatches) {
                        insertTag.bind(1, id)
                        insertTag.bind(2, tag.id.rawValue)
                        insertTag.bind(3, tag.score)
                        insertTag.bind(4, matches)
                        try insertTag.execute()
                    }
                }
                result.inserted += 1
                result.insertedIDs.append(id)
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
/// alone (identity, content hash, canonical link, title key and its words, the column values
/// as the store writes them), so that this work runs in the fetch's task, on any core, and the
/// single writer only writes.
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
    /// The `guid` column: the entry's id, trimmed.
    let guid: String?
    /// The `updated` column of a new entry, as stored.
    let updated: DatabaseValue
    /// The `authors` and `categories` columns (JSON).
    let authors: String
    let categories: String
    /// The `matches` column of each of `tags`, same order.
    let tagMatches: [String]
    /// The stored publication date and its story window; `nil` for an undated entry (its date
    /// is when it was first seen).
    let dates: EntryDates?
    /// `titleWords` as `storyCandidate.words` stores them.
    let storedWords: [UInt8]

    init(_ item: Item, identity: String, tags: [TopicMatch]?) {
        self.item = item
        self.identity = identity
        self.contentHash = StableHash.content(of: item)
        self.canonicalLink = CanonicalLink.canonicalize(item.link)
        let titleKey = StoryKey.normalizedTitle(item.title)
        self.titleKey = titleKey
        let words = titleKey.map(StoryKey.titleWordsAndIndexWords)
        let titleWords = words?.titleWords
        self.titleWords = titleWords
        self.indexWords = words?.indexWords ?? []
        self.tags = tags
        self.guid = item.id.map(Self.trimmed)
        self.updated = item.updated.map { StoredDate($0).databaseValue } ?? .null
        self.authors = JSONText.array(item.authors)
        self.categories = JSONText.array(item.categories)
        self.tagMatches = tags?.map { JSONText.array($0.matches) } ?? []
        self.dates = item.published.map(EntryDates.init(sortDate:))
        self.storedWords = titleWords?.storedBytes ?? []
    }
}

extension PreparedItem {
    /// The title key when the title is long enough to group with another (``StoryKey/minimumWords``).
    var groupableTitle: String? {
        (titleWords?.count ?? 0) >= StoryKey.minimumWords ? titleKey : nil
    }

    /// `text` without the white space and newlines around it. Most ids have none: when the
    /// first and last characters are visible ASCII, the text is returned as it is, without
    /// Foundation's scan (issue #19).
    static func trimmed(_ text: String) -> String {
        if let first = text.utf8.first, let last = text.utf8.last, (0x21..<0x7F).contains(first),
            (0x21..<0x7F).contains(last)
        {
            return text
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// An entry's date as the store writes it (`sortDate`, and `published` when it has one) and
/// the window in which its look-alikes are looked for (``StoryKey/window``), as compared.
struct EntryDates: Sendable {
    let sortDate: DatabaseValue
    let windowStart: DatabaseValue
    let windowEnd: DatabaseValue
    /// `sortDate`, `windowStart` and `windowEnd` as look-alike candidates' dates are compared
    /// (`nil` for a date GRDB stores as another value than text): made once here, in the
    /// fetch's task, not for each new item in the store's transaction (issue #19).
    let sortDateText: StoredDateText?
    let windowStartText: StoredDateText?
    let windowEndText: StoredDateText?

    init(sortDate date: Date) {
        sortDate = StoredDate(date).databaseValue
        windowStart = StoredDate(date.addingTimeInterval(-StoryKey.window)).databaseValue
        windowEnd = StoredDate(date.addingTimeInterval(StoryKey.window)).databaseValue
        sortDateText = String.fromDatabaseValue(sortDate).map(StoredDateText.init)
        windowStartText = String.fromDatabaseValue(windowStart).map(StoredDateText.init)
        windowEndText = String.fromDatabaseValue(windowEnd).map(StoredDateText.init)
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
        guid = entry.guid
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
final class StoryAssigner {
    let feedID: Int64
    /// For each index word read so far, its ``StoryKey/candidatesPerWord`` most recent entries
    /// in `storyCandidate` (newest first), as the index holds them now: entries this
    /// transaction adds are put in front (see ``index(newItemID:storyID:dates:entry:)``).
    private var recentByWord: [String: [Candidate]] = [:]
    /// The title words of every candidate read or added, one after another: a candidate holds
    /// where its own are, so that reading one allocates nothing (issue #19).
    private var wordPool: [UInt64] = []
    private let sameLink: WriteStatement
    private let sameTitle: WriteStatement
    private let newStory: WriteStatement
    private let candidates: WriteStatement
    private let insertCandidate: WriteStatement
    private let removeCandidates: WriteStatement
    private let firstSeen: DatabaseValue

    /// An entry of the look-alike index: an item indexed under a word, with its feed, story,
    /// date and title words as the item row holds them.
    private struct Candidate {
        let id: Int64
        let feedID: Int64
        let storyID: Int64?
        /// As stored: the window is compared as SQLite compares text (byte order).
        let sortDate: StoredDateText?
        /// Where its title words (``TitleWords/hashes``) are in `wordPool`.
        let words: Range<Int>

        /// Whether its date is within `from`…`to` (as SQLite's `BETWEEN` compares text).
        func isDated(from: StoredDateText, to: StoredDateText) -> Bool {
            guard let sortDate else { return false }
            return !(sortDate < from) && !(to < sortDate)
        }
    }

    /// An assigner for the entries of `feedID` stored in `db`'s current transaction; the
    /// stories it creates are first seen at `firstSeen`.
    init(_ db: Database, feedID: Int64, firstSeen: DatabaseValue) throws {
        self.feedID = feedID
        self.firstSeen = firstSeen
        // Two lookups, each one index's range in id order (an index's entries for one value are
        // in rowid order): one query with an OR over both indexes merged their rows and sorted
        // them in a temporary B-tree, for every new item (issue #19).
        sameLink = try WriteStatement(
            db,
            """
            SELECT storyId FROM item
            WHERE canonicalLink = ?1 AND feedId <> ?2 AND storyId IS NOT NULL
            ORDER BY id LIMIT 1
            """)
        sameTitle = try WriteStatement(
            db,
            """
            SELECT storyId, canonicalLink IS NULL FROM item
            WHERE titleKey = ?1 AND sortDate BETWEEN ?2 AND ?3 AND feedId <> ?4 AND storyId IS NOT NULL
            ORDER BY id
            """)
        newStory = try WriteStatement(db, "INSERT INTO story(firstSeen) VALUES (?)")
        candidates = try WriteStatement(
            db,
            """
            SELECT itemId, feedId, storyId, sortDate, words FROM storyCandidate
            WHERE word = ? ORDER BY itemId DESC LIMIT \(StoryKey.candidatesPerWord)
            """)
        insertCandidate = try WriteStatement(
            db,
            """
            INSERT OR IGNORE INTO storyCandidate(word, itemId, feedId, storyId, sortDate, words)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        removeCandidates = try WriteStatement(db, "DELETE FROM storyCandidate WHERE itemId = ?")
    }

    /// Indexes a new item of this feed in the look-alike index (its story, date and title
    /// words are copied there: `item` and `storyCandidate` are written together, here).
    func index(newItemID id: Int64, storyID: Int64, dates: EntryDates, entry: PreparedItem) throws {
        guard !entry.indexWords.isEmpty, let words = entry.titleWords else { return }
        // A new item has the largest id yet (AUTOINCREMENT): first in each of its words' lists.
        let start = wordPool.count
        wordPool.append(contentsOf: words.hashes)
        let newest = Candidate(
            id: id, feedID: feedID, storyID: storyID, sortDate: dates.sortDateText, words: start..<wordPool.count)
        for word in entry.indexWords {
            try addCandidate(word: word, itemID: id, storyID: storyID, sortDate: dates.sortDate, entry: entry)
            // Changed in place, found once: a copy of the list taken out would be copied again
            // on write.
            guard let list = recentByWord.index(forKey: word) else { continue }
            recentByWord.values[list].insert(newest, at: 0)
            if recentByWord.values[list].count > StoryKey.candidatesPerWord {
                recentByWord.values[list].removeLast()
            }
        }
    }

    /// Indexes a known item whose text changed again, under its new title's words.
    func reindex(itemID id: Int64, storyID: Int64?, sortDate: DatabaseValue, entry: PreparedItem) throws {
        removeCandidates.bind(1, id)
        try removeCandidates.execute()
        // The item leaves the lists it was in and comes back at its old place: read again.
        recentByWord.removeAll()
        guard !entry.indexWords.isEmpty, entry.titleWords != nil else { return }
        for word in entry.indexWords {
            try addCandidate(word: word, itemID: id, storyID: storyID, sortDate: sortDate, entry: entry)
        }
    }

    private func addCandidate(
        word: String, itemID id: Int64, storyID: Int64?, sortDate: DatabaseValue, entry: PreparedItem
    ) throws {
        insertCandidate.bind(1, word)
        insertCandidate.bind(2, id)
        insertCandidate.bind(3, feedID)
        insertCandidate.bind(4, storyID)
        insertCandidate.bind(5, sortDate)
        insertCandidate.bind(6, blob: entry.storedWords)
        try insertCandidate.execute()
    }

    /// The story of a new entry of this feed, dated `dates`: an existing one, or a new one.
    func story(for entry: PreparedItem, dates: EntryDates) throws -> Int64 {
        let groupable = entry.groupableTitle
        if let found = try sameLinkOrTitleStory(for: entry, dates: dates) { return found }
        // Look-alike titles: the most recent items indexed under each of this title's index
        // words (a bounded read, whatever the size of the window), from another feed, with a
        // story, within the window, compared in full here, oldest first. (Two equal titles have
        // equal word sets: comparing the sets is comparing the titles.)
        if groupable != nil, let words = entry.titleWords, !entry.indexWords.isEmpty,
            let fromText = dates.windowStartText, let toText = dates.windowEndText
        {
            // Each word's list is newest first: merged from their ends, oldest first, each once.
            // The candidates are read where they are, by list and place: a copy of each (its
            // date may hold an array) cost a retain and a release (issue #19).
            var lists: [[Candidate]] = []
            lists.reserveCapacity(entry.indexWords.count)
            for word in entry.indexWords { lists.append(try recentCandidates(word)) }
            var ends = lists.map { $0.count }
            while true {
                var oldestList = -1
                var oldestID = Int64.max
                for list in lists.indices where ends[list] > 0 {
                    let id = lists[list][ends[list] - 1].id
                    if id < oldestID {
                        oldestID = id
                        oldestList = list
                    }
                }
                guard oldestList >= 0 else { break }
                let place = ends[oldestList] - 1
                for list in lists.indices where ends[list] > 0 && lists[list][ends[list] - 1].id == oldestID {
                    ends[list] -= 1
                }
                if lists[oldestList][place].feedID == feedID { continue }
                guard let storyID = lists[oldestList][place].storyID,
                    lists[oldestList][place].isDated(from: fromText, to: toText)
                else { continue }
                if words.isSameStory(asHashes: wordPool[lists[oldestList][place].words], false) { return storyID }
            }
        }
        newStory.bind(1, firstSeen)
        try newStory.execute()
        return newStory.lastInsertedRowID
    }

    /// The story of the oldest item of another feed with `entry`'s canonical link, else of the
    /// oldest with its title (when long enough to group) within the window; `nil` for none. A
    /// side without a value cannot match and is not asked.
    func sameLinkOrTitleStory(for entry: PreparedItem, dates: EntryDates) throws -> Int64? {
        if let link = entry.canonicalLink {
            sameLink.bind(1, link)
            sameLink.bind(2, feedID)
            var found: Int64?
            try sameLink.forEachRow { found = $0.optionalInt64(0) }
            if let found { return found }
        }
        guard let groupable = entry.groupableTitle else { return nil }
        // The one query ordered its rows by `canonicalLink = link DESC`: for an entry with a
        // link, a title match with another link (0) came before one without (NULL). Kept so.
        sameTitle.bind(1, groupable)
        sameTitle.bind(2, dates.windowStart)
        sameTitle.bind(3, dates.windowEnd)
        sameTitle.bind(4, feedID)
        var oldest: Int64?
        var oldestWithLink: Int64?
        try sameTitle.forEachRow { row in
            oldest = oldest ?? row.optionalInt64(0)
            if oldestWithLink == nil, row.int64(1) == 0 { oldestWithLink = row.optionalInt64(0) }
        }
        return entry.canonicalLink != nil ? oldestWithLink ?? oldest : oldest
    }

    /// The ``StoryKey/candidatesPerWord`` most recent entries of `word` in the look-alike
    /// index, newest first: read once per transaction, then kept current by ``index(newItemID:storyID:dates:entry:)``.
    private func recentCandidates(_ word: String) throws -> [Candidate] {
        if let recent = recentByWord[word] { return recent }
        var recent: [Candidate] = []
        recent.reserveCapacity(StoryKey.candidatesPerWord)
        candidates.bind(1, word)
        try candidates.forEachRow { row in
            let start = wordPool.count
            row.withBlob(4) { bytes in
                for offset in stride(from: 0, to: bytes.count - 7, by: 8) {
                    wordPool.append(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                }
            }
            recent.append(
                Candidate(
                    id: row.int64(0), feedID: row.int64(1), storyID: row.optionalInt64(2),
                    sortDate: row.withText(3, StoredDateText.init(bytes:)), words: start..<wordPool.count))
        }
        recentByWord[word] = recent
        return recent
    }
}

/// A stored date's text (`sortDate`, a window's bound), ordered as SQLite orders text (by
/// bytes). The dates regwatch writes (23 bytes) are held in three words, without the string
/// each candidate's date cost to read (issue #19); a longer text, or one with a NUL byte,
/// is kept as it is.
enum StoredDateText: Comparable {
    /// Up to 24 bytes, big-endian, zero-padded: ordered as the bytes are.
    case packed(UInt64, UInt64, UInt64)
    case text([UInt8])

    init(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= 24, !bytes.contains(0) else {
            self = .text(Array(bytes))
            return
        }
        // The bytes copied into three zeroed words (a tuple of one type is laid out contiguously),
        // each read big-endian: a byte at a time cost 10 instructions a byte, for about 940 000
        // candidates' dates per cold poll (issue #19).
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
        self = .packed(UInt64(bigEndian: words.0), UInt64(bigEndian: words.1), UInt64(bigEndian: words.2))
    }

    init(_ text: String) {
        var text = text
        self = text.withUTF8(Self.init(bytes:))
    }

    /// The text's bytes.
    private var bytes: [UInt8] {
        switch self {
        case .text(let bytes): return bytes
        case .packed(let high, let middle, let low):
            var bytes: [UInt8] = []
            for word in [high, middle, low] {
                for index in 0..<8 {
                    let byte = UInt8(truncatingIfNeeded: word >> UInt64(56 - 8 * index))
                    if byte == 0 { return bytes }
                    bytes.append(byte)
                }
            }
            return bytes
        }
    }

    static func < (left: StoredDateText, right: StoredDateText) -> Bool {
        if case .packed(let a0, let a1, let a2) = left, case .packed(let b0, let b1, let b2) = right {
            return (a0, a1, a2) < (b0, b1, b2)
        }
        return left.bytes.lexicographicallyPrecedes(right.bytes)
    }
}
