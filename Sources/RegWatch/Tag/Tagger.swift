import Foundation

/// Why an item carries a topic: the topic, how strongly, and the words that decided it.
public struct TopicMatch: Sendable, Equatable, Codable {
    /// The topic.
    public var id: TopicID
    /// The evidence, rounded to two decimals; at least the topic's threshold.
    public var score: Double
    /// The rule entries that matched, as written in the rules ("IA", "intelligence
    /// artificielle", "abondement"), in the order they were first found.
    public var matches: [String]

    /// Creates a match.
    public init(id: TopicID, score: Double, matches: [String]) {
        self.id = id
        self.score = score
        self.matches = matches
    }
}

/// Tags items with topics, explaining each tag with the terms that matched.
///
/// A `Tagger` compiles its topics once (folded, stemmed term tables and a word trie) and
/// can then tag any number of items concurrently: it is an immutable value.
///
/// Matching, per text field:
/// - `terms`, `related` and `exclude` are matched as whole words, case- and
///   accent-insensitively, with plural/feminine forms and hyphen/space variants;
/// - `acronyms` are matched case-sensitively as whole words ("IA" in "l’IA", "(IA)",
///   "IA." but never in "via", "média", "IAE"), also with a plural "s" ("LLMs");
/// - an `exclude` phrase vetoes the matches it overlaps;
/// - `related` words count only when a term or acronym of the same topic matched in the item.
///
/// Scoring: each field gives the topic `weight × saturate(evidence)`, where evidence is
/// the number of term/acronym matches plus half the related ones, and `saturate` is linear
/// up to 1 then logarithmic (1 + ½·log₂), so repeats add less and less. The title weighs
/// 2.0, the summary 1.0 and the content 0.5 (1.0 when the item has no summary, since the
/// content is then its only description). A topic is kept when its score reaches its
/// threshold.
///
/// ```swift
/// let tagger = Tagger(topics: Topic.builtIn)
/// tagger.tag(title: "L’IA générative arrive dans les CFA", summary: nil, content: nil)
/// // [TopicMatch(id: "ia", score: 2.0, matches: ["IA générative"])]
/// ```
public struct Tagger: Sendable {
    /// How much each field counts.
    public struct Configuration: Sendable, Equatable {
        /// Weight of a match in the title. Default 2.0.
        public var titleWeight: Double = 2.0
        /// Weight of a match in the summary. Default 1.0.
        public var summaryWeight: Double = 1.0
        /// Weight of a match in the content, when the item also has a summary. Default 0.5.
        public var contentWeight: Double = 0.5
        /// What a `related` match adds to the evidence, relative to a term match. Default 0.5.
        public var relatedWeight: Double = 0.5

        /// The defaults above.
        public init() {}
    }

    /// The topics, in the order ties are listed.
    public let topics: [Topic]
    /// The field weights.
    public let configuration: Configuration

    private let trie: WordTrie
    /// Acronyms as written, case included.
    private let acronymTable: WordTable
    /// Acronym id → the topics that list it, with the acronym as written in each.
    private let acronymHits: [[(topic: Int, display: String)]]
    /// Acronym id → the acronym is also an ordinary word in capitals ("AI" of "J'AI"), so
    /// it is ignored in all-capitals text after an elision or before a hyphen ("AI-JE").
    private let acronymIsWord: [Bool]
    private static let acronymsThatAreWords: Set<String> = [
        "ai", "as", "es", "est", "on", "ou", "or", "il", "en", "la", "le", "se", "sa", "me", "ma",
    ]

    /// Compiles `topics` into matching tables.
    public init(topics: [Topic], configuration: Configuration = Configuration()) {
        self.topics = topics
        self.configuration = configuration
        var trie = WordTrie()
        var acronymTable = WordTable()
        var acronymHits: [[(topic: Int, display: String)]] = []
        var acronymIsWord: [Bool] = []
        for (index, topic) in topics.enumerated() {
            for term in topic.terms { trie.insert(term, output: .init(topic: index, kind: .term, display: term)) }
            for term in topic.related { trie.insert(term, output: .init(topic: index, kind: .related, display: term)) }
            for term in topic.exclude { trie.insert(term, output: .init(topic: index, kind: .exclude, display: term)) }
            for acronym in topic.acronyms {
                let key = Array(acronym.trimmingCharacters(in: .whitespaces).utf8)
                guard !key.isEmpty else { continue }
                let id = Int(key.withUnsafeBufferPointer { acronymTable.intern($0) })
                if id == acronymHits.count {
                    acronymHits.append([])
                    acronymIsWord.append(Self.acronymsThatAreWords.contains(String(decoding: key, as: UTF8.self).lowercased()))
                }
                acronymHits[id].append((index, acronym))
            }
        }
        self.trie = trie
        self.acronymTable = acronymTable
        self.acronymHits = acronymHits
        self.acronymIsWord = acronymIsWord
    }

    /// The topics of an item, best first (ties in rule order), each with its score and the
    /// rule entries that matched.
    ///
    /// - Parameters:
    ///   - title: the item's title, weighted 2.0.
    ///   - summary: its summary or description, weighted 1.0.
    ///   - content: its full content, weighted 0.5 (1.0 when there is no summary).
    public func tag(title: String?, summary: String?, content: String?) -> [TopicMatch] {
        let hasSummary = !(summary ?? "").isEmpty
        let fields: [(String?, Double)] = [
            (title, configuration.titleWeight),
            (summary, configuration.summaryWeight),
            (content, hasSummary ? configuration.contentWeight : configuration.summaryWeight),
        ]
        var evidence = [FieldEvidence](repeating: FieldEvidence(), count: topics.count * fields.count)
        for (fieldIndex, (text, _)) in fields.enumerated() {
            guard let text, !text.isEmpty else { continue }
            var lookup = Lookup(words: trie.words, acronyms: acronymTable)
            collect(TokenStream(text, lookup: &lookup), into: &evidence, offset: fieldIndex * topics.count)
        }

        var results: [(Int, TopicMatch)] = []
        for (topicIndex, topic) in topics.enumerated() {
            var hasTerm = false
            for fieldIndex in fields.indices where evidence[fieldIndex * topics.count + topicIndex].terms > 0 {
                hasTerm = true
            }
            guard hasTerm else { continue }
            var score = 0.0
            var matches: [String] = []
            for (fieldIndex, (_, weight)) in fields.enumerated() {
                let field = evidence[fieldIndex * topics.count + topicIndex]
                let amount = Double(field.terms) + configuration.relatedWeight * Double(field.related)
                score += weight * Self.saturate(amount)
                for display in field.displays where !matches.contains(display) { matches.append(display) }
            }
            let rounded = (score * 100).rounded() / 100
            if rounded >= topic.threshold {
                results.append((topicIndex, TopicMatch(id: topic.id, score: rounded, matches: matches)))
            }
        }
        results.sort { $0.1.score != $1.1.score ? $0.1.score > $1.1.score : $0.0 < $1.0 }
        return results.map(\.1)
    }

    /// Linear up to one match, then each doubling of the evidence adds half a match.
    static func saturate(_ amount: Double) -> Double {
        amount <= 1 ? amount : 1 + 0.5 * log2(amount)
    }

    /// What one field says about one topic.
    private struct FieldEvidence {
        var terms = 0
        var related = 0
        var displays: [String] = []
    }

    /// A span of words that matched a rule entry.
    private struct Candidate {
        var topic: Int
        var kind: WordTrie.Kind
        var display: String
        var start: Int
        var end: Int
    }

    private func collect(_ stream: TokenStream, into evidence: inout [FieldEvidence], offset: Int) {
        let tokens = stream.tokens
        var candidates: [Candidate] = []
        for start in tokens.indices {
            trie.matches(in: tokens, from: start) { output, end in
                candidates.append(Candidate(topic: output.topic, kind: output.kind, display: output.display, start: start, end: end))
            }
            let acronym = Int(tokens[start].acronym)
            if acronym >= 0 {
                if stream.isAllCapitals, acronymIsWord[acronym] {
                    let elided = start > 0 && tokens[start - 1].isElision
                    if elided || tokens[start].hyphenatedToNext { continue }
                }
                for hit in acronymHits[acronym] {
                    candidates.append(Candidate(topic: hit.topic, kind: .term, display: hit.display, start: start, end: start + 1))
                }
            }
        }
        guard !candidates.isEmpty else { return }

        // Per topic: drop what an exclusion overlaps, then keep the longest match at each
        // place, so "intelligence artificielle générative" is one match, not two.
        candidates.sort { ($0.topic, $0.start, $1.end) < ($1.topic, $1.start, $0.end) }
        var index = 0
        while index < candidates.count {
            let topic = candidates[index].topic
            var upper = index
            while upper < candidates.count, candidates[upper].topic == topic { upper += 1 }
            let group = candidates[index..<upper]
            let vetoes = group.filter { $0.kind == .exclude }
            var coveredUntil = -1
            for candidate in group where candidate.kind != .exclude {
                if vetoes.contains(where: { $0.start < candidate.end && candidate.start < $0.end }) { continue }
                guard candidate.start >= coveredUntil else { continue }
                coveredUntil = candidate.end
                if candidate.kind == .term { evidence[offset + topic].terms += 1 } else { evidence[offset + topic].related += 1 }
                if !evidence[offset + topic].displays.contains(candidate.display) {
                    evidence[offset + topic].displays.append(candidate.display)
                }
            }
            index = upper
        }
    }
}

/// Read-only lookups while tagging.
private struct Lookup: WordLookup {
    let words: WordTable
    let acronyms: WordTable

    func word(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 { words.id(of: bytes) }
    func acronym(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 { acronyms.id(of: bytes) }
}

/// Interning lookups while compiling rules: every word of a rule gets an id.
private struct Interning: WordLookup {
    var words: WordTable

    mutating func word(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 { words.intern(bytes) }
    func acronym(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 { -1 }
}

/// Rule entries as sequences of word ids, in a trie walked from every word of a text.
struct WordTrie: Sendable {
    enum Kind: Sendable { case term, related, exclude }

    struct Output: Sendable {
        var topic: Int
        var kind: Kind
        var display: String
    }

    /// The stemmed words of all rule entries.
    private(set) var words = WordTable()
    /// (node << 32 | word id) → child node. Node 0 is the root.
    private var children: [Int64: Int32] = [:]
    /// Node → the entries that end there.
    private var outputs: [[Output]] = [[]]

    @inline(__always)
    private func child(_ node: Int32, _ word: Int32) -> Int32? {
        word < 0 ? nil : children[Int64(node) << 32 | Int64(word)]
    }

    /// Adds `phrase` and its hyphen variants: "neuro-atypique" is stored both as two words
    /// and as one ("neuroatypique"), so it finds "neuro-atypique", "neuro atypique" and
    /// "neuroatypique".
    mutating func insert(_ phrase: String, output: Output) {
        var interning = Interning(words: words)
        words = WordTable()  // keeps the table uniquely referenced while interning
        let tokens = TokenStream(phrase, lookup: &interning).tokens
        words = interning.words
        guard !tokens.isEmpty else { return }
        var variants: [[Int32]] = [[]]
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token.hyphenatedToNext, token.joined >= 0, index + 1 < tokens.count {
                let next = tokens[index + 1].stem
                variants = variants.flatMap { [$0 + [token.stem, next], $0 + [token.joined]] }
                index += 2
            } else {
                variants = variants.map { $0 + [token.stem] }
                index += 1
            }
        }
        for sequence in variants {
            var node: Int32 = 0
            for word in sequence {
                if let next = child(node, word) {
                    node = next
                } else {
                    outputs.append([])
                    let next = Int32(outputs.count - 1)
                    children[Int64(node) << 32 | Int64(word)] = next
                    node = next
                }
            }
            outputs[Int(node)].append(output)
        }
    }

    /// Calls `found` with every entry that matches words starting at `start`, and the index
    /// just past its last word. A hyphenated pair of words in the text may also match one
    /// word of an entry ("neuro-atypique" finds "neuroatypique").
    func matches(in tokens: [Token], from start: Int, _ found: (Output, Int) -> Void) {
        walk(node: 0, position: start, tokens: tokens, found: found)
    }

    private func walk(node: Int32, position: Int, tokens: [Token], found: (Output, Int) -> Void) {
        guard position < tokens.count else { return }
        let token = tokens[position]
        if let next = child(node, token.stem) {
            for output in outputs[Int(next)] { found(output, position + 1) }
            walk(node: next, position: position + 1, tokens: tokens, found: found)
        }
        if let next = child(node, token.joined) {
            for output in outputs[Int(next)] { found(output, position + 2) }
            walk(node: next, position: position + 2, tokens: tokens, found: found)
        }
    }
}
