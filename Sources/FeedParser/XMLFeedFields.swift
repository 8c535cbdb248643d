import Foundation

/// The XML vocabularies the feed parsers care about.
enum Vocabulary: Equatable {
    case none, rss, rss090, atom10, atom03, rdf, dc, dcterms, content, xhtml, xml, itunes, media, other

    static func of(namespace: String?, prefix: String?) -> Vocabulary {
        guard let namespace else {
            // A prefix without its namespace declaration: go by the usual prefix.
            switch prefix {
            case nil: return .none
            case "dc": return .dc
            case "dcterms": return .dcterms
            case "content": return .content
            case "atom": return .atom10
            case "rdf": return .rdf
            case "itunes": return .itunes
            case "media": return .media
            default: return .other
            }
        }
        switch namespace {
        case "http://purl.org/rss/1.0/", "http://backend.userland.com/rss2", "http://backend.userland.com/rss",
            "http://blogs.law.harvard.edu/tech/rss", "http://purl.org/net/rss1.1#":
            return .rss
        case "http://my.netscape.com/rdf/simple/0.9/": return .rss090
        case "http://www.w3.org/2005/Atom": return .atom10
        case "http://purl.org/atom/ns#": return .atom03
        case "http://www.w3.org/1999/02/22-rdf-syntax-ns#": return .rdf
        case "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/elements/1.0/": return .dc
        case "http://purl.org/dc/terms/": return .dcterms
        case "http://purl.org/rss/1.0/modules/content/": return .content
        case "http://www.w3.org/1999/xhtml": return .xhtml
        case "http://www.w3.org/XML/1998/namespace": return .xml
        case "http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss": return .media
        default:
            // Apple's own documentation capitalises it (`DTDs/Podcast`); feedparser ignores case.
            return namespace.lowercased() == "http://www.itunes.com/dtds/podcast-1.0.dtd" ? .itunes : .other
        }
    }

    /// RSS core elements: no namespace, or one of the RSS namespaces.
    var isRSS: Bool { self == .none || self == .rss || self == .rss090 }
    /// Atom elements of either version.
    var isAtom: Bool { self == .atom10 || self == .atom03 }
}

/// How captured text becomes a field value.
enum TextMode {
    /// One line: whitespace collapsed (titles of Atom `type="text"`, names, terms).
    case line
    /// Plain text that may span paragraphs (Atom `type="text"` summaries).
    case text
    /// Escaped HTML, converted to plain text.
    case html
    /// RSS titles: plain text unless it looks like HTML (an end tag or an entity), as feedparser guesses.
    case maybeHTML
    /// Inline XHTML (Atom `type="xhtml"`): the child elements are converted as they stream by.
    case xhtml
    /// Kept as written, trimmed (ids, URLs, dates).
    case raw
    /// Atom 0.3 `mode="base64"` and other content that is not text: dropped.
    case ignored
}

/// Which field a captured text goes to.
enum Field {
    case feedTitle, feedLink, feedDescription, feedUpdated, feedTTL, feedID
    /// `fallbackSummary`: what feedparser also takes for a summary (`itunes:summary`,
    /// `media:description`), used when the item has no description of its own.
    case id, title, link, published, updated, dcDate, summary, fallbackSummary, content, author, category
}

/// An item while its elements stream by.
struct ItemDraft {
    var id: String?
    var title: String?
    var link: String?
    var linkBase: String?
    var linkIsHTML = false
    var alternateLink: String?
    var alternateLinkBase: String?
    var guidIsPermaLink = true
    var guidBase: String?
    var about: String?
    var published: Date?
    var updated: Date?
    var dcDate: Date?
    var summary: String?
    var content: String?
    var fallbackSummary: String?
    var authors: [String] = []
    var categories: [String] = []
}

/// A growable byte buffer with manual memory: see `XMLFeedBuilder.captured`.
struct CaptureBuffer {
    private var base = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096)
    private var capacity = 4096
    /// The bytes held.
    var count = 0
    /// A capture other than XHTML is open: text events go straight here.
    var isOpen = false

    /// The bytes held, valid until the next `append` or `deallocate`.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    mutating func append(_ more: UnsafeBufferPointer<UInt8>) {
        guard let source = more.baseAddress else { return }
        if count + more.count > capacity { grow(to: count + more.count) }
        (base + count).initialize(from: source, count: more.count)
        count += more.count
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Frees the memory; the buffer must not be used afterwards.
    func deallocate() { base.deallocate() }
}
