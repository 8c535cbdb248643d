import Foundation

/// How two items from different feeds are recognised as the same story.
///
/// Feeds rewrite titles a little ("Qualiopi : le nouveau guide de lecture est paru" vs
/// "Qualiopi - le nouveau guide de lecture est paru !"): titles are compared after folding
/// case, accents and punctuation, then as sets of words.
public enum StoryKey {
    /// How far apart (by publication date) two items may be and still be one story.
    public static let window: TimeInterval = 3 * 86_400
    /// Word-set Jaccard similarity from which two titles are the same story.
    public static let similarity = 0.8
    /// Titles shorter than this (in words) group only on exact equality after folding, and
    /// never below 3 words: "Actualités" or "Communiqué de presse" are not stories.
    public static let minimumWords = 3
    /// How many recent items per index word are compared with a new title: bounds the work of
    /// storing an item when many titles share words (templated titles such as "Décret n° … du
    /// … relatif à …"); a look-alike older than the most recent ones under all its words is missed.
    static let candidatesPerWord = 24

    /// `"Qualiopi : le guide est paru !"` → `"qualiopi le guide est paru"`; `nil` for no title.
    public static func normalizedTitle(_ title: String?) -> String? {
        guard let title else { return nil }
        let folded = title.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        for scalar in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    /// Words that say nothing about which story a title tells (French and English articles,
    /// prepositions, conjunctions). They are left out of the comparison, so "le guide" and
    /// "un guide" do not differ and "de la" does not make two titles alike.
    static let stopwords: Set<Substring> = [
        "a", "au", "aux", "avec", "ce", "ces", "d", "dans", "de", "des", "du", "en", "et", "l", "la", "le", "les",
        "leur", "leurs", "ou", "par", "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "son", "sur", "un", "une",
        "y", "est", "sont", "the", "of", "and", "to", "in", "for", "on", "an", "is", "with", "by",
    ]

    /// The words of a normalized title that count for story matching.
    static func words(_ normalized: String) -> Set<Substring> {
        Set(normalized.split(separator: " ").filter { !stopwords.contains($0) })
    }

    /// Whether two normalized titles name the same story: equal, or word sets (stopwords
    /// aside) with a Jaccard similarity of at least ``similarity``, each with at least
    /// ``minimumWords`` words.
    public static func sameStory(_ a: String, _ b: String) -> Bool {
        sameStory(words(a), a, b)
    }

    /// ``sameStory(_:_:)`` with the words of `a` already split.
    static func sameStory(_ wa: Set<Substring>, _ a: String, _ b: String) -> Bool {
        let wb = words(b)
        guard wa.count >= minimumWords, wb.count >= minimumWords else { return false }
        if a == b { return true }
        let smaller = Double(min(wa.count, wb.count))
        let larger = Double(max(wa.count, wb.count))
        guard smaller / larger >= similarity else { return false }
        let shared = Double(wa.intersection(wb).count)
        return shared / Double(wa.union(wb).count) >= similarity
    }

    /// The few words under which a title is indexed to find its look-alikes without comparing
    /// it to every title of the window (prefix filtering): the words are put in one fixed
    /// order, and two sets with Jaccard ≥ t always share a word among the first
    /// `n − ⌈t·n⌉ + 1` of each. `[]` for a title too short to group.
    static func indexWords(_ normalized: String) -> [String] {
        let set = words(normalized)
        guard set.count >= minimumWords else { return [] }
        let ordered = set.map(String.init).sorted { order($0) < order($1) || (order($0) == order($1) && $0 < $1) }
        let n = Double(ordered.count)
        let prefix = ordered.count - Int((similarity * n).rounded(.up)) + 1
        return Array(ordered.prefix(max(1, prefix)))
    }

    /// A fixed pseudo-random order of words (FNV-1a), so that frequent words are not
    /// systematically first.
    private static func order(_ word: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}
