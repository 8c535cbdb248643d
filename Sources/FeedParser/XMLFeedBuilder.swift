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

/// Turns the SAX events of an RSS 0.9x/1.0/2.0 or Atom 0.3/1.0 document into a `Feed`.
///
/// The format is decided by the root element; the per-format element mapping lives in
/// `XMLFeedBuilder+RSS.swift` and `XMLFeedBuilder+Atom.swift`. Text is captured only for the
/// elements that map to a field, and converted to plain text when the element ends.
final class XMLFeedBuilder: XMLStreamHandler {
    let html = HTMLTextConverter()
    let documentBase: String?
    let maximumFieldBytes: Int

    var format: FeedFormat?
    var rootName: String?
    var feed = Feed(format: .rss20)
    var feedLinkBase: String?
    /// An Atom feed's `id` and the base in force there: the feed's link when it has none.
    var feedID: (id: String, base: String?)?
    var feedLinkIsHTML = false
    var drafts: [ItemDraft] = []
    var item: ItemDraft?
    /// Depth of the current element (root = 1).
    var depth = 0
    /// The effective xml:base of the open elements, as (depth, base) at each element whose
    /// `xml:base` changed it: most documents have none, so most elements push nothing.
    var bases: [(depth: Int, base: String)] = []
    /// While set, elements deeper than this depth are ignored (unknown or irrelevant subtrees).
    var skipBelow: Int?
    /// Depth of an open Atom `author` element.
    var authorDepth: Int?
    var authorName: String?

    struct Capture {
        var field: Field
        var mode: TextMode
        var depth: Int
        var base: String?
        var xhtml = TextAccumulator()
        var xhtmlSkip = 0
        /// Break kinds of the open XHTML elements, applied again at their end.
        var xhtmlBreaks: [Int] = []
    }

    var capture: Capture?
    /// The bytes of the open non-XHTML capture. Kept apart from `capture` (and its capacity
    /// kept from field to field) because every SAX text event appends here: a buffer behind
    /// a `let` pointer that only this builder holds (allocated in `init`, freed in `deinit`),
    /// so an append is a copy, without the exclusivity check and uniqueness test of an array
    /// stored in a class.
    private let captured = UnsafeMutablePointer<CaptureBuffer>.allocate(capacity: 1)

    init(baseURL: String?, maximumFieldBytes: Int) {
        documentBase = baseURL
        self.maximumFieldBytes = maximumFieldBytes
        captured.initialize(to: CaptureBuffer())
    }

    deinit {
        captured.pointee.deallocate()
        captured.deinitialize(count: 1)
        captured.deallocate()
    }

    var currentBase: String? { bases.last?.base ?? documentBase }

    /// The namespaces met so far and their vocabulary. A document uses a handful, and
    /// `XMLStream` hands over the same `String` for the same namespace, so a hit is an
    /// identity check instead of `Vocabulary.of`'s chain of comparisons.
    private var vocabularies: [(namespace: String, vocabulary: Vocabulary)] = []

    private func vocabulary(namespace: String?, prefix: String?) -> Vocabulary {
        guard let namespace else { return Vocabulary.of(namespace: nil, prefix: prefix) }
        for known in vocabularies where known.namespace == namespace { return known.vocabulary }
        let vocabulary = Vocabulary.of(namespace: namespace, prefix: prefix)
        if vocabularies.count < 16 { vocabularies.append((namespace, vocabulary)) }
        return vocabulary
    }

    // MARK: Events

    func startElement(namespace: String?, prefix: String?, name: String, attributes: [XMLAttribute]) {
        depth += 1
        if !attributes.isEmpty {
            var base = currentBase
            var changed = false
            for attribute in attributes
            where attribute.name == "base"
                && (attribute.namespace == "http://www.w3.org/XML/1998/namespace" || attribute.prefix == "xml")
            {
                let value = attribute.value.trimmingWhitespacesAndNewlines()
                base = URLResolver.resolve(value, against: base)
                changed = true
            }
            if changed, let base { bases.append((depth, base)) }
        }

        if let skipBelow, depth > skipBelow {
            // An item inside a skipped extension element: that element lost its end tag
            // (a podcast's `<itunes:category>` never closed, every `<item>` nested in it).
            // The items are the feed's: stop skipping, as feedparser recovers them.
            guard capture == nil, name == "item" || name == "entry",
                opensEntry(namespace: namespace, prefix: prefix, name: name)
            else { return }
            self.skipBelow = nil
        }
        let vocabulary = vocabulary(namespace: namespace, prefix: prefix)
        if capture != nil {
            // An item field opening inside another field: the document lost an end tag
            // (`<title>Deux <b>cassé</title><link>…`). Close the field here, as a browser would.
            if capture!.mode != .xhtml, item != nil, format != .atom10, format != .atom03,
                Self.isRSSItemField(vocabulary, name)
            {
                finishCapture()
            } else {
                captureStart(name: name, vocabulary: vocabulary)
                return
            }
        }
        if item != nil, vocabulary.isRSS, name == "item", format != .atom10, format != .atom03 {
            // A new item while the previous one is still open: the previous one is over.
            if let draft = item { drafts.append(draft) }
            item = nil
        }
        if depth == 1 {
            rootName = name
            decideFormat(vocabulary: vocabulary, name: name, attributes: attributes)
            if vocabulary == .other, let namespace, let format, format == .atom10 || format == .atom03 {
                // A <feed> in a namespace of its own: its elements are Atom's from here on.
                vocabularies.insert((namespace, format == .atom03 ? .atom03 : .atom10), at: 0)
            }
            if format == nil { skipBelow = 1 }
            return
        }
        guard let format else { return }
        switch format {
        case .atom10, .atom03:
            atomStart(vocabulary, name, attributes)
        default:
            rssStart(vocabulary, name, attributes)
        }
    }

    /// Whether `name` starts an entry of this feed's format: an RSS `<item>`, an Atom `<entry>`.
    private func opensEntry(namespace: String?, prefix: String?, name: String) -> Bool {
        guard let format else { return false }
        let vocabulary = vocabulary(namespace: namespace, prefix: prefix)
        switch format {
        case .atom10, .atom03: return name == "entry" && (vocabulary == .atom10 || vocabulary == .atom03)
        default: return name == "item" && vocabulary.isRSS
        }
    }

    func endElement() {
        defer {
            if let last = bases.last, last.depth == depth { bases.removeLast() }
            depth -= 1
        }
        if let skipBelow {
            if depth > skipBelow { return }
            if depth == skipBelow { self.skipBelow = nil; return }
        }
        if let current = capture {
            if depth > current.depth {
                captureEnd()
                return
            }
            finishCapture()
            return
        }
        if let authorDepth, depth == authorDepth {
            self.authorDepth = nil
            if let name = authorName { item?.authors.append(name) }
            authorName = nil
            return
        }
        if item != nil, depth == itemDepth {
            if let draft = item { drafts.append(draft) }
            item = nil
        }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if captured.pointee.isOpen {
            if let skipBelow, depth > skipBelow { return }
            captured.pointee.append(Self.prefix(of: bytes, fitting: maximumFieldBytes - captured.pointee.count))
            return
        }
        guard capture != nil else { return }
        if let skipBelow, depth > skipBelow { return }
        if capture!.xhtmlSkip == 0 {  // only XHTML captures get here
            capture!.xhtml.append(Self.prefix(of: bytes, fitting: maximumFieldBytes - capture!.xhtml.count))
        }
    }

    /// The longest start of `bytes` that fits in `room` bytes and ends between two characters:
    /// a field stops at `maximumFieldBytes` exactly, whatever the size of the text events.
    static func prefix(of bytes: UnsafeBufferPointer<UInt8>, fitting room: Int) -> UnsafeBufferPointer<UInt8> {
        guard bytes.count > room else { return bytes }
        var end = max(0, room)
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }  // not inside a UTF-8 sequence
        return UnsafeBufferPointer(rebasing: bytes[..<end])
    }

    // MARK: Capturing

    private func finishCapture() {
        guard let current = capture else { return }
        capture = nil
        captured.pointee.isOpen = false
        if current.mode == .xhtml {
            store(current.xhtml.result(), in: current.field, base: current.base)
        } else {
            let value = convert(captured.pointee.bytes, mode: current.mode)
            captured.pointee.count = 0
            store(value, in: current.field, base: current.base)
        }
    }

    static let rssItemFields: Set<String> = [
        "title", "link", "description", "guid", "pubDate", "author", "category", "comments", "enclosure",
        "source", "item",
    ]

    static func isRSSItemField(_ vocabulary: Vocabulary, _ name: String) -> Bool {
        switch vocabulary {
        case .none, .rss, .rss090: return rssItemFields.contains(name)
        case .dc: return name == "date" || name == "creator" || name == "subject"
        case .content: return name == "encoded"
        default: return false
        }
    }

    var itemDepth = 0

    func beginItem() {
        item = ItemDraft()
        itemDepth = depth
    }

    func begin(_ field: Field, _ mode: TextMode) {
        capture = Capture(field: field, mode: mode, depth: depth, base: currentBase)
        captured.pointee.isOpen = mode != .xhtml
        captured.pointee.count = 0
    }

    func skipSubtree() { skipBelow = depth }

    private func captureStart(name: String, vocabulary: Vocabulary) {
        guard capture!.mode == .xhtml else { return }
        if capture!.xhtmlSkip > 0 {
            capture!.xhtmlSkip += 1
            return
        }
        let tag = HTMLTag(name.lowercased())
        if tag.isSkipped {
            capture!.xhtmlSkip = 1
            return
        }
        capture!.xhtmlBreaks.append(tag.breakKind)
        switch tag.breakKind {
        case 2: capture!.xhtml.paragraphBreak()
        case 1: capture!.xhtml.lineBreak()
        default: break
        }
    }

    private func captureEnd() {
        guard capture!.mode == .xhtml else { return }
        if capture!.xhtmlSkip > 0 {
            capture!.xhtmlSkip -= 1
            return
        }
        switch capture!.xhtmlBreaks.popLast() ?? 0 {
        case 2: capture!.xhtml.paragraphBreak()
        case 1: capture!.xhtml.lineBreak()
        default: break
        }
    }

    /// The text being built by `convert`, its storage kept from field to field.
    private var text = TextAccumulator()

    /// Turns captured bytes into the field's text.
    func convert(_ raw: UnsafeBufferPointer<UInt8>, mode: TextMode) -> String? {
        switch mode {
        case .raw:
            let text = Trim.whitespacesAndNewlines(raw)
            return text.isEmpty ? nil : text
        case .line:
            text.reset()
            text.append(raw)
            return text.result()
        case .text:
            // Plain text: a blank line separates paragraphs, a single newline is just a space.
            text.reset()
            var start = 0
            var i = 0
            while i < raw.count {
                if raw[i] == 0x0A {
                    var j = i + 1
                    while j < raw.count, raw[j] == 0x20 || raw[j] == 0x09 || raw[j] == 0x0D { j += 1 }
                    if j < raw.count, raw[j] == 0x0A {
                        text.append(UnsafeBufferPointer(rebasing: raw[start..<i]))
                        text.paragraphBreak()
                        start = j
                        i = j
                        continue
                    }
                }
                i += 1
            }
            text.append(UnsafeBufferPointer(rebasing: raw[start..<raw.count]))
            return text.result()
        case .html:
            return html.plainText(html: raw)
        case .maybeHTML:
            if Self.looksLikeHTML(raw) { return html.plainText(html: raw) }
            text.reset()
            text.append(raw)
            return text.result()
        case .xhtml, .ignored:
            return nil
        }
    }

    /// feedparser's guess for text that may be HTML: an end tag, or an entity reference.
    static func looksLikeHTML(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var i = 0
        while i < n {
            let c = b[i]
            if c == 0x3C, i + 2 < n, b[i + 1] == 0x2F, isLetter(b[i + 2]) { return true }  // </x
            if c == 0x3C, i + 2 < n, (b[i + 1] | 0x20) == 0x62, (b[i + 2] | 0x20) == 0x72 { return true }  // <br
            if c == 0x26 {
                var j = i + 1
                if j < n, b[j] == 0x23 { j += 1 }
                let start = j
                while j < n, isLetter(b[j]) || (b[j] >= 0x30 && b[j] <= 0x39) { j += 1 }
                if j > start, j < n, b[j] == 0x3B { return true }
            }
            i += 1
        }
        return false
    }

    private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

    private func store(_ value: String?, in field: Field, base: String?) {
        var value = value
        if field == .title || field == .feedTitle, let text = value, Self.contains(text, 0x0A) {
            // A title is one line, whatever blocks its HTML had.
            value = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        }
        switch field {
        case .feedTitle: if feed.title == nil { feed.title = value }
        case .feedLink:
            if feed.link == nil, let value { feed.link = value; feedLinkBase = base }
        case .feedDescription: if feed.description == nil { feed.description = value }
        case .feedUpdated: if feed.updated == nil, let value { feed.updated = FeedDate.parse(value) }
        case .feedTTL: if let value, let minutes = Int(value), minutes > 0 { feed.ttlMinutes = minutes }
        case .id:
            if item?.id == nil { item?.id = value; item?.guidBase = base }
        case .title: if item?.title == nil { item?.title = value }
        case .link:
            if item?.link == nil, let value { item?.link = value; item?.linkBase = base }
        case .published: if item?.published == nil, let value { item?.published = FeedDate.parse(value) }
        case .updated: if item?.updated == nil, let value { item?.updated = FeedDate.parse(value) }
        case .dcDate: if item?.dcDate == nil, let value { item?.dcDate = FeedDate.parse(value) }
        case .summary: if item?.summary == nil { item?.summary = value }
        case .content: if item?.content == nil { item?.content = value }
        case .fallbackSummary: if item?.fallbackSummary == nil { item?.fallbackSummary = value }
        case .feedID: if feedID == nil, let value { feedID = (value, base) }
        case .author:
            if authorDepth != nil {
                if authorName == nil { authorName = value }
            } else if let value, let name = Self.authorName(value), item?.authors.contains(name) == false {
                item?.authors.append(name)
            }
        case .category:
            if let value, item?.categories.contains(value) == false { item?.categories.append(value) }
        }
    }

    /// `text` holds `byte`: over the contiguous UTF-8 of a native string (every string made
    /// here) rather than through `String.UTF8View`'s index checks, byte by byte.
    @inline(__always)
    static func contains(_ text: String, _ byte: UInt8) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.contains(byte) } ?? text.utf8.contains(byte)
    }

    /// `jean@example.org (Jean Dupont)` → `Jean Dupont`; other forms as written.
    static func authorName(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespacesAndNewlines()
        guard !trimmed.isEmpty else { return nil }
        // No "(" at all: the usual `dc:creator` name, nothing to take apart.
        if !contains(trimmed, 0x28) { return trimmed }
        if let open = trimmed.firstIndex(of: "("), trimmed.hasSuffix(")"), trimmed[..<open].contains("@") {
            let name = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
                .trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { return name }
        }
        return trimmed
    }

    // MARK: Result

    /// The feed, with every link made absolute against xml:base, the document URL, then the feed link.
    func result() -> Feed {
        finishCapture()
        if let draft = item {
            // The document ended inside an item (truncated download): keep what was read.
            drafts.append(draft)
            item = nil
        }
        var feed = self.feed
        feed.format = format ?? .rss20
        if let link = feed.link {
            feed.link = URLResolver.resolve(link, against: feedLinkBase ?? documentBase)
        }
        let fallback = documentBase ?? feed.link.flatMap { URLResolver.isAbsolute($0) ? $0 : nil }
        if feed.link == nil, let (id, base) = feedID {
            // Known by its id, as feedparser does (after `fallback`: an id is no base for links).
            feed.link = URLResolver.resolve(id, against: base ?? documentBase)
        }
        func absolute(_ reference: String, _ base: String?) -> String {
            if URLResolver.isAbsolute(reference) { return reference }
            var base = base
            if base == nil || !URLResolver.isAbsolute(base!) {
                base = base.map { URLResolver.resolve($0, against: fallback) } ?? fallback
            }
            return URLResolver.resolve(reference, against: base)
        }
        let isAtom = format == .atom10 || format == .atom03
        feed.items = drafts.map { draft in
            // A relative id (`<guid>12345</guid>`) resolves against xml:base and the document URL
            // only, never the feed link: what feedparser does, so ids agree with it.
            // Even with `isPermaLink="false"`, where feedparser keeps the guid as written: the id
            // is the key items are stored under, and stores made by earlier versions hold it so.
            let id = draft.id.map {
                URLResolver.resolve($0, against: draft.guidBase.flatMap { URLResolver.isAbsolute($0) ? $0 : nil })
            }
            var link = draft.link.map { absolute($0, draft.linkBase) }
            if link == nil, let alternate = draft.alternateLink { link = absolute(alternate, draft.alternateLinkBase) }
            if link == nil, let id, isAtom || draft.guidIsPermaLink {
                // An RSS guid is a permalink unless it says otherwise; an Atom entry without a
                // link is known by its id (feedparser does the same for both).
                link = isAtom ? id : absolute(id, draft.guidBase)
            }
            let published = draft.published ?? draft.dcDate
            let updated = draft.updated ?? (draft.published != nil ? draft.dcDate : nil)
            return Item(
                id: id ?? draft.about, title: draft.title, link: link,
                published: published, updated: updated,
                summary: draft.summary ?? draft.fallbackSummary ?? draft.content, content: draft.content,
                authors: draft.authors, categories: draft.categories)
        }
        return feed
    }
}
