import Foundation

/// The address of a feed: an absolute `http` or `https` URL with a host, as the user wrote it
/// (surrounding whitespace trimmed). Parsed once at the edge (feeds.toml, command line, OPML).
///
/// Two spellings of the same feed (`HTTPS://Example.org/feed/` and `https://example.org/feed`)
/// have the same ``normalized`` form, which is what duplicate detection and the store compare.
public struct FeedURL: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The URL as written, trimmed.
    public let rawValue: String

    /// Accepts an absolute http(s) URL with a host; `nil` for anything else (`htp://x`,
    /// `file:///etc/passwd`, `feed.xml`, a URL with spaces inside).
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }),
            let components = URLComponents(string: trimmed),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty,
            URL(string: trimmed) != nil
        else { return nil }
        rawValue = trimmed
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let url = FeedURL(raw) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an http(s) URL: \(raw)"))
        }
        self = url
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The Foundation URL, for the transfer layer.
    public var url: URL {
        // Checked in init.
        URL(string: rawValue)!
    }

    /// The host, lowercased.
    public var host: String {
        URLComponents(string: rawValue)?.host?.lowercased() ?? ""
    }

    /// The comparison form: scheme and host lowercased, default port dropped, fragment dropped,
    /// a trailing `/` of the path ignored. Path and query keep their case (servers differ).
    public var normalized: String {
        guard var components = URLComponents(string: rawValue) else { return rawValue }
        let scheme = components.scheme?.lowercased() ?? "http"
        components.scheme = scheme
        components.host = components.host?.lowercased()
        if (scheme == "http" && components.port == 80) || (scheme == "https" && components.port == 443) {
            components.port = nil
        }
        components.fragment = nil
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        components.percentEncodedPath = path
        if components.percentEncodedQuery?.isEmpty == true { components.percentEncodedQuery = nil }
        return components.string ?? rawValue
    }

    /// Whether two URLs name the same feed (``normalized`` forms equal).
    public func isSameFeed(as other: FeedURL) -> Bool {
        normalized == other.normalized
    }

    public var description: String { rawValue }

    public static func < (lhs: FeedURL, rhs: FeedURL) -> Bool { lhs.rawValue < rhs.rawValue }
}
