/// Why a document could not be read as a feed.
///
/// A struct over a private code, so that cases can be added without breaking callers.
/// `description` is one line fit for a log or for `watchctl`'s stderr; the caller adds
/// where the document came from (a file name or a URL).
public struct FeedParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failure with its particulars, for a caller that words it itself (the message
    /// catalogue's other languages).
    public enum Detail: Sendable, Equatable {
        /// Something else than a feed, and why.
        case notAFeed(Reason)
        /// A web page.
        case htmlPage
        /// Larger than the limit.
        case tooLarge(size: Int, limit: Int)
        /// A feed from which nothing usable could be recovered, and why.
        case malformed(Reason)
        /// Not an OPML document, and why.
        case notOPML(Reason)
        /// A page that could not be read as a page source (the reason is the whole line).
        case page(Reason)
    }

    /// Why, as a value: `description` is the English the parser writes; a catalogue words
    /// the other languages from the case, and only libxml2's own message stays as given.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// No byte, or only white space.
        case emptyDocument
        /// Neither markup nor a JSON object.
        case noXMLOrJSON
        /// The root element names another vocabulary.
        case rootElement(String)
        /// libxml2 found no root element and reported nothing.
        case noRootElement
        /// An OPML file with no root element and no libxml2 message.
        case noXMLRootElement
        /// libxml2's first error, as libxml2 words it.
        case libxml2(String)
        /// JSON that does not parse.
        case invalidJSON
        /// JSON whose top level is not an object.
        case jsonWithoutObject
        /// A JSON object without a jsonfeed.org version.
        case notJSONFeed
        /// A page with no content.
        case emptyPage
        /// A page source whose address answers a feed.
        case addressIsAFeed
        /// libxml2's HTML parser gave no document.
        case noHTML
        /// A recipe's XPath (`key` is the option or setting that holds it) does not compile.
        case invalidXPath(key: String, expression: String)
        /// libxml2 could not allocate an XPath context.
        case noXPathContext

        /// The English line.
        public var description: String {
            switch self {
            case .emptyDocument: return "the document is empty"
            case .noXMLOrJSON: return "no XML or JSON document"
            case .rootElement(let name): return "the root element is <\(name)>"
            case .noRootElement: return "no root element"
            case .noXMLRootElement: return "no XML root element"
            case .libxml2(let message): return message
            case .invalidJSON: return "invalid JSON"
            case .jsonWithoutObject: return "JSON without an object at the top"
            case .notJSONFeed: return "JSON that is not a JSON Feed (no jsonfeed.org version)"
            case .emptyPage: return "the page is empty"
            case .addressIsAFeed:
                return "this address is a feed, not a page: list it with kind = \"feed\" (the default)"
            case .noHTML: return "no HTML could be read from the page"
            case .invalidXPath(let key, let expression):
                return "\(key): \(expression) is not a valid XPath 1.0 expression"
            case .noXPathContext: return "libxml2 could not make an XPath context (out of memory?)"
            }
        }
    }

    private let code: Detail

    /// The failure with its particulars.
    public var detail: Detail { code }

    private init(_ code: Detail) { self.code = code }

    /// The document is something else (HTML, plain text, an unknown XML vocabulary).
    static func notAFeed(_ reason: Reason) -> FeedParseError { FeedParseError(.notAFeed(reason)) }
    /// The document is a web page (doctype or `<html>` root).
    static let htmlPage = FeedParseError(.htmlPage)
    /// The document is larger than `FeedParser.Configuration.maximumInputBytes`.
    static func tooLarge(size: Int, limit: Int) -> FeedParseError {
        FeedParseError(.tooLarge(size: size, limit: limit))
    }
    /// The document starts like a feed but nothing usable could be recovered from it.
    static func malformed(_ reason: Reason) -> FeedParseError { FeedParseError(.malformed(reason)) }
    /// The document is not an OPML subscription list.
    static func notOPML(_ reason: Reason) -> FeedParseError { FeedParseError(.notOPML(reason)) }

    /// A web page could not be read as a page source (the reason is the whole line).
    static func page(_ reason: Reason) -> FeedParseError { FeedParseError(.page(reason)) }

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
            return reason.description
        }
    }
}
