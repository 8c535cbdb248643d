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
                throw FeedParseError.page("region: \(region) is not a valid XPath 1.0 expression")
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
            HTMLDocument.collect(root, into: collector, skipping: ["nav", "header", "footer", "form", "aside", "button"])
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
            throw FeedParseError.page("the page is empty")
        case .json where FeedDiscovery.looksLikeFeed(data), .xml where FeedDiscovery.looksLikeFeed(data):
            throw FeedParseError.page("this address is a feed, not a page: list it with kind = \"feed\" (the default)")
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
                    throw FeedParseError.page("\(key): \(source) is not a valid XPath 1.0 expression")
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

    /// The expressions behind the defaults, compiled once per page (a compiled expression is
    /// not shared between threads).
    private final class Defaults {
        let headlineLink = XPathExpression(
            ".//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]//a[@href]")!
        let anyLink = XPathExpression(".//a[@href]")!
        let time = XPathExpression(".//time")!
        let paragraphs = XPathExpression(".//p")!
    }

    private func extract(_ document: HTMLDocument, compiled: Compiled, url: URL) -> Feed {
        var feed = Feed(format: .htmlPage, title: document.title, link: url.absoluteString)
        var seen: Set<String> = []
        let defaults = Defaults()
        for block in document.nodes(compiled.items) {
            var item = Item()
            let headline = Self.headline(document, in: block, defaults)
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
            let dates = Self.dates(document, compiled.date, in: block, defaults)
            item.published = dates.published
            item.updated = dates.updated
            if let expression = compiled.summary {
                item.summary = document.string(expression, at: block)
            } else {
                item.summary = Self.summary(document, in: block, title: item.title, defaults)
            }
            if item.title == nil, item.link == nil { continue }
            // One item per link: a page repeating a block (a "featured" copy) does not make two.
            let key = item.link ?? item.identity
            guard seen.insert(key).inserted else { continue }
            feed.items.append(item)
        }
        return feed
    }

    /// The block's headline link: a link in a heading, else the first link with text.
    private static func headline(_ document: HTMLDocument, in block: HTMLDocument.Node, _ defaults: Defaults)
        -> HTMLDocument.Node?
    {
        func usable(_ node: HTMLDocument.Node) -> Bool {
            guard let href = HTMLDocument.attribute(node, "href")?.trimmingCharacters(in: .whitespaces),
                !href.isEmpty, !href.hasPrefix("#"), !href.lowercased().hasPrefix("javascript:"),
                !href.lowercased().hasPrefix("mailto:")
            else { return false }
            return !HTMLDocument.text(of: node).isEmpty
        }
        if HTMLDocument.isElement(block, "a"), usable(block) { return block }
        if let link = document.nodes(defaults.headlineLink, at: block).first(where: usable) { return link }
        return document.nodes(defaults.anyLink, at: block).first(where: usable)
    }

    private static func dates(_ document: HTMLDocument, _ expression: XPathExpression?, in block: HTMLDocument.Node, _ defaults: Defaults
    ) -> PageDate.Found
    {
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
        if let time = document.nodes(defaults.time, at: block).first {
            found.published = HTMLDocument.attribute(time, "datetime").flatMap(PageDate.parse)
                ?? PageDate.parse(HTMLDocument.text(of: time))
        }
        let inText = PageDate.find(in: HTMLDocument.text(of: block))
        if found.published == nil { found.published = inText.published }
        found.updated = inText.updated
        return found
    }

    private static func summary(
        _ document: HTMLDocument, in block: HTMLDocument.Node, title: String?, _ defaults: Defaults
    ) -> String? {
        for paragraph in document.nodes(defaults.paragraphs, at: block) {
            let text = HTMLDocument.text(of: paragraph)
            guard text.count >= 20, text != title else { continue }
            // A paragraph holding only a date ("Publié le 2 décembre 2026") is not a summary.
            if text.count < 60, PageDate.first(in: text) != nil { continue }
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
