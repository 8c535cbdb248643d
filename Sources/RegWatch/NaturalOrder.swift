import Foundation

/// The order a person expects of names: "Source 9" before "Source 30", "Éducation" beside
/// "education", whatever the case and accents.
enum NaturalOrder {
    /// A key whose plain string order is the natural order of `name`: case and accents folded,
    /// each run of digits padded to the same width.
    static func key(_ name: String) -> String {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        var key = ""
        key.reserveCapacity(folded.utf8.count + 8)
        var digits = ""
        func flushDigits() {
            guard !digits.isEmpty else { return }
            let significant = digits.drop { $0 == "0" }
            key += String(repeating: "0", count: max(0, 20 - significant.count)) + significant
            digits = ""
        }
        for character in folded {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else {
                flushDigits()
                key.append(character)
            }
        }
        flushDigits()
        return key
    }

    /// Whether `a` comes before `b` in natural order (ties broken by the plain strings).
    static func precedes(_ a: String, _ b: String) -> Bool {
        let (keyA, keyB) = (key(a), key(b))
        return keyA != keyB ? keyA < keyB : a < b
    }
}
