/// Just enough French (and English) morphology for topic terms: plural and feminine forms
/// of a word reduce to one key, so a rule written "neurodivergent" also finds
/// "neurodivergentes", "formateur" finds "formatrices", "générative" finds "génératifs",
/// "certifié" finds "certifiée".
///
/// Both the rules and the text go through the same reduction, so the keys only need to be
/// consistent, not real words ("autisme" → "autism", "dyslexie" → "dyslexi"). Words of three
/// letters or fewer are left alone ("dys", "ia", "les").
enum Stemmer {
    /// Whether ``reduce(_:count:)`` may change the word: every rule reads a word of four bytes
    /// or more ending in -s, -x or -e, and most words end otherwise (the tokenizer looks those
    /// up without copying them).
    @inline(__always)
    static func mayReduce(_ word: UnsafePointer<UInt8>, count: Int) -> Bool {
        guard count > 3 else { return false }
        let last = word[count - 1]
        return last == UInt8(ascii: "s") || last == UInt8(ascii: "x") || last == UInt8(ascii: "e")
    }

    /// Reduces the folded (lowercase, unaccented) word in `word[0..<count]` in place; every
    /// rule shortens or keeps the word, so no room beyond it is needed.
    static func reduce(_ word: UnsafeMutablePointer<UInt8>, count: inout Int) {
        @inline(__always) func ends(_ suffix: StaticString) -> Bool {
            let length = suffix.utf8CodeUnitCount
            guard count >= length else { return false }
            let tail = suffix.utf8Start
            for offset in 0..<length where word[count - length + offset] != tail[offset] { return false }
            return true
        }
        @inline(__always) func replace(_ length: Int, with replacement: StaticString) {
            count -= length
            let bytes = replacement.utf8Start
            for offset in 0..<replacement.utf8CodeUnitCount {
                word[count] = bytes[offset]
                count += 1
            }
        }
        let s = UInt8(ascii: "s"), x = UInt8(ascii: "x"), e = UInt8(ascii: "e")
        guard mayReduce(word, count: count) else { return }
        let last = word[count - 1]
        // Plurals: -eaux → -eau, -aux → -al (principaux → principal), -s / -x.
        if last != x {
            // Not -eaux nor -aux.
            if last == s, word[count - 2] != s { count -= 1 }
        } else if ends("eaux") {
            count -= 1
        } else if count > 4, ends("aux") {
            replace(3, with: "al")
        } else if word[count - 1] == s || word[count - 1] == x, word[count - 2] != s {
            count -= 1
        }
        // What follows reads a word ending in -e.
        guard count > 3, word[count - 1] == e else { return }
        // A feminine past participle: -ée is -é ("certifiée" and "certifié", "référencées").
        if ends("ee") { count -= 1 }
        // Feminine forms and their masculine: -euse/-rice → -eur, -ive → -if, -elle → -el,
        // -enne → -en, -ette → -et, -ère → -er.
        if ends("euse") {
            replace(4, with: "eur")
        } else if count > 5, ends("rice") {
            replace(4, with: "eur")
        } else if ends("ive") {
            replace(3, with: "if")
        } else if ends("elle") || ends("enne") || ends("ette") {
            count -= 2
        } else if ends("ere") {
            count -= 1
        }
        // A final mute e: "neurodivergente" and "neurodivergent", "autiste" and "autistes".
        // Once it is gone, a final s is the masculine of an -se word ("neurodivers" and
        // "neurodiverse", "précis" and "précise"), so it goes as well.
        if count > 4, word[count - 1] == e {
            count -= 1
            if count > 4, word[count - 1] == s, word[count - 2] != s {
                count -= 1
            }
        }
    }
}
