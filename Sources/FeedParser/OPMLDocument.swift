import Foundation

/// An OPML 1.0 / 2.0 subscription list: the feeds of its outlines, nested folders flattened.
public struct OPMLDocument: Sendable, Equatable {
    /// `<head><title>`, when present.
    public var title: String?
    /// Every outline with an `xmlUrl`, in document order.
    public var outlines: [OPMLFeedOutline]

    /// Creates a document value.
    public init(title: String? = nil, outlines: [OPMLFeedOutline] = []) {
        self.title = title
        self.outlines = outlines
    }

    /// Reads an OPML document. Attribute names are matched case-insensitively (`xmlUrl`,
    /// `xmlurl`, `XMLURL` all occur); an outline's title is its `title`, else its `text`.
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
        return OPMLDocument(title: handler.title, outlines: handler.outlines)
    }
}

/// One feed of an OPML document.
public struct OPMLFeedOutline: Sendable, Equatable {
    /// The feed URL (`xmlUrl`), trimmed.
    public var url: String
    /// `title`, else `text`.
    public var title: String?
    /// The site (`htmlUrl`).
    public var htmlURL: String?
    /// The titles of the enclosing outlines, outermost first (the folders), then the tags of
    /// the outline's own OPML 2.0 `category` attribute.
    public var categories: [String]

    /// Creates an outline value.
    public init(url: String, title: String? = nil, htmlURL: String? = nil, categories: [String] = []) {
        self.url = url
        self.title = title
        self.htmlURL = htmlURL
        self.categories = categories
    }
}

private final class OPMLHandler: XMLStreamHandler {
    var root: String?
    var title: String?
    var outlines: [OPMLFeedOutline] = []
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
                let value = attributes.first { $0.name.lowercased() == key }?.value
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                return value?.isEmpty == false ? value : nil
            }
            let label = attribute("title") ?? attribute("text")
            if let url = attribute("xmlurl") {
                // OPML 2.0 `category`: comma-separated, each a slash-delimited path; its last step is the tag.
                let tags = (attribute("category") ?? "").split(separator: ",").compactMap { entry in
                    entry.split(separator: "/").last.map { $0.trimmingCharacters(in: .whitespaces) }
                }.filter { !$0.isEmpty }
                outlines.append(
                    OPMLFeedOutline(url: url, title: label, htmlURL: attribute("htmlurl"), categories: path + tags))
            } else if let label {
                path.append(label)
                didPush = true
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
