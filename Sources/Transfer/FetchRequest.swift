import Foundation

/// One HTTP(S) GET to make: the URL and the validators remembered from the last fetch.
///
/// ```swift
/// let request = FetchRequest(url: feedURL, etag: stored.etag, lastModified: stored.lastModified)
/// ```
public struct FetchRequest: Sendable, Hashable {
    /// The URL to fetch: `http` or `https` only.
    public var url: URL
    /// The `ETag` of the last 200 response, sent back as `If-None-Match`.
    public var etag: String?
    /// The `Last-Modified` of the last 200 response, sent back verbatim as `If-Modified-Since`.
    public var lastModified: String?
    /// What the `Accept` header asks for: feed types first (the default), or HTML for web pages.
    public var accept: Accept

    /// The media types a request prefers.
    public enum Accept: Sendable, Hashable {
        /// RSS, Atom, JSON Feed, then any XML, then anything.
        case feeds
        /// HTML pages first (a watched page, `kind = "page"` or `"change"`), then anything.
        case pages

        /// The header line's value.
        var headerValue: String {
            switch self {
            case .feeds:
                "application/rss+xml, application/atom+xml, application/feed+json, "
                    + "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
            case .pages:
                "text/html, application/xhtml+xml;q=0.9, */*;q=0.8"
            }
        }
    }

    /// A request for `url`, conditional when validators are given.
    public init(url: URL, etag: String? = nil, lastModified: String? = nil, accept: Accept = .feeds) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.accept = accept
    }
}
