import Foundation

/// Text helpers shared by the digest's selection and renderers: cleaning feed text,
/// counting words, cutting summaries at a sentence boundary.
enum DigestText {
    /// Feed text on one line: control characters and bidirectional overrides (which can make
    /// a title display as something else) removed, runs of whitespace collapsed, trimmed.
    static func clean(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            // ASCII is decided without the Unicode property tables: most feed text is ASCII.
            let isSpace =
                value < 0x80
                ? value <= 0x20 || value == 0x7F
                : scalar.properties.isWhitespace || (0x80...0x9F).contains(value)
            if isSpace {
                pendingSpace = !result.isEmpty
                continue
            }
            if value >= 0x200B && isInvisibleFormatting(scalar) { continue }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            result.append(scalar)
        }
        return String(result)
    }

    /// Bidirectional embeddings, overrides and isolates, zero-width characters and the BOM.
    private static func isInvisibleFormatting(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }

    /// The number of words a reader reads in `text`: whitespace-separated tokens that hold at
    /// least one letter or digit (so "·", "—" and "…" are not words).
    static func wordCount(_ text: String) -> Int {
        var count = 0
        var inWord = false
        var wordHasAlphanumeric = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let isSpace = value < 0x80 ? value == 0x20 || (0x09...0x0D).contains(value) : scalar.properties.isWhitespace
            if isSpace {
                if inWord && wordHasAlphanumeric { count += 1 }
                inWord = false
                wordHasAlphanumeric = false
            } else {
                inWord = true
                if !wordHasAlphanumeric {
                    wordHasAlphanumeric =
                        value < 0x80
                        ? (0x30...0x39).contains(value) || (0x41...0x5A).contains(value)
                            || (0x61...0x7A).contains(value)
                        : scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                }
            }
        }
        if inWord && wordHasAlphanumeric { count += 1 }
        return count
    }

    /// Words that end a sentence only in appearance: "M. Dupont", "art. L. 6323-1", "cf. infra".
    private static let abbreviations: Set<String> = [
        "m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste", "art", "al", "cf", "etc", "ex",
        "p", "pp", "n", "no", "vol", "env", "min", "max", "av", "bd", "fig", "mr", "mrs", "ms", "vs",
        "e.g", "i.e", "approx", "dept", "gén", "sq",
    ]

    /// The first sentences of `text` that fit in `maxWords` words, with "(…)" when sentences
    /// were left out.
    ///
    /// A sentence ends at `.`, `!`, `?` or `…` followed by a space and what looks like the
    /// start of a new sentence (an uppercase letter, a digit, a quote or a dash), except after
    /// an abbreviation or an initial. If even the first sentence is too long, it is cut at the
    /// last whole word that fits, with "…".
    static func excerpt(_ text: String, maxWords: Int) -> String {
        // Only the start of a long article matters; words average well under 40 characters.
        let head = text.prefix(maxWords * 40 + 200)
        let truncated = head.endIndex < text.endIndex
        let cleaned = clean(String(head))
        var words = cleaned.split(separator: " ", omittingEmptySubsequences: true)
        if words.count <= maxWords && !truncated || words.isEmpty { return cleaned }
        if truncated && words.count > maxWords + 1 { words = Array(words.prefix(maxWords + 1)) }

        // Sentence ends among the first maxWords words, as word counts.
        var lastSentenceEnd = 0
        for index in 0..<min(maxWords, words.count - 1) {
            let word = words[index]
            guard let last = word.last(where: { !"»\"’')]".contains($0) }),
                ".!?…".contains(last)
            else { continue }
            let next = words[index + 1]
            guard let nextFirst = next.first(where: { !"«\"“‘(".contains($0) }) ?? next.first,
                nextFirst.isUppercase || nextFirst.isNumber || "«\"“—–-".contains(nextFirst)
            else { continue }
            if last == "." {
                let stem = word.dropLast().trimmingCharacters(in: CharacterSet(charactersIn: "(\"«"))
                    .lowercased()
                if abbreviations.contains(stem) { continue }
                if stem.count == 1, stem.first!.isLetter { continue }  // an initial: "J. Dupont"
            }
            lastSentenceEnd = index + 1
        }
        if lastSentenceEnd > 0 {
            return words[0..<lastSentenceEnd].joined(separator: " ") + " (…)"
        }
        var cut = words.prefix(maxWords).joined(separator: " ")
        while let last = cut.last, ",;:–—-(".contains(last) || last == " " { cut.removeLast() }
        return cut + "…"
    }
}
