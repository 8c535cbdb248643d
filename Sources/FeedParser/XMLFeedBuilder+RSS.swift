/// RSS 0.9x, RSS 1.0 (RDF) and RSS 2.0: the element mapping.
extension XMLFeedBuilder {
    /// Decides the format from the root element; leaves `format` nil when it is not a feed.
    func decideFormat(vocabulary: Vocabulary, name: String, attributes: [XMLAttribute]) {
        let version = attributes.first { $0.name == "version" && $0.namespace == nil }?.value
            .trimmingCharacters(in: .whitespaces)
        switch (vocabulary, name.lowercased()) {
        case (_, "rss") where vocabulary != .atom10 && vocabulary != .atom03:
            if let version, version.hasPrefix("0.9") {
                format = .rss09x
            } else {
                format = .rss20
            }
        case (.rdf, "rdf"), (.none, "rdf"), (.other, "rdf"):
            format = .rss10  // refined to rss0.9x when its elements are in the 0.90 namespace
        case (.atom10, "feed"):
            format = .atom10
        case (.atom03, "feed"):
            format = .atom03
        case (.none, "feed"), (.other, "feed"):
            // Without a namespace or in one of its own: Atom, as feedparser reads it.
            format = version == "0.3" ? .atom03 : .atom10
        case (_, "channel") where vocabulary.isRSS:
            format = .rss09x  // Userland's RSS 0.91 without the <rss> wrapper
            feed.format = .rss09x
        default:
            format = nil
        }
    }

    func rssStart(_ vocabulary: Vocabulary, _ name: String, _ attributes: [XMLAttribute]) {
        if vocabulary == .rss090, format == .rss10 { format = .rss09x }
        if item != nil {
            rssItemStart(vocabulary, name, attributes)
            return
        }
        switch (vocabulary, name) {
        case (let v, "channel") where v.isRSS:
            return
        case (let v, "item") where v.isRSS:
            beginItem()
            if let about = attributes.first(where: { $0.name == "about" })?.value {
                item?.about = URLResolver.trimmed(about)
            }
        case (let v, "title") where v.isRSS: begin(.feedTitle, .maybeHTML)
        case (.dc, "title"): begin(.feedTitle, .maybeHTML)
        case (let v, "link") where v.isRSS: begin(.feedLink, .raw)
        case (let v, "description") where v.isRSS: begin(.feedDescription, .html)
        case (.dc, "description"): begin(.feedDescription, .html)
        case (let v, "lastBuildDate") where v.isRSS: begin(.feedUpdated, .raw)
        case (let v, "pubDate") where v.isRSS: begin(.feedUpdated, .raw)
        case (.dc, "date"), (.dcterms, "modified"): begin(.feedUpdated, .raw)
        case (let v, "ttl") where v.isRSS: begin(.feedTTL, .raw)
        case (.atom10, "link"), (.atom03, "link"):
            atomLink(attributes, forFeed: true)
            skipSubtree()
        default:
            // image, textinput, items (the RDF Seq), extensions: nothing of theirs is ours.
            skipSubtree()
        }
    }

    private func rssItemStart(_ vocabulary: Vocabulary, _ name: String, _ attributes: [XMLAttribute]) {
        switch (vocabulary, name) {
        case (let v, "title") where v.isRSS: begin(.title, .maybeHTML)
        case (.dc, "title"): begin(.title, .maybeHTML)
        case (let v, "link") where v.isRSS: begin(.link, .raw)
        case (let v, "guid") where v.isRSS:
            let permaLink = attributes.first { $0.name == "isPermaLink" }?.value
            item?.guidIsPermaLink = permaLink?.trimmingWhitespaces().lowercased() != "false"
            begin(.id, .raw)
        case (let v, "description") where v.isRSS: begin(.summary, .html)
        case (.dc, "description"), (.none, "summary"): begin(.summary, .html)
        case (.content, "encoded"): begin(.content, .html)
        case (let v, "fullitem") where v.isRSS: begin(.content, .html)
        case (let v, "body") where v.isRSS || v == .xhtml: begin(.content, .xhtml)
        case (.itunes, "summary"), (.media, "description"): begin(.fallbackSummary, .text)
        case (.media, "group"): return  // its media:description is read
        case (let v, "pubDate") where v.isRSS: begin(.published, .raw)
        case (.dc, "date"), (.dcterms, "issued"), (.dcterms, "created"), (.dcterms, "date"):
            begin(.dcDate, .raw)
        case (.dcterms, "modified"), (.atom10, "updated"): begin(.updated, .raw)
        case (.atom10, "published"): begin(.published, .raw)
        case (let v, "author") where v.isRSS: begin(.author, .line)
        case (.dc, "creator"), (.dc, "contributor"): begin(.author, .line)
        case (let v, "category") where v.isRSS: begin(.category, .line)
        case (.dc, "subject"): begin(.category, .line)
        case (.atom10, "link"), (.atom03, "link"):
            atomLink(attributes, forFeed: false)
            skipSubtree()
        default:
            skipSubtree()
        }
    }
}
