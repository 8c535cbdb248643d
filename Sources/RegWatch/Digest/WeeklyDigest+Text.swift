import Foundation

extension WeeklyDigest {
    /// The width plain text is wrapped at.
    public static let textWidth = 72

    /// The digest as plain text: wrapped at 72 columns, every URL alone on its line (so mail
    /// clients and terminals can open it), no Markdown syntax. Lines end with `\n`.
    public func renderText() -> String {
        textLines(includeLinks: true).joined(separator: "\n") + "\n"
    }

    /// The text rendering as lines; without links, it is what the reading time is counted on.
    func textLines(includeLinks: Bool) -> [String] {
        var lines: [String] = []
        let width = WeeklyDigest.textWidth
        lines += Self.wrap(title, width: width)
        lines.append(String(repeating: "═", count: min(width, title.count)))
        lines += Self.wrap(subtitle, width: width)

        func heading(_ text: String) {
            lines.append("")
            lines.append(text)
            lines.append(String(repeating: "─", count: min(width, text.count)))
        }
        func entry(_ entry: Entry, full: Bool) {
            lines.append("")
            lines += Self.wrap(entry.title, width: width, first: "• ", rest: "  ")
            if full { lines += Self.wrap(metaLine(of: entry), width: width, first: "  ", rest: "  ") }
            if includeLinks, let link = Self.linkable(entry.link) { lines.append("  " + link) }
            if full {
                if !entry.summary.isEmpty { lines += Self.wrap(entry.summary, width: width, first: "  ", rest: "  ") }
                if let also = alsoInLine(of: entry) { lines += Self.wrap(also, width: width, first: "  ", rest: "  ") }
            }
        }

        if isEmpty {
            lines.append("")
            lines += Self.wrap(strings.nothingNew, width: width)
        }
        if !highlights.isEmpty {
            heading(strings.highlights)
            highlights.forEach { entry($0, full: true) }
        }
        for section in sections {
            heading(self.heading(of: section))
            section.entries.forEach { entry($0, full: true) }
        }
        if !more.isEmpty {
            heading(strings.more)
            more.forEach { entry($0, full: false) }
            if moreOmitted > 0 {
                lines.append("")
                lines.append(strings.andMore(moreOmitted))
            }
        }

        if !followUps.isEmpty {
            heading(strings.followUp)
            lines += Self.wrap(strings.followUpIntro, width: width)
            for item in followUps {
                lines.append("")
                lines += Self.wrap(item.title, width: width, first: "• ", rest: "  ")
                lines += Self.wrap(metaLine(of: item), width: width, first: "  ", rest: "  ")
                if includeLinks, let link = Self.linkable(item.link) { lines.append("  " + link) }
                if let note = item.note { lines += Self.wrap(note, width: width, first: "  ", rest: "  ") }
            }
        }
        heading(strings.blindSpots)
        if failingSources.isEmpty {
            lines += Self.wrap(strings.noBlindSpots, width: width)
        } else {
            lines += Self.wrap(strings.blindSpotsIntro, width: width)
            for source in failingSources {
                lines += Self.wrap(blindSpotLine(of: source), width: width, first: "• ", rest: "  ")
            }
        }
        lines.append("")
        lines += Self.wrap(countsLine, width: width)
        lines.append("")
        lines.append("-- ")
        lines.append(strings.generatedBy)
        return lines
    }

    /// Greedy word wrap at `width` characters; `first` prefixes the first line, `rest` the
    /// others. A word longer than a line (a URL) stands alone on its line, unbroken.
    static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> [String] {
        var lines: [String] = []
        var current = first
        var currentCount = first.count
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let length = word.count
            if lineHasWord && currentCount + 1 + length > width {
                lines.append(current)
                current = rest
                currentCount = rest.count
                lineHasWord = false
            }
            if lineHasWord {
                current += " "
                currentCount += 1
            }
            current += word
            currentCount += length
            lineHasWord = true
        }
        if lineHasWord || lines.isEmpty { lines.append(current) }
        return lines
    }
}
