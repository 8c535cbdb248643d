import CLibXML2
import Foundation

/// A feed announced by an HTML page (`<link rel="alternate" type="application/rss+xml" …>`).
public struct DiscoveredFeed: Sendable, Equatable {
    /// The feed's absolute URL.
    public var url: String
    /// The link's `title`, when present.
    public var title: String?
    /// The declared MIME type (`application/rss+xml`, `application/atom+xml`, `application/feed+json`).
    public var type: String

    /// Creates a discovered-feed value.
    public init(url: String, title: String?, type: String) {
        self.url = url
        self.title = title
        self.type = type
    }
}

/// What a document says about feeds, read from its bytes alone: the feeds an HTML page links
/// to (autodiscovery), and whether the bytes are a web page or a feed (sniffing). RegWatch's
/// `FeedDiscoverer` fetches; this only reads.
public enum FeedLinks {
    /// The feed types autodiscovery recognises.
    static let feedTypes: Set<String> = [
        "application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml",
        "application/json", "text/xml", "application/xml",
    ]

    /// The feeds an HTML page links to with `rel="alternate"`, in document order, hrefs
    /// resolved against `<base href>` then `baseURL`, duplicates removed.
    public static func alternateFeeds(inHTML data: Data, baseURL: URL) -> [DiscoveredFeed] {
        let scanner = HTMLLinkScanner()
        scanner.scan(data)
        var base = baseURL.absoluteString
        if let declared = scanner.baseHref { base = URLResolver.resolve(declared, against: base) }
        var seen = Set<String>()
        var result: [DiscoveredFeed] = []
        for link in scanner.links {
            let rels = link["rel"]?.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) ?? []
            guard rels.contains("alternate") || rels.contains("feed") else { continue }
            let type =
                (link["type"] ?? "").lowercased().split(separator: ";").first.map {
                    $0.trimmingCharacters(in: .whitespaces)
                } ?? ""
            guard feedTypes.contains(type) || (type.isEmpty && rels.contains("feed")) else { continue }
            guard let href = URLResolver.trimmed(link["href"]) else { continue }
            let url = URLResolver.resolve(href, against: base)
            guard seen.insert(url).inserted else { continue }
            let title = link["title"].flatMap { URLResolver.trimmed($0) }
            result.append(DiscoveredFeed(url: url, title: title, type: type.isEmpty ? "application/rss+xml" : type))
        }
        return result
    }

    /// True when the bytes are an HTML page (doctype or `<html>` root), not a feed. (Not to be
    /// confused with the builder's `mayBeHTML`, feedparser's guess that a field's text is markup.)
    public static func isHTMLPage(_ data: Data) -> Bool {
        Sniffer.kind(of: data) == .html
    }

    /// True when the bytes start like a feed: an `<rss>`, `<rdf:RDF>`, `<feed>` or `<channel>`
    /// root, or a JSON Feed object.
    public static func looksLikeFeed(_ data: Data) -> Bool {
        let head = Sniffer.head(of: data)
        switch Sniffer.kind(of: data) {
        case .json:
            return String(decoding: head, as: UTF8.self).contains("jsonfeed.org/version")
        case .xml:
            guard let root = Sniffer.rootName(head) else { return false }
            let local = root.split(separator: ":").last.map(String.init)?.lowercased() ?? ""
            return Sniffer.feedRoots.contains(local)
        default:
            return false
        }
    }
}

/// Collects the attributes of every `<link>` (and the first `<base>`) of an HTML page through
/// libxml2's HTML parser in SAX mode.
private final class HTMLLinkScanner {
    var links: [[String: String]] = []
    var baseHref: String?

    func scan(_ data: Data) {
        LibXML2.initialize()
        guard data.count < Int(Int32.max), let context = htmlNewParserCtxt() else { return }
        defer { htmlFreeParserCtxt(context) }
        guard let sax = context.pointee.sax else { return }
        sax.pointee = htmlSAXHandler()
        sax.pointee.initialized = UInt32(XML_SAX2_MAGIC)
        sax.pointee.startElement = { ctx, name, attributes in
            guard let ctx, let name else { return }
            let parser = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
            guard let me = parser.pointee._private else { return }
            let scanner = Unmanaged<HTMLLinkScanner>.fromOpaque(me).takeUnretainedValue()
            let tag = String(cString: name).lowercased()
            guard tag == "link" || tag == "base" else { return }
            var values: [String: String] = [:]
            var k = 0
            while let attributes, let key = attributes[k] {
                let value = attributes[k + 1].map { String(cString: $0) } ?? ""
                values[String(cString: key).lowercased()] = value
                k += 2
            }
            if tag == "link" {
                scanner.links.append(values)
            } else if scanner.baseHref == nil, let href = values["href"] {
                scanner.baseHref = href.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        sax.pointee.serror = { _, _ in }
        context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
        let options =
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NODEFDTD.rawValue
        data.withUnsafeBytes { raw in
            let chars = raw.bindMemory(to: CChar.self)
            if let document = htmlCtxtReadMemory(
                context, chars.baseAddress, Int32(chars.count), nil, nil, Int32(bitPattern: options))
            {
                xmlFreeDoc(document)
            }
        }
        context.pointee._private = nil
    }
}
