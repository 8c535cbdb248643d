import Foundation

/// What changed between two texts of a watched page: added and removed sentences (for people)
/// and a word-level diff (for search and the audit).
///
/// Sentences are compared as sets: a sentence moved elsewhere is neither added nor removed. The
/// word diff is a longest-common-subsequence diff of the words between the common prefix and
/// suffix; when that middle is too large to compare word by word (more than 4 million word
/// pairs), the diff falls back to the sentences.
struct TextDiff {
    /// Sentences of the new text the old one did not have, in the new text's order.
    let added: [String]
    /// Sentences of the old text the new one does not have, in the old text's order.
    let removed: [String]
    /// The word-level hunks.
    private let hunks: [Hunk]

    /// One change: words removed, words added, with a few words of context before.
    struct Hunk: Equatable {
        var context: [Substring]
        var removed: [Substring]
        var added: [Substring]
    }

    var hasChanges: Bool { !hunks.isEmpty || !added.isEmpty || !removed.isEmpty }

    init(old: String, new: String) {
        let oldSentences = Self.sentences(old)
        let newSentences = Self.sentences(new)
        let oldSet = Set(oldSentences)
        let newSet = Set(newSentences)
        added = Self.unique(newSentences.filter { !oldSet.contains($0) })
        removed = Self.unique(oldSentences.filter { !newSet.contains($0) })
        hunks =
            Self.wordHunks(
                old.split(whereSeparator: \.isWhitespace), new.split(whereSeparator: \.isWhitespace))
            ?? [
                Hunk(
                    context: [], removed: removed.flatMap { $0.split(separator: " ") },
                    added: added.flatMap { $0.split(separator: " ") })
            ]
    }

    /// The diff as text: `[-removed words-] {+added words+}` after a few words of context, hunks
    /// separated by ` … `, at most `limit` characters.
    func rendered(limit: Int) -> String {
        var out = ""
        for hunk in hunks {
            var piece = out.isEmpty ? "" : " … "
            if !hunk.context.isEmpty { piece += hunk.context.joined(separator: " ") + " " }
            if !hunk.removed.isEmpty { piece += "[-" + hunk.removed.joined(separator: " ") + "-]" }
            if !hunk.removed.isEmpty, !hunk.added.isEmpty { piece += " " }
            if !hunk.added.isEmpty { piece += "{+" + hunk.added.joined(separator: " ") + "+}" }
            if out.count + piece.count > limit {
                out += " …"
                break
            }
            out += piece
        }
        return out
    }

    /// Sentences: each line cut after `.`, `!`, `?` or `;` followed by a space.
    static func sentences(_ text: String) -> [String] {
        var out: [String] = []
        for line in text.split(separator: "\n") {
            var current = ""
            var previous: Character = " "
            for character in line {
                if character == " ", ".!?;".contains(previous), current.count > 1 {
                    out.append(current.trimmingCharacters(in: .whitespaces))
                    current = ""
                } else {
                    current.append(character)
                }
                previous = character
            }
            let last = current.trimmingCharacters(in: .whitespaces)
            if !last.isEmpty { out.append(last) }
        }
        return out
    }

    private static func unique(_ sentences: [String]) -> [String] {
        var seen: Set<String> = []
        return sentences.filter { seen.insert($0).inserted }
    }

    /// Word hunks by LCS between the common prefix and suffix; `nil` when the middle is too large.
    private static func wordHunks(_ a: [Substring], _ b: [Substring]) -> [Hunk]? {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        let x = Array(a[prefix..<(a.count - suffix)])
        let y = Array(b[prefix..<(b.count - suffix)])
        if x.isEmpty, y.isEmpty { return [] }
        guard x.count * y.count <= 4_000_000 else { return nil }
        // lengths[i][j]: LCS of x[i...] and y[j...], in one flat array.
        let width = y.count + 1
        var lengths = [Int32](repeating: 0, count: (x.count + 1) * width)
        if !x.isEmpty, !y.isEmpty {
            for i in stride(from: x.count - 1, through: 0, by: -1) {
                for j in stride(from: y.count - 1, through: 0, by: -1) {
                    lengths[i * width + j] =
                        x[i] == y[j]
                        ? lengths[(i + 1) * width + j + 1] + 1
                        : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
                }
            }
        }
        var hunks: [Hunk] = []
        var current: Hunk?
        var context: [Substring] = Array(a[max(0, prefix - 6)..<prefix])
        var i = 0
        var j = 0
        func flush() {
            if let hunk = current { hunks.append(hunk) }
            current = nil
        }
        while i < x.count || j < y.count {
            if i < x.count, j < y.count, x[i] == y[j] {
                flush()
                context.append(x[i])
                if context.count > 6 { context.removeFirst(context.count - 6) }
                i += 1
                j += 1
            } else if j < y.count, i == x.count || lengths[i * width + j + 1] >= lengths[(i + 1) * width + j] {
                if current == nil {
                    current = Hunk(context: context, removed: [], added: [])
                    context = []
                }
                current!.added.append(y[j])
                j += 1
            } else {
                if current == nil {
                    current = Hunk(context: context, removed: [], added: [])
                    context = []
                }
                current!.removed.append(x[i])
                i += 1
            }
        }
        flush()
        return hunks
    }
}
