import Foundation

/// The syndication format a document was written in, as `watchctl parse` reports it.
public enum FeedFormat: String, Sendable, Codable, CaseIterable {
    /// RSS 0.90, 0.91, 0.92, 0.93 and 0.94.
    case rss09x = "rss0.9x"
    /// RSS 1.0, the RDF flavour.
    case rss10 = "rss1.0"
    /// RSS 2.0 (and 2.0.x).
    case rss20 = "rss2.0"
    /// Atom 0.3, the pre-standard draft still served by old blogs.
    case atom03 = "atom0.3"
    /// Atom 1.0 (RFC 4287).
    case atom10 = "atom1.0"
    /// JSON Feed 1.1 (and 1.0).
    case jsonFeed11 = "jsonfeed1.1"
    /// An HTML listing page read through a ``PageRecipe`` (`kind = "page"`).
    case htmlPage = "html"
    /// A watched page or document whose changes are the items (`kind = "change"`).
    case pageChange = "change"
}

/// One parsed feed document: the channel's metadata and its items, as plain Swift values.
///
/// Every text field is plain text (markup stripped, entities decoded), every link absolute,
/// every date in UTC. A field the document does not carry, or carries in a form that cannot
/// be understood (an unparseable date), is `nil`, never a made-up value.
public struct Feed: Sendable, Equatable, Codable {
    /// The format the document was recognised as.
    public var format: FeedFormat
    /// The channel or feed title.
    public var title: String?
    /// The site the feed belongs to (RSS `link`, Atom `link rel="alternate"`).
    public var link: String?
    /// The channel description or Atom subtitle.
    public var description: String?
    /// When the feed says it was last updated.
    public var updated: Date?
    /// RSS `<ttl>`: how long, in minutes, the publisher asks readers to wait between polls.
    public var ttlMinutes: Int?
    /// The entries, in document order.
    public var items: [Item]

    /// Creates a feed value.
    public init(
        format: FeedFormat,
        title: String? = nil,
        link: String? = nil,
        description: String? = nil,
        updated: Date? = nil,
        ttlMinutes: Int? = nil,
        items: [Item] = []
    ) {
        self.format = format
        self.title = title
        self.link = link
        self.description = description
        self.updated = updated
        self.ttlMinutes = ttlMinutes
        self.items = items
    }
}

/// One entry of a feed.
public struct Item: Sendable, Equatable, Codable {
    /// The entry's own identifier: RSS `guid`, Atom `id`, JSON Feed `id`; `nil` when absent.
    public var id: String?
    /// Plain-text title.
    public var title: String?
    /// Absolute URL of the entry (Atom `rel="alternate"` preferred).
    public var link: String?
    /// First publication time, UTC.
    public var published: Date?
    /// Last modification time, UTC.
    public var updated: Date?
    /// Plain-text summary (RSS `description`, Atom `summary`); when the document has none, the
    /// content, as feedparser and most readers do, so that every item has something to show.
    public var summary: String?
    /// Plain-text full content (`content:encoded`, Atom `content`).
    public var content: String?
    /// Author names.
    public var authors: [String]
    /// Category terms.
    public var categories: [String]

    /// The date to file the item under: `published`, else `updated`.
    public var date: Date? { published ?? updated }

    /// The stable key the store deduplicates on (what recognises an entry from one fetch to
    /// the next, within one feed), never empty.
    ///
    /// The rule, in order: the document's own id (`guid`, Atom `id`, JSON Feed `id`) when it is
    /// not blank; else the item's link in its canonical form (``CanonicalLink``: sites add
    /// tracking parameters that change between fetches, `?xtor=RSS-…`, `utm_campaign=…`), or as
    /// written when it is not an absolute http(s) URL; else `"fnv1a64:"` followed by the 16 hex
    /// digits of the 64-bit FNV-1a hash of the UTF-8 bytes of the title, a newline, and the date
    /// as `2025-12-03T08:00:00Z` (empty when unknown). The same item parsed twice always gets
    /// the same identity, whatever the run; existing databases store exactly this.
    public var identity: String {
        if let id, !id.isEmpty { return id }
        if let link, !link.isEmpty { return CanonicalLink.canonicalize(link) ?? link }
        let key = (title ?? "") + "\n" + (date.map(UTCDateText.timestamp) ?? "")
        return "fnv1a64:" + FNV1a.hex(FNV1a.hash(key.utf8))
    }

    /// Creates an item value.
    public init(
        id: String? = nil,
        title: String? = nil,
        link: String? = nil,
        published: Date? = nil,
        updated: Date? = nil,
        summary: String? = nil,
        content: String? = nil,
        authors: [String] = [],
        categories: [String] = []
    ) {
        self.id = id
        self.title = title
        self.link = link
        self.published = published
        self.updated = updated
        self.summary = summary
        self.content = content
        self.authors = authors
        self.categories = categories
    }
}
