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

    /// Whether two normalized titles name the same story.
    public static func sameStory(_ a: String, _ b: String) -> Bool {
        if a == b { return a.split(separator: " ").count >= minimumWords }
        let wa = Set(a.split(separator: " "))
        let wb = Set(b.split(separator: " "))
        guard wa.count >= minimumWords, wb.count >= minimumWords else { return false }
        let smaller = Double(min(wa.count, wb.count))
        let larger = Double(max(wa.count, wb.count))
        guard smaller / larger >= similarity else { return false }
        let shared = Double(wa.intersection(wb).count)
        return shared / Double(wa.union(wb).count) >= similarity
    }
}
