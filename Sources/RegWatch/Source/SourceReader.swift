import FeedParser
import Foundation
import Transfer

/// Turns a fetched response into items: one reader per source kind (``SourceKind``), so the
/// poller fetches, stores and schedules every kind the same way and never branches on kinds.
protocol SourceReader: Sendable {
    /// What the `Accept` header asks for.
    var accept: FetchRequest.Accept { get }

    /// Reads `response` (a 200) into items.
    ///
    /// - Parameters:
    ///   - previous: what the last successful read of this source left (item count, snapshot).
    ///   - time: when the response arrived: the date of a change.
    /// - Throws: ``SourceReadError`` or `FeedParseError`, one line each, when the response gives
    ///   nothing usable; the source then fails with that line (status, list-feeds, digest).
    func read(_ response: FetchResponse, previous: SourceMemory?, at time: Date) throws -> SourceReading
}

/// What one read gave: the items as a feed, and what to remember for the next read.
struct SourceReading: Sendable {
    /// The items (a feed's entries, a page's blocks, or the one change).
    var feed: Feed
    /// What the next read compares with; `nil` keeps nothing (feeds).
    var memory: SourceMemory?
}

/// What a page or a watched document's last read leaves for the next one (stored in the
/// `pageMemory` table, one row per source).
public struct SourceMemory: Sendable, Equatable {
    /// `kind = "page"`: how many items the page gave (to tell "layout changed" from "empty").
    public var itemCount: Int?
    /// `kind = "change"`: the compared text of the page (after `ignore`), or the document's digest.
    public var snapshot: String?
    /// `kind = "change"` on a document: its media type and size.
    public var contentType: String?
    /// The document's size in bytes.
    public var size: Int?

    /// Creates a memory.
    public init(itemCount: Int? = nil, snapshot: String? = nil, contentType: String? = nil, size: Int? = nil) {
        self.itemCount = itemCount
        self.snapshot = snapshot
        self.contentType = contentType
        self.size = size
    }
}

/// Why a page gave nothing usable: one line saying what to do.
struct SourceReadError: Error, CustomStringConvertible {
    let description: String
}

enum SourceReaders {
    /// The reader for `entry`'s kind.
    static func reader(for entry: FeedEntry, configuration: Configuration) -> any SourceReader {
        let limits = FeedParser.Configuration(maximumInputBytes: configuration.fetch.maxBytes.bytes)
        switch entry.kind {
        case .feed:
            return FeedSourceReader(parser: FeedParser(configuration: limits))
        case .page(let recipe):
            return PageSourceReader(reader: PageReader(configuration: limits), recipe: recipe, url: entry.url)
        case .change(let watch):
            return ChangeSourceReader(
                reader: PageReader(configuration: limits), watch: watch, url: entry.url,
                language: configuration.digest.language)
        }
    }
}

/// `kind = "feed"`: RSS, Atom, RDF, JSON Feed.
struct FeedSourceReader: SourceReader {
    let parser: FeedParser
    var accept: FetchRequest.Accept { .feeds }

    func read(_ response: FetchResponse, previous: SourceMemory?, at time: Date) throws -> SourceReading {
        SourceReading(feed: try parser.parse(response.body, baseURL: response.finalURL, charset: response.charset))
    }
}

/// `kind = "page"`: the recipe's (or the detected) repeated block, one item per block.
struct PageSourceReader: SourceReader {
    let reader: PageReader
    let recipe: PageRecipe?
    let url: FeedURL
    var accept: FetchRequest.Accept { .pages }

    func read(_ response: FetchResponse, previous: SourceMemory?, at time: Date) throws -> SourceReading {
        let feed: Feed
        if let recipe {
            feed = try reader.read(response.body, url: response.finalURL, charset: response.charset, recipe: recipe)
        } else if let detected = try reader.detect(response.body, url: response.finalURL, charset: response.charset) {
            feed = detected.feed
        } else {
            feed = Feed(format: .htmlPage)
        }
        guard !feed.items.isEmpty else {
            let check = "check the selector with `watchctl fetch \(url.rawValue) --kind page`"
            if let last = previous?.itemCount, last > 0 {
                throw SourceReadError(
                    description: "the page layout changed: items matched nothing, \(last) last time — \(check)")
            }
            throw SourceReadError(
                description: recipe == nil
                    ? "no repeated block of headline links found on the page — give items = \"XPATH\" (\(check))"
                    : "items matched nothing on the page — \(check)")
        }
        return SourceReading(feed: feed, memory: SourceMemory(itemCount: feed.items.count))
    }
}
