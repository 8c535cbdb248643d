import CCurl

/// What the linked libcurl can do, read once from `curl_version_info`.
///
/// The fetcher asks for every content encoding this build supports, and the
/// tests skip what the library was built without instead of failing on it.
public struct LibcurlInfo: Sendable, Equatable {
    /// The libcurl version, such as `7.88.1`.
    public let version: String
    /// Content encodings the library can decode (`gzip`, `deflate`, `br`, `zstd`).
    public let contentEncodings: [String]
    /// Whether the library speaks HTTP/2.
    public let supportsHTTP2: Bool

    /// The linked library's capabilities.
    public static let current: LibcurlInfo = {
        guard let info = ccurl_version_info()?.pointee else {
            return LibcurlInfo(version: "unknown", contentEncodings: [], supportsHTTP2: false)
        }
        let features = info.features
        var encodings: [String] = []
        if features & CURL_VERSION_LIBZ != 0 { encodings += ["gzip", "deflate"] }
        if features & CURL_VERSION_BROTLI != 0 { encodings.append("br") }
        if features & CURL_VERSION_ZSTD != 0 { encodings.append("zstd") }
        return LibcurlInfo(
            version: info.version.map { String(cString: $0) } ?? "unknown",
            contentEncodings: encodings,
            supportsHTTP2: features & CURL_VERSION_HTTP2 != 0
        )
    }()
}
