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

    /// A request for `url`, conditional when validators are given.
    public init(url: URL, etag: String? = nil, lastModified: String? = nil) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
    }
}
