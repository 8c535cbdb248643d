import Foundation

/// An OPML 1.0 / 2.0 subscription list: the feeds of its outlines (and its OPML 2.0 links),
/// nested folders flattened.
public struct OPMLDocument: Sendable, Equatable {
    /// `<head><title>`, when present.
    public var title: String?
    /// Every outline with an `xmlUrl` (a feed) and every OPML 2.0 `type="link"` outline with a
    /// `url` (else an `htmlUrl`) and no `xmlUrl` (a page: ``OPMLFeedOutline/isLink``), in
    /// document order.
    public var entries: [OPMLFeedOutline]

    /// The feeds: the ``entries`` with an `xmlUrl`, in document order.
    public var outlines: [OPMLFeedOutline] { entries.filter { !$0.isLink } }

    /// Creates a document value; `outlines` are its ``entries`` (feeds and links, in order).
    public init(title: String? = nil, outlines: [OPMLFeedOutline] = []) {
        self.title = title
        self.entries = outlines
    }

    /// Reads an OPML document. Attribute names are matched case-insensitively (`xmlUrl`,
    /// `xmlurl`, `XMLURL` all occur) among the attributes in no namespace (a `regwatch:title`
    /// is not the `title`); an outline's title is its `title`, else its `text`. Attributes in a
    /// namespace are kept by namespace URI (``OPMLFeedOutline/attributes(inNamespace:)``), so
    /// whatever prefix a document binds to it.
    ///
    /// - Throws: `FeedParseError` when the root element is not `<opml>`.
    public static func parse(_ data: Data) throws -> OPMLDocument {
        let handler = OPMLHandler()
        let stream = XMLStream(handler: handler, libxml2Encoding: nil)
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let (encoding, bom) = SourceEncoding.detect(bytes, httpCharset: nil)
            stream.parse(UnsafeBufferPointer(rebasing: bytes[bom...]), encoding: encoding)
        }
        guard let root = handler.root else {
            throw FeedParseError.notOPML(stream.firstError.map { .libxml2($0) } ?? .noXMLRootElement)
        }
        guard root.lowercased() == "opml" else { throw FeedParseError.notOPML(.rootElement(root)) }
        return OPMLDocument(title: handler.title, outlines: handler.entries)
    }
}

/// One feed of an OPML document, or one OPML 2.0 link (``isLink``).
public struct OPMLFeedOutline: Sendable, Equatable {
    /// The feed URL (`xmlUrl`), trimmed; for a link, its `url`, else its `htmlUrl`.
    public var url: String
    /// `title`, else `text`.
    public var title: String?
    /// The site (`htmlUrl`).
    public var htmlURL: String?
    /// The titles of the enclosing outlines, outermost first (the folders), then the tags of
    /// the outline's own OPML 2.0 `category` attribute.
    public var categories: [String]
    /// Whether this is an OPML 2.0 `type="link"` outline (a web page, which readers do not
    /// subscribe to) rather than a feed.
    public var isLink: Bool
    /// The attributes in an XML namespace: namespace URI → local name → value, untrimmed.
    public var namespacedAttributes: [String: [String: String]]

    /// Creates an outline value.
    public init(
        url: String, title: String? = nil, htmlURL: String? = nil, categories: [String] = [], isLink: Bool = false,
        namespacedAttributes: [String: [String: String]] = [:]
    ) {
        self.url = url
        self.title = title
        self.htmlURL = htmlURL
        self.categories = categories
        self.isLink = isLink
        self.namespacedAttributes = namespacedAttributes
    }

    /// The outline's attributes in the namespace `uri` (local name → value), whatever prefix
    /// the document binds to it; empty when it has none.
    ///
    /// ```swift
    /// // <opml xmlns:rw="https://example.org/ns"> … <outline rw:weight="2" …/>
    /// outline.attributes(inNamespace: "https://example.org/ns")  // ["weight": "2"]
    /// ```
    public func attributes(inNamespace uri: String) -> [String: String] { namespacedAttributes[uri] ?? [:] }
}

private final class OPMLHandler: XMLStreamHandler {
    var root: String?
    var title: String?
    var entries: [OPMLFeedOutline] = []
    private var path: [String] = []
    /// For each open element: whether it pushed a folder name on `path`.
    private var pushed: [Bool] = []
    private var inHeadTitle = false
    private var text: [UInt8] = []
    private var depth = 0

    func startElement(namespace: String?, prefix: String?, name: String, attributes: [XMLAttribute]) {
        depth += 1
        if depth == 1 { root = name }
        let lower = name.lowercased()
        var didPush = false
        if lower == "title", depth == 3 {
            inHeadTitle = true
            text = []
        } else if lower == "outline" {
            func attribute(_ key: String) -> String? {
                let value = attributes.first { $0.namespace == nil && $0.name.lowercased() == key }?.value
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                return value?.isEmpty == false ? value : nil
            }
            let label = attribute("title") ?? attribute("text")
            // OPML 2.0 `category`: comma-separated, each a slash-delimited path; its last step is the tag.
            func tags() -> [String] {
                (attribute("category") ?? "").split(separator: ",").compactMap { entry in
                    entry.split(separator: "/").last.map { $0.trimmingCharacters(in: .whitespaces) }
                }.filter { !$0.isEmpty }
            }
            var namespaced: [String: [String: String]] = [:]
            for attribute in attributes {
                if let uri = attribute.namespace { namespaced[uri, default: [:]][attribute.name] = attribute.value }
            }
            if let url = attribute("xmlurl") {
                entries.append(
                    OPMLFeedOutline(
                        url: url, title: label, htmlURL: attribute("htmlurl"), categories: path + tags(),
                        namespacedAttributes: namespaced))
            } else {
                if attribute("type")?.lowercased() == "link", let url = attribute("url") ?? attribute("htmlurl") {
                    entries.append(
                        OPMLFeedOutline(
                            url: url, title: label, htmlURL: attribute("htmlurl"), categories: path + tags(),
                            isLink: true, namespacedAttributes: namespaced))
                }
                // A link with outlines inside names them as a folder does, as before links were read.
                if let label {
                    path.append(label)
                    didPush = true
                }
            }
        }
        pushed.append(didPush)
    }

    func endElement() {
        if inHeadTitle {
            inHeadTitle = false
            var accumulator = TextAccumulator()
            text.withUnsafeBufferPointer { accumulator.append($0) }
            title = accumulator.result()
        }
        if pushed.removeLast() { path.removeLast() }
        depth -= 1
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if inHeadTitle { text.append(contentsOf: bytes) }
    }
}
