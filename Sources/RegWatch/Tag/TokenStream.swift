import Foundation

/// One word of a text, as the tagger sees it: ids into the rules' word tables, no strings.
///
/// Words are runs of letters and digits. Everything else separates them, but some
/// separators are remembered because French spelling depends on them: a single hyphen
/// ("neuro-atypique", "e-learning") lets the two halves also match as one word, a single
/// apostrophe marks an elision ("l’IA", "d'IA", "J'AI"), and periods between capitals make
/// one acronym ("I.A.").
struct Token: Equatable {
    /// The id of the folded and stemmed form (lowercase, accents removed, plural/feminine
    /// endings reduced: "Neurodiversités" → "neurodiversit"), or -1 when no rule has it.
    var stem: Int32
    /// The id of this word glued to the next one when only a hyphen separates them
    /// ("neuro-atypiques" → "neuroatypiqu"), or -1.
    var joined: Int32 = -1
    /// The id of the word as written, case included, in the acronym table (a trailing
    /// lowercase "s" allowed: "LLMs"), or -1.
    var acronym: Int32 = -1
    /// The word is one letter (or "qu") followed by an apostrophe ("l’", "d'", "J'").
    var isElision = false
    /// A hyphen and nothing else separates this word from the next.
    var hyphenatedToNext = false
    /// The word is one capital letter, or capitals written with periods ("I.A." reads "IA").
    var isDottedCapitals = false
    /// What separates this word from the previous one, for salience: a list separator, the
    /// end of a clause, the end of a sentence.
    var breakBefore: Break = .none
    /// The folded word's length in bytes (at most 255), and whether it ends in "s": an
    /// acronym matched in lowercase must be the whole word, or the word and a plural "s".
    var length: UInt8 = 0
    var endsInS = false
    /// The word starts with a digit ("13", "2026"): numbers after a numbered rule entry
    /// ("indicateurs 13 à 15, 20 et 25") are not an enumeration of topics.
    var isNumber = false
}

/// The strongest separation between two words, in increasing strength.
enum Break: UInt8, Comparable {
    /// Spaces, hyphens, apostrophes, quotes.
    case none
    /// A list separator: comma, parenthesis, slash, bullet, a dash between spaces.
    case list
    /// The end of a clause: colon, semicolon.
    case clause
    /// The end of a sentence: a period, question or exclamation mark (not after a single
    /// letter, as in "L. 6323" or "M. Durand"), or a line break.
    case sentence

    static func < (lhs: Break, rhs: Break) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where the tokenizer looks words up: read-only tables when tagging, interning tables when
/// compiling rules.
protocol WordLookup {
    /// The id of a folded, stemmed word (-1 if unknown).
    mutating func word(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32
    /// The id of a word as written, if it is an acronym of the rules (-1 otherwise).
    func acronym(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32
}

/// The words of one text field, and whether the field is written in capitals.
struct TokenStream {
    var tokens: [Token] = []
    /// The field is (nearly) all capitals, like "FORMATION : J'AI TESTÉ L'IA": acronyms that
    /// spell an ordinary word there ("AI" in "J'AI") stop being evidence.
    var isAllCapitals = false

    /// Splits, folds and stems `text`, looking each word up in `lookup`.
    init<Lookup: WordLookup>(_ text: String, lookup: inout Lookup) {
        var text = text
        self = text.withUTF8 { TokenStream(utf8: $0, lookup: &lookup) }
    }

    /// Splits, folds and stems the valid UTF-8 `text`, looking each word up in `lookup`.
    init<Lookup: WordLookup>(utf8 text: UnsafeBufferPointer<UInt8>, lookup: inout Lookup) {
        var storage: [Token] = []
        self.init(utf8: text, lookup: &lookup, reusing: &storage)
    }

    /// ``init(utf8:lookup:)`` with the tokens in `storage`'s array (taken, `storage` left
    /// empty), so that a caller tagging many texts reuses one array. Taken rather than
    /// copied: a second reference would make emptying it allocate a new one.
    init<Lookup: WordLookup>(
        utf8 text: UnsafeBufferPointer<UInt8>, lookup: inout Lookup, reusing storage: inout [Token]
    ) {
        (tokens, isAllCapitals) = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 5 * WordBuffer.capacity) {
            buffers in
            var builder = Builder<Lookup>(storage: buffers.baseAddress!, tokens: &storage, textLength: text.count)
            Self.scan(text, into: &builder, lookup: &lookup)
            builder.finishToken(&lookup)
            return (builder.tokens, builder.upperLetters >= 6 && builder.lowerLetters * 10 <= builder.upperLetters)
        }
    }

    private static func scan<Lookup: WordLookup>(
        _ utf8: UnsafeBufferPointer<UInt8>, into builder: inout Builder<Lookup>, lookup: inout Lookup
    ) {
        // Straight over the UTF-8 bytes (valid: a String's, or checked by the caller): ASCII,
        // most of any French text, takes the short path, and a run of lowercase letters, most
        // of any word, is copied at once.
        guard let base = utf8.baseAddress else { return }
        var index = 0
        let count = utf8.count
        while index < count {
            let lead = base[index]
            if lead &- UInt8(ascii: "a") < 26 {
                var end = index + 1
                // Eight bytes at a time, while there are eight: the run's end in one step.
                while end + 8 <= count {
                    let block = UInt64(littleEndian: UnsafeRawPointer(base + end).loadUnaligned(as: UInt64.self))
                    let notLowercase = Self.notLowercase(block)
                    if notLowercase != 0 {
                        end += notLowercase.trailingZeroBitCount >> 3
                        break
                    }
                    end += 8
                }
                while end < count, base[end] &- UInt8(ascii: "a") < 26 { end += 1 }
                builder.appendLowercase(base + index, count: end - index)
                index = end
                continue
            }
            if lead < 0x80 {
                builder.consumeASCII(lead, &lookup)
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
                value = value << 6 | UInt32(base[index + offset] & 0x3F)
            }
            builder.consumeNonASCII(value, &lookup)
            index += max(length, 1)
        }
    }

    /// The high bit of each byte of `block` that is not a lowercase ASCII letter (bytes in
    /// memory order, first in the low bits). Each byte's low seven bits plus an offset cannot
    /// carry into the next byte, so the bytes are tested side by side.
    @inline(__always)
    static func notLowercase(_ block: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let low = block & ~high
        let atLeastA = low &+ 0x1F1F_1F1F_1F1F_1F1F  // high bit set from 0x61 ("a") on
        let pastZ = low &+ 0x0505_0505_0505_0505  // high bit set from 0x7B (after "z") on
        let lowercase = atLeastA & ~pastZ & ~block & high
        return ~lowercase & high
    }

    private struct Builder<Lookup: WordLookup> {
        var tokens: [Token] = []
        /// The folded bytes of the word being read (ASCII for Latin script, UTF-8 otherwise).
        var folded: WordBuffer
        /// The word as written, while it stays ASCII.
        var original: WordBuffer
        var originalIsASCII = true
        var hasCapital = false
        /// The previous word, folded and as written, kept to glue compounds and acronyms.
        var previousFolded: WordBuffer
        var previousOriginal: WordBuffer
        /// Reused for stemming, so that a word costs no allocation.
        var scratch: WordBuffer
        /// Separator characters seen since the last word, and the last one of them.
        var separatorCount = 0
        var lastSeparator: Separator = .other
        /// The strongest break among the separators since the last word; a sentence end is
        /// pending until the next word shows the period was not an initial's.
        var pendingBreak: Break = .none
        var pendingPeriod = false
        /// A hyphen among several separators (" - "): a dash, not a compound.
        var sawSpacedHyphen = false
        var upperLetters = 0
        var lowerLetters = 0

        enum Separator { case hyphen, apostrophe, period, other }

        /// `storage` holds five word buffers, owned by the caller for the builder's lifetime.
        /// `tokens` is taken (left empty), so that the builder holds its only reference, with
        /// room for a text of `textLength` bytes (French words and their separators take seven
        /// on average: a content of a few KB does not grow its array five times).
        init(storage: UnsafeMutablePointer<UInt8>, tokens: inout [Token], textLength: Int) {
            folded = WordBuffer(storage)
            original = WordBuffer(storage + WordBuffer.capacity)
            previousFolded = WordBuffer(storage + 2 * WordBuffer.capacity)
            previousOriginal = WordBuffer(storage + 3 * WordBuffer.capacity)
            scratch = WordBuffer(storage + 4 * WordBuffer.capacity)
            swap(&self.tokens, &tokens)
            self.tokens.removeAll(keepingCapacity: true)
            self.tokens.reserveCapacity(max(64, textLength / 7))
        }

        /// `count` lowercase ASCII letters: what ``consumeASCII(_:_:)`` does for each, at once.
        @inline(__always)
        mutating func appendLowercase(_ letters: UnsafePointer<UInt8>, count: Int) {
            lowerLetters += count
            folded.append(letters, count: count)
            original.append(letters, count: count)
        }

        @inline(__always)
        mutating func consumeASCII(_ byte: UInt8, _ lookup: inout Lookup) {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                lowerLetters += 1
                folded.append(byte)
                original.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                upperLetters += 1
                hasCapital = true
                folded.append(byte | 0x20)
                original.append(byte)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                folded.append(byte)
                original.append(byte)
            case UInt8(ascii: "-"):
                separator(.hyphen, &lookup)
            case UInt8(ascii: "'"), UInt8(ascii: "`"):
                separator(.apostrophe, &lookup)
            case UInt8(ascii: "."):
                separator(.period, &lookup)
                pendingPeriod = true
            case UInt8(ascii: ","), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "/"), UInt8(ascii: "|"),
                UInt8(ascii: "&"), UInt8(ascii: "["), UInt8(ascii: "]"):
                separator(.other, &lookup)
                noteBreak(.list)
            case UInt8(ascii: "+"):
                // Glued to the end of a word, "+" is part of a name ("FranceConnect+", "Canal+"),
                // not a list's "A + B".
                let gluedToWord = !folded.isEmpty
                separator(.other, &lookup)
                if !gluedToWord { noteBreak(.list) }
            case UInt8(ascii: ":"), UInt8(ascii: ";"):
                separator(.other, &lookup)
                noteBreak(.clause)
            case UInt8(ascii: "!"), UInt8(ascii: "?"), 0x0A:
                separator(.other, &lookup)
                noteBreak(.sentence)
            default:
                separator(.other, &lookup)
            }
        }

        mutating func consumeNonASCII(_ value: UInt32, _ lookup: inout Lookup) {
            switch value {
            case 0x2010, 0x2011:  // hyphen, non-breaking hyphen
                separator(.hyphen, &lookup)
            case 0x2013, 0x2014, 0x2022, 0x00B7, 0x2219:  // – — • · ∙: dashes and bullets of lists
                separator(.other, &lookup)
                noteBreak(.list)
            case 0x2026:  // …
                separator(.other, &lookup)
                pendingPeriod = true
            case 0x2019, 0x2018, 0x02BC, 0x00B4:  // ’ ‘ ʼ ´
                separator(.apostrophe, &lookup)
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
                    if scalar.properties.isUppercase {
                        upperLetters += 1
                    } else if scalar.properties.isLowercase {
                        lowerLetters += 1
                    }
                    originalIsASCII = false
                    for byte in Self.genericFolding(scalar).utf8 { folded.append(byte) }
                } else {
                    separator(.other, &lookup)
                }
            }
        }

        /// Remembers a separator's break for the next word (called after ``separator(_:_:)``,
        /// which may have just finished the word before it).
        @inline(__always)
        mutating func noteBreak(_ kind: Break) {
            if pendingBreak < kind { pendingBreak = kind }
        }

        mutating func separator(_ kind: Separator, _ lookup: inout Lookup) {
            if folded.isEmpty {
                if !tokens.isEmpty {
                    if kind == .hyphen, separatorCount > 0 { sawSpacedHyphen = true }
                    separatorCount += 1
                    lastSeparator = kind
                }
                return
            }
            finishToken(&lookup)
            separatorCount = 1
            lastSeparator = kind
        }

        mutating func finishToken(_ lookup: inout Lookup) {
            guard !folded.isEmpty else { return }
            let isCapitalLetter = folded.count == 1 && hasCapital && originalIsASCII
            // "I.A." is the acronym IA: one capital letter after "X." joins the word before it.
            if isCapitalLetter, separatorCount == 1, lastSeparator == .period,
                let last = tokens.indices.last, tokens[last].isDottedCapitals
            {
                previousFolded.append(folded)
                previousOriginal.append(original)
                tokens[last].stem = stemID(of: previousFolded, &lookup)
                tokens[last].acronym = acronymID(of: previousOriginal, lookup)
                resetWord()
                return
            }
            var breakBefore = pendingBreak
            // A period then a space ends a sentence, unless it followed an initial ("L. 6323").
            if pendingPeriod, breakBefore < .sentence, separatorCount > 1,
                previousFolded.count > 1 || previousFolded.base[0] < UInt8(ascii: "a")
            {
                breakBefore = .sentence
            }
            // A hyphen between spaces ("Excel - 14 heures") separates list items like a dash.
            if breakBefore == .none, separatorCount > 1, lastSeparator == .hyphen || sawSpacedHyphen {
                breakBefore = .list
            }
            // The previous word learns what separated it from this one.
            if !tokens.isEmpty, separatorCount == 1 {
                let last = tokens.count - 1
                if lastSeparator == .apostrophe, previousFolded.count == 1 || previousFolded.isQu {
                    tokens[last].isElision = true
                }
                if lastSeparator == .hyphen {
                    tokens[last].hyphenatedToNext = true
                    scratch.reset()
                    scratch.append(previousFolded)
                    scratch.append(folded)
                    Stemmer.reduce(scratch.base, count: &scratch.count)
                    tokens[last].joined = scratch.overflow ? -1 : lookup.word(scratch.bytes)
                }
            }
            var token = Token(stem: stemID(of: folded, &lookup))
            token.breakBefore = tokens.isEmpty ? .none : breakBefore
            token.length = UInt8(min(folded.count, 255))
            token.endsInS = folded.count > 0 && folded.base[folded.count - 1] == UInt8(ascii: "s")
            token.isNumber = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(folded.base[0])
            if originalIsASCII, hasCapital { token.acronym = acronymID(of: original, lookup) }
            token.isDottedCapitals = isCapitalLetter
            tokens.append(token)
            swap(&previousFolded, &folded)
            swap(&previousOriginal, &original)
            resetWord()
        }

        /// Words longer than a buffer are in no rule: they get no id.
        mutating func stemID(of word: WordBuffer, _ lookup: inout Lookup) -> Int32 {
            guard !word.overflow else { return -1 }
            // Most words are left as they are by the stemmer: looked up in place, not copied.
            guard Stemmer.mayReduce(word.base, count: word.count) else { return lookup.word(word.bytes) }
            scratch.reset()
            scratch.append(word)
            Stemmer.reduce(scratch.base, count: &scratch.count)
            return lookup.word(scratch.bytes)
        }

        func acronymID(of written: WordBuffer, _ lookup: Lookup) -> Int32 {
            guard !written.overflow else { return -1 }
            let buffer = written.bytes
            let id = lookup.acronym(buffer)
            if id < 0, buffer.count > 2, buffer[buffer.count - 1] == UInt8(ascii: "s") {
                return lookup.acronym(UnsafeBufferPointer(rebasing: buffer.dropLast()))
            }
            return id
        }

        mutating func resetWord() {
            folded.reset()
            original.reset()
            originalIsASCII = true
            hasCapital = false
            separatorCount = 0
            lastSeparator = .other
            pendingBreak = .none
            pendingPeriod = false
            sawSpacedHyphen = false
        }

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

/// The bytes of one word, in storage the tokenizer owns: appending costs no allocation and
/// no reference counting. Words longer than `capacity` bytes are marked `overflow` (no rule
/// has such a word).
struct WordBuffer {
    static let capacity = 96
    let base: UnsafeMutablePointer<UInt8>
    var count = 0
    var overflow = false

    init(_ base: UnsafeMutablePointer<UInt8>) { self.base = base }

    var isEmpty: Bool { count == 0 && !overflow }
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
    /// "qu’" elides like a single letter ("qu’IA" is rare, "jusqu’" and "lorsqu’" are not).
    var isQu: Bool { count == 2 && base[0] == UInt8(ascii: "q") && base[1] == UInt8(ascii: "u") }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count < Self.capacity {
            base[count] = byte
            count += 1
        } else {
            overflow = true
        }
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafePointer<UInt8>, count added: Int) {
        let copied = min(added, Self.capacity - count)
        Self.copy(bytes, to: base + count, count: copied)
        count += copied
        if copied < added { overflow = true }
    }

    @inline(__always)
    mutating func append(_ other: WordBuffer) {
        let copied = min(other.count, Self.capacity - count)
        Self.copy(other.base, to: base + count, count: copied)
        count += copied
        if other.overflow || copied < other.count { overflow = true }
    }

    /// Copies `count` bytes; a word of up to 16 bytes (most words) with at most four loads
    /// and stores, overlapping ones, inside both ranges: a call to `memmove` for each word
    /// of the text cost more than the copy.
    @inline(__always)
    static func copy(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(target)
        if count >= 8, count <= 16 {
            let first = from.loadUnaligned(as: UInt64.self)
            let last = from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            to.storeBytes(of: first, as: UInt64.self)
            to.storeBytes(of: last, toByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4, count < 8 {
            let first = from.loadUnaligned(as: UInt32.self)
            let last = from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            to.storeBytes(of: first, as: UInt32.self)
            to.storeBytes(of: last, toByteOffset: count - 4, as: UInt32.self)
        } else if count > 0, count < 4 {
            let first = source[0]
            let middle = source[count >> 1]
            let last = source[count - 1]
            target[0] = first
            target[count >> 1] = middle
            target[count - 1] = last
        } else if count > 16 {
            target.update(from: source, count: count)
        }
    }

    mutating func reset() {
        count = 0
        overflow = false
    }
}
