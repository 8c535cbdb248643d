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

/// One piece of evidence for a topic: a rule entry found in the item, where, how it was used,
/// and what it weighs (`watchctl tag --json` shows them, docs/topics.md explains the weights).
public struct Evidence: Sendable, Equatable {
    /// The field the entry was found in.
    public enum Field: String, Sendable { case title, summary, content }
    /// Which kind of rule entry it is.
    public enum Kind: String, Sendable { case term, related }
    /// How the text uses it.
    public enum Context: String, Sendable {
        /// Plain use in a sentence.
        case plain
        /// One item of an enumeration ("CPF, VAE, Pro-A, apprentissage…").
        case listed
        /// Inside a boilerplate phrase of the topic's `passing` list ("organisme certifié
        /// Qualiopi", "éligible au CPF").
        case boilerplate
    }

    /// The rule entry as written in the rules.
    public var match: String
    /// The field.
    public var field: Field
    /// The sentence of the field it is in: 0 for the title and the first sentence.
    public var sentence: Int
    /// Term (acronyms included) or related.
    public var kind: Kind
    /// Plain, listed or boilerplate.
    public var context: Context
    /// What it adds to the field's evidence: kind × sentence × context weights.
    public var weight: Double

    /// Creates a piece of evidence.
    public init(match: String, field: Field, sentence: Int, kind: Kind, context: Context, weight: Double) {
        self.match = match
        self.field = field
        self.sentence = sentence
        self.kind = kind
        self.context = context
        self.weight = weight
    }
}

/// A piece of evidence and the topic it is of (an index into the tagger's topics). A named
/// struct, not a tuple: arrays of tuples holding a `String` are copied and destroyed through
/// the runtime's generic tuple witnesses (indirect calls), a struct's witnesses are specialised.
struct TopicEvidence {
    /// The topic's index in the tagger's topics.
    var topic: Int
    /// What was found of it.
    var evidence: Evidence
    /// The entry's index in the trie's displays (equal indices, equal matches), or -1 for a
    /// match written otherwise (a pair term, assembled machinery): compared as a `String`.
    var display: Int32 = -1
}

/// A topic's match with every piece of evidence behind it.
public struct TopicExplanation: Sendable, Equatable {
    /// The topic, its score and the matched entries.
    public var match: TopicMatch
    /// Each entry found, in field then text order.
    public var evidence: [Evidence]
    /// For a topic the learned layer gave where the rules did not, what it said (``TopicModel``).
    public var model: ModelEvidence? = nil
}

/// Tags items with topics, explaining each tag with the terms that matched.
///
/// A `Tagger` compiles its topics once (folded, stemmed term tables and a word trie) and
/// can then tag any number of items concurrently: it is an immutable value.
///
/// Matching, per text field:
/// - `terms`, `related`, `exclude` and `passing` are matched as whole words, case- and
///   accent-insensitively, with plural/feminine forms and hyphen/space variants;
/// - `acronyms` are matched case-sensitively as whole words ("IA" in "l’IA", "(IA)",
///   "IA." but never in "via", "média", "IAE"), also with a plural "s" ("LLMs"); acronyms
///   of three letters or more also match in lowercase or capitalised ("cpf :", "Cpf");
/// - an `exclude` phrase vetoes the matches it overlaps;
/// - `related` words count only when a plain term or acronym of the same topic matched in
///   the item.
///
/// Salience: each match weighs by where it is and how it is used. The title weighs 2.0,
/// the first sentence of the summary 1.0 and its later sentences 0.6 of that; the content
/// 0.5 (1.0 when the item has no summary, since the content is then its only description).
/// A match that is one item of an enumeration ("CPF, VAE, Pro-A…"), or inside a `passing`
/// boilerplate phrase of its topic ("organisme certifié Qualiopi"), weighs a quarter. Each
/// field gives the topic `weight × saturate(evidence)`, where `saturate` is linear up to 1
/// then logarithmic (1 + ½·log₂), so repeats add less and less. A topic is kept when its
/// score reaches its threshold.
///
/// ```swift
/// let tagger = Tagger(topics: Topic.builtIn)
/// tagger.tag(title: "L’IA générative arrive dans les CFA", summary: nil, content: nil)
/// // [TopicMatch(id: "ia", score: 2.0, matches: ["IA générative"])]
/// ```
public struct Tagger: Sendable {
    /// How much each field, sentence and use counts.
    public struct Configuration: Sendable, Equatable {
        /// Weight of a match in the title. Default 2.0.
        public var titleWeight: Double = 2.0
        /// Weight of a match in the summary. Default 1.0.
        public var summaryWeight: Double = 1.0
        /// Weight of a match in the content, when the item also has a summary. Default 0.5.
        public var contentWeight: Double = 0.5
        /// What a `related` match adds to the evidence, relative to a term match. Default 0.5.
        public var relatedWeight: Double = 0.5
        /// What a match after the first sentence of a summary or content weighs, relative to
        /// one in the first sentence. Default 0.6.
        public var laterSentenceWeight: Double = 0.6
        /// What a match that is one item of an enumeration weighs. Default 0.25.
        public var listedWeight: Double = 0.25
        /// What a match inside a `passing` boilerplate phrase weighs. Default 0.25.
        public var boilerplateWeight: Double = 0.25
        /// The most words an enumeration item may have; an enumeration has at least three
        /// items separated by commas, parentheses, slashes, dashes, "et" or "ou" (two of the
        /// separators punctuation, or one when "et"/"ou" closes it), of 4.5 words on average at most. Default 8.
        public var listItemWords = 8

        /// The defaults above.
        public init() {}
    }

    /// The topics, in the order ties are listed.
    public let topics: [Topic]
    /// The field weights.
    public let configuration: Configuration

    private let trie: WordTrie
    /// The `setting` and `elsewhere` phrases, over the same word ids: read only in the items
    /// whose machinery, pair terms or learned layer ask where the item is set.
    private let sceneTrie: WordTrie
    /// Acronyms as written, case included.
    private let acronymTable: WordTable
    /// Acronym id → the topics that list it, with the acronym as written in each (an index
    /// into the trie's ``WordTrie/displays``).
    private let acronymHits: [[(topic: Int, display: Int32)]]
    /// Acronym id → the acronym is also an ordinary word in capitals ("AI" of "J'AI"), so
    /// it is ignored in all-capitals text after an elision or before a hyphen ("AI-JE"), and
    /// before a hyphenated pronoun anywhere ("AI-je").
    private let acronymIsWord: [Bool]
    private static let acronymsThatAreWords: Set<String> = [
        "ai", "as", "es", "est", "on", "ou", "or", "il", "en", "la", "le", "se", "sa", "me", "ma",
    ]
    /// Per topic: its machinery and its terms as written (generic names are in both).
    private let machinerySets: [Set<String>]
    private let termSets: [Set<String>]
    /// Word ids of the list connectors ("et", "ou", "and", "or") and of the subject pronouns
    /// that follow a verb with a hyphen ("ai-je").
    private let connectors: [Int32]
    private let pronouns: [Int32]
    /// Word id → ``Layout/connector`` and ``Layout/pronoun`` bits: the layout asks for every
    /// word of a matched field, and one load answers.
    private let wordClasses: [UInt8]
    /// The words "h" and "f": "H/F" (or "F/H") in a title marks a job offer.
    private let genderMarks: (Int32, Int32)
    /// Other marks of a job offer's title: phrases ("offre d'emploi", "nous recrutons"), a
    /// contract set off as a part of its own ("– CDI –"), a job title's feminine ending in
    /// parentheses among its first words ("Chargé(e)", "Directeur(trice)").
    private let jobOfferPhrases: [[Int32]]
    private let contracts: [Int32]
    private let feminineEndings: [Int32]
    /// "Hiring": an English job offer's title opens with it ("Hiring: trainer for…").
    private let hiring: Int32
    /// Words of a title that announces a programme ("… au programme", "au menu", "modules…",
    /// "Notre catalogue 2026 : …"): an enumeration there lists themes among others.
    private let programmeWords: [Int32]
    /// Pair terms ("Caisse des dépôts + titulaire"): the topic and the term as written.
    private let pairs: [(topic: Int, display: String)]
    /// The learned layer (TopicModel+Tagger.swift), or `nil`.
    let learned: CompiledTopicModel?

    /// Compiles `topics` into matching tables, with the learned layer of `model` for the
    /// built-in topics that let it decide (``Topic/learned``; `nil`: rules only).
    public init(topics: [Topic], configuration: Configuration = Configuration(), model: TopicModel? = .builtIn) {
        self.topics = topics
        self.configuration = configuration
        var trie = WordTrie()
        var acronymTable = WordTable()
        var acronymHits: [[(topic: Int, display: Int32)]] = []
        var acronymIsWord: [Bool] = []
        var pairs: [(topic: Int, display: String)] = []
        var sceneEntries: [(phrase: String, output: WordTrie.Output)] = []
        for (index, topic) in topics.enumerated() {
            for term in topic.terms {
                // "A + B": a term made of two phrases found anywhere in the same item.
                let halves = term.components(separatedBy: " + ").map { $0.trimmingCharacters(in: .whitespaces) }
                if halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty {
                    for (side, half) in halves.enumerated() {
                        trie.insert(
                            half, output: .init(topic: index, kind: .pair, display: term, pair: pairs.count, side: side)
                        )
                    }
                    pairs.append((index, term))
                    continue
                }
                trie.insert(term, output: .init(topic: index, kind: .term, display: term))
            }
            for term in topic.related { trie.insert(term, output: .init(topic: index, kind: .related, display: term)) }
            for term in topic.exclude { trie.insert(term, output: .init(topic: index, kind: .exclude, display: term)) }
            for term in topic.passing { trie.insert(term, output: .init(topic: index, kind: .passing, display: term)) }
            for term in topic.machinery {
                trie.insert(term, output: .init(topic: index, kind: .machinery, display: term))
            }
            // Setting and elsewhere phrases go to the scene's trie, once the word table is
            // complete; their words join the table here, in the same order as the others'.
            for term in topic.setting {
                _ = trie.internWords(term)
                sceneEntries.append((term, .init(topic: index, kind: .setting, display: term)))
            }
            for term in topic.elsewhere {
                _ = trie.internWords(term)
                sceneEntries.append((term, .init(topic: index, kind: .elsewhere, display: term)))
            }
            for acronym in topic.acronyms {
                let trimmed = acronym.trimmingCharacters(in: .whitespaces)
                let key = Array(trimmed.utf8)
                guard !key.isEmpty else { continue }
                let id = Int(key.withUnsafeBufferPointer { acronymTable.intern($0) })
                let isWord = Self.acronymsThatAreWords.contains(trimmed.lowercased())
                if id == acronymHits.count {
                    acronymHits.append([])
                    acronymIsWord.append(isWord)
                }
                acronymHits[id].append((index, trie.internDisplay(acronym)))
                // "cpf :", "Cpf", "tdah" are the acronym too: from three capitals on, the word in
                // lowercase is no other word. Two-letter ones ("IA") only where no other word
                // could stand: after an elision ("l'ia") or opening a title or sentence before a
                // colon ("ia : …"). Names stay case-sensitive ("Copilot" is not "copilote"), and
                // so do acronyms that are words ("AI" of "j'ai").
                if trimmed.count >= 2, !isWord, trimmed == trimmed.uppercased() {
                    trie.insert(
                        trimmed,
                        output: .init(
                            topic: index, kind: .term, display: acronym, acronymLength: key.count,
                            needsContext: trimmed.count == 2))
                }
            }
        }
        connectors = ["et", "ou", "and", "or", "ni"].map { trie.intern($0) }
        genderMarks = (trie.intern("h"), trie.intern("f"))
        jobOfferPhrases = [
            "offre d'emploi", "offre de stage", "offre d'alternance", "poste à pourvoir", "nous recrutons",
            "recrute un", "recrute une", "on recrute",
        ].map { trie.internWords($0) }
        contracts = ["CDI", "CDD", "freelance", "intérim"].map { trie.intern($0) }
        feminineEndings = ["e", "ve", "trice", "rice", "euse", "ère", "ne", "le"].map { trie.intern($0) }
        hiring = trie.intern("hiring")
        programmeWords = ["programme", "menu", "module", "catalogue", "thème"].map { trie.intern($0) }
        pronouns = ["je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles"].map { trie.intern($0) }
        // The model's words join the table before anything is sized by it.
        learned = model.flatMap { CompiledTopicModel($0, topics: topics, trie: &trie) }
        var sceneTrie = WordTrie(sharing: trie)
        for entry in sceneEntries { sceneTrie.insert(entry.phrase, output: entry.output) }
        self.sceneTrie = sceneTrie
        var wordClasses = [UInt8](repeating: 0, count: trie.words.count)
        for word in connectors where word >= 0 { wordClasses[Int(word)] |= Layout.connector }
        for word in pronouns where word >= 0 { wordClasses[Int(word)] |= Layout.pronoun }
        self.wordClasses = wordClasses
        self.trie = trie
        self.acronymTable = acronymTable
        self.acronymHits = acronymHits
        self.acronymIsWord = acronymIsWord
        self.pairs = pairs
        machinerySets = topics.map { Set($0.machinery) }
        termSets = topics.map { Set($0.terms) }
    }

    /// The topics of an item, best first (ties in rule order), each with its score and the
    /// rule entries that matched.
    ///
    /// - Parameters:
    ///   - title: the item's title, weighted 2.0.
    ///   - summary: its summary or description, weighted 1.0 (0.6 after its first sentence).
    ///   - content: its full content, weighted 0.5 (1.0 when there is no summary).
    public func tag(title: String?, summary: String?, content: String?) -> [TopicMatch] {
        var workspace = Workspace()
        return tag(title: title, summary: summary, content: content, workspace: &workspace)
    }

    /// ``tag(title:summary:content:)`` reusing `workspace`'s buffers, as a poll tagging the
    /// items of a feed one after the other does: the same topics, without the evidence
    /// (each piece a copy of its entry's `String`) nor a new set of buffers per item.
    public func tag(
        title: String?, summary: String?, content: String?, workspace: inout Workspace
    ) -> [TopicMatch] {
        Self.withUTF8(title) { title in
            Self.withUTF8(summary) { summary in
                Self.withUTF8(content) { content in
                    explain(
                        utf8Title: title, summary: summary, content: content, workspace: &workspace,
                        withEvidence: false
                    ).map(\.match)
                }
            }
        }
    }

    /// ``tag(title:summary:content:)`` with the evidence behind each topic.
    public func explain(title: String?, summary: String?, content: String?) -> [TopicExplanation] {
        var workspace = Workspace()
        return Self.withUTF8(title) { title in
            Self.withUTF8(summary) { summary in
                Self.withUTF8(content) { content in
                    explain(utf8Title: title, summary: summary, content: content, workspace: &workspace)
                }
            }
        }
    }

    private static func withUTF8<Result>(
        _ text: String?, _ body: (UnsafeBufferPointer<UInt8>?) -> Result
    ) -> Result {
        guard var text else { return body(nil) }
        return text.withUTF8 { body($0) }
    }

    /// Buffers that one thread tagging many items reuses from item to item (the words of
    /// each field), so that an item costs fewer allocations. Not shared between threads.
    public struct Workspace {
        /// Token arrays of finished fields, emptied and refilled by the next ones.
        fileprivate var spareTokens: [[Token]] = []
        /// Candidate arrays of finished fields, likewise.
        fileprivate var spareCandidates: [[Candidate]] = []
        /// The layout of the field being weighed, refilled field after field.
        fileprivate var layout = Layout()
        /// The evidence of the item being tagged, emptied after each item.
        fileprivate var found: [TopicEvidence] = []
        /// The pieces of machinery of the item, likewise.
        fileprivate var pieces: [TopicEvidence] = []
        /// The pair halves of the item, likewise.
        fileprivate var halves: [PairHalf] = []
        /// The fields of the item to weigh, likewise.
        fileprivate var read: [FieldRead] = []

        /// An empty workspace.
        public init() {}
    }

    /// ``explain(title:summary:content:)`` over the UTF-8 bytes of each field, which must be
    /// valid UTF-8 (as a `String`'s are), reusing `workspace`'s buffers: the same results,
    /// without a `String` per field.
    public func explain(
        utf8Title title: UnsafeBufferPointer<UInt8>?, summary: UnsafeBufferPointer<UInt8>?,
        content: UnsafeBufferPointer<UInt8>?, workspace: inout Workspace
    ) -> [TopicExplanation] {
        explain(utf8Title: title, summary: summary, content: content, workspace: &workspace, withEvidence: true)
    }

    /// ``explain(utf8Title:summary:content:workspace:)``; without `withEvidence`, each topic's
    /// evidence is left empty (its match, score and matched entries are the same).
    private func explain(
        utf8Title title: UnsafeBufferPointer<UInt8>?, summary: UnsafeBufferPointer<UInt8>?,
        content: UnsafeBufferPointer<UInt8>?, workspace: inout Workspace, withEvidence: Bool
    ) -> [TopicExplanation] {
        let hasSummary = !(summary?.isEmpty ?? true)
        // The content weighs as a summary when there is none.
        let contentWeight = hasSummary ? configuration.contentWeight : configuration.summaryWeight
        // The workspace's array, its capacity kept from item to item.
        var found: [TopicEvidence] = []
        swap(&found, &workspace.found)
        defer {
            found.removeAll(keepingCapacity: true)
            swap(&found, &workspace.found)
        }
        var pieces: [TopicEvidence] = []
        swap(&pieces, &workspace.pieces)
        defer {
            pieces.removeAll(keepingCapacity: true)
            swap(&pieces, &workspace.pieces)
        }
        var halves: [PairHalf] = []
        swap(&halves, &workspace.halves)
        defer {
            halves.removeAll(keepingCapacity: true)
            swap(&halves, &workspace.halves)
        }
        var isJobOffer = false
        // Per topic: whether its setting (bit 0), somewhere else (bit 1) and an exclusion of
        // it (bit 2: the model may not decide it alone) are named; exclusions are seen while
        // the fields are read, the rest only when needed (``scene(of:content:)``).
        var scene: [UInt8] = []
        var excluded: [UInt8] = []
        // One lookup for the item: each copy of the tables costs reference counting.
        var lookup = Lookup(words: trie.words, acronyms: acronymTable)
        var read: [FieldRead] = []
        swap(&read, &workspace.read)
        defer { swap(&read, &workspace.read) }
        var pairSides: [UInt8] = []
        // The learned layer reads the title's and summary's words only in the items it may
        // decide (``CompiledTopicModel/apply(to:read:topics:found:)``).
        var modelFields = CompiledTopicModel.Fields()
        // Each field's words are kept until the item is done (the scene may read them), then
        // go back to the workspace.
        var contentTokens: [Token] = []
        defer {
            if modelFields.title.capacity > 0 { workspace.spareTokens.append(modelFields.title) }
            if modelFields.summary.capacity > 0 { workspace.spareTokens.append(modelFields.summary) }
            if contentTokens.capacity > 0 { workspace.spareTokens.append(contentTokens) }
        }
        // The fields in order, without an array (of tuples) per item.
        for field in Self.fieldOrder {
            let text: UnsafeBufferPointer<UInt8>?
            switch field {
            case .title: text = title
            case .summary: text = summary
            case .content: text = content
            }
            guard let text, !text.isEmpty else { continue }
            var storage = workspace.spareTokens.popLast() ?? []
            let stream = TokenStream(utf8: text, lookup: &lookup, reusing: &storage)
            if field == .title {
                modelFields.title = stream.tokens
                isJobOffer = isJobOfferTitle(stream.tokens)
            } else if field == .summary {
                modelFields.summary = stream.tokens
            } else {
                contentTokens = stream.tokens
            }
            var candidates = workspace.spareCandidates.popLast() ?? []
            self.candidates(in: stream, into: &candidates)
            // An exclusion of a topic keeps the learned layer from giving it alone (scene bit 2).
            for index in candidates.indices where candidates[index].kind == .exclude {
                if excluded.isEmpty { excluded = [UInt8](repeating: 0, count: topics.count) }
                excluded[candidates[index].topic] = 4
            }
            // Exclusions and boilerplate phrases alone ("en compte", "certifié Qualiopi") weigh
            // nothing: such a field needs no layout.
            guard candidates.contains(where: \.weighs) else {
                workspace.spareCandidates.append(candidates)
                continue
            }
            for index in candidates.indices where candidates[index].kind == .pair {
                if pairSides.isEmpty { pairSides = [UInt8](repeating: 0, count: pairs.count) }
                pairSides[candidates[index].pair] |= 1 << candidates[index].side
            }
            read.append(FieldRead(stream: stream, field: field, candidates: candidates))
        }
        // The half of a pair whose other half is not in the item weighs nothing: dropping it
        // now spares the layout of the many fields whose only match is a common half
        // ("formation" of "reste à charge + formation").
        for index in read.indices {
            // Moved out of `read`, so that the changes below copy nothing.
            var candidates: [Candidate] = []
            swap(&candidates, &read[index].candidates)
            if !pairSides.isEmpty {
                candidates.removeAll { $0.kind == .pair && pairSides[$0.pair] != 3 }
            }
            if pairSides.isEmpty || candidates.contains(where: \.weighs) {
                collect(
                    read[index].stream, candidates: &candidates, field: read[index].field, isJobOffer: isJobOffer,
                    into: &found, halves: &halves, pieces: &pieces, layout: &workspace.layout)
            }
            workspace.spareCandidates.append(candidates)
        }
        read.removeAll(keepingCapacity: true)
        // Where the item is set matters to its machinery and pair terms, and to the learned
        // layer (below): most items have none of them, and their words are not read again.
        var sceneRead = false
        if !pieces.isEmpty || !halves.isEmpty {
            scene = self.scene(of: modelFields, content: contentTokens)
            sceneRead = true
        }
        // Like the machinery, a pair names the topic without its name: not when the item is
        // set somewhere else (`elsewhere`).
        if !scene.isEmpty { halves.removeAll { scene[pairs[$0.pair].topic] & 2 != 0 } }
        if !pieces.isEmpty { assemble(pieces, scene: scene, isJobOffer: isJobOffer, into: &found) }
        if !halves.isEmpty { completePairs(halves, into: &found) }
        // The model may give a topic the rules found nothing of (``TopicModel/TopicWeights/alone``).
        guard !found.isEmpty || learned?.decidesAlone == true else { return [] }
        // A job offer ("Formateur CACES (H/F)") describes the job and the employer: what its
        // summary names is boilerplate. Its title names the job, and a job whose title names
        // a topic is about it ("Job coach autisme (H/F)", "Auditeur Qualiopi (H/F)"); the
        // employer's labels there ("organisme certifié Qualiopi") are boilerplate already.
        if isJobOffer {
            for index in found.indices
            where found[index].evidence.context != .boilerplate && found[index].evidence.field != .title {
                found[index].evidence.context = .boilerplate
                let weight = found[index].evidence.weight * configuration.boilerplateWeight
                found[index].evidence.weight = (weight * 1000).rounded() / 1000
            }
        }

        var results: [TopicExplanation] = []
        // Every topic's evidence summed in one pass over `found` (a long content has dozens
        // of pieces, read once rather than five times per topic).
        Self.withTallies(topics: topics.count) { tallies in
            tally(found, into: tallies)
            for topicIndex in topics.indices {
                // Related vocabulary needs a plain term of the topic: a listed or boilerplate
                // mention is not context enough.
                let tally = tallies[topicIndex]
                guard tally.hasTerm else { continue }
                let hasPlainTerm = tally.hasPlainTerm
                // Scored first, explained only when kept: most topics found fall short.
                let score = score(of: tally, contentWeight: contentWeight)
                let rounded = (score * 100).rounded() / 100
                let topic = topics[topicIndex]
                guard rounded >= topic.threshold else { continue }
                let explanation = explanation(
                    of: topicIndex, score: rounded, in: found, hasPlainTerm: hasPlainTerm, withEvidence: withEvidence)
                // Highest score first, equal scores in topic order: inserted in place (a handful
                // of topics), after the equal ones, so no sort and no second array.
                var place = results.endIndex
                while place > 0, results[place - 1].match.score < rounded { place -= 1 }
                if place == results.endIndex {
                    results.append(explanation)
                } else {
                    results.insert(explanation, at: place)
                }
            }
        }
        guard let learned, learned.mayDecide(results: results, topics: topics, found: found, isJobOffer: isJobOffer)
        else { return results }
        if !sceneRead { scene = self.scene(of: modelFields, content: contentTokens) }
        if !excluded.isEmpty {
            if scene.isEmpty { scene = [UInt8](repeating: 0, count: topics.count) }
            for index in scene.indices { scene[index] |= excluded[index] }
        }
        // The model weighs words, not where they are: an item set somewhere else (ISO 9001, a
        // hospital) anchors it only on a term of the topic, not on its related words.
        let anchors = scene.isEmpty ? found : found.filter { scene[$0.topic] & 2 == 0 || $0.evidence.kind == .term }
        return learned.apply(
            to: results, read: modelFields, topics: topics, found: anchors, scene: scene, isJobOffer: isJobOffer)
    }

    /// Per topic, whether the item names its setting (bit 0) or somewhere else (bit 1); empty
    /// when it names neither for any topic.
    private func scene(of fields: CompiledTopicModel.Fields, content: [Token]) -> [UInt8] {
        var scene: [UInt8] = []
        markScene(fields.title, into: &scene)
        markScene(fields.summary, into: &scene)
        markScene(content, into: &scene)
        return scene
    }

    private func markScene(_ tokens: [Token], into scene: inout [UInt8]) {
        let count = topics.count
        tokens.withUnsafeBufferPointer { tokens in
            sceneTrie.withWalker { walker in
                for start in tokens.indices {
                    walker.matches(in: tokens, from: start) { output, _ in
                        if scene.isEmpty { scene = [UInt8](repeating: 0, count: count) }
                        scene[output.topic] |= output.kind == .setting ? 1 : 2
                    }
                }
            }
        }
    }

    /// The fields in the order their evidence is summed and listed.
    private static let fieldOrder: [Evidence.Field] = [.title, .summary, .content]

    /// What one topic's evidence adds up to, per field: its terms alone, and its terms with
    /// its related words (which count only when a plain term of the topic is in the item),
    /// each summed in the order of `found`, as scoring one topic at a time did.
    private struct Tally {
        var terms: (Double, Double, Double) = (0, 0, 0)
        var all: (Double, Double, Double) = (0, 0, 0)
        var hasTerm = false
        var hasPlainTerm = false
    }

    /// A zeroed tally per topic, on the stack for the call.
    private static func withTallies<Result>(
        topics count: Int, _ body: (UnsafeMutableBufferPointer<Tally>) -> Result
    ) -> Result {
        withUnsafeTemporaryAllocation(of: Tally.self, capacity: count) { tallies in
            tallies.initialize(repeating: Tally())
            return body(tallies)
        }
    }

    /// Sums `found` into each topic's tally, in one pass.
    private func tally(_ found: [TopicEvidence], into tallies: UnsafeMutableBufferPointer<Tally>) {
        for index in found.indices {
            let topic = found[index].topic
            let evidence = found[index].evidence
            let weight = evidence.weight
            let isTerm = evidence.kind == .term
            if isTerm {
                tallies[topic].hasTerm = true
                if evidence.context == .plain { tallies[topic].hasPlainTerm = true }
            }
            switch evidence.field {
            case .title:
                if isTerm { tallies[topic].terms.0 += weight }
                tallies[topic].all.0 += weight
            case .summary:
                if isTerm { tallies[topic].terms.1 += weight }
                tallies[topic].all.1 += weight
            case .content:
                if isTerm { tallies[topic].terms.2 += weight }
                tallies[topic].all.2 += weight
            }
        }
    }

    /// A topic's score: per field, the weight of the field times its saturated evidence.
    /// Related words count only with a plain term of the topic.
    private func score(of tally: Tally, contentWeight: Double) -> Double {
        let amounts = tally.hasPlainTerm ? tally.all : tally.terms
        var score = 0.0
        score += configuration.titleWeight * Self.saturate(amounts.0)
        score += configuration.summaryWeight * Self.saturate(amounts.1)
        score += contentWeight * Self.saturate(amounts.2)
        return score
    }

    /// A kept topic with the evidence its score summed (without `withEvidence`, none), in
    /// field then text order, and its distinct matches.
    private func explanation(
        of topic: Int, score: Double, in found: [TopicEvidence], hasPlainTerm: Bool, withEvidence: Bool
    ) -> TopicExplanation {
        var matches: [String] = []
        // Each match's display index beside it: most are compared as two integers.
        var displays: [Int32] = []
        var kept: [Evidence] = []
        if withEvidence { kept.reserveCapacity(found.reduce(0) { $1.topic == topic ? $0 + 1 : $0 }) }
        for field in Self.fieldOrder {
            for index in found.indices where found[index].topic == topic {
                guard found[index].evidence.field == field else { continue }
                guard found[index].evidence.kind == .term || hasPlainTerm else { continue }
                if withEvidence { kept.append(found[index].evidence) }
                let display = found[index].display
                var known = false
                for place in displays.indices {
                    if display >= 0, displays[place] >= 0 {
                        known = displays[place] == display
                    } else {
                        known = matches[place] == found[index].evidence.match
                    }
                    if known { break }
                }
                if !known {
                    matches.append(found[index].evidence.match)
                    displays.append(display)
                }
            }
        }
        let match = TopicMatch(id: topics[topic].id, score: score, matches: matches)
        return TopicExplanation(match: match, evidence: kept)
    }

    /// A pair term whose two halves are both in the item is one piece of evidence, as salient
    /// as its weaker half: its weight, field and sentence.
    private func completePairs(
        _ halves: [PairHalf], into found: inout [TopicEvidence]
    ) {
        // Per pair and side, the first of the heaviest halves (what `max(by:)` keeps), in one
        // pass: filtering the halves per pair and side was quadratic in a long content.
        var best = [Int](repeating: -1, count: pairs.count * 2)
        for (index, half) in halves.enumerated() {
            let slot = half.pair * 2 + half.side
            if best[slot] < 0 || halves[best[slot]].evidence.weight < half.evidence.weight { best[slot] = index }
        }
        for pair in pairs.indices where best[pair * 2] >= 0 && best[pair * 2 + 1] >= 0 {
            let first = halves[best[pair * 2]]
            let second = halves[best[pair * 2 + 1]]
            var evidence = first.evidence.weight < second.evidence.weight ? first.evidence : second.evidence
            evidence.match = pairs[pair].display
            found.append(TopicEvidence(topic: pairs[pair].topic, evidence: evidence))
        }
    }

    /// A topic's machinery named without the topic: two distinct pieces of it in the item, one
    /// at least of its `machinery` (the other may be a `related` word), in its setting (or
    /// three pieces anywhere) and nowhere else, are one plain term ("Trois ans de certification : ce que l'audit a changé"
    /// + "procédure de réclamation" in a training organisation), as salient as the weaker of
    /// the two strongest pieces. A piece in a list keeps its weight: a list of the topic's own
    /// machinery is what the item is about. Boilerplate counts for nothing, and so does what a
    /// job offer says outside its title.
    private func assemble(
        _ pieces: [TopicEvidence], scene: [UInt8], isJobOffer: Bool,
        into found: inout [TopicEvidence]
    ) {
        for topicIndex in Set(pieces.map(\.topic)).sorted() {
            let topic = topics[topicIndex]
            let named = scene.isEmpty ? 0 : scene[topicIndex]
            // Somewhere else named: the machinery is another's, and so are the topic's terms
            // that are also machinery (a generic name: "compte de formation" of Switzerland).
            if named & 2 != 0 {
                let generic = machinerySets[topicIndex]
                found.removeAll {
                    $0.topic == topicIndex && $0.evidence.kind == .term && generic.contains($0.evidence.match)
                }
                continue
            }
            // The strongest use of each distinct piece, and whether it is of the machinery.
            var best: [String: Piece] = [:]
            var order: [String] = []
            let related = found.filter { $0.topic == topicIndex && $0.evidence.kind == .related }.map {
                var evidence = $0.evidence
                evidence.weight = evidence.sentence > 0 ? configuration.laterSentenceWeight : 1
                return Piece(evidence: evidence, specific: false)
            }
            // A generic name that is also a term counts as the term, not again as a piece.
            let terms = termSets[topicIndex]
            let own = pieces.filter { $0.topic == topicIndex && !terms.contains($0.evidence.match) }
            // A related word inside a piece of machinery is the same mention ("non-conformité" of
            // "non-conformité mineure").
            let inside = { (word: Evidence) in
                own.contains {
                    $0.evidence.field == word.field && $0.evidence.sentence == word.sentence
                        && Self.lowercased($0.evidence.match, contains: word.match)
                }
            }
            let candidates: [Piece] =
                own.map { Piece(evidence: $0.evidence, specific: true) } + related.filter { !inside($0.evidence) }
            for piece in candidates {
                let evidence = piece.evidence
                let specific = piece.specific
                guard evidence.context != .boilerplate, !isJobOffer || evidence.field == .title else { continue }
                if let known = best[evidence.match] {
                    if evidence.weight > known.evidence.weight || (specific && !known.specific) {
                        best[evidence.match] = Piece(evidence: evidence, specific: specific || known.specific)
                    }
                } else {
                    best[evidence.match] = Piece(evidence: evidence, specific: specific)
                    order.append(evidence.match)
                }
            }
            // Two pieces in the topic's setting; three are their own setting.
            guard order.count >= 2, best.values.contains(where: \.specific),
                order.count >= 3 || topic.setting.isEmpty || named & 1 != 0
            else { continue }
            let ranked = order.compactMap { best[$0]?.evidence }.sorted { $0.weight > $1.weight }
            var evidence = ranked[1]
            // The related words are in the piece now: they do not count twice.
            found.removeAll { $0.topic == topicIndex && $0.evidence.kind == .related }
            evidence.match = order.joined(separator: " + ")
            evidence.kind = .term
            evidence.context = .plain
            found.append(TopicEvidence(topic: topicIndex, evidence: evidence))
        }
    }

    /// The marks French job offers carry in their title: "H/F" or "F/H", "Offre d'emploi",
    /// "nous recrutons", a contract as a part of its own ("Formateur – CDI – Lyon"), a
    /// feminine ending in parentheses in the job title ("Chargé(e) de mission").
    private func isJobOfferTitle(_ tokens: [Token]) -> Bool {
        guard tokens.count >= 2 else { return false }
        if tokens[0].stem == hiring, tokens[1].breakBefore == .clause { return true }
        let (h, f) = genderMarks
        for index in 1..<tokens.count where tokens[index].breakBefore == .list {
            let stem = tokens[index].stem
            let pair = (tokens[index - 1].stem, stem)
            if pair == (h, f) || pair == (f, h) { return true }
            if contracts.contains(stem) { return true }
            if index <= 3, feminineEndings.contains(stem),
                index + 1 == tokens.count || tokens[index + 1].breakBefore != .none
            {
                return true
            }
        }
        for start in tokens.indices {
            let first = tokens[start].stem
            guard first >= 0 else { continue }
            for phrase in jobOfferPhrases where phrase[0] == first && start + phrase.count <= tokens.count {
                var offset = 1
                while offset < phrase.count, tokens[start + offset].stem == phrase[offset] { offset += 1 }
                if offset == phrase.count { return true }
            }
        }
        return false
    }

    /// `text.lowercased().contains(part.lowercased())`, without the two `String`s and
    /// Foundation's search (14 000 instructions a call in `assemble`) when both are written
    /// in printable ASCII and Latin-1 letters, as French rule entries are: there each scalar is
    /// a character of its own, no two are canonically equivalent, lowercasing maps one scalar
    /// to one, and the search is one over scalars. Anything else takes Foundation's way.
    static func lowercased(_ text: String, contains part: String) -> Bool {
        var folded: [Unicode.Scalar] = []
        var foldedPart: [Unicode.Scalar] = []
        guard !part.isEmpty, foldLatin(text, into: &folded), foldLatin(part, into: &foldedPart) else {
            return text.lowercased().contains(part.lowercased())
        }
        guard foldedPart.count <= folded.count else { return false }
        for start in 0...(folded.count - foldedPart.count)
        where folded[start..<start + foldedPart.count].elementsEqual(foldedPart) {
            return true
        }
        return false
    }

    /// The lowercase scalars of `text` when all are printable ASCII, Latin-1 or "ŒœŸ"
    /// (`false` otherwise, `scalars` then unspecified).
    private static func foldLatin(_ text: String, into scalars: inout [Unicode.Scalar]) -> Bool {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x41...0x5A, 0xC0...0xD6, 0xD8...0xDE: scalars.append(Unicode.Scalar(scalar.value + 0x20)!)
            case 0x20...0x7E, 0xA0...0xFF, 0x153: scalars.append(scalar)
            case 0x152: scalars.append("\u{153}")
            case 0x178: scalars.append("\u{FF}")
            default: return false
            }
        }
        return true
    }

    /// Linear up to one match, then each doubling of the evidence adds half a match.
    static func saturate(_ amount: Double) -> Double {
        amount <= 1 ? amount : 1 + 0.5 * log2(amount)
    }

    /// A span of words that matched a rule entry.
    fileprivate struct Candidate {
        var topic: Int
        var kind: WordTrie.Kind
        /// The entry as written: the trie's ``WordTrie/displays``[display].
        var display: Int32
        var start: Int
        var end: Int
        var pair = -1
        var side = 0

        /// A term, related word, pair half or piece of machinery: what can become evidence.
        var weighs: Bool { kind != .exclude && kind != .passing && kind != .setting && kind != .elsewhere }
    }

    /// One half of a pair term, kept aside until the whole item is read (named structs here
    /// and below, not tuples: see ``TopicEvidence``).
    fileprivate struct PairHalf {
        /// The pair's index in ``pairs``.
        var pair: Int
        /// Which half: 0 or 1.
        var side: Int
        var evidence: Evidence
    }

    /// A use of a piece of a topic's machinery (or of a related word) in ``assemble(_:scene:isJobOffer:into:)``,
    /// and whether it is of the machinery itself.
    fileprivate struct Piece {
        var evidence: Evidence
        var specific: Bool
    }

    /// A field of the item with rule entries that weigh, waiting for its layout.
    fileprivate struct FieldRead {
        var stream: TokenStream
        var field: Evidence.Field
        var candidates: [Candidate]
    }

    /// Every rule entry found in a field, before exclusions, overlaps and salience, into
    /// `candidates` (emptied first, its capacity kept).
    private func candidates(in stream: TokenStream, into candidates: inout [Candidate]) {
        candidates.removeAll(keepingCapacity: true)
        // The words through a pointer: the walk's closure captured the array, and retained and
        // released it at every word that starts a rule entry.
        stream.tokens.withUnsafeBufferPointer { tokens in
            trie.withWalker { walker in
                collectCandidates(in: tokens, isAllCapitals: stream.isAllCapitals, walker: walker, into: &candidates)
            }
        }
    }

    private func collectCandidates(
        in tokens: UnsafeBufferPointer<Token>, isAllCapitals: Bool, walker: WordTrie.Walker,
        into candidates: inout [Candidate]
    ) {
        for start in tokens.indices {
            walker.matches(in: tokens, from: start) { output, end in
                if output.acronymLength > 0 {
                    // The acronym in lowercase: the whole word ("cpf", "cpfs"), not a longer one
                    // the stemmer reduced to it ("CPFX").
                    let token = tokens[start]
                    let length = Int(token.length)
                    guard end == start + 1,
                        length == output.acronymLength || (length == output.acronymLength + 1 && token.endsInS)
                    else { return }
                    // A two-letter one ("ia") after an elision ("l'ia", "d'ia"), or opening the
                    // field or a sentence before a colon ("ia : dix usages").
                    if output.needsContext {
                        let elided = start > 0 && tokens[start - 1].isElision
                        let opening =
                            (start == 0 || token.breakBefore == .sentence) && start + 1 < tokens.count
                            && tokens[start + 1].breakBefore == .clause
                        guard elided || opening else { return }
                    }
                }
                candidates.append(
                    Candidate(
                        topic: output.topic, kind: output.kind, display: output.display, start: start, end: end,
                        pair: output.pair, side: output.side))
            }
            let acronym = Int(tokens[start].acronym)
            if acronym >= 0 {
                if acronymIsWord[acronym] {
                    let elided = start > 0 && tokens[start - 1].isElision
                    let hyphenated = tokens[start].hyphenatedToNext
                    if isAllCapitals, elided || hyphenated { continue }
                    if hyphenated, start + 1 < tokens.count, pronouns.contains(tokens[start + 1].stem) { continue }
                }
                for hit in acronymHits[acronym] {
                    candidates.append(
                        Candidate(topic: hit.topic, kind: .term, display: hit.display, start: start, end: start + 1))
                }
            }
        }
    }

    /// Sorts `candidates` by topic, then start, then longest first, keeping the field's order
    /// otherwise: what `sort` by `(topic, start, -end)`, which is stable, gives. They are found
    /// in order of start, so a counting sort by topic (stable) and a stable insertion sort of the
    /// few matches at each place give that order in linear time, without comparing every pair
    /// through a closure (a tenth of the time of a field dense with rule words).
    private func sortForWeighing(_ candidates: inout [Candidate]) {
        let count = candidates.count
        guard count > 1 else { return }
        let topicCount = topics.count
        let inFieldOrder = candidates.withUnsafeBufferPointer { candidates in
            (1..<count).allSatisfy { candidates[$0 - 1].start <= candidates[$0].start }
                && candidates.allSatisfy { $0.topic >= 0 && $0.topic < topicCount }
        }
        guard inFieldOrder else {
            candidates.sort { ($0.topic, $0.start, $1.end) < ($1.topic, $1.start, $0.end) }
            return
        }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: topicCount + 1) { offsets in
            offsets.initialize(repeating: 0)
            candidates.withUnsafeMutableBufferPointer { candidates in
                for candidate in candidates { offsets[candidate.topic + 1] += 1 }
                for topic in 0..<topicCount { offsets[topic + 1] += offsets[topic] }
                withUnsafeTemporaryAllocation(of: Candidate.self, capacity: count) { sorted in
                    for candidate in candidates {
                        (sorted.baseAddress! + offsets[candidate.topic]).initialize(to: candidate)
                        offsets[candidate.topic] += 1
                    }
                    for index in 0..<count {
                        candidates[index] = (sorted.baseAddress! + index).move()
                    }
                }
                // Within a topic and a start, the longest first (a stable insertion sort).
                for index in 1..<count {
                    let current = candidates[index]
                    var place = index
                    while place > 0, candidates[place - 1].topic == current.topic,
                        candidates[place - 1].start == current.start, candidates[place - 1].end < current.end
                    {
                        candidates[place] = candidates[place - 1]
                        place -= 1
                    }
                    if place != index { candidates[place] = current }
                }
            }
        }
    }

    /// Weighs the candidates of one field into evidence (pair halves aside in `halves`).
    private func collect(
        _ stream: TokenStream, candidates: inout [Candidate], field: Evidence.Field, isJobOffer: Bool,
        into found: inout [TopicEvidence],
        halves: inout [PairHalf],
        pieces: inout [TopicEvidence], layout storage: inout Layout
    ) {
        let tokens = stream.tokens
        // In a title, where its subject ends: the first dash, parenthesis, bar, comma or slash.
        var titleSubjectEnd = tokens.count
        if field == .title {
            titleSubjectEnd = tokens.indices.dropFirst().first { tokens[$0].breakBefore == .list } ?? tokens.count
        }
        // Sentences and lists matter outside the title only. The layout is read in place in
        // `storage`, not copied into an optional: each read of a copy retained and released
        // its three arrays (a tenth of weighing a long content).
        let hasLayout = field != .title
        if hasLayout {
            storage.read(tokens, wordClasses: wordClasses, listItemWords: configuration.listItemWords)
        }
        // A title that announces a programme lists themes among others: one of them is listed
        // there too ("Salon RH : IA, QVCT, neurodiversité et marque employeur au programme").
        // Not a job offer's: its title names the job ("Chargé(e) de mission – programme
        // d'embauche de profils autistes"), whose parentheses are no list.
        var hasTitleLists = false
        if field == .title, !isJobOffer, tokens.contains(where: { programmeWords.contains($0.stem) }) {
            storage.read(tokens, wordClasses: wordClasses, listItemWords: configuration.listItemWords)
            hasTitleLists = true
        }

        // Per topic: drop what an exclusion overlaps, then keep the longest match at each
        // place, so "intelligence artificielle générative" is one match, not two.
        sortForWeighing(&candidates)
        var index = 0
        while index < candidates.count {
            let topic = candidates[index].topic
            var upper = index
            while upper < candidates.count, candidates[upper].topic == topic { upper += 1 }
            let group = candidates[index..<upper]
            // Usually none: then no array is allocated. (Scanning the whole group for each
            // candidate instead would be quadratic in a title of 100 000 "formation".)
            let vetoes = group.contains { $0.kind == .exclude } ? group.filter { $0.kind == .exclude } : []
            let boilerplate = group.contains { $0.kind == .passing } ? group.filter { $0.kind == .passing } : []
            var coveredUntil = -1
            var machineryCoveredUntil = -1
            var boilerplateUsedUntil = -1
            for candidate in group where candidate.weighs {
                if vetoes.contains(where: { $0.start < candidate.end && candidate.start < $0.end }) { continue }
                if candidate.kind == .machinery {
                    // A piece of machinery is counted apart from the terms it may overlap, the
                    // longest at a place ("audit de surveillance", not also "audit"); one in
                    // boilerplate is no piece.
                    guard candidate.start >= machineryCoveredUntil else { continue }
                    machineryCoveredUntil = candidate.end
                    if boilerplate.contains(where: { $0.start <= candidate.start && candidate.end <= $0.end }) {
                        continue
                    }
                    let sentence = hasLayout ? storage.sentence(of: candidate.start) : 0
                    let listed = hasLayout && storage.isListed(candidate.start, candidate.end)
                    pieces.append(
                        TopicEvidence(
                            topic: topic,
                            evidence: Evidence(
                                match: trie.displays[Int(candidate.display)], field: field, sentence: sentence,
                                kind: .related,
                                context: listed ? .listed : .plain,
                                weight: sentence > 0 ? configuration.laterSentenceWeight : 1)
                        ))
                    continue
                }
                // Halves of pair terms are weighed like terms and kept aside until the item is read.
                guard candidate.kind == .pair || candidate.start >= coveredUntil else { continue }
                // A short prefix glued to the next word by a hyphen is another word
                // ("DYS-positifs", "dys-fonctionnement").
                if candidate.end == candidate.start + 1, tokens[candidate.start].hyphenatedToNext,
                    case let display = trie.displays[Int(candidate.display)],
                    display.count <= 3, display.lowercased() == display
                {
                    continue
                }
                if candidate.kind != .pair { coveredUntil = candidate.end }
                let sentence = hasLayout ? storage.sentence(of: candidate.start) : 0
                var weight = candidate.kind == .related ? configuration.relatedWeight : 1.0
                if sentence > 0 { weight *= configuration.laterSentenceWeight }
                var context = Evidence.Context.plain
                // A title is what the item is about: a list or a boilerplate phrase there is its
                // subject ("Veille : CPF, Qualiopi, IA", "EDOF : seuls les organismes certifiés
                // Qualiopi…"). Elsewhere they are mentions in passing.
                // In a title, a boilerplate phrase after the subject, set off by a dash, a
                // parenthesis or a bar, is a label ("Excel – 2 jours – éligible CPF",
                // "Gestion de projet (éligible CPF)", "Anglais | Organisme certifié Qualiopi").
                if let phrase = boilerplate.first(where: { $0.start <= candidate.start && candidate.end <= $0.end }),
                    hasLayout || titleSubjectEnd <= phrase.start || isJobOffer
                {
                    // One boilerplate phrase is one mention, however many entries it holds
                    // ("organisme de formation certifié" and "qualiopi").
                    if phrase.start < boilerplateUsedUntil { continue }
                    boilerplateUsedUntil = phrase.end
                    context = .boilerplate
                    weight *= configuration.boilerplateWeight
                } else if hasLayout || hasTitleLists, storage.isListed(candidate.start, candidate.end) {
                    context = .listed
                    weight *= configuration.listedWeight
                }
                let evidence = Evidence(
                    match: trie.displays[Int(candidate.display)], field: field, sentence: sentence,
                    kind: candidate.kind == .related ? .related : .term, context: context,
                    weight: (weight * 1000).rounded() / 1000)
                if candidate.kind == .pair {
                    halves.append(PairHalf(pair: candidate.pair, side: candidate.side, evidence: evidence))
                } else {
                    found.append(TopicEvidence(topic: topic, evidence: evidence, display: candidate.display))
                }
            }
            index = upper
        }
    }
}

/// Sentences and enumerations of one field, read from the breaks between its words; built
/// only for the rare fields where a rule matched.
private struct Layout {
    /// Token → sentence index.
    private var sentences: [Int] = []
    /// Token → segment index (-1 for a connector word); a segment is the run of words
    /// between two breaks.
    private var segmentOf: [Int] = []
    /// Segment → (words, the break that opens it, whether that break is a connector word,
    /// whether its first word is a subject pronoun: "…, il gêne l'écriture et…" is a clause,
    /// whether all its words are numbers: "…13 à 15, 20 et 25").
    private var segments: [(words: Int, opening: Break, byWord: Bool, clause: Bool, numbers: Bool)] = []
    private var listItemWords = 0

    static let connector: UInt8 = 1
    static let pronoun: UInt8 = 2

    /// An empty layout, filled by ``read(_:wordClasses:listItemWords:)``.
    init() {}

    /// The layout of `tokens`, replacing the previous one (its arrays' capacity kept: one
    /// layout serves every field a workspace weighs).
    mutating func read(_ tokens: [Token], wordClasses: [UInt8], listItemWords: Int) {
        self.listItemWords = listItemWords
        sentences.removeAll(keepingCapacity: true)
        segmentOf.removeAll(keepingCapacity: true)
        segments.removeAll(keepingCapacity: true)
        // Sized at once and written through pointers: appending checked the arrays'
        // uniqueness and capacity twice per word of every weighed field.
        sentences.append(contentsOf: repeatElement(0, count: tokens.count))
        segmentOf.append(contentsOf: repeatElement(0, count: tokens.count))
        var sentence = 0
        var afterConnector = false
        // The current segment's word count and whether they are all numbers, stored when it
        // ends: one array write per segment rather than per word.
        var words = 0
        var numbers = true
        var segmentCount = 0
        sentences.withUnsafeMutableBufferPointer { sentences in
            segmentOf.withUnsafeMutableBufferPointer { segmentOf in
                for (index, token) in tokens.enumerated() {
                    if token.breakBefore == .sentence { sentence += 1 }
                    sentences[index] = sentence
                    let classes = token.stem >= 0 ? wordClasses[Int(token.stem)] : 0
                    if classes & Self.connector != 0, index > 0 {
                        segmentOf[index] = -1
                        afterConnector = true
                        continue
                    }
                    if segmentCount == 0 || token.breakBefore != .none || afterConnector {
                        if segmentCount > 0 {
                            segments[segmentCount - 1].words = words
                            segments[segmentCount - 1].numbers = numbers
                        }
                        let byWord = afterConnector && token.breakBefore == .none
                        segments.append(
                            (0, byWord ? .list : token.breakBefore, byWord, classes & Self.pronoun != 0, true))
                        segmentCount += 1
                        words = 0
                        numbers = true
                    }
                    afterConnector = false
                    segmentOf[index] = segmentCount - 1
                    numbers = numbers && token.isNumber
                    if !token.isElision { words += 1 }
                }
            }
        }
        if segmentCount > 0 { closeSegment(words, numbers) }
    }

    private mutating func closeSegment(_ words: Int, _ numbers: Bool) {
        segments[segments.count - 1].words = words
        segments[segments.count - 1].numbers = numbers
    }

    func sentence(of token: Int) -> Int { sentences[token] }

    /// The words `start..<end` are one short item of an enumeration: their segment and at
    /// least two neighbours, all short, joined by list separators of which at least two are
    /// punctuation, or one when a connector word opens the last item ("A, B, C", "A, B et C",
    /// not "A ou B, avec C").
    func isListed(_ start: Int, _ end: Int) -> Bool {
        let segment = segmentOf[start]
        guard segment >= 0, segmentOf[end - 1] == segment, segments[segment].words <= listItemWords else {
            return false
        }
        var count = 1
        var words = segments[segment].words
        var punctuation = 0
        var left = segment
        while left > 0, segments[left].opening == .list, segments[left - 1].words <= listItemWords {
            if !segments[left].byWord { punctuation += 1 }
            count += 1
            left -= 1
            words += segments[left].words
        }
        var right = segment + 1
        while right < segments.count, segments[right].opening == .list, segments[right].words <= listItemWords {
            if !segments[right].byWord { punctuation += 1 }
            count += 1
            words += segments[right].words
            right += 1
        }
        // "A, B et C" is one too: a connector word before the last item stands for a comma.
        // Not when a part is a clause of its own ("Appelé dyspraxie, il gêne l'écriture et les
        // gestes": "et" joins the clause's objects).
        let closedByWord =
            right - 1 > left && segments[right - 1].byWord && !segments[left..<right].contains(where: \.clause)
        // Numbers after a numbered entry are its own ("Indicateurs 13 à 15, 20, 25 et 29",
        // "articles L. 6323-1, 6323-2 et 6323-3"): one mention, not an enumeration of topics.
        if (left..<right).allSatisfy({ $0 == segment || segments[$0].numbers }) { return false }
        // Enumerations are of short items; clauses of a sentence separated by commas are longer.
        return count >= 3 && (punctuation >= 2 || (punctuation >= 1 && closedByWord)) && words * 2 <= count * 9
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
    enum Kind: Sendable { case term, related, exclude, passing, pair, machinery, setting, elsewhere }

    struct Output: Sendable {
        var topic: Int
        var kind: Kind
        var display: String
        /// For an acronym matched in any case, its length: the word must be that long (or one
        /// more, for a plural "s"). 0 for rule entries.
        var acronymLength = 0
        /// For one half of a pair term ("Caisse des dépôts + titulaire"): the pair's index in
        /// ``Tagger``'s pair table and which half (0 or 1).
        var pair = -1
        var side = 0
        /// A two-letter acronym matched in lowercase ("ia"): only after an elision or opening
        /// the field or a sentence before a colon.
        var needsContext = false
    }

    /// An ``Output`` as the trie stores and reports it, its display an index into
    /// ``displays``: the walk reports every match of a text, and copying a `String` with each
    /// (and with each candidate built from it, sorted, filtered) was reference counting.
    struct Match: Sendable {
        var topic: Int
        var kind: Kind
        /// The entry as written: ``displays``[display].
        var display: Int32
        var acronymLength: Int
        var pair: Int
        var side: Int
        var needsContext: Bool
    }

    /// The display strings of the outputs (and of the acronyms, ``internDisplay(_:)``), by index.
    private(set) var displays: [String] = []
    private var displayIndex: [String: Int32] = [:]

    /// The index of `display` in ``displays``, added if new.
    mutating func internDisplay(_ display: String) -> Int32 {
        if let known = displayIndex[display] { return known }
        let index = Int32(displays.count)
        displays.append(display)
        displayIndex[display] = index
        return index
    }

    /// The stemmed words of all rule entries (and of the learned model).
    private(set) var words = WordTable()

    /// An empty trie.
    init() {}

    /// An empty trie over `other`'s word table, so that a text's word ids serve both.
    init(sharing other: WordTrie) { words = other.words }

    /// The id of an already stemmed word (the learned model's vocabulary), added if new.
    mutating func internStem(_ stem: String) -> Int32 {
        Array(stem.utf8).withUnsafeBufferPointer { words.intern($0) }
    }
    /// (node << 32 | word id) → child node. Node 0 is the root.
    private var children = ChildTable()
    /// The entries of every node, each node's in a list threaded through `nextMatch`, in the
    /// order they were inserted: node → its first (`firstMatch`) and last (`lastMatch`) entry
    /// in `matchList`, or -1. Flat arrays the walk reads through pointers: an array per node
    /// was retained and released at every step of the walk.
    private var matchList: [Match] = []
    private var nextMatch: [Int32] = []
    private var firstMatch: [Int32] = [-1]
    private var lastMatch: [Int32] = [-1]
    /// Word id → a rule entry starts with that word (the root has a child for it): one load
    /// answers for most words of a text, which start none, without probing `children`.
    private var startsEntry: [Bool] = []

    /// The id of one word of the text ("et", "je"), added to the table if no rule has it.
    mutating func intern(_ word: String) -> Int32 { internWords(word).first ?? -1 }

    /// The ids of the words of `phrase` ("offre d'emploi"), added to the table if new.
    mutating func internWords(_ phrase: String) -> [Int32] {
        var interning = Interning(words: words)
        words = WordTable()
        let tokens = TokenStream(phrase, lookup: &interning).tokens
        words = interning.words
        return tokens.map(\.stem)
    }

    @inline(__always)
    private func child(_ node: Int32, _ word: Int32) -> Int32? {
        word < 0 ? nil : children.child(Int64(node) << 32 | Int64(word))
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
        let match = Match(
            topic: output.topic, kind: output.kind, display: internDisplay(output.display),
            acronymLength: output.acronymLength, pair: output.pair, side: output.side, needsContext: output.needsContext
        )
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
            if let first = sequence.first, first >= 0 {
                if startsEntry.count <= Int(first) {
                    startsEntry += repeatElement(false, count: Int(first) + 1 - startsEntry.count)
                }
                startsEntry[Int(first)] = true
            }
            var node: Int32 = 0
            for word in sequence {
                if let next = child(node, word) {
                    node = next
                } else {
                    firstMatch.append(-1)
                    lastMatch.append(-1)
                    let next = Int32(firstMatch.count - 1)
                    children.insert(Int64(node) << 32 | Int64(word), next)
                    node = next
                }
            }
            let index = Int32(matchList.count)
            matchList.append(match)
            nextMatch.append(-1)
            if lastMatch[Int(node)] >= 0 {
                nextMatch[Int(lastMatch[Int(node)])] = index
            } else {
                firstMatch[Int(node)] = index
            }
            lastMatch[Int(node)] = index
        }
    }

    /// The trie as a walk reads it, valid in ``withWalker(_:)``'s body: its entry lists, edges
    /// and first words through pointers, so that a step retains and releases no array.
    struct Walker {
        private let lists: Lists
        private let startsEntry: UnsafeBufferPointer<Bool>

        fileprivate init(lists: Lists, startsEntry: UnsafeBufferPointer<Bool>) {
            self.lists = lists
            self.startsEntry = startsEntry
        }

        /// Calls `found` with every entry that matches words of `tokens` starting at `start`,
        /// and the index just past its last word. A hyphenated pair of words in the text may
        /// also match one word of an entry ("neuro-atypique" finds "neuroatypique").
        @inline(__always)
        func matches(in tokens: UnsafeBufferPointer<Token>, from start: Int, _ found: (Match, Int) -> Void) {
            // Most words start no rule entry: answer that without entering the walk.
            let token = tokens[start]
            guard startsEntry(token.stem) || startsEntry(token.joined) else { return }
            WordTrie.walk(node: 0, position: start, tokens: tokens, lists: lists, found: found)
        }

        @inline(__always)
        private func startsEntry(_ word: Int32) -> Bool {
            word >= 0 && Int(word) < startsEntry.count && startsEntry[Int(word)]
        }
    }

    /// Calls `body` with a ``Walker`` over this trie (set up once for a whole text).
    func withWalker<Result>(_ body: (Walker) -> Result) -> Result {
        matchList.withUnsafeBufferPointer { matchList in
            nextMatch.withUnsafeBufferPointer { nextMatch in
                firstMatch.withUnsafeBufferPointer { firstMatch in
                    startsEntry.withUnsafeBufferPointer { startsEntry in
                        children.withEdges { edges in
                            let lists = Lists(matches: matchList, next: nextMatch, first: firstMatch, edges: edges)
                            return body(Walker(lists: lists, startsEntry: startsEntry))
                        }
                    }
                }
            }
        }
    }

    /// The entry lists and the edges, as the walk reads them.
    fileprivate struct Lists {
        let matches: UnsafeBufferPointer<Match>
        let next: UnsafeBufferPointer<Int32>
        let first: UnsafeBufferPointer<Int32>
        let edges: UnsafeBufferPointer<ChildTable.Edge>

        @inline(__always)
        func child(_ node: Int32, _ word: Int32) -> Int32? {
            word < 0 ? nil : ChildTable.child(Int64(node) << 32 | Int64(word), in: edges)
        }
    }

    private static func walk(
        node: Int32, position: Int, tokens: UnsafeBufferPointer<Token>, lists: Lists, crossedBreak: Bool = false,
        found: (Match, Int) -> Void
    ) {
        guard position < tokens.count else { return }
        let token = tokens[position]
        // A rule entry is one phrase: it does not run on over a comma, a parenthesis or a
        // period ("…les droits. Formation éligible…" is not "droits formation"); a colon
        // may introduce what it names. Exclusions may ("IA, intelligence augmentée").
        let crossed = crossedBreak || (node != 0 && (token.breakBefore == .list || token.breakBefore == .sentence))
        if let next = lists.child(node, token.stem) {
            var entry = lists.first[Int(next)]
            while entry >= 0 {
                let output = lists.matches[Int(entry)]
                if !crossed || output.kind == .exclude { found(output, position + 1) }
                entry = lists.next[Int(entry)]
            }
            walk(
                node: next, position: position + 1, tokens: tokens, lists: lists, crossedBreak: crossed, found: found)
        }
        if let next = lists.child(node, token.joined) {
            var entry = lists.first[Int(next)]
            while entry >= 0 {
                let output = lists.matches[Int(entry)]
                if !crossed || output.kind == .exclude { found(output, position + 2) }
                entry = lists.next[Int(entry)]
            }
            walk(
                node: next, position: position + 2, tokens: tokens, lists: lists, crossedBreak: crossed, found: found)
        }
    }
}

/// The trie's edges, (node << 32 | word id) → child, in an open-addressing table: the walk
/// asks it twice per word of every text, and `Dictionary` hashing (SipHash) was most of that.
/// Each key sits beside its child, so that a found edge costs one cache miss, not two.
struct ChildTable: Sendable {
    /// One edge: its key and its child (a key of -1: an empty slot).
    struct Edge {
        var key: Int64 = -1
        var child: Int32 = -1
    }

    private var edges = [Edge](repeating: Edge(), count: 1024)
    private var count = 0

    @inline(__always)
    private static func slot(_ key: Int64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    @inline(__always)
    func child(_ key: Int64) -> Int32? {
        edges.withUnsafeBufferPointer { Self.child(key, in: $0) }
    }

    /// The edges, for a walk that reads them many times.
    func withEdges<Result>(_ body: (UnsafeBufferPointer<Edge>) -> Result) -> Result {
        edges.withUnsafeBufferPointer(body)
    }

    /// The child of `key` among `edges` (``withEdges(_:)``), or `nil`.
    @inline(__always)
    static func child(_ key: Int64, in edges: UnsafeBufferPointer<Edge>) -> Int32? {
        let mask = edges.count - 1
        var slot = Self.slot(key, mask)
        while true {
            let stored = edges[slot]
            if stored.key == key { return stored.child }
            if stored.key < 0 { return nil }
            slot = (slot + 1) & mask
        }
    }

    mutating func insert(_ key: Int64, _ value: Int32) {
        if (count + 1) * 2 > edges.count { grow() }
        let mask = edges.count - 1
        var slot = Self.slot(key, mask)
        while edges[slot].key >= 0, edges[slot].key != key { slot = (slot + 1) & mask }
        if edges[slot].key < 0 { count += 1 }
        edges[slot] = Edge(key: key, child: value)
    }

    private mutating func grow() {
        let old = edges.filter { $0.key >= 0 }
        edges = [Edge](repeating: Edge(), count: edges.count * 2)
        count = 0
        for edge in old { insert(edge.key, edge.child) }
    }
}
