import Foundation

/// Writes the feed list as an OPML 2.0 document, the format every feed reader imports.
///
/// Each feed is an `<outline type="rss">` with `text`/`title` (the configured title, else the
/// feed's own, else its URL), `xmlUrl`, and its topics as the `category` attribute
/// (`"cpf,qualiopi"`). A feed switched off with `enabled = false` is exported with
/// `isComment="true"`, OPML's way of saying "listed but commented out".
public enum OPMLExport {
    /// The OPML text.
    ///
    /// - Parameters:
    ///   - feeds: the `[[feeds]]` entries, in order.
    ///   - storedTitles: the feeds' own titles by ``FeedURL/normalized`` URL, for feeds
    ///     without a configured title.
    ///   - title: the document title.
    ///   - date: `dateCreated`.
    public static func document(
        feeds: [FeedEntry], storedTitles: [String: String] = [:], title: String = "regwatch — veille",
        date: Date = Date()
    ) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0">
              <head>
                <title>\(escape(title))</title>
                <dateCreated>\(rfc822(date))</dateCreated>
              </head>
              <body>

            """
        for feed in feeds {
            let name = feed.title ?? storedTitles[feed.url.normalized] ?? feed.url.rawValue
            var attributes = [
                ("type", "rss"), ("text", name), ("title", name), ("xmlUrl", feed.url.rawValue),
            ]
            if !feed.topics.isEmpty {
                attributes.append(("category", feed.topics.map(\.rawValue).joined(separator: ",")))
            }
            if !feed.enabled { attributes.append(("isComment", "true")) }
            out += "    <outline"
            for (key, value) in attributes { out += " \(key)=\"\(escape(value))\"" }
            out += "/>\n"
        }
        out += "  </body>\n</opml>\n"
        return out
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
