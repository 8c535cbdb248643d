import Foundation

/// Why a source could not be read, in words a reader of the digest or the audit understands.
///
/// The store keeps the fetch error as the fetcher wrote it (URL, libcurl's words, the advice
/// for an administrator); `watchctl list-feeds` shows that. The digest's blind spots and the
/// audit only need the kind of failure, in the digest's language: "site introuvable (DNS)",
/// "page introuvable (404)". Read from the stored text once, where the digest input is made.
public enum FailureReason: Sendable, Equatable, Codable {
    /// The host name does not resolve.
    case unknownHost
    /// The server did not answer (connection refused, timed out, too slow, cut mid-transfer).
    case unreachable
    /// The certificate or the TLS handshake was refused.
    case certificate
    /// The server answered with an HTTP error status.
    case http(Int)
    /// The source answered 410 Gone and is no longer fetched.
    case gone
    /// The URL answered with an HTML page or another document that is not a feed.
    case notAFeed
    /// The document looked like a feed but could not be read.
    case unreadable
    /// A listing page (`kind = "page"`) whose recipe matched nothing where it used to find items.
    case layoutChanged
    /// The document is over `[fetch] max_bytes`.
    case tooLarge
    /// regwatch refused to follow it (private address, redirect to another scheme, a loop).
    case refused
    /// Anything else.
    case other

    /// Classifies a stored fetch error (`error` without the URL prefix), with the last HTTP
    /// status and whether the feed was disabled for good.
    public init(error: String, status: Int?, gone: Bool) {
        let text = error.lowercased()
        func has(_ words: String...) -> Bool { words.contains { text.contains($0) } }
        if gone || status == 410 {
            self = .gone
        } else if has("page layout changed") {
            self = .layoutChanged
        } else if has("not an rss, atom", "announces no feed", "not a feed") {
            self = .notAFeed
        } else if has("malformed feed") {
            self = .unreadable
        } else if has("document too large", "body exceeds") {
            self = .tooLarge
        } else if has("cannot resolve host", "couldn't resolve") {
            self = .unknownHost
        } else if has("tls handshake", "certificate") {
            self = .certificate
        } else if has("private address", "redirect", "scheme") {
            self = .refused
        } else if let status, status >= 400 {
            self = .http(status)
        } else if let status = Self.httpStatus(in: text), status >= 400 {
            self = .http(status)
        } else if has("cannot connect", "no connection within", "timed out", "timeout", "too slow", "connection broken")
        {
            self = .unreachable
        } else {
            self = .other
        }
    }

    /// A stable name for JSON readers: `unknown_host`, `http_404`, `not_a_feed`, …
    public var code: String {
        switch self {
        case .unknownHost: "unknown_host"
        case .unreachable: "unreachable"
        case .certificate: "certificate"
        case .http(let status): "http_\(status)"
        case .gone: "gone"
        case .notAFeed: "not_a_feed"
        case .unreadable: "unreadable"
        case .layoutChanged: "layout_changed"
        case .tooLarge: "too_large"
        case .refused: "refused"
        case .other: "other"
        }
    }

    /// `HTTP 404` in the text, if the fetcher wrote one.
    private static func httpStatus(in text: String) -> Int? {
        guard let range = text.range(of: "http ") else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return digits.count == 3 ? Int(digits) : nil
    }
}
