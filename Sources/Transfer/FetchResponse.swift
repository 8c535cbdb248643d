import Foundation

/// What a successful fetch returned: a `2xx` body, or `304 Not Modified`.
///
/// HTTP errors (4xx, 5xx) are not responses but `TransferError`s.
public struct FetchResponse: Sendable {
    /// The URL that was asked for.
    public var requestedURL: URL
    /// The URL the body came from, after redirects.
    public var finalURL: URL
    /// The final status code: `200`…`299` or `304`.
    public var status: Int
    /// The body, decompressed (empty for `304`).
    public var body: Data
    /// The `ETag` to send next time (the server's, or on `304` the one sent if the server omitted it).
    public var etag: String?
    /// The `Last-Modified` to send next time (same rule as `etag`).
    public var lastModified: String?
    /// The `Content-Type` media type and parameters, as sent.
    public var contentType: String?
    /// The `charset` parameter of `Content-Type`, lowercased, if any: the parser's first hint.
    public var charset: String?
    /// The final URL when every redirect hop was permanent (301 or 308): the
    /// address to remember instead of the requested one. Nil when there was no
    /// redirect or any hop was temporary (302, 303, 307).
    public var permanentRedirect: URL?
    /// Whether the server answered `304 Not Modified`: nothing to parse.
    public var isNotModified: Bool
    /// `Cache-Control: max-age`, a floor for the next poll.
    public var maxAge: Duration?
    /// `Expires`, a floor for the next poll.
    public var expires: Date?
    /// Time from start to end of the transfer (name lookup, connect, TLS, redirects, body).
    public var duration: Duration
    /// Body bytes received, after decompression.
    public var bytes: Int
    /// How many redirects were followed.
    public var redirects: Int

    /// A response; the fetcher fills every field, tests may build their own.
    public init(
        requestedURL: URL, finalURL: URL, status: Int, body: Data,
        etag: String? = nil, lastModified: String? = nil,
        contentType: String? = nil, charset: String? = nil,
        permanentRedirect: URL? = nil, isNotModified: Bool = false,
        maxAge: Duration? = nil, expires: Date? = nil,
        duration: Duration = .zero, bytes: Int? = nil, redirects: Int = 0
    ) {
        self.requestedURL = requestedURL
        self.finalURL = finalURL
        self.status = status
        self.body = body
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
        self.charset = charset
        self.permanentRedirect = permanentRedirect
        self.isNotModified = isNotModified
        self.maxAge = maxAge
        self.expires = expires
        self.duration = duration
        self.bytes = bytes ?? body.count
        self.redirects = redirects
    }
}
