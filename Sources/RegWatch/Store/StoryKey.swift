import FeedParser
import Foundation
import GRDB

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
        if let plain = plainNormalizedTitle(title) { return plain.isEmpty ? nil : plain }
        return foldedTitle(title)
    }

    /// ``normalizedTitle(_:)`` through Foundation's folding: any title.
    static func foldedTitle(_ title: String) -> String? {
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

    /// ``normalizedTitle(_:)`` of a title written with ASCII, the accented Latin letters of
    /// French and common typographic punctuation, computed byte by byte (Foundation's folding
    /// cost a cold poll 0.1 s of its 6, issue #19); `nil` for any other title, which
    /// ``foldedTitle(_:)`` normalizes. `StoryGroupingTests` checks every scalar this handles
    /// against Foundation's result.
    static func plainNormalizedTitle(_ title: String) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(title.utf8.count)
        // A separator seen since the last letter or digit: a space before the next one.
        var pendingSpace = false
        for scalar in title.unicodeScalars {
            let value = scalar.value
            let folded: UInt8
            if value < 0x80 {
                let byte = UInt8(value)
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): folded = byte
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): folded = byte + 32
                default:
                    pendingSpace = true
                    continue
                }
            } else if value >= 0xC0, value <= 0xFF {
                folded = latinLetters[Int(value - 0xC0)]
                if folded == 0 { return nil }
                if folded == UInt8(ascii: " ") {
                    pendingSpace = true
                    continue
                }
            } else if plainSeparators.contains(value) {
                pendingSpace = true
                continue
            } else {
                return nil
            }
            if pendingSpace, !output.isEmpty { output.append(UInt8(ascii: " ")) }
            pendingSpace = false
            output.append(folded)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// U+00C0…U+00FF folded: the ASCII letter of an accented letter, a space for `×` and `÷`,
    /// 0 for the letters folding does not reduce to one ASCII letter (Æ, Ð, Ø, Þ, ß and their
    /// lowercase forms).
    private static let latinLetters: [UInt8] =
        ("aaaaaa_ceeeeiiii" + "_nooooo _uuuuy__" + "aaaaaa_ceeeeiiii" + "_nooooo _uuuuy_y").utf8.map {
            $0 == UInt8(ascii: "_") ? 0 : $0
        }

    /// Punctuation and spaces of French titles that are neither letters nor digits, before or
    /// after folding: no-break and thin spaces, guillemets, curly quotes, dashes, ellipsis.
    private static let plainSeparators: Set<UInt32> = [
        0xA0, 0xAB, 0xBB, 0x2009, 0x202F, 0x2018, 0x2019, 0x201C, 0x201D, 0x2013, 0x2014, 0x2026,
    ]

    /// Words that say nothing about which story a title tells (French and English articles,
    /// prepositions, conjunctions). They are left out of the comparison, so "le guide" and
    /// "un guide" do not differ and "de la" does not make two titles alike.
    static let stopwords: Set<Substring> = [
        "a", "au", "aux", "avec", "ce", "ces", "d", "dans", "de", "des", "du", "en", "et", "l", "la", "le", "les",
        "leur", "leurs", "ou", "par", "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "son", "sur", "un", "une",
        "y", "est", "sont", "the", "of", "and", "to", "in", "for", "on", "an", "is", "with", "by",
    ]

    /// Whether two normalized titles name the same story: equal, or word sets (stopwords
    /// aside) with a Jaccard similarity of at least ``similarity``, each with at least
    /// ``minimumWords`` words.
    public static func sameStory(_ a: String, _ b: String) -> Bool {
        TitleWords(a).isSameStory(as: TitleWords(b), a == b)
    }

    /// The few words under which a title is indexed to find its look-alikes without comparing
    /// it to every title of the window (prefix filtering): the words are put in one fixed
    /// order, and two sets with Jaccard ≥ t always share a word among the first
    /// `n − ⌈t·n⌉ + 1` of each. `[]` for a title too short to group.
    static func indexWords(_ normalized: String) -> [String] {
        let set = Set(words(normalized).filter { !stopwords.contains($0) })
        guard set.count >= minimumWords else { return [] }
        // Each word's place in the order computed once, not at each comparison.
        var ordered: [(order: UInt64, word: String)] = set.map { word in
            let text = String(word)
            return (order(text), text)
        }
        ordered.sort { $0.order < $1.order || ($0.order == $1.order && $0.word < $1.word) }
        let n = Double(ordered.count)
        let prefix = ordered.count - Int((similarity * n).rounded(.up)) + 1
        return ordered.prefix(max(1, prefix)).map { $0.word }
    }

    /// The UTF-8 of each stopword, by its hash (``TitleWords`` leaves out a word by its hash).
    private static let stopwordsByHash = Dictionary(
        uniqueKeysWithValues: stopwords.map { (fnv1a($0.utf8), Array($0.utf8)) })

    /// ``TitleWords`` and ``indexWords(_:)`` of a normalized title, from one pass over its
    /// words: each word is cut and hashed once, and only the few index words become strings
    /// (the two apart split, hashed and looked up every word twice, 0.11 G instructions of a
    /// 100-feed cold poll's 7.2 G, issue #19). An ASCII title (every title
    /// ``plainNormalizedTitle(_:)`` folds) is read as bytes; any other goes through the two.
    static func titleWordsAndIndexWords(_ normalized: String) -> (titleWords: TitleWords, indexWords: [String]) {
        var text = normalized
        return text.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 >= 0x80 }) else {
                return (TitleWords(normalized), indexWords(normalized))
            }
            // Every word that is not a stopword, with its hash: the order of ``order(_:)``.
            var words: [(hash: UInt64, start: Int, end: Int)] = []
            var sharesAStopwordHash = false
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: " ") {
                defer { start = index + 1 }
                guard index > start else { continue }
                let word = UnsafeBufferPointer(rebasing: bytes[start..<index])
                let hash = fnv1a(word)
                // A word whose hash is a stopword's is left out of ``TitleWords``; of the index
                // words only when it is that stopword (as `indexWords` compares the words).
                if let stopword = stopwordsByHash[hash] {
                    if word.elementsEqual(stopword) { continue }
                    sharesAStopwordHash = true
                }
                words.append((hash, start, index))
            }
            func word(_ entry: (hash: UInt64, start: Int, end: Int)) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: bytes[entry.start..<entry.end])
            }
            // Ordered as `indexWords` orders its set (byte order is String order for ASCII),
            // then each word once.
            words.sort { $0.hash < $1.hash || ($0.hash == $1.hash && word($0).lexicographicallyPrecedes(word($1))) }
            var distinct = 0
            for index in words.indices
            where index == 0 || !word(words[index]).elementsEqual(word(words[distinct - 1])) {
                words[distinct] = words[index]
                distinct += 1
            }
            words.removeLast(words.count - distinct)
            var hashes: [UInt64] = []
            hashes.reserveCapacity(words.count)
            for entry in words where hashes.last != entry.hash {
                if sharesAStopwordHash, stopwordsByHash[entry.hash] != nil { continue }
                hashes.append(entry.hash)
            }
            let titleWords = TitleWords(sortedDistinct: hashes)
            guard words.count >= minimumWords else { return (titleWords, []) }
            let n = Double(words.count)
            let prefix = words.count - Int((similarity * n).rounded(.up)) + 1
            return (titleWords, words.prefix(max(1, prefix)).map { String(decoding: word($0), as: UTF8.self) })
        }
    }

    /// The words of a normalized title: what `split(separator: " ")` gives. An ASCII title (a
    /// folded French one, mostly) is cut at its space bytes, which is the same split: splitting
    /// by `Character` walked grapheme clusters and cost a cold poll 1 % of its instructions
    /// (issue #19). Any other title is split by `Character`, where a space followed by a
    /// combining mark is no separator.
    static func words(_ normalized: String) -> [Substring] {
        let utf8 = normalized.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return normalized.split(separator: " ") }
        var words: [Substring] = []
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: " ") {
                if start != index { words.append(normalized[start..<index]) }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if start != index { words.append(normalized[start..<index]) }
        return words
    }

    /// A fixed pseudo-random order of words (FNV-1a), so that frequent words are not
    /// systematically first.
    private static func order(_ word: String) -> UInt64 {
        fnv1a(word.utf8)
    }

    static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 { FNV1a.hash(bytes) }
}

/// The words of a normalized title that count for story matching (stopwords left out), as
/// sorted distinct 64-bit hashes.
///
/// Storing an item compares its title with dozens of candidates: two short sorted arrays
/// merge without allocating a set or hashing a string per comparison. Two different words
/// sharing a 64-bit hash is the only way this differs from comparing the words themselves.
struct TitleWords: Equatable {
    /// Sorted, distinct.
    private(set) var hashes: [UInt64]

    /// The words of `normalized` (a ``StoryKey/normalizedTitle(_:)``).
    init(_ normalized: String) {
        var hashes: [UInt64] = []
        var normalized = normalized
        normalized.withUTF8 { bytes in
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: " ") {
                if index > start {
                    let hash = StoryKey.fnv1a(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                    if !Self.stopwordHashes.contains(hash) { hashes.append(hash) }
                }
                start = index + 1
            }
        }
        hashes.sort()
        var distinct = 0
        for index in hashes.indices where index == 0 || hashes[index] != hashes[distinct - 1] {
            hashes[distinct] = hashes[index]
            distinct += 1
        }
        hashes.removeLast(hashes.count - distinct)
        self.hashes = hashes
    }

    /// Words already hashed, sorted and distinct (``StoryKey/titleWordsAndIndexWords(_:)``).
    fileprivate init(sortedDistinct hashes: [UInt64]) {
        self.hashes = hashes
    }

    /// The word set stored in `storyCandidate.words` (``storedBytes``).
    init(storedBytes bytes: UnsafeRawBufferPointer) {
        hashes = (0..<bytes.count / 8).map {
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))
        }
    }

    /// The hashes as `storyCandidate.words` stores them: 8 bytes each, little-endian, sorted.
    /// (They depend on ``StoryKey/fnv1a(_:)`` and the stopwords: changing either needs a
    /// migration that writes them again, as `storyCandidate.word` does.)
    var storedBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hashes.count * 8)
        for hash in hashes { withUnsafeBytes(of: hash.littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes
    }

    /// ``storedBytes`` as a database value (a blob).
    var databaseValue: DatabaseValue { Data(storedBytes).databaseValue }

    /// How many distinct words.
    var count: Int { hashes.count }

    /// ``StoryKey/sameStory(_:_:)`` on word sets; `equalTitles` says the two normalized
    /// titles are the same string.
    func isSameStory(as other: TitleWords, _ equalTitles: Bool) -> Bool {
        isSameStory(asHashes: other.hashes[...], equalTitles)
    }

    /// ``isSameStory(as:_:)`` with the other title's ``hashes`` (sorted, distinct).
    func isSameStory(asHashes other: ArraySlice<UInt64>, _ equalTitles: Bool) -> Bool {
        guard count >= StoryKey.minimumWords, other.count >= StoryKey.minimumWords else { return false }
        if equalTitles { return true }
        let smaller = Double(min(count, other.count))
        let larger = Double(max(count, other.count))
        guard smaller / larger >= StoryKey.similarity else { return false }
        var shared = 0
        var i = 0
        var j = other.startIndex
        while i < hashes.count, j < other.endIndex {
            if hashes[i] == other[j] {
                shared += 1
                i += 1
                j += 1
            } else if hashes[i] < other[j] {
                i += 1
            } else {
                j += 1
            }
        }
        let union = count + other.count - shared
        return Double(shared) / Double(union) >= StoryKey.similarity
    }

    private static let stopwordHashes = Set(StoryKey.stopwords.map { StoryKey.fnv1a($0.utf8) })
}
