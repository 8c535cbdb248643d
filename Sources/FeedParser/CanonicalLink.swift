import Foundation

/// The form of an item link used to recognise the same article across feeds: tracking
/// parameters removed (`utm_*`, `fbclid`, `gclid`, `mc_cid`, `xtor`, …), scheme and host
/// lowercased, default port and fragment dropped, an empty path written `/`.
///
/// ```swift
/// CanonicalLink.canonicalize("HTTPS://WWW.Centre-Inffo.fr/article?utm_source=rss&id=4#comments")
/// // "https://www.centre-inffo.fr/article?id=4"
/// ```
public enum CanonicalLink {
    /// Query parameters that only say how the reader arrived, never what the page is.
    static let trackingParameters: Set<String> = [
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "twclid", "ttclid", "li_fat_id",
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "ncid", "sr_share",
        // AT Internet / Piano, ubiquitous on French public and press sites (xtor=RSS-…).
        "xtor", "at_medium", "at_campaign", "at_platform", "at_creation", "at_variant", "at_send_date",
    ]

    /// The canonical form of `link`, or `nil` if it is missing or not an absolute http(s) URL.
    public static func canonicalize(_ link: String?) -> String? {
        if let link, let plain = plainCanonicalForm(link) { return plain }
        return parsedCanonicalForm(link)
    }

    /// ``canonicalize(_:)`` through `URLComponents`: any link.
    static func parsedCanonicalForm(_ link: String?) -> String? {
        guard let trimmed = link?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty,
            var components = URLComponents(string: trimmed),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return nil }
        components.scheme = scheme
        components.host = host.lowercased()
        if (scheme == "http" && components.port == 80) || (scheme == "https" && components.port == 443) {
            components.port = nil
        }
        components.fragment = nil
        if components.percentEncodedPath.isEmpty { components.percentEncodedPath = "/" }
        if let items = components.percentEncodedQueryItems {
            let kept = items.filter { item in
                let name = item.name.lowercased()
                return !name.hasPrefix("utm_") && !trackingParameters.contains(name)
            }
            components.percentEncodedQueryItems = kept.isEmpty ? nil : kept
        }
        if components.percentEncodedQuery?.isEmpty == true { components.percentEncodedQuery = nil }
        return components.string
    }

    /// The canonical form of the links most feeds carry, found without `URLComponents`
    /// (which cost a cold poll 0.1 s of its 6, issue #19): `http://` or `https://`, a host of
    /// lowercase letters, digits, dots and hyphens (no port, no user), then a path of URL
    /// characters, no query and no fragment. Such a link is its own canonical form (with `/`
    /// for an empty path), as ``parsedCanonicalForm(_:)`` gives it; `nil` for any other
    /// link, which that function decides.
    static func plainCanonicalForm(_ link: String) -> String? {
        var bytes = link
        return switch bytes.withUTF8(plainLinkShape) {
        case .canonical: link
        case .canonicalWithoutPath: link + "/"
        case nil: nil
        }
    }

    /// What ``plainCanonicalForm(_:)`` found.
    private enum PlainLinkShape {
        /// The link is its canonical form.
        case canonical
        /// The link has no path: its canonical form adds `/`.
        case canonicalWithoutPath
    }

    /// The shape of `bytes` (a link's UTF-8), if it is a plain link.
    private static func plainLinkShape(_ bytes: UnsafeBufferPointer<UInt8>) -> PlainLinkShape? {
        let authorityStart: Int
        if bytes.starts(with: "https://".utf8) {
            authorityStart = 8
        } else if bytes.starts(with: "http://".utf8) {
            authorityStart = 7
        } else {
            return nil
        }
        var index = authorityStart
        // The host: labels of [a-z0-9-], separated by single dots, starting and ending
        // with a letter or digit.
        var previous = UInt8(ascii: ".")
        while index < bytes.count, bytes[index] != UInt8(ascii: "/") {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): break
            case UInt8(ascii: "-") where previous != UInt8(ascii: "."): break
            case UInt8(ascii: ".") where previous != UInt8(ascii: ".") && previous != UInt8(ascii: "-"): break
            default: return nil
            }
            previous = byte
            index += 1
        }
        guard index > authorityStart, previous != UInt8(ascii: "."), previous != UInt8(ascii: "-") else {
            return nil
        }
        if index == bytes.count { return .canonicalWithoutPath }
        // The path: RFC 3986 `pchar`s and slashes, each `%` followed by two hex digits.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else {
                    return nil
                }
                index += 3
                continue
            }
            guard byte < 128, pathBytes[Int(byte)] else { return nil }
            index += 1
        }
        return .canonical
    }

    /// Which ASCII bytes a plain link's path may hold as they are: unreserved, sub-delims,
    /// `:`, `@` and `/`.
    private static let pathBytes: [Bool] = (0..<128).map { byte in
        let scalar = Unicode.Scalar(UInt8(byte))
        return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || "-._~!$&'()*+,;=:@/".unicodeScalars.contains(scalar)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            return true
        default: return false
        }
    }
}
