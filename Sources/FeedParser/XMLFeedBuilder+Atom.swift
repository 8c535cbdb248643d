/// Atom 0.3 and Atom 1.0 (RFC 4287): the element mapping.
extension XMLFeedBuilder {
    func atomStart(_ vocabulary: Vocabulary, _ name: String, _ attributes: [XMLAttribute]) {
        // Elements without a namespace count as Atom's (a `<feed>` without one is read as Atom).
        let atom = vocabulary.isAtom || vocabulary == .none
        if item != nil {
            atomEntryStart(atom, vocabulary, name, attributes)
            return
        }
        switch (atom, vocabulary, name) {
        case (true, _, "entry"), (true, _, "item"): beginItem()  // `item`: an RSS habit feedparser accepts
        case (true, _, "title"): begin(.feedTitle, Self.textMode(attributes, line: true))
        case (true, _, "link"):
            atomLink(attributes, forFeed: true)
            skipSubtree()
        case (true, _, "subtitle"), (true, _, "tagline"):
            begin(.feedDescription, Self.textMode(attributes, line: false))
        case (true, _, "updated"), (true, _, "modified"): begin(.feedUpdated, .raw)
        case (true, _, "id"): begin(.feedID, .raw)
        case (false, .dc, "date"): begin(.feedUpdated, .raw)
        default: skipSubtree()
        }
    }

    private func atomEntryStart(_ atom: Bool, _ vocabulary: Vocabulary, _ name: String, _ attributes: [XMLAttribute]) {
        if authorDepth != nil {
            if atom, name == "name" { begin(.author, .line) } else { skipSubtree() }
            return
        }
        switch (atom, vocabulary, name) {
        case (true, _, "id"): begin(.id, .raw)
        case (true, _, "title"): begin(.title, Self.textMode(attributes, line: true))
        case (true, _, "link"):
            atomLink(attributes, forFeed: false)
            skipSubtree()
        case (true, _, "published"), (true, _, "issued"), (true, _, "created"): begin(.published, .raw)
        case (true, _, "updated"), (true, _, "modified"): begin(.updated, .raw)
        case (true, _, "summary"): begin(.summary, Self.textMode(attributes, line: false))
        case (true, _, "content"):
            if attributes.contains(where: { $0.name == "src" }) {
                skipSubtree()  // out-of-line content: nothing to read here
            } else {
                begin(.content, Self.textMode(attributes, line: false))
            }
        case (true, _, "author"):
            authorDepth = depth
            authorName = nil
        case (true, _, "category"):
            if let term = attributes.first(where: { $0.name == "term" })?.value
                ?? attributes.first(where: { $0.name == "label" })?.value
            {
                let value = term.trimmingWhitespacesAndNewlines()
                if !value.isEmpty, item?.categories.contains(value) == false { item?.categories.append(value) }
                skipSubtree()
            } else {
                begin(.category, .line)
            }
        case (false, .dc, "creator"): begin(.author, .line)
        case (false, .dc, "subject"): begin(.category, .line)
        case (false, .dc, "date"), (false, .dcterms, "issued"): begin(.dcDate, .raw)
        case (false, .dcterms, "modified"): begin(.updated, .raw)
        case (false, .itunes, "summary"), (false, .media, "description"): begin(.fallbackSummary, .text)
        case (false, .media, "group"): return  // its media:description is read
        default:
            // contributor, source (whose title and link are another feed's), extensions.
            skipSubtree()
        }
    }

    /// An Atom `link` (also inside RSS): `rel="alternate"` (the default) is the page; `self`,
    /// `enclosure`, `replies`… are not. An HTML alternate wins over one of another type and,
    /// as in feedparser, the last HTML alternate wins over earlier ones.
    func atomLink(_ attributes: [XMLAttribute], forFeed: Bool) {
        let rel = attributes.first { $0.name == "rel" }?.value.trimmingWhitespaces().lowercased() ?? "alternate"
        guard rel == "alternate" || rel == "http://www.iana.org/assignments/relation/alternate" else { return }
        guard let href = URLResolver.trimmed(attributes.first(where: { $0.name == "href" })?.value) else { return }
        let type = attributes.first { $0.name == "type" }?.value.lowercased() ?? "text/html"
        let isHTML = type.contains("html")
        if forFeed {
            if format == .atom10 || format == .atom03 {
                if feed.link == nil || isHTML || !feedLinkIsHTML {
                    feed.link = href
                    feedLinkBase = currentBase
                    feedLinkIsHTML = isHTML
                }
            } else if feed.link == nil {
                feed.link = href
                feedLinkBase = currentBase
            }
            return
        }
        if format == .atom10 || format == .atom03 {
            if item?.link == nil || isHTML || item?.linkIsHTML == false {
                item?.link = href
                item?.linkBase = currentBase
                item?.linkIsHTML = isHTML
            }
        } else if item?.alternateLink == nil {
            item?.alternateLink = href
            item?.alternateLinkBase = currentBase
        }
    }

    /// The text mode of an Atom text construct from its `type` (and Atom 0.3's `mode`).
    static func textMode(_ attributes: [XMLAttribute], line: Bool) -> TextMode {
        let type = attributes.first { $0.name == "type" }?.value.trimmingWhitespaces().lowercased() ?? "text"
        let mode = attributes.first { $0.name == "mode" }?.value.lowercased()
        if mode == "base64" { return .ignored }
        switch type {
        case "html", "text/html":
            return mode == "xml" ? .xhtml : .html
        case "xhtml", "application/xhtml+xml":
            return mode == "escaped" ? .html : .xhtml
        case "text", "text/plain":
            return mode == "escaped" ? .html : (line ? .line : .text)
        default:
            return type.hasPrefix("text/") ? (line ? .line : .text) : .ignored
        }
    }
}
