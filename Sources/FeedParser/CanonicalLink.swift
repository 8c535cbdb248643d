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
}
