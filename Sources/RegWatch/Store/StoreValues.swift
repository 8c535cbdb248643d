import Foundation

/// What the store knows of a feed: the outcome of its last fetch and when to fetch it next.
public struct FeedState: Sendable, Equatable {
    /// The store's row id.
    public var id: Int64
    /// The URL as configured when the feed was first stored.
    public var url: String
    /// The feed's own title, from its last successful parse.
    public var title: String?
    /// The validators of the last 200 response, for a conditional GET.
    public var etag: String?
    /// `Last-Modified` of the last 200 response.
    public var lastModified: String?
    /// When the last attempt ended.
    public var lastFetched: Date?
    /// The HTTP status of the last attempt (`nil` when no response came: DNS, timeout…).
    public var lastStatus: Int?
    /// One line on the last failure; `nil` after a success.
    public var lastError: String?
    /// Consecutive failed attempts (0 after a success or a 304).
    public var errorStreak: Int
    /// When the feed may be fetched next; `nil` means now.
    public var nextDue: Date?
    /// Where a 301/308 said the feed now lives: fetch this instead.
    public var redirectTo: String?
    /// The server said 410 Gone: not fetched until the user re-adds it.
    public var disabled: Bool
    /// When the store first heard of the feed.
    public var firstSeen: Date
    /// Items stored for the feed.
    public var itemCount: Int
    /// What the last response held when it was answered but could not be read as a feed
    /// (a web page, a broken feed); `nil` after a success and for HTTP or network failures.
    public var lastProblem: FeedProblem? = nil
}

/// What one fetch attempt gave, as the poller measured it.
public struct FetchReport: Sendable, Equatable {
    /// When the attempt ended.
    public var time: Date
    /// The HTTP status, `nil` when no response came.
    public var status: Int?
    /// How long the transfer took.
    public var duration: Duration
    /// Bytes received (after decompression).
    public var bytes: Int
    /// `ETag` of the response (200 only).
    public var etag: String?
    /// `Last-Modified` of the response (200 only).
    public var lastModified: String?
    /// The target of a permanent redirect (301/308) followed on the way, if any.
    public var permanentRedirect: String?
    /// When to fetch the feed next (the poller's schedule); `nil` leaves it due.
    public var nextDue: Date?

    /// Creates a report.
    public init(
        time: Date, status: Int?, duration: Duration = .zero, bytes: Int = 0, etag: String? = nil,
        lastModified: String? = nil, permanentRedirect: String? = nil, nextDue: Date? = nil
    ) {
        self.time = time
        self.status = status
        self.duration = duration
        self.bytes = bytes
        self.etag = etag
        self.lastModified = lastModified
        self.permanentRedirect = permanentRedirect
        self.nextDue = nextDue
    }
}

/// What storing a batch of entries did.
public struct UpsertResult: Sendable, Equatable {
    /// Entries seen for the first time.
    public var inserted: Int
    /// Known entries whose text changed (updated in place).
    public var updated: Int
    /// Row ids of the inserted entries, for tagging them.
    public var insertedIDs: [Int64]
    /// Row ids of the updated entries, for retagging them.
    public var updatedIDs: [Int64]
    /// The feed gave no entry at all, though the store holds entries it gave before.
    public var emptiedFeed = false

    /// Creates a result.
    public init(inserted: Int = 0, updated: Int = 0, insertedIDs: [Int64] = [], updatedIDs: [Int64] = []) {
        self.inserted = inserted
        self.updated = updated
        self.insertedIDs = insertedIDs
        self.updatedIDs = updatedIDs
    }
}

/// A stored item as commands and the digest read it.
public struct StoredItem: Sendable, Equatable, Identifiable {
    /// The store's row id (what `follow ITEM` names).
    public var id: Int64
    /// The URL of the feed that carried it.
    public var feedURL: String
    /// The feed's own title.
    public var feedTitle: String?
    /// The entry's own id (guid), if it had one.
    public var guid: String?
    /// Plain-text title.
    public var title: String?
    /// The link as the feed gave it.
    public var link: String?
    /// The link without tracking parameters (see ``CanonicalLink``).
    public var canonicalLink: String?
    /// Publication time, if the feed said.
    public var published: Date?
    /// Last change: the feed's `updated`, or when regwatch saw the text change.
    public var updated: Date?
    /// When regwatch first stored it.
    public var firstSeen: Date
    /// Plain-text summary.
    public var summary: String?
    /// Plain-text content.
    public var content: String?
    /// Author names.
    public var authors: [String]
    /// Category terms.
    public var categories: [String]
    /// Topics it is tagged with, best score first.
    public var topics: [TopicID]
    /// The story it belongs to (shared with the same news from other feeds).
    public var storyID: Int64?
}

/// One search hit: the item, its rank and a highlighted extract.
public struct SearchResult: Sendable, Equatable {
    /// The item.
    public var item: StoredItem
    /// bm25 rank: lower is better (SQLite's convention).
    public var rank: Double
    /// A short extract around the match, matches between `[` and `]`.
    public var snippet: String
}

/// The text of an item, as the tagger reads it.
public struct TaggableItem: Sendable, Equatable {
    /// The store's row id.
    public var id: Int64
    /// The URL of the feed that carried it (its configured topics boost the tagger).
    public var feedURL: String
    /// Plain-text title.
    public var title: String?
    /// Plain-text summary.
    public var summary: String?
    /// Plain-text content.
    public var content: String?
}
