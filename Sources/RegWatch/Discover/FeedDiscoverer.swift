import FeedParser
import Foundation
import Transfer

/// Turns a URL a person gives (a feed, or a site's page) into a parsed feed.
///
/// A feed URL is fetched and parsed. An HTML page is searched for its
/// `<link rel="alternate">` feeds, tried in document order; a page that announces none is
/// tried at the paths sites conventionally serve feeds on (`/feed`, `/rss.xml`, …).
public struct FeedDiscoverer: Sendable {
    /// Paths tried, in order, under the page's site when the page announces no feed.
    public static let conventionalPaths = ["/feed", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml"]

    /// What was found.
    public struct Discovery: Sendable {
        /// The URL of the feed itself (after redirects).
        public var feedURL: URL
        /// The parsed feed.
        public var feed: Feed
        /// The HTTP response that carried the feed.
        public var response: FetchResponse
        /// The page the feed was discovered from; `nil` when the URL given was the feed.
        public var discoveredFrom: URL?
        /// Every feed the page announced (a site often offers several: posts, comments, categories).
        public var alternatives: [DiscoveredFeed]
    }

    private let fetcher: Fetcher
    private let parser: FeedParser

    /// A discoverer fetching through `fetcher` and parsing with `parser`.
    public init(fetcher: Fetcher, parser: FeedParser = FeedParser()) {
        self.fetcher = fetcher
        self.parser = parser
    }

    /// Fetches `url` and returns the feed it is, or the feed its page leads to.
    ///
    /// - Throws: `TransferError` when the URL cannot be fetched, `DiscoveryError` when neither
    ///   the document nor anything it leads to is a feed.
    public func discover(_ url: URL) async throws -> Discovery {
        let response = try await fetcher.fetch(FetchRequest(url: url))
        let body = response.body
        if !FeedLinks.isHTMLPage(body) {
            do {
                let feed = try parser.parse(body, baseURL: response.finalURL, charset: response.charset)
                return Discovery(
                    feedURL: response.finalURL, feed: feed, response: response, discoveredFrom: nil,
                    alternatives: [])
            } catch let error as FeedParseError {
                throw DiscoveryError(url: url, reason: .feedParse(error))
            }
        }

        let announced = FeedLinks.alternateFeeds(inHTML: body, baseURL: response.finalURL)
        var candidates = announced.compactMap { URL(string: $0.url) }
        if candidates.isEmpty {
            candidates = Self.conventionalPaths.compactMap {
                URL(string: $0, relativeTo: response.finalURL)?.absoluteURL
            }
        }
        var lastProblem: Wording =
            announced.isEmpty
            ? .noFeedAnnounced(tried: Self.conventionalPaths) : .noAnnouncedFeedReadable(announced.count)
        for candidate in candidates where candidate != response.finalURL {
            guard let found = try? await fetcher.fetch(FetchRequest(url: candidate)) else { continue }
            guard !FeedLinks.isHTMLPage(found.body) else { continue }
            do {
                let feed = try parser.parse(found.body, baseURL: found.finalURL, charset: found.charset)
                return Discovery(
                    feedURL: found.finalURL, feed: feed, response: found, discoveredFrom: response.finalURL,
                    alternatives: announced)
            } catch {
                lastProblem = Wording.of(error).about(candidate.absoluteString)
            }
        }
        throw DiscoveryError(url: url, reason: lastProblem, pageIsHTML: true)
    }
}

/// A URL that is neither a feed nor a page leading to one: bad input.
public struct DiscoveryError: ActionableError {
    /// The URL given.
    public let url: URL
    /// Why nothing usable was found.
    public let reason: Wording
    /// True when the URL is an HTML page with no feed (it may be read as a page source).
    public var pageIsHTML: Bool = false

    /// Creates the error.
    public init(url: URL, reason: Wording, pageIsHTML: Bool = false) {
        self.url = url
        self.reason = reason
        self.pageIsHTML = pageIsHTML
    }

    public var kind: FailureKind { .badInput }
    /// One line: the English of ``wording`` (RegWatch/Messages/).
    public var description: String { wording.english }
}
