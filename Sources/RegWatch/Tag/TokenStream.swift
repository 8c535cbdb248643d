import Foundation

/// One word of a text, as the tagger sees it.
///
/// Words are runs of letters and digits. Everything else separates them, but two kinds of
/// separator are remembered because French spelling depends on them: a single hyphen
/// ("neuro-atypique", "e-learning") lets the two halves also match as one word, and a single
/// apostrophe marks an elision ("l’IA", "d'IA", "J'AI").
struct Token: Equatable {
    /// The folded and stemmed form: lowercase, accents removed, plural/feminine endings
    /// reduced ("Neurodiversités" → "neurodiversit"). Matched against the rules' terms.
    var stem: String
    /// The stem of this word glued to the next one, when only a hyphen separates them
    /// ("neuro-atypiques" → "neuroatypiqu"); `nil` otherwise.
    var joinedStem: String?
    /// The word exactly as written, when it is plain ASCII with at least one capital letter
    /// (the only shape an acronym can have); `nil` otherwise, which skips acronym lookups.
    var acronymCandidate: String?
    /// The word is a single letter followed by an apostrophe ("l’", "d'", "J'").
    var isElision: Bool
    /// A hyphen and nothing else separates this word from the next.
    var hyphenatedToNext: Bool
}

/// The words of one text field, and whether the field is written in capitals.
struct TokenStream {
    var tokens: [Token] = []
    /// The field is (nearly) all capitals, like "FORMATION : J'AI TESTÉ L'IA": acronyms that
    /// spell an ordinary word there ("AI" in "J'AI") stop being evidence.
    var isAllCapitals = false

    /// Splits and folds `text`.
    init(_ text: String) {
        var builder = Builder()
        for scalar in text.unicodeScalars {
            builder.consume(scalar)
        }
        builder.finishToken()
        tokens = builder.tokens
        isAllCapitals = builder.upperLetters >= 6 && builder.lowerLetters * 10 <= builder.upperLetters
    }

    private struct Builder {
        var tokens: [Token] = []
        /// The folded bytes of the word being read (ASCII for Latin script, UTF-8 otherwise).
        var folded: [UInt8] = []
        /// The word as written, while it stays ASCII.
        var original: [UInt8] = []
        var originalIsASCII = true
        var hasCapital = false
        /// The folded bytes of the previous word, kept to glue hyphenated compounds.
        var previousFolded: [UInt8] = []
        /// Separator characters seen since the last word, and the last one of them.
        var separatorCount = 0
        var lastSeparator: Separator = .other
        var upperLetters = 0
        var lowerLetters = 0

        enum Separator { case hyphen, apostrophe, other }

        init() {
            folded.reserveCapacity(32)
            original.reserveCapacity(32)
            previousFolded.reserveCapacity(32)
        }

        mutating func consume(_ scalar: Unicode.Scalar) {
            let value = scalar.value
            if value < 0x80 {
                let byte = UInt8(value)
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"):
                    lowerLetters += 1
                    appendLetter(byte, original: byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    upperLetters += 1
                    hasCapital = true
                    appendLetter(byte | 0x20, original: byte)
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    appendLetter(byte, original: byte)
                case UInt8(ascii: "-"):
                    separator(.hyphen)
                case UInt8(ascii: "'"), UInt8(ascii: "`"):
                    separator(.apostrophe)
                default:
                    separator(.other)
                }
                return
            }
            switch value {
            case 0x2010, 0x2011:  // hyphen, non-breaking hyphen
                separator(.hyphen)
            case 0x2019, 0x2018, 0x02BC, 0x00B4:  // ’ ‘ ʼ ´
                separator(.apostrophe)
            case 0x0300...0x036F, 0x00AD, 0x200B...0x200D, 0x2060, 0xFE0F:
                // Combining accents (decomposed "é"), soft hyphens and zero-width joiners live
                // inside words: drop them without splitting the word.
                return
            default:
                if let latin = Self.latinFolding(value) {
                    if latin.upper { upperLetters += 1; hasCapital = true } else { lowerLetters += 1 }
                    originalIsASCII = false
                    folded.append(contentsOf: latin.bytes)
                } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                    if scalar.properties.isUppercase { upperLetters += 1 } else if scalar.properties.isLowercase { lowerLetters += 1 }
                    originalIsASCII = false
                    folded.append(contentsOf: Self.genericFolding(scalar).utf8)
                } else {
                    separator(.other)
                }
            }
        }

        @inline(__always)
        mutating func appendLetter(_ folded: UInt8, original byte: UInt8) {
            self.folded.append(folded)
            original.append(byte)
        }

        mutating func separator(_ kind: Separator) {
            if folded.isEmpty {
                if !tokens.isEmpty { separatorCount += 1; lastSeparator = kind }
                return
            }
            finishToken()
            separatorCount = 1
            lastSeparator = kind
        }

        mutating func finishToken() {
            guard !folded.isEmpty else { return }
            // The previous word learns what separated it from this one.
            if !tokens.isEmpty, separatorCount == 1 {
                let last = tokens.count - 1
                if lastSeparator == .apostrophe, previousFolded.count == 1 || previousFolded == Self.qu {
                    tokens[last].isElision = true
                }
                if lastSeparator == .hyphen {
                    tokens[last].hyphenatedToNext = true
                    var glued = previousFolded
                    glued.append(contentsOf: folded)
                    tokens[last].joinedStem = Stemmer.stem(glued)
                }
            }
            let acronym: String? =
                (originalIsASCII && hasCapital) ? String(decoding: original, as: UTF8.self) : nil
            tokens.append(
                Token(
                    stem: Stemmer.stem(folded), joinedStem: nil, acronymCandidate: acronym,
                    isElision: false, hyphenatedToNext: false))
            swap(&previousFolded, &folded)
            folded.removeAll(keepingCapacity: true)
            original.removeAll(keepingCapacity: true)
            originalIsASCII = true
            hasCapital = false
            separatorCount = 0
            lastSeparator = .other
        }

        /// "qu’" elides like a single letter ("qu’IA" is rare, "jusqu’" and "lorsqu’" are not).
        static let qu: [UInt8] = Array("qu".utf8)

        /// Latin-1 Supplement and the French letters of Latin Extended-A, folded by table
        /// because they are most of the non-ASCII letters of French text.
        static func latinFolding(_ value: UInt32) -> (bytes: [UInt8], upper: Bool)? {
            switch value {
            case 0xC0...0xC5: return ([0x61], true)
            case 0xC6: return ([0x61, 0x65], true)
            case 0xC7: return ([0x63], true)
            case 0xC8...0xCB: return ([0x65], true)
            case 0xCC...0xCF: return ([0x69], true)
            case 0xD0: return ([0x64], true)
            case 0xD1: return ([0x6E], true)
            case 0xD2...0xD6, 0xD8: return ([0x6F], true)
            case 0xD9...0xDC: return ([0x75], true)
            case 0xDD: return ([0x79], true)
            case 0xDE: return ([0x74, 0x68], true)
            case 0xDF: return ([0x73, 0x73], false)
            case 0xE0...0xE5: return ([0x61], false)
            case 0xE6: return ([0x61, 0x65], false)
            case 0xE7: return ([0x63], false)
            case 0xE8...0xEB: return ([0x65], false)
            case 0xEC...0xEF: return ([0x69], false)
            case 0xF0: return ([0x64], false)
            case 0xF1: return ([0x6E], false)
            case 0xF2...0xF6, 0xF8: return ([0x6F], false)
            case 0xF9...0xFC: return ([0x75], false)
            case 0xFD, 0xFF: return ([0x79], false)
            case 0xFE: return ([0x74, 0x68], false)
            case 0x152: return ([0x6F, 0x65], true)
            case 0x153: return ([0x6F, 0x65], false)
            case 0x178: return ([0x79], true)
            default: return nil
            }
        }

        /// Any other letter: lowercased, with its accents removed through canonical
        /// decomposition (rare in French feeds, so the slower path is fine).
        static func genericFolding(_ scalar: Unicode.Scalar) -> String {
            String(scalar).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        }
    }
}
