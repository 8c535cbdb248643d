import Foundation

/// Why a transfer failed, what to tell a person, and what the scheduler should do next.
///
/// A struct over a private code, so new failure details can be added without
/// breaking callers; `kind` is the stable part to switch on. It keeps libcurl's
/// own code and words (`curlCode`, `curlMessage`) next to the URL at fault.
///
/// ```swift
/// do { _ = try await fetcher.fetch(request) }
/// catch { log(error.description) }   // "https://x.fr/feed: HTTP 404 Not Found — check the feed URL"
/// ```
public struct TransferError: Error, Sendable, CustomStringConvertible {
    /// The family of a failure.
    public enum Kind: Sendable, Hashable {
        /// The host name (or proxy name) could not be resolved.
        case dns
        /// No connection could be made (refused, unreachable, connect timeout).
        case connect
        /// The TLS handshake or the certificate verification failed.
        case tls
        /// The total timeout or the low-speed limit was reached.
        case timeout
        /// The body (after decompression) exceeds `maxBytes`.
        case tooLarge
        /// The server answered with this status (4xx, 5xx, or a 3xx that was not followed).
        case http(status: Int)
        /// A redirect pointed to a scheme other than http or https.
        case redirectRefused
        /// More redirects than `maxRedirects` (a loop, usually).
        case tooManyRedirects
        /// The address connected to is private (loopback, RFC 1918, link-local…)
        /// and private networks are not allowed.
        case privateAddress
        /// The URL's scheme is not http or https (or smtp/smtps for mail).
        case unsupportedScheme
        /// The connection broke mid-transfer (reset, truncated body, nothing received).
        case interrupted
        /// An SMTP server refused the login.
        case authentication
        /// An SMTP server refused the sender, a recipient or the message.
        case mailRefused
        /// A mail address is empty or holds CR, LF or angle brackets.
        case invalidAddress
        /// The caller cancelled the transfer (or the fetcher shut down).
        case cancelled
        /// Anything else libcurl reported.
        case other
    }

    /// What the caller (the poll scheduler) should do about the source.
    public enum NextStep: Sendable, Hashable {
        /// A transient fault: try again at the next regular poll.
        case retry
        /// The server said when: not before this delay.
        case retryAfter(Duration)
        /// The source is failing: wait longer each time (exponential backoff with jitter).
        case backOff
        /// The source is gone for good (410): stop polling it.
        case disable
        /// Retrying will not help until someone changes the configuration (URL, limits).
        case fixConfiguration
    }

    /// The failure with its particulars, for a caller that words it itself (the message
    /// catalogue's other languages); ``kind`` is the stable part to switch on.
    public enum Detail: Sendable, Equatable {
        /// The host name could not be resolved.
        case dns(host: String)
        /// No connection could be made to the host.
        case connect(host: String)
        /// The TLS handshake or the certificate verification failed.
        case tls
        /// The total timeout was reached.
        case timeout(limit: Duration)
        /// No connection within the connect timeout.
        case connectTimeout(limit: Duration)
        /// Under the low-speed limit for that long.
        case tooSlow(bytesPerSecond: Int, during: Duration)
        /// The body exceeds the limit.
        case tooLarge(limit: Int)
        /// The server answered with this status.
        case http(status: Int)
        /// A redirect to a scheme other than http or https.
        case redirectRefused(location: String)
        /// More redirects than the limit.
        case tooManyRedirects(limit: Int)
        /// A private address, not allowed.
        case privateAddress(address: String)
        /// A scheme that is not supported.
        case unsupportedScheme(scheme: String)
        /// The connection broke mid-transfer.
        case interrupted
        /// The body could not be decompressed.
        case badEncoding
        /// An SMTP server refused the login.
        case authentication
        /// An SMTP server refused the message.
        case mailRefused(reply: Int)
        /// A mail address that is not a plain address (empty: no recipient).
        case invalidAddress(address: String)
        /// The transfer was cancelled.
        case cancelled
        /// Anything else libcurl reported.
        case other
    }

    fileprivate let code: Detail

    /// The failure with its particulars.
    public var detail: Detail { code }
    /// The URL at fault: the one that was asked for (redirect targets are named in the description).
    public let url: URL
    /// libcurl's `CURLcode`, when libcurl reported the failure.
    public let curlCode: Int?
    /// `curl_easy_strerror`'s words for `curlCode`, plus libcurl's detail for this transfer.
    public let curlMessage: String?
    /// The HTTP status (or SMTP reply code) when the server answered.
    public let status: Int?
    /// `Retry-After` of a 429 or 503 answer.
    public let retryAfter: Duration?
    /// How long the attempt took.
    public let duration: Duration
    /// Body bytes received (decompressed) before the failure.
    public let bytes: Int

    fileprivate init(
        _ code: Detail, url: URL, curlCode: Int? = nil, curlMessage: String? = nil, status: Int? = nil,
        retryAfter: Duration? = nil, duration: Duration = .zero, bytes: Int = 0
    ) {
        self.code = code
        self.url = url
        self.curlCode = curlCode
        self.curlMessage = curlMessage
        self.status = status
        self.retryAfter = retryAfter
        self.duration = duration
        self.bytes = bytes
    }

    /// The family of the failure.
    public var kind: Kind {
        switch code {
        case .dns: .dns
        case .connect, .connectTimeout: .connect
        case .tls: .tls
        case .timeout, .tooSlow: .timeout
        case .tooLarge: .tooLarge
        case .http(let status): .http(status: status)
        case .redirectRefused: .redirectRefused
        case .tooManyRedirects: .tooManyRedirects
        case .privateAddress: .privateAddress
        case .unsupportedScheme: .unsupportedScheme
        case .interrupted: .interrupted
        case .authentication: .authentication
        case .mailRefused: .mailRefused
        case .invalidAddress: .invalidAddress
        case .cancelled: .cancelled
        case .badEncoding, .other: .other
        }
    }

    /// What to do next about this source.
    public var nextStep: NextStep {
        switch code {
        case .http(let status):
            switch status {
            case 410: return .disable
            case 429, 503: return retryAfter.map { .retryAfter($0) } ?? .backOff
            case 408: return .retry
            case 400..<500: return .fixConfiguration
            default: return .backOff
            }
        case .dns, .connect, .connectTimeout, .tls, .timeout, .tooSlow, .badEncoding, .other:
            return .backOff
        case .interrupted, .cancelled:
            return .retry
        case .tooLarge, .redirectRefused, .tooManyRedirects, .privateAddress, .unsupportedScheme,
            .authentication, .invalidAddress:
            return .fixConfiguration
        case .mailRefused(let reply):
            return (400..<500).contains(reply) ? .retry : .fixConfiguration
        }
    }

    /// One line for a log or a terminal: what failed, where, what to do.
    public var description: String {
        "\(url.absoluteString): \(problem) — \(advice)"
    }

    /// What went wrong, without the URL.
    public var problem: String {
        let curl = curlMessage.map { " (curl: \($0))" } ?? ""
        switch code {
        case .dns(let host): return "cannot resolve host \(host)\(curl)"
        case .connect(let host): return "cannot connect to \(host)\(curl)"
        case .connectTimeout(let limit): return "no connection within \(Self.format(limit))\(curl)"
        case .tls: return "TLS handshake or certificate verification failed\(curl)"
        case .timeout(let limit): return "timed out after \(Self.format(limit)) ([fetch] timeout)"
        case .tooSlow(let rate, let during):
            return "too slow: under \(rate) bytes/s for \(Self.format(during))"
        case .tooLarge(let limit): return "body exceeds \(Self.format(bytes: limit)) (max_bytes)"
        case .http(let status): return "HTTP \(status) \(Self.reason(status))"
        case .redirectRefused(let location):
            return "redirect to \(location) refused: only http and https are followed"
        case .tooManyRedirects(let limit): return "more than \(limit) redirects (a redirect loop?)"
        case .privateAddress(let address):
            return "refused to connect to private address \(address)"
        case .unsupportedScheme(let scheme): return "scheme \"\(scheme)\" is not supported"
        case .interrupted: return "connection broken mid-transfer\(curl)"
        case .badEncoding: return "body could not be decompressed\(curl)"
        case .authentication: return "SMTP login refused\(curl)"
        case .mailRefused(let reply): return "SMTP server refused the message (reply \(reply))\(curl)"
        case .invalidAddress(let address):
            return address.isEmpty
                ? "no recipient" : "mail address \(address.debugDescription) is not a plain address"
        case .cancelled: return "transfer cancelled"
        case .other: return "transfer failed\(curl)"
        }
    }

    /// What a person should do, without the URL.
    public var advice: String {
        switch code {
        case .dns: return "check the host name in the URL (or the machine's DNS)"
        case .connect, .connectTimeout: return "the server is down or unreachable; retrying with backoff"
        case .tls: return "the site's certificate is not trusted; fix it on the server side (verification stays on)"
        case .timeout: return "the server is too slow; raise [fetch] timeout or try later"
        case .tooSlow: return "the server trickles data; retrying with backoff"
        case .tooLarge: return "raise [fetch] max_bytes or drop this feed"
        case .http(let status):
            switch status {
            case 410: return "the source is gone for good; the feed is disabled"
            case 429, 503:
                if let retryAfter { return "retry after \(Self.format(retryAfter))" }
                return "the server is overloaded; retrying with backoff"
            case 401, 403: return "the server refuses access; check the URL or ask the publisher"
            case 404: return "check the feed URL"
            case 408: return "retrying at the next poll"
            case 300..<400: return "the redirect was not followed; check the feed URL"
            case 400..<500: return "check the feed URL"
            default: return "server error; retrying with backoff"
            }
        case .redirectRefused, .tooManyRedirects: return "check the feed URL in a browser"
        case .privateAddress: return "set [fetch] allow_private_networks = true to allow it"
        case .unsupportedScheme: return "use an http or https URL (smtp or smtps for mail)"
        case .interrupted: return "retrying at the next poll"
        case .badEncoding: return "the server sends a broken compressed body; retrying with backoff"
        case .authentication: return "check the user in [email] smtp_url and $REGWATCH_SMTP_PASSWORD"
        case .mailRefused: return "check [email] from and to, and the server's log"
        case .invalidAddress: return "fix [email] from and to in feeds.toml"
        case .cancelled: return "nothing to do"
        case .other: return "retrying with backoff"
        }
    }

    /// `30 s`, `250 ms`: a limit as the descriptions write it.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 || seconds >= 10 { return "\(seconds) s" }
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return "\(milliseconds) ms"
    }

    /// `10 MiB`, `512 KiB`, `100 bytes`: a size as the descriptions write it.
    public static func format(bytes: Int) -> String {
        let mebi = 1 << 20
        let kibi = 1 << 10
        if bytes >= mebi && bytes % mebi == 0 { return "\(bytes / mebi) MiB" }
        if bytes >= kibi && bytes % kibi == 0 { return "\(bytes / kibi) KiB" }
        return "\(bytes) bytes"
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 300: "Multiple Choices"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 451: "Unavailable For Legal Reasons"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: ""
        }
    }
}

// Constructors used inside the module; the code enum stays private to this file.
extension TransferError {
    static func dns(_ url: URL, host: String, curl: CurlFailure?, duration: Duration) -> TransferError {
        .init(.dns(host: host), url: url, curlCode: curl?.code, curlMessage: curl?.message, duration: duration)
    }
    static func connect(_ url: URL, host: String, curl: CurlFailure?, duration: Duration) -> TransferError {
        .init(.connect(host: host), url: url, curlCode: curl?.code, curlMessage: curl?.message, duration: duration)
    }
    static func connectTimeout(_ url: URL, limit: Duration, curl: CurlFailure?, duration: Duration) -> TransferError {
        .init(
            .connectTimeout(limit: limit), url: url, curlCode: curl?.code, curlMessage: curl?.message,
            duration: duration)
    }
    static func tls(_ url: URL, curl: CurlFailure?, duration: Duration) -> TransferError {
        .init(.tls, url: url, curlCode: curl?.code, curlMessage: curl?.message, duration: duration)
    }
    static func timeout(_ url: URL, limit: Duration, curl: CurlFailure?, duration: Duration, bytes: Int)
        -> TransferError
    {
        .init(
            .timeout(limit: limit), url: url, curlCode: curl?.code, curlMessage: curl?.message,
            duration: duration, bytes: bytes)
    }
    static func tooSlow(
        _ url: URL, bytesPerSecond: Int, during: Duration, curl: CurlFailure?, duration: Duration, bytes: Int
    ) -> TransferError {
        .init(
            .tooSlow(bytesPerSecond: bytesPerSecond, during: during), url: url, curlCode: curl?.code,
            curlMessage: curl?.message, duration: duration, bytes: bytes)
    }
    static func tooLarge(_ url: URL, limit: Int, curl: CurlFailure?, duration: Duration, bytes: Int) -> TransferError {
        .init(
            .tooLarge(limit: limit), url: url, curlCode: curl?.code, curlMessage: curl?.message,
            duration: duration, bytes: bytes)
    }
    static func http(_ url: URL, status: Int, retryAfter: Duration?, duration: Duration, bytes: Int) -> TransferError {
        .init(.http(status: status), url: url, status: status, retryAfter: retryAfter, duration: duration, bytes: bytes)
    }
    static func redirectRefused(_ url: URL, location: String, curl: CurlFailure?, duration: Duration) -> TransferError {
        .init(
            .redirectRefused(location: location), url: url, curlCode: curl?.code, curlMessage: curl?.message,
            duration: duration)
    }
    static func tooManyRedirects(_ url: URL, limit: Int, curl: CurlFailure?, duration: Duration) -> TransferError {
        .init(
            .tooManyRedirects(limit: limit), url: url, curlCode: curl?.code, curlMessage: curl?.message,
            duration: duration)
    }
    static func privateAddress(_ url: URL, address: String, curl: CurlFailure?, duration: Duration) -> TransferError {
        .init(
            .privateAddress(address: address), url: url, curlCode: curl?.code, curlMessage: curl?.message,
            duration: duration)
    }
    static func unsupportedScheme(_ url: URL, curl: CurlFailure? = nil) -> TransferError {
        .init(.unsupportedScheme(scheme: url.scheme ?? ""), url: url, curlCode: curl?.code, curlMessage: curl?.message)
    }
    static func interrupted(_ url: URL, curl: CurlFailure?, duration: Duration, bytes: Int) -> TransferError {
        .init(
            .interrupted, url: url, curlCode: curl?.code, curlMessage: curl?.message, duration: duration, bytes: bytes)
    }
    static func badEncoding(_ url: URL, curl: CurlFailure?, duration: Duration, bytes: Int) -> TransferError {
        .init(
            .badEncoding, url: url, curlCode: curl?.code, curlMessage: curl?.message, duration: duration, bytes: bytes)
    }
    static func authentication(_ url: URL, curl: CurlFailure?, reply: Int?, duration: Duration) -> TransferError {
        .init(
            .authentication, url: url, curlCode: curl?.code, curlMessage: curl?.message, status: reply,
            duration: duration)
    }
    static func mailRefused(_ url: URL, reply: Int, curl: CurlFailure?, duration: Duration) -> TransferError {
        .init(
            .mailRefused(reply: reply), url: url, curlCode: curl?.code, curlMessage: curl?.message, status: reply,
            duration: duration)
    }
    static func invalidAddress(_ url: URL, address: String) -> TransferError {
        .init(.invalidAddress(address: address), url: url)
    }
    static func cancelled(_ url: URL) -> TransferError {
        .init(.cancelled, url: url)
    }
    static func other(_ url: URL, curl: CurlFailure?, status: Int? = nil, duration: Duration, bytes: Int)
        -> TransferError
    {
        .init(
            .other, url: url, curlCode: curl?.code, curlMessage: curl?.message, status: status,
            duration: duration, bytes: bytes)
    }
}
