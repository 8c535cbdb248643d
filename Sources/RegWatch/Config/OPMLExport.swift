import Foundation

/// Writes the watch list as an OPML 2.0 document, the format every feed reader imports, and a
/// backup that `watchctl import-opml` restores in full.
///
/// A feed is an `<outline type="rss">` with `text`/`title` (the configured name or title, else
/// the feed's own, else its URL), `xmlUrl`, and its topics as the `category` attribute
/// (`"cpf,qualiopi"`). A page (`kind = "page"`) or a watched page (`kind = "change"`) is no
/// feed: it is an `<outline type="link">` with the page as `htmlUrl` and no `xmlUrl` (nor `url`,
/// which newsboat takes for a feed), so other readers do not subscribe to it; its name is the
/// entry's ``FeedEntry/displayName`` (`name`, else a change watch's `title`), else the page's own
/// title, else its URL — never the recipe's `title` XPath. An entry switched off
/// with `enabled = false` is exported with `isComment="true"`, OPML's way of saying "listed but
/// commented out".
///
/// Every outline also carries its feeds.toml keys as attributes in the ``namespace``
/// (`regwatch:kind`, `regwatch:name`, `regwatch:title`, `regwatch:items`, …, `regwatch:interval`,
/// `regwatch:weight`, `regwatch:enabled`): the same names and values as in feeds.toml, only
/// those that differ from the defaults (`regwatch:kind` always), `ignore` as a JSON array of
/// strings. Readers ignore attributes they do not know.
public enum OPMLExport {
    /// The XML namespace of regwatch's outline attributes. A name, not a page to fetch: it never
    /// changes, whatever the project's address becomes.
    public static let namespace = "https://github.com/regwatch/regwatch/opml"

    /// The OPML text.
    ///
    /// - Parameters:
    ///   - feeds: the `[[feeds]]` entries, in order.
    ///   - storedTitles: the sources' own titles by ``FeedURL/normalized`` URL, for entries
    ///     without a configured title.
    ///   - title: the document title.
    ///   - date: `dateCreated`.
    public static func document(
        feeds: [FeedEntry], storedTitles: [String: String] = [:], title: String = "regwatch — veille",
        date: Date = Date()
    ) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0" xmlns:regwatch="\(namespace)">
              <head>
                <title>\(escape(title))</title>
                <dateCreated>\(rfc822(date))</dateCreated>
              </head>
              <body>

            """
        for feed in feeds {
            out += "    <outline"
            for (key, value) in attributes(of: feed, storedTitle: storedTitles[feed.url.normalized]) {
                out += " \(key)=\"\(escape(value))\""
            }
            out += "/>\n"
        }
        out += "  </body>\n</opml>\n"
        return out
    }

    /// The attributes of `feed`'s outline, in the order they are written.
    static func attributes(of feed: FeedEntry, storedTitle: String?) -> [(String, String)] {
        // A page's `title` is an XPath (never in displayName): unnamed, it goes by its own title.
        let configured = feed.displayName
        let stored = storedTitle?.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = configured ?? (stored?.isEmpty == false ? stored : nil) ?? feed.url.rawValue
        var attributes: [(String, String)]
        if case .feed = feed.kind {
            attributes = [("type", "rss"), ("text", name), ("title", name), ("xmlUrl", feed.url.rawValue)]
        } else {
            // The page's address as `htmlUrl`, the web page of an outline: newsboat subscribes to
            // an outline's `url` when it has no `xmlUrl`, whatever its type; no reader reads
            // `htmlUrl` as a feed.
            attributes = [("type", "link"), ("text", name), ("title", name), ("htmlUrl", feed.url.rawValue)]
        }
        if !feed.topics.isEmpty {
            attributes.append(("category", feed.topics.map(\.rawValue).joined(separator: ",")))
        }
        if !feed.enabled { attributes.append(("isComment", "true")) }
        var own: [(String, String)] = [("kind", feed.kind.name)]
        if let name = feed.name { own.append(("name", name)) }
        switch feed.kind {
        case .feed:
            if let title = feed.title { own.append(("title", title)) }
        case .page(let recipe):
            own += (recipe?.expressions ?? []).map { ($0.key, $0.expression) }
        case .change(let watch):
            if let title = feed.title { own.append(("title", title)) }
            if let region = watch.region { own.append(("region", region)) }
            if !watch.ignore.isEmpty { own.append(("ignore", ignoreList(watch.ignore))) }
        }
        if let interval = feed.interval { own.append(("interval", Interval(interval).description)) }
        if feed.weight != 1.0 { own.append(("weight", "\(feed.weight)")) }
        if !feed.enabled { own.append(("enabled", "false")) }
        return attributes + own.map { ("regwatch:\($0.0)", $0.1) }
    }

    /// `ignore` in one attribute: a JSON array of strings, which keeps any pattern whole (commas,
    /// quotes, backslashes, brackets).
    static func ignoreList(_ patterns: [String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Encoding an array of strings cannot fail.
        return (try? encoder.encode(patterns)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// XML attribute/text escaping: the markup characters as the digest's HTML escapes them
    /// (``DigestHTML/escape(_:)``); control characters XML 1.0 forbids are dropped, line breaks
    /// and tabs kept as character references so attribute values round-trip.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in DigestHTML.escape(text).unicodeScalars {
            switch scalar {
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func rfc822(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
