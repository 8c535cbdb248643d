import Foundation

extension WeeklyDigest {
    /// The HTML part of the email: built element by element from escaped text, inline styles
    /// only (mail clients drop `<style>`), no image, font or any other remote content; the only
    /// links are entry titles whose link is http(s).
    func renderHTML() -> String {
        typealias H = DigestHTML
        let muted = "color:#555555;font-size:13px;"
        var html: [String] = [
            "<!DOCTYPE html>",
            "<html lang=\"\(settings.language.rawValue)\">",
            "<head><meta charset=\"utf-8\"><title>\(H.escape(title))</title></head>",
            "<body style=\"margin:0;padding:16px;background:#ffffff;color:#1a1a1a;"
                + "font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;\">",
            "<div style=\"max-width:680px;margin:0 auto;\">",
            "<h1 style=\"font-size:22px;margin:0 0 4px 0;\">\(H.escape(title))</h1>",
            "<p style=\"\(muted)margin:0 0 16px 0;\">\(H.escape(subtitle))</p>",
        ]
        func heading(_ text: String) {
            html.append(
                "<h2 style=\"font-size:18px;margin:24px 0 8px 0;padding-bottom:4px;"
                    + "border-bottom:1px solid #dddddd;\">\(H.escape(text))</h2>")
        }
        func entry(_ entry: Entry) {
            html.append("<div style=\"margin:0 0 16px 0;\">")
            html.append("<p style=\"margin:0;font-weight:bold;\">\(H.link(entry.title, to: entry.link))</p>")
            html.append("<p style=\"\(muted)margin:2px 0;\">\(H.escape(metaLine(of: entry)))</p>")
            if !entry.summary.isEmpty { html.append("<p style=\"margin:4px 0;\">\(H.escape(entry.summary))</p>") }
            if let also = alsoInLine(of: entry) {
                html.append("<p style=\"\(muted)margin:2px 0;font-style:italic;\">\(H.escape(also))</p>")
            }
            html.append("</div>")
        }

        if isEmpty { html.append("<p>\(H.escape(strings.nothingNew))</p>") }
        if !highlights.isEmpty {
            heading(strings.highlights)
            highlights.forEach(entry)
        }
        for section in sections {
            heading(self.heading(of: section))
            section.entries.forEach(entry)
        }
        if !more.isEmpty {
            heading(strings.more)
            html.append("<ul style=\"margin:0;padding-left:20px;\">")
            html += more.map { "<li>\(H.link($0.title, to: $0.link))</li>" }
            if moreOmitted > 0 { html.append("<li>\(H.escape(strings.andMore(moreOmitted)))</li>") }
            html.append("</ul>")
        }
        if !followUps.isEmpty {
            heading(strings.followUp)
            html.append("<p>\(H.escape(strings.followUpIntro))</p>")
            for item in followUps {
                html.append("<div style=\"margin:0 0 12px 0;\">")
                html.append("<p style=\"margin:0;font-weight:bold;\">\(H.link(item.title, to: item.link))</p>")
                html.append("<p style=\"\(muted)margin:2px 0;\">\(H.escape(metaLine(of: item)))</p>")
                if let note = item.note {
                    html.append("<p style=\"margin:2px 0;font-style:italic;\">\(H.escape(note))</p>")
                }
                html.append("</div>")
            }
        }
        heading(strings.blindSpots)
        if failingSources.isEmpty {
            html.append("<p>\(H.escape(strings.noBlindSpots))</p>")
        } else {
            html.append("<p>\(H.escape(strings.blindSpotsIntro))</p>")
            html.append("<ul style=\"margin:0;padding-left:20px;\">")
            html += failingSources.map { "<li>\(H.escape(blindSpotLine(of: $0)))</li>" }
            html.append("</ul>")
        }
        html.append("<p style=\"\(muted)margin:16px 0 0 0;\">\(H.escape(countsLine))</p>")
        html.append("<p style=\"\(muted)margin:4px 0 0 0;\">\(H.escape(strings.generatedBy))</p>")
        html.append("</div>")
        html.append("</body>")
        html.append("</html>")
        return html.joined(separator: "\n") + "\n"
    }
}

/// HTML escaping for the email's HTML part.
enum DigestHTML {
    /// Text as HTML character data or attribute value: `&`, `<`, `>`, `"` and `'` as entities.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// `<a href="…">text</a>` when `link` is http(s), else the escaped text alone.
    static func link(_ text: String, to link: String?) -> String {
        guard let url = WeeklyDigest.linkable(link) else { return escape(text) }
        return "<a href=\"\(escape(DigestMarkdown.destination(url)))\" style=\"color:#0b57d0;\">\(escape(text))</a>"
    }
}
