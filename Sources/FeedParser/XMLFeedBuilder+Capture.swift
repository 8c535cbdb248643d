import Foundation

/// Capturing the text of the elements that map to a field, and turning it into the field's
/// plain text when the element ends.
extension XMLFeedBuilder {
    func finishCapture() {
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

    func captureStart(name: String, vocabulary: Vocabulary) {
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

    func captureEnd() {
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
            if Self.mayBeHTML(raw) { return html.plainText(html: raw) }
            text.reset()
            text.append(raw)
            return text.result()
        case .xhtml, .ignored:
            return nil
        }
    }

    /// feedparser's guess for text that may be HTML: an end tag, or an entity reference.
    static func mayBeHTML(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
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

    static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

    func store(_ value: String?, in field: Field, base: String?) {
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

}
