import Foundation
import GRDB

// One Codable record per table. Internal: other modules see the values of StoreValues.swift,
// and only AppDatabase extensions read or write these.

/// A row of `feed`: the state of one feed across polls.
struct FeedRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "feed"
    var id: Int64?
    var url: String
    var urlKey: String
    var title: String?
    var etag: String?
    var lastModified: String?
    var lastFetched: Date?
    var lastStatus: Int?
    var lastError: String?
    /// ``FeedProblem`` raw value (schema v7): what a 200 that failed held.
    var lastProblem: String?
    var errorStreak: Int
    var nextDue: Date?
    var redirectTo: String?
    var disabled: Bool
    var firstSeen: Date

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let url = Column(CodingKeys.url)
        static let urlKey = Column(CodingKeys.urlKey)
        static let title = Column(CodingKeys.title)
        static let nextDue = Column(CodingKeys.nextDue)
        static let disabled = Column(CodingKeys.disabled)
        /// What recording a fetch may change. Not `url`, `urlKey` nor `firstSeen`: a column
        /// named in an UPDATE rewrites its index entries even when its value is the same (the
        /// `urlKey` unique index: one more page per fetch).
        static let fetchState = [
            title, Column(CodingKeys.etag), Column(CodingKeys.lastModified), Column(CodingKeys.lastFetched),
            Column(CodingKeys.lastStatus), Column(CodingKeys.lastError), Column(CodingKeys.lastProblem),
            Column(CodingKeys.errorStreak), nextDue, Column(CodingKeys.redirectTo), disabled,
        ]
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A row of `item`: one entry of one feed, kept forever.
struct ItemRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "item"
    var id: Int64?
    var feedId: Int64
    var identity: String
    var guid: String?
    var firstSeen: Date
    var published: Date?
    var updated: Date?
    var title: String?
    var link: String?
    var canonicalLink: String?
    var summary: String?
    var content: String?
    var authors: [String]
    var categories: [String]
    var contentHash: String
    var sortDate: Date
    var taggedAt: Date?
    var storyId: Int64?
    var titleKey: String?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let feedId = Column(CodingKeys.feedId)
        static let identity = Column(CodingKeys.identity)
        static let canonicalLink = Column(CodingKeys.canonicalLink)
        static let sortDate = Column(CodingKeys.sortDate)
        static let taggedAt = Column(CodingKeys.taggedAt)
        static let storyId = Column(CodingKeys.storyId)
        static let titleKey = Column(CodingKeys.titleKey)
        static let firstSeen = Column(CodingKeys.firstSeen)
    }

    /// Written by hand rather than through `Codable`: every stored item goes through here, and
    /// GRDB's generic record encoder was a tenth of a cold poll. Same columns, same values.
    func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["feedId"] = feedId
        container["identity"] = identity
        container["guid"] = guid
        container["firstSeen"] = StoredDate(firstSeen)
        container["published"] = published.map(StoredDate.init)
        container["updated"] = updated.map(StoredDate.init)
        container["title"] = title
        container["link"] = link
        container["canonicalLink"] = canonicalLink
        container["summary"] = summary
        container["content"] = content
        container["authors"] = JSONText.array(authors)
        container["categories"] = JSONText.array(categories)
        container["contentHash"] = contentHash
        container["sortDate"] = StoredDate(sortDate)
        container["taggedAt"] = taggedAt.map(StoredDate.init)
        container["storyId"] = storyId
        container["titleKey"] = titleKey
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension ItemRecord {
    /// Where each column of `item`, and its feed's `feedURL` and `feedTitle`, are in the rows of
    /// one query (``AppDatabase/storedItemSelect``'s), found once for all its rows:
    /// GRDB finds a column by name by lowercasing every column name it passes, at every read
    /// (a search spent more on that than on decoding its 20 hits).
    struct RowLayout {
        let id, feedId, identity, guid, firstSeen, published, updated, title, link, canonicalLink: Int
        let summary, content, authors, categories, contentHash, sortDate, taggedAt, storyId, titleKey: Int
        let feedURL, feedTitle: Int

        /// The layout of `row`'s query; a column it lacks is a `DatabaseError`, as GRDB's read by name would be.
        init(_ row: Row) throws {
            // GRDB's rule: the first column whose name matches, case aside.
            let names = Array(row.columnNames).map { $0.lowercased() }
            func index(_ name: String) throws -> Int {
                guard let index = names.firstIndex(of: name.lowercased()) else {
                    throw DatabaseError(message: "no such column: \(name)")
                }
                return index
            }
            (id, feedId, identity, guid) = (
                try index("id"), try index("feedId"), try index("identity"), try index("guid")
            )
            (firstSeen, published, updated) = (try index("firstSeen"), try index("published"), try index("updated"))
            (title, link, canonicalLink) = (try index("title"), try index("link"), try index("canonicalLink"))
            (summary, content, authors) = (try index("summary"), try index("content"), try index("authors"))
            (categories, contentHash, sortDate) = (
                try index("categories"), try index("contentHash"), try index("sortDate")
            )
            (taggedAt, storyId, titleKey) = (try index("taggedAt"), try index("storyId"), try index("titleKey"))
            (feedURL, feedTitle) = (try index("feedURL"), try index("feedTitle"))
        }
    }

    /// Read by hand rather than through `Codable`, as it is written: a search decodes every hit
    /// (GRDB's generic decoder was half of a search's database read). Same columns, same values.
    init(row: Row, layout: RowLayout) throws {
        self.init(
            id: row[layout.id], feedId: row[layout.feedId], identity: row[layout.identity], guid: row[layout.guid],
            firstSeen: row[layout.firstSeen], published: row[layout.published], updated: row[layout.updated],
            title: row[layout.title], link: row[layout.link], canonicalLink: row[layout.canonicalLink],
            summary: row[layout.summary], content: row[layout.content],
            authors: try JSONText.strings(row[layout.authors]),
            categories: try JSONText.strings(row[layout.categories]),
            contentHash: row[layout.contentHash], sortDate: row[layout.sortDate], taggedAt: row[layout.taggedAt],
            storyId: row[layout.storyId], titleKey: row[layout.titleKey])
    }
}

/// A row of `fetchLog`: one attempt to fetch one feed.
struct FetchLogRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "fetchLog"
    var id: Int64?
    var feedId: Int64
    var time: Date
    var outcome: String
    var status: Int?
    var durationMs: Int
    var bytes: Int
    var newItems: Int
    var error: String?

    enum Columns {
        static let feedId = Column(CodingKeys.feedId)
        static let time = Column(CodingKeys.time)
    }
}

/// A row of `itemTopic`: an item is about a topic, with the tagger's score and matched terms.
struct ItemTopicRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "itemTopic"
    var itemId: Int64
    var topic: String
    var score: Double
    var matches: [String]

    enum Columns {
        static let itemId = Column(CodingKeys.itemId)
        static let topic = Column(CodingKeys.topic)
        static let score = Column(CodingKeys.score)
    }
}

/// A row of `story`: the news that one or more items (from different feeds) carry.
struct StoryRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "story"
    var id: Int64?
    var firstSeen: Date

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A row of `digest`: one built (and maybe sent) digest of a week.
struct DigestRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "digest"
    var id: Int64?
    var week: String
    var version: Int = 1
    var format: String
    var builtAt: Date
    var sentAt: Date?
    var sentTo: String?
    var frozenAt: Date?
    var supersededAt: Date?
    var shown: Int?
    var readingMinutes: Int?
    var markdown: String?
    var plainText: String?
    var json: String?
    var email: String?

    enum Columns {
        static let week = Column(CodingKeys.week)
        static let sentAt = Column(CodingKeys.sentAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A row of `digestItem`: a digest carried an item.
struct DigestItemRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "digestItem"
    var digestId: Int64
    var itemId: Int64
}
