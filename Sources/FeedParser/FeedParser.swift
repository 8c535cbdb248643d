import Foundation

/// Parses feed documents (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1) into `Feed` values.
///
/// One entry point, one parser per format family behind it: the format is sniffed from the
/// first bytes (JSON or XML) and the root element. XML is streamed through libxml2's SAX2
/// parser: no tree of the document is built, memory stays bounded by the largest field, and
/// the parser never touches the network or the file system (no external DTD, no external
/// entity, no expansion of declared entities).
///
/// ```swift
/// let feed = try FeedParser().parse(data, baseURL: URL(string: "https://www.centre-inffo.fr/feed"))
/// print(feed.items.first?.title ?? "")
/// ```
public struct FeedParser: Sendable {
    /// Limits applied to every document.
    public struct Configuration: Sendable, Equatable {
        /// Documents larger than this are refused with a `tooLarge` error. Default 10 MiB,
        /// the fetcher's own cap.
        public var maximumInputBytes: Int
        /// Text beyond this many bytes in one field (a description, a content) is dropped, so one
        /// runaway element cannot hold the whole document in memory. Default 1 MiB.
        public var maximumFieldBytes: Int

        /// Creates a configuration; the defaults are those documented on each property.
        ///
        /// Entities need no limit here: declared entities are never expanded (predefined and
        /// HTML named entities are the only ones decoded), so entity amplification cannot occur.
        public init(maximumInputBytes: Int = 10 * 1024 * 1024, maximumFieldBytes: Int = 1024 * 1024) {
            self.maximumInputBytes = maximumInputBytes
            self.maximumFieldBytes = maximumFieldBytes
        }
    }

    /// The limits in force.
    public var configuration: Configuration

    /// Creates a parser with the given limits.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Parses one feed document.
    ///
    /// - Parameters:
    ///   - data: the document's bytes, as fetched or read.
    ///   - baseURL: where the document came from; relative links resolve against it (after
    ///     any `xml:base`, before the feed's own link).
    ///   - charset: the charset of the HTTP `Content-Type`, when there was one; it overrides
    ///     the XML declaration (a byte-order mark still wins).
    /// - Returns: the feed, its items in document order.
    /// - Throws: `FeedParseError` when the document is too large, is not a feed, or nothing
    ///   could be recovered from it.
    public func parse(_ data: Data, baseURL: URL? = nil, charset: String? = nil) throws -> Feed {
        guard data.count <= configuration.maximumInputBytes else {
            throw FeedParseError.tooLarge(size: data.count, limit: configuration.maximumInputBytes)
        }
        let sniffed = Sniffer.kind(of: data)
        switch sniffed {
        case .json:
            return try JSONFeedParser.parse(data, baseURL: baseURL?.absoluteString)
        case .html:
            throw FeedParseError.htmlPage
        case .empty:
            throw FeedParseError.notAFeed(.emptyDocument)
        case .text:
            throw FeedParseError.notAFeed(.noXMLOrJSON)
        case .xml:
            return try parseXML(data, baseURL: baseURL?.absoluteString, charset: charset)
        }
    }

    private func parseXML(_ data: Data, baseURL: String?, charset: String?) throws -> Feed {
        let builder = XMLFeedBuilder(baseURL: baseURL, maximumFieldBytes: configuration.maximumFieldBytes)
        let stream: XMLStream = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let (encoding, bom) = SourceEncoding.detect(bytes, httpCharset: charset)
            var libxml2Encoding: String?
            if case .other(let name) = encoding, !SourceEncoding.iconvConverts(name) { libxml2Encoding = name }
            let stream = XMLStream(handler: builder, libxml2Encoding: libxml2Encoding)
            stream.parse(UnsafeBufferPointer(rebasing: bytes[bom...]), encoding: encoding)
            return stream
        }
        guard builder.rootName != nil else {
            throw FeedParseError.malformed(stream.firstError.map { .libxml2($0) } ?? .noRootElement)
        }
        guard builder.format != nil else {
            throw FeedParseError.notAFeed(.rootElement(builder.rootName!))
        }
        return builder.result()
    }
}
