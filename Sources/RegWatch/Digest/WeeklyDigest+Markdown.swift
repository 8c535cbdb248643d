import Foundation

extension WeeklyDigest {
    /// The digest as CommonMark, to paste into Notion, Confluence, HedgeDoc or Slack.
    ///
    /// Every piece of feed text goes through `DigestMarkdown.escape`: it shows as the text
    /// it is, never as a link, HTML, an image or formatting. The only links are the ones the
    /// digest makes, on entry titles whose link is http(s), with a percent-encoded destination.
    public func renderMarkdown() -> String {
        typealias MD = DigestMarkdown
        var blocks: [String] = []
        blocks.append("# " + MD.escape(title, atLineStart: false))
        blocks.append(MD.escape(subtitle))

        func entryBlock(_ entry: Entry) -> String {
            var lines = ["- **" + MD.link(entry.title, to: entry.link) + "** — " + MD.escape(metaLine(of: entry))]
            if !entry.summary.isEmpty {
                lines.append("")
                lines.append("  " + MD.escape(entry.summary))
            }
            if let also = alsoInLine(of: entry) {
                lines.append("")
                lines.append("  *" + MD.escape(also) + "*")
            }
            return lines.joined(separator: "\n")
        }

        if isEmpty { blocks.append(MD.escape(strings.nothingNew)) }
        if !highlights.isEmpty {
            blocks.append("## " + MD.escape(strings.highlights, atLineStart: false))
            blocks += highlights.map(entryBlock)
        }
        for section in sections {
            blocks.append("## " + MD.escape(heading(of: section), atLineStart: false))
            blocks += section.entries.map(entryBlock)
        }
        if !more.isEmpty {
            blocks.append("## " + MD.escape(strings.more, atLineStart: false))
            var list = more.map { "- " + MD.link($0.title, to: $0.link) }
            if moreOmitted > 0 { list.append("- " + MD.escape(strings.andMore(moreOmitted), atLineStart: false)) }
            blocks.append(list.joined(separator: "\n"))
        }
        if !followUps.isEmpty {
            blocks.append("## " + MD.escape(strings.followUp, atLineStart: false))
            blocks.append(MD.escape(strings.followUpIntro))
            blocks += followUps.map { item in
                var lines = ["- **" + MD.link(item.title, to: item.link) + "** — " + MD.escape(metaLine(of: item))]
                if let note = item.note {
                    lines.append("")
                    lines.append("  *" + MD.escape(note) + "*")
                }
                return lines.joined(separator: "\n")
            }
        }
        blocks.append("## " + MD.escape(strings.blindSpots, atLineStart: false))
        if failingSources.isEmpty {
            blocks.append(MD.escape(strings.noBlindSpots))
        } else {
            blocks.append(MD.escape(strings.blindSpotsIntro))
            blocks.append(failingSources.map { "- " + MD.escape(blindSpotLine(of: $0)) }.joined(separator: "\n"))
        }
        blocks.append(MD.escape(countsLine))
        blocks.append("---")
        blocks.append("*" + MD.escape(strings.generatedBy) + "*")
        return blocks.joined(separator: "\n\n") + "\n"
    }
}

/// CommonMark escaping for feed text.
enum DigestMarkdown {
    /// ASCII punctuation that can open or close syntax anywhere in a line: CommonMark's
    /// emphasis, code spans, links and raw HTML, and GFM's strikethrough.
    ///
    /// Only these: the digest is pasted into tools (Notion, Slack, Teams) that show a needless
    /// backslash as a backslash, and French titles are full of `!`, `|`, `#`, `+` and `&`,
    /// which open nothing in the middle of a line. `!` needs no escape because `[` has one.
    private static let alwaysEscaped: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", "~"]

    /// What opens a block at the start of a line: headings, quotes, bullets, setext underlines.
    private static let lineStartEscaped: Set<Character> = ["#", ">", "+", "=", "-"]

    /// Feed text as literal CommonMark text: every character that could start syntax is
    /// backslash-escaped; at the start of a line (`atLineStart`) so are list, quote and
    /// heading markers (`-`, `+`, `>`, `#`, and the `.`/`)` of `1.`).
    static func escape(_ text: String, atLineStart: Bool = true) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        var index = text.startIndex
        if atLineStart {
            // "2025. Une année…" would start an ordered list; "- x" a bullet list.
            let digits = text.prefix { ("0"..."9").contains($0) }
            if !digits.isEmpty, digits.count <= 9, let next = text.dropFirst(digits.count).first,
                next == "." || next == ")"
            {
                result += digits + "\\" + String(next)
                index = text.index(text.startIndex, offsetBy: digits.count + 1)
            } else if let first = text.first, lineStartEscaped.contains(first) {
                result += "\\" + String(first)
                index = text.index(after: index)
            }
        }
        let rest = text[index...]
        var position = rest.startIndex
        while position < rest.endIndex {
            let character = rest[position]
            let next = rest.index(after: position)
            if alwaysEscaped.contains(character) || needsEscape(character, before: rest[next...]) {
                result.append("\\")
            }
            result.append(character)
            position = next
        }
        return result
    }

    /// The characters that open syntax only in company: `&` starting an entity reference
    /// (`&amp;`, `&#38;`), HedgeDoc's `{%` embeds and `==` marks.
    private static func needsEscape(_ character: Character, before following: Substring) -> Bool {
        switch character {
        case "&":
            let name = following.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "#") }
            return !name.isEmpty && name.count <= 32 && following.dropFirst(name.count).first == ";"
        case "{": return following.first == "%"
        case "=": return following.first == "="
        default: return false
        }
    }

    /// `[text](destination)` when `link` is http(s), else the escaped text alone.
    ///
    /// The destination percent-encodes what could end it or change its meaning (spaces,
    /// `<`, `>`, `(`, `)`, quotes, backslashes, backticks, control characters).
    static func link(_ text: String, to link: String?) -> String {
        let label = escape(text, atLineStart: false)
        guard let url = WeeklyDigest.linkable(link) else { return label }
        return "[\(label)](\(destination(url)))"
    }

    static func destination(_ url: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(url.utf8.count)
        for byte in url.utf8 {
            switch byte {
            case 0x00...0x20, 0x7F, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"), UInt8(ascii: "`"):
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A code span holding `text` literally (a fence longer than any backtick run inside it).
    static func code(_ text: String) -> String {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = text.first == "`" || text.last == "`" ? " \(text) " : text
        return fence + padded + fence
    }
}
