import Foundation

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
    /// Depth of the open entry element.
    var itemDepth = 0

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
    let captured = UnsafeMutablePointer<CaptureBuffer>.allocate(capacity: 1)

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

    /// The text being built by `convert`, its storage kept from field to field.
    var text = TextAccumulator()

    var currentBase: String? { bases.last?.base ?? documentBase }

    /// The namespaces met so far and their vocabulary. A document uses a handful, and
    /// `XMLStream` hands over the same `String` for the same namespace, so a hit is an
    /// identity check instead of `Vocabulary.of`'s chain of comparisons.
    var vocabularies: [(namespace: String, vocabulary: Vocabulary)] = []

    func vocabulary(namespace: String?, prefix: String?) -> Vocabulary {
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
    func opensEntry(namespace: String?, prefix: String?, name: String) -> Bool {
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
