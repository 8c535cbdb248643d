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
    /// The word is one capital letter, or capitals written with periods ("I.A." reads "IA").
    var isDottedCapitals = false
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
        var text = text
        // Straight over the UTF-8 bytes (valid, since they come from a String): ASCII, most
        // of any French text, takes the short path.
        text.withUTF8 { utf8 in
            var index = 0
            let count = utf8.count
            while index < count {
                let lead = utf8[index]
                if lead < 0x80 {
                    builder.consumeASCII(lead)
                    index += 1
                    continue
                }
                var value: UInt32
                var length: Int
                if lead < 0xE0 {
                    value = UInt32(lead & 0x1F)
                    length = 2
                } else if lead < 0xF0 {
                    value = UInt32(lead & 0x0F)
                    length = 3
                } else {
                    value = UInt32(lead & 0x07)
                    length = 4
                }
                length = min(length, count - index)
                for offset in 1..<max(length, 1) {
                    value = value << 6 | UInt32(utf8[index + offset] & 0x3F)
                }
                builder.consumeNonASCII(value)
                index += max(length, 1)
            }
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
        /// Reused for stemming, so that a word costs no allocation beyond its strings.
        var scratch: [UInt8] = []
        /// Separator characters seen since the last word, and the last one of them.
        var separatorCount = 0
        var lastSeparator: Separator = .other
        var upperLetters = 0
        var lowerLetters = 0

        enum Separator { case hyphen, apostrophe, period, other }

        init() {
            folded.reserveCapacity(32)
            original.reserveCapacity(32)
            previousFolded.reserveCapacity(32)
            scratch.reserveCapacity(64)
        }

        @inline(__always)
        mutating func consumeASCII(_ byte: UInt8) {
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
                case UInt8(ascii: "."):
                    separator(.period)
                default:
                    separator(.other)
                }
        }

        mutating func consumeNonASCII(_ value: UInt32) {
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
                let latin = Self.latinFolding(value)
                if latin != 0 {
                    // Packed as up to two ASCII bytes, plus 0x10000 for a capital.
                    if latin & 0x10000 != 0 { upperLetters += 1; hasCapital = true } else { lowerLetters += 1 }
                    originalIsASCII = false
                    folded.append(UInt8(latin & 0xFF))
                    if latin & 0xFF00 != 0 { folded.append(UInt8((latin >> 8) & 0xFF)) }
                } else if let scalar = Unicode.Scalar(value),
                    scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                {
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
            let isCapitalLetter = folded.count == 1 && hasCapital && originalIsASCII
            // "I.A." is the acronym IA: one capital letter after "X." joins the word before it.
            if isCapitalLetter, separatorCount == 1, lastSeparator == .period,
                let last = tokens.indices.last, tokens[last].isDottedCapitals
            {
                previousFolded.append(contentsOf: folded)
                tokens[last].stem = stem(previousFolded)
                tokens[last].acronymCandidate = (tokens[last].acronymCandidate ?? "") + String(decoding: original, as: UTF8.self)
                resetWord()
                return
            }
            // The previous word learns what separated it from this one.
            if !tokens.isEmpty, separatorCount == 1 {
                let last = tokens.count - 1
                if lastSeparator == .apostrophe, previousFolded.count == 1 || previousFolded == Self.qu {
                    tokens[last].isElision = true
                }
                if lastSeparator == .hyphen {
                    tokens[last].hyphenatedToNext = true
                    scratch.removeAll(keepingCapacity: true)
                    scratch.append(contentsOf: previousFolded)
                    scratch.append(contentsOf: folded)
                    Stemmer.reduce(&scratch)
                    tokens[last].joinedStem = String(decoding: scratch, as: UTF8.self)
                }
            }
            let acronym: String? =
                (originalIsASCII && hasCapital) ? String(decoding: original, as: UTF8.self) : nil
            tokens.append(
                Token(
                    stem: stem(folded), joinedStem: nil, acronymCandidate: acronym,
                    isElision: false, hyphenatedToNext: false, isDottedCapitals: isCapitalLetter))
            swap(&previousFolded, &folded)
            resetWord()
        }

        mutating func stem(_ word: [UInt8]) -> String {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: word)
            Stemmer.reduce(&scratch)
            return String(decoding: scratch, as: UTF8.self)
        }

        mutating func resetWord() {
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
        /// because they are most of the non-ASCII letters of French text. Returns the folded
        /// ASCII letters packed (first byte low, optional second byte next), with 0x10000 set
        /// for a capital, or 0 for anything else.
        static func latinFolding(_ value: UInt32) -> UInt32 {
            let capital: UInt32 = 0x10000
            func pack(_ text: StaticString) -> UInt32 {
                let bytes = text.utf8Start
                return text.utf8CodeUnitCount == 1 ? UInt32(bytes[0]) : UInt32(bytes[0]) | UInt32(bytes[1]) << 8
            }
            switch value {
            case 0xC0...0xC5: return pack("a") | capital
            case 0xC6: return pack("ae") | capital
            case 0xC7: return pack("c") | capital
            case 0xC8...0xCB: return pack("e") | capital
            case 0xCC...0xCF: return pack("i") | capital
            case 0xD0: return pack("d") | capital
            case 0xD1: return pack("n") | capital
            case 0xD2...0xD6, 0xD8: return pack("o") | capital
            case 0xD9...0xDC: return pack("u") | capital
            case 0xDD: return pack("y") | capital
            case 0xDE: return pack("th") | capital
            case 0xDF: return pack("ss")
            case 0xE0...0xE5: return pack("a")
            case 0xE6: return pack("ae")
            case 0xE7: return pack("c")
            case 0xE8...0xEB: return pack("e")
            case 0xEC...0xEF: return pack("i")
            case 0xF0: return pack("d")
            case 0xF1: return pack("n")
            case 0xF2...0xF6, 0xF8: return pack("o")
            case 0xF9...0xFC: return pack("u")
            case 0xFD, 0xFF: return pack("y")
            case 0xFE: return pack("th")
            case 0x152: return pack("oe") | capital
            case 0x153: return pack("oe")
            case 0x178: return pack("y") | capital
            default: return 0
            }
        }

        /// Any other letter: lowercased, with its accents removed through canonical
        /// decomposition (rare in French feeds, so the slower path is fine).
        static func genericFolding(_ scalar: Unicode.Scalar) -> String {
            String(scalar).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        }
    }
}
