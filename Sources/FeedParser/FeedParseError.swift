/// Why a document could not be read as a feed.
///
/// A struct over a private code, so that cases can be added without breaking callers.
/// `description` is one line fit for a log or for `watchctl`'s stderr; the caller adds
/// where the document came from (a file name or a URL).
public struct FeedParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failure with its particulars, for a caller that words it itself (the message
    /// catalogue's other languages). The reasons are libxml2's or the parser's English words.
    public enum Detail: Sendable, Equatable {
        /// Something else than a feed, and why.
        case notAFeed(String)
        /// A web page.
        case htmlPage
        /// Larger than the limit.
        case tooLarge(size: Int, limit: Int)
        /// A feed from which nothing usable could be recovered, and why.
        case malformed(String)
        /// Not an OPML document, and why.
        case notOPML(String)
        /// A page that could not be read as a page source (the reason is the whole line).
        case page(String)
    }

    private let code: Detail

    /// The failure with its particulars.
    public var detail: Detail { code }

    private init(_ code: Detail) { self.code = code }

    /// The document is something else (HTML, plain text, an unknown XML vocabulary).
    static func notAFeed(_ reason: String) -> FeedParseError { FeedParseError(.notAFeed(reason)) }
    /// The document is a web page (doctype or `<html>` root).
    static let htmlPage = FeedParseError(.htmlPage)
    /// The document is larger than `FeedParser.Configuration.maximumInputBytes`.
    static func tooLarge(size: Int, limit: Int) -> FeedParseError {
        FeedParseError(.tooLarge(size: size, limit: limit))
    }
    /// The document starts like a feed but nothing usable could be recovered from it.
    static func malformed(_ reason: String) -> FeedParseError { FeedParseError(.malformed(reason)) }
    /// The document is not an OPML subscription list.
    static func notOPML(_ reason: String) -> FeedParseError { FeedParseError(.notOPML(reason)) }

    /// A web page could not be read as a page source (the reason is the whole line).
    static func page(_ reason: String) -> FeedParseError { FeedParseError(.page(reason)) }

    /// True when the document is simply not a feed (as opposed to a broken or oversized one).
    public var isNotAFeed: Bool {
        switch code {
        case .notAFeed, .htmlPage: return true
        default: return false
        }
    }

    /// True when the document is a web page: a site's page or an error page answered with 200.
    public var isHTMLPage: Bool { code == .htmlPage }

    /// True when the document was refused for its size.
    public var isTooLarge: Bool {
        if case .tooLarge = code { return true }
        return false
    }

    /// One line: what is wrong with the document.
    public var description: String {
        switch code {
        case .notAFeed(let reason):
            return "not an RSS, Atom, RDF or JSON feed: \(reason)"
        case .htmlPage:
            return "not an RSS, Atom, RDF or JSON feed: an HTML page"
        case .tooLarge(let size, let limit):
            return "document too large: \(size) bytes, the limit is \(limit) bytes"
        case .malformed(let reason):
            return "malformed feed: \(reason)"
        case .notOPML(let reason):
            return "not an OPML document: \(reason)"
        case .page(let reason):
            return reason
        }
    }
}
