import Foundation

/// The digest in each service's own format, feed text made harmless for that format.
enum DeliveryPayloads {
    // MARK: Slack (mrkdwn)

    /// Slack's limit is 40 000 characters a message, but it folds long ones; messages stay
    /// under this size, split between blocks of the digest.
    static let slackMessageLimit = 3_500

    /// Feed text as Slack mrkdwn shows it literally: `&`, `<`, `>` escaped (so no `<!channel>`
    /// or `<url|link>` can be formed), `@channel`/`@here`/`@everyone` broken by a word
    /// joiner, and formatting markers followed by a zero-width space so they pair with nothing.
    static func slackEscape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in DigestText.clean(text) {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "*", "_", "~", "`": result.append(character); result.append("\u{200B}")
            case "@": result += "@\u{2060}"
            default: result.append(character)
            }
        }
        return result
    }

    /// `<https://…|Title>`, or the escaped title alone for a link that is not http(s).
    static func slackLink(_ title: String, _ link: String?) -> String {
        guard let url = DigestDocument.linkable(link) else { return slackEscape(title) }
        let safeURL = url.replacingOccurrences(of: "|", with: "%7C").replacingOccurrences(of: ">", with: "%3E")
            .replacingOccurrences(of: "<", with: "%3C")
        return "<\(safeURL)|\(slackEscape(title))>"
    }

    /// The digest as one or more Slack messages (`{"text": …}`), each under ``slackMessageLimit``.
    static func slack(_ document: DigestDocument, topics: [Topic]) -> [Data] {
        let strings = document.strings
        var blocks: [String] = ["*\(slackEscape(document.title))*\n\(slackEscape(document.subtitle))"]
        if document.items.isEmpty { blocks.append(slackEscape(strings.nothingNew)) }
        for section in document.sections(topics: topics) {
            var lines = ["*\(slackEscape(section.heading))*"]
            for item in section.items {
                lines.append(
                    "• *\(slackLink(item.title, item.link))* — \(slackEscape(document.meta(of: item, topics: topics)))")
                if !item.summary.isEmpty { lines.append("   \(slackEscape(item.summary))") }
            }
            blocks.append(lines.joined(separator: "\n"))
        }
        if !document.more.isEmpty {
            var lines = ["*\(slackEscape(strings.more))*"] + document.more.map { "• \(slackLink($0.title, $0.link))" }
            if document.more_omitted > 0 { lines.append(slackEscape(strings.andMore(document.more_omitted))) }
            blocks.append(lines.joined(separator: "\n"))
        }
        if !document.follow_up.isEmpty {
            blocks.append(
                (["*\(slackEscape(strings.followUp))*"]
                    + document.follow_up.map {
                        "• \(slackLink($0.title, $0.link)) — \(slackEscape([$0.owner ?? strings.noOwner, strings.waiting($0.age_days), strings.reference(String($0.id))].joined(separator: " · ")))"
                    }).joined(separator: "\n"))
        }
        if !document.failing_sources.isEmpty {
            blocks.append(
                (["*\(slackEscape(strings.blindSpots))*"]
                    + document.failing_sources.map { "• " + slackEscape(document.blindSpot($0)) })
                    .joined(separator: "\n"))
        }
        // Whole blocks into messages; a block too long for one message is cut at a line.
        var messages: [String] = []
        var current = ""
        for block in blocks.flatMap({ split($0, limit: slackMessageLimit) }) {
            if !current.isEmpty && current.count + 2 + block.count > slackMessageLimit {
                messages.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : "\n\n") + block
        }
        if !current.isEmpty { messages.append(current) }
        return messages.map { json(["text": $0, "unfurl_links": false, "unfurl_media": false]) }
    }

    /// `text` in pieces of at most `limit` characters, cut between lines.
    static func split(_ text: String, limit: Int) -> [String] {
        guard text.count > limit else { return [text] }
        var pieces: [String] = []
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = line.count > limit ? String(line.prefix(limit - 1)) + "…" : String(line)
            if !current.isEmpty && current.count + 1 + line.count > limit {
                pieces.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : "\n") + line
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    // MARK: Microsoft Teams (Adaptive Card)

    /// Teams refuses cards over 28 KB; entries stop before that, with a line saying how many remain.
    static let teamsCardLimit = 24_000

    /// The digest as an Adaptive Card in a Workflows webhook message. Feed text goes only in
    /// `TextRun`s of `RichTextBlock`s, which Teams never reads as Markdown; links are
    /// `Action.OpenUrl` on the title run, http(s) only.
    static func teams(_ document: DigestDocument, topics: [Topic]) -> Data {
        let strings = document.strings
        func run(_ text: String, bold: Bool = false, link: String? = nil, subtle: Bool = false) -> [String: Any] {
            var run: [String: Any] = ["type": "TextRun", "text": DigestText.clean(text)]
            if bold { run["weight"] = "Bolder" }
            if subtle { run["isSubtle"] = true }
            if let url = DigestDocument.linkable(link) { run["selectAction"] = ["type": "Action.OpenUrl", "url": url] }
            return run
        }
        func rich(_ runs: [[String: Any]], spacing: String? = nil) -> [String: Any] {
            var block: [String: Any] = ["type": "RichTextBlock", "inlines": runs]
            if let spacing { block["spacing"] = spacing }
            return block
        }
        // Even the fixed title goes in a run: a TextBlock would read it as Markdown.
        var body = [rich([run(document.title, bold: true)]), rich([run(document.subtitle, subtle: true)])]
        var size = 0
        var omitted = 0
        if document.items.isEmpty { body.append(rich([run(strings.nothingNew)])) }
        for section in document.sections(topics: topics) {
            var sectionBlocks = [rich([run(section.heading, bold: true)], spacing: "Medium")]
            for item in section.items {
                let entry =
                    [
                        rich([run(item.title, bold: true, link: item.link)]),
                        rich([run(document.meta(of: item, topics: topics), subtle: true)], spacing: "None"),
                    ] + (item.summary.isEmpty ? [] : [rich([run(item.summary)], spacing: "None")])
                let cost = json(entry).count
                if size + cost > teamsCardLimit {
                    omitted += 1
                    continue
                }
                size += cost
                sectionBlocks += entry
            }
            if sectionBlocks.count > 1 { body += sectionBlocks }
        }
        if !document.more.isEmpty || omitted > 0 {
            body.append(rich([run(strings.more, bold: true)], spacing: "Medium"))
            for item in document.more where size < teamsCardLimit {
                let block = rich([run("• "), run(item.title, link: item.link)], spacing: "None")
                size += json(block).count
                body.append(block)
            }
            let rest = document.more_omitted + omitted
            if rest > 0 { body.append(rich([run(strings.andMore(rest))], spacing: "None")) }
        }
        if !document.failing_sources.isEmpty {
            body.append(rich([run(strings.blindSpots, bold: true)], spacing: "Medium"))
            body += document.failing_sources.map { rich([run("• " + document.blindSpot($0))], spacing: "None") }
        }
        let card: [String: Any] = [
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
            "body": body, "msteams": ["width": "Full"],
        ]
        return json([
            "type": "message",
            "attachments": [
                ["contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": NSNull(), "content": card]
            ],
        ])
    }

    // MARK: HTML (Matrix formatted_body, the WebDAV .html file)

    /// Text as HTML character data, cleaned as the digest cleans it (one HTML escaper:
    /// ``DigestHTML/escape(_:)``).
    static func html(_ text: String) -> String { DigestHTML.escape(DigestText.clean(text)) }

    /// The digest as a fragment of the HTML Matrix allows (h3, p, ul, li, a, strong, em), every
    /// piece of feed text escaped, links http(s) only.
    static func htmlFragment(_ document: DigestDocument, topics: [Topic]) -> String {
        let strings = document.strings
        func link(_ title: String, _ url: String?) -> String {
            guard let url = DigestDocument.linkable(url) else { return html(title) }
            return "<a href=\"\(html(url))\">\(html(title))</a>"
        }
        var parts = ["<h3>\(html(document.title))</h3>", "<p><em>\(html(document.subtitle))</em></p>"]
        if document.items.isEmpty { parts.append("<p>\(html(strings.nothingNew))</p>") }
        for section in document.sections(topics: topics) {
            parts.append("<h3>\(html(section.heading))</h3>")
            parts.append(
                "<ul>"
                    + section.items.map { item in
                        "<li><strong>\(link(item.title, item.link))</strong> — \(html(document.meta(of: item, topics: topics)))"
                            + (item.summary.isEmpty ? "" : "<br>\(html(item.summary))") + "</li>"
                    }.joined() + "</ul>")
        }
        if !document.more.isEmpty {
            parts.append("<h3>\(html(strings.more))</h3>")
            var list = document.more.map { "<li>\(link($0.title, $0.link))</li>" }
            if document.more_omitted > 0 { list.append("<li>\(html(strings.andMore(document.more_omitted)))</li>") }
            parts.append("<ul>" + list.joined() + "</ul>")
        }
        if !document.failing_sources.isEmpty {
            parts.append("<h3>\(html(strings.blindSpots))</h3>")
            parts.append(
                "<ul>" + document.failing_sources.map { "<li>\(html(document.blindSpot($0)))</li>" }.joined() + "</ul>")
        }
        return parts.joined(separator: "\n")
    }

    /// A complete HTML page of the digest (the WebDAV `.html` file).
    static func htmlPage(_ document: DigestDocument, topics: [Topic]) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(html(document.language))">
        <head><meta charset="utf-8"><title>\(html(document.title))</title></head>
        <body>
        \(htmlFragment(document, topics: topics))
        </body>
        </html>

        """
    }

    // MARK: Matrix

    /// An `m.room.message`: the plain text digest as `body`, the HTML fragment as `formatted_body`.
    static func matrix(_ document: DigestDocument, text: String, topics: [Topic]) -> Data {
        json([
            "msgtype": "m.text", "body": text, "format": "org.matrix.custom.html",
            "formatted_body": htmlFragment(document, topics: topics),
        ])
    }

    // MARK: Notion

    /// Notion's limits: 2 000 characters a text object, 100 blocks a request.
    static let notionTextLimit = 2_000
    static let notionBlocksPerRequest = 100

    /// The page's blocks: headings, bulleted items with links, paragraphs. Notion rich text
    /// is plain text, never Markdown: feed text cannot format or link anything.
    static func notionBlocks(_ document: DigestDocument, topics: [Topic]) -> [[String: Any]] {
        let strings = document.strings
        func text(_ content: String, link: String? = nil, bold: Bool = false) -> [String: Any] {
            var text: [String: Any] = ["content": String(DigestText.clean(content).prefix(notionTextLimit))]
            if let url = DigestDocument.linkable(link) { text["link"] = ["url": url] }
            var object: [String: Any] = ["type": "text", "text": text]
            if bold { object["annotations"] = ["bold": true] }
            return object
        }
        func block(_ type: String, _ rich: [[String: Any]]) -> [String: Any] {
            ["object": "block", "type": type, type: ["rich_text": rich]]
        }
        var blocks = [block("paragraph", [text(document.subtitle)])]
        if document.items.isEmpty { blocks.append(block("paragraph", [text(strings.nothingNew)])) }
        for section in document.sections(topics: topics) {
            blocks.append(block("heading_2", [text(section.heading)]))
            for item in section.items {
                var rich = [
                    text(item.title, link: item.link, bold: true),
                    text(" — " + document.meta(of: item, topics: topics)),
                ]
                if !item.summary.isEmpty { rich.append(text("\n" + item.summary)) }
                blocks.append(block("bulleted_list_item", rich))
            }
        }
        if !document.more.isEmpty {
            blocks.append(block("heading_2", [text(strings.more)]))
            blocks += document.more.map { block("bulleted_list_item", [text($0.title, link: $0.link)]) }
            if document.more_omitted > 0 {
                blocks.append(block("paragraph", [text(strings.andMore(document.more_omitted))]))
            }
        }
        if !document.failing_sources.isEmpty {
            blocks.append(block("heading_2", [text(strings.blindSpots)]))
            blocks += document.failing_sources.map { block("bulleted_list_item", [text(document.blindSpot($0))]) }
        }
        return blocks
    }

    // MARK: JSON

    /// `value` as compact JSON with sorted keys (`JSONSerialization` of plain values cannot fail).
    static func json(_ value: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
    }
}
