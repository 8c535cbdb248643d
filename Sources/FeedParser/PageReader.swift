import CLibXML2
import Foundation

/// Reads web pages that publish no feed: listing pages into items (through a ``PageRecipe`` or
/// one detected from the page), and a page's readable text for change watching.
///
/// Pages are parsed by libxml2's HTML parser (recovering from any markup, no network) and
/// queried with libxml2's XPath 1.0. Links resolve against the page URL and its `<base href>`.
///
/// ```swift
/// let feed = try PageReader().read(html, url: pageURL, recipe: PageRecipe(items: "//article"))
/// ```
public struct PageReader: Sendable {
    /// Limits: `maximumInputBytes` refuses larger pages, as for feeds.
    public var configuration: FeedParser.Configuration

    /// Creates a reader with the given limits.
    public init(configuration: FeedParser.Configuration = .init()) {
        self.configuration = configuration
    }

    /// The items `recipe` selects on the page, as a feed of format ``FeedFormat/htmlPage``.
    ///
    /// - Throws: `FeedParseError` when the page is too large, is a feed rather than a page, or
    ///   an expression does not compile.
    public func read(_ data: Data, url: URL, charset: String? = nil, recipe: PageRecipe) throws -> Feed {
        let document = try open(data, url: url, charset: charset)
        let compiled = try Compiled(recipe)
        return extract(document, compiled: compiled, url: url)
    }

    /// Finds the page's main repeated block and derives a recipe for it; `nil` when the page has
    /// no block of at least three siblings of one shape, each with a headline link.
    public func detect(_ data: Data, url: URL, charset: String? = nil) throws -> PageDetection? {
        let document = try open(data, url: url, charset: charset)
        guard let items = PageDetector(document: document).itemsExpression() else { return nil }
        let recipe = PageRecipe(items: items)
        let feed = extract(document, compiled: try Compiled(recipe), url: url)
        return feed.items.isEmpty ? nil : PageDetection(recipe: recipe, feed: feed)
    }

    /// The readable text of the page, one line per block: the `region` XPath's nodes, else the main
    /// content (`<main>`, `[role=main]`, `<article>`, else `<body>`), without navigation, header,
    /// footer, forms, scripts and styles.
    ///
    /// - Returns: the page's title and its lines of text.
    public func text(_ data: Data, url: URL, charset: String? = nil, region: String? = nil) throws -> PageTextSnapshot {
        let document = try open(data, url: url, charset: charset)
        var roots: [HTMLDocument.Node] = []
        if let region {
            guard let expression = XPathExpression(region) else {
                throw FeedParseError.page(.invalidXPath(key: "region", expression: region))
            }
            roots = document.nodes(expression)
        } else {
            for candidate in ["//main", "//*[@role='main']", "//article", "//body"] {
                roots = document.nodes(XPathExpression(candidate)!)
                if !roots.isEmpty { break }
            }
            if roots.isEmpty, let root = document.root { roots = [root] }
        }
        let collector = PageText.Collector()
        for root in roots {
            HTMLDocument.collect(root, into: collector, skippingChrome: true)
        }
        return PageTextSnapshot(title: document.title, lines: collector.finish(), regionMatched: !roots.isEmpty)
    }

    // MARK: private

    private func open(_ data: Data, url: URL, charset: String?) throws -> HTMLDocument {
        guard data.count <= configuration.maximumInputBytes else {
            throw FeedParseError.tooLarge(size: data.count, limit: configuration.maximumInputBytes)
        }
        switch Sniffer.kind(of: data) {
        case .empty:
            throw FeedParseError.page(.emptyPage)
        case .json where FeedLinks.looksLikeFeed(data), .xml where FeedLinks.looksLikeFeed(data):
            throw FeedParseError.page(.addressIsAFeed)
        default:
            break
        }
        return try HTMLDocument(data, url: url, charset: charset)
    }

    /// A recipe's expressions compiled once for all the blocks of a page.
    private struct Compiled {
        let items: XPathExpression
        let title, link, date, summary: XPathExpression?

        init(_ recipe: PageRecipe) throws {
            func compile(_ key: String, _ source: String?) throws -> XPathExpression? {
                guard let source else { return nil }
                guard let compiled = XPathExpression(source) else {
                    throw FeedParseError.page(.invalidXPath(key: key, expression: source))
                }
                return compiled
            }
            items = try compile("items", recipe.items)!
            title = try compile("title", recipe.title)
            link = try compile("link", recipe.link)
            date = try compile("date", recipe.date)
            summary = try compile("summary", recipe.summary)
        }
    }

    private func extract(_ document: HTMLDocument, compiled: Compiled, url: URL) -> Feed {
        var feed = Feed(format: .htmlPage, title: document.title, link: url.absoluteString)
        var seen: Set<String> = []
        for block in document.nodes(compiled.items) {
            // One walk of the block finds what every default needs.
            let scan = BlockScan(block)
            var item = Item()
            let headline = scan.headline
            item.title = compiled.title.flatMap { document.string($0, at: block) } ?? headline.map(HTMLDocument.text)
            let href: String?
            if let expression = compiled.link {
                switch document.evaluate(expression, at: block) {
                case .nodes(let nodes):
                    href = nodes.first.flatMap { HTMLDocument.attribute($0, "href") ?? HTMLDocument.text(of: $0) }
                default:
                    href = document.string(expression, at: block)
                }
            } else {
                href = headline.flatMap { HTMLDocument.attribute($0, "href") }
            }
            item.link = href.flatMap(URLResolver.trimmed).map { URLResolver.resolve($0, against: document.baseURL) }
            let dates = Self.dates(document, compiled.date, in: block, scan)
            item.published = dates.published
            item.updated = dates.updated
            if let expression = compiled.summary {
                item.summary = document.string(expression, at: block)
            } else {
                item.summary = Self.summary(scan, title: item.title)
            }
            if item.title == nil, item.link == nil { continue }
            // One item per link: a page repeating a block (a "featured" copy) does not make two.
            let key = item.link ?? item.identity
            guard seen.insert(key).inserted else { continue }
            feed.items.append(item)
        }
        return feed
    }

    /// What the defaults read from a block, found in one walk: its headline link (the first
    /// usable link inside a heading, else the first usable link), its first `<time>`, its first
    /// paragraphs, and its text.
    struct BlockScan {
        typealias Node = HTMLDocument.Node
        private(set) var headingLink: Node?
        private(set) var firstLink: Node?
        private(set) var time: Node?
        private(set) var paragraphs: [Node] = []
        private(set) var text: String = ""

        /// The block's headline link: the block itself when it is a usable link, else a link in a
        /// heading, else its first link with text.
        var headline: Node? { headingLink ?? firstLink }

        init(_ block: Node) {
            if HTMLDocument.elementClass(block).contains(.link), Self.usable(block) {
                headingLink = block
            }
            let collector = PageText.Collector()
            var headingDepth = 0
            var found: (heading: Node?, first: Node?, time: Node?, paragraphs: [Node]) = (headingLink, nil, nil, [])
            HTMLDocument.walk(
                block,
                leave: { node in
                    let kind = HTMLDocument.elementClass(node)
                    if kind.contains(.heading) { headingDepth -= 1 }
                    if kind.contains(.block) { collector.breakLine() }
                }
            ) { node in
                switch node.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let content = node.pointee.content { collector.append(content) }
                    return .skipChildren
                case XML_ELEMENT_NODE:
                    let kind = HTMLDocument.elementClass(node)
                    if kind.contains(.invisible) { return .skipChildren }
                    if kind.contains(.block) { collector.breakLine() }
                    if kind.contains(.heading) { headingDepth += 1 }
                    if kind.contains(.link), found.heading == nil || found.first == nil {
                        if (headingDepth > 0 && found.heading == nil) || found.first == nil, Self.usable(node) {
                            if headingDepth > 0, found.heading == nil { found.heading = node }
                            if found.first == nil { found.first = node }
                        }
                    }
                    if kind.contains(.time), found.time == nil { found.time = node }
                    if kind.contains(.paragraph), found.paragraphs.count < 8 { found.paragraphs.append(node) }
                    return .descend
                default:
                    return .skipChildren
                }
            }
            headingLink = found.heading
            firstLink = found.first
            time = found.time
            paragraphs = found.paragraphs
            text = collector.finish().joined(separator: " ")
        }

        /// A link that leads somewhere (not `#…`, `javascript:`, `mailto:`) and has visible text.
        static func usable(_ node: Node) -> Bool {
            guard let href = HTMLDocument.attribute(node, "href") else { return false }
            let bytes = href.utf8.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            guard let first = bytes.first, first != UInt8(ascii: "#") else { return false }
            for scheme in ["javascript:", "mailto:"] where bytes.count >= scheme.utf8.count {
                if zip(bytes, scheme.utf8).allSatisfy({ ($0 | 0x20) == $1 }) { return false }
            }
            return HTMLDocument.hasVisibleText(node)
        }
    }

    private static func dates(
        _ document: HTMLDocument, _ expression: XPathExpression?, in block: HTMLDocument.Node, _ scan: BlockScan
    ) -> PageDate.Found {
        if let expression {
            switch document.evaluate(expression, at: block) {
            case .nodes(let nodes):
                guard let node = nodes.first else { return .init() }
                if let value = HTMLDocument.attribute(node, "datetime"), let date = PageDate.parse(value) {
                    return .init(published: date)
                }
                return PageDate.find(in: HTMLDocument.text(of: node))
            default:
                return document.string(expression, at: block).map { PageDate.find(in: $0) } ?? .init()
            }
        }
        var found = PageDate.Found()
        if let time = scan.time {
            found.published =
                HTMLDocument.attribute(time, "datetime").flatMap(PageDate.parse)
                ?? PageDate.parse(HTMLDocument.text(of: time))
        }
        let inText = PageDate.find(in: scan.text)
        if found.published == nil { found.published = inText.published }
        found.updated = inText.updated
        return found
    }

    private static func summary(_ scan: BlockScan, title: String?) -> String? {
        for paragraph in scan.paragraphs {
            let text = HTMLDocument.text(of: paragraph)
            guard text.utf8.count >= 20, text != title else { continue }
            // A paragraph holding only a date ("Publié le 2 décembre 2026") is not a summary.
            if text.utf8.count < 60, PageDate.first(in: text) != nil { continue }
            return text
        }
        return nil
    }
}

/// The readable text of a watched page (``PageReader/text(_:url:charset:region:)``).
public struct PageTextSnapshot: Sendable, Equatable {
    /// The page's `<title>`.
    public var title: String?
    /// Its text, one line per block, whitespace collapsed.
    public var lines: [String]
    /// False when the `region` expression matched nothing.
    public var regionMatched: Bool
}
