import Foundation

/// ``TopicModel`` compiled against a tagger's word table: the model's stems are interned in
/// the rules' table, so the token stream the rules read already carries their ids, and
/// weighing an item is one array load per word.
struct CompiledTopicModel: Sendable {
    /// Model topic → the tagger's topic index.
    let topicIndices: [Int]
    let biases: [Double]
    let thresholds: [Double]
    /// Thresholds with no anchor from the rules (``TopicModel/TopicWeights/alone``; infinity: never).
    let alone: [Double]
    /// Some topic has an `alone` threshold: items the rules found nothing in are weighed too.
    let decidesAlone: Bool
    /// Word id → row, or -1 when the model has no weight for the word.
    let rows: [Int32]
    /// Row → the stem, for the evidence.
    let stems: [String]
    /// Row × topic → weight when present anywhere, and when present in the title.
    let itemWeights: [Double]
    let titleWeights: [Double]

    /// Compiles the topics of `model` that the tagger has and lets the model decide
    /// (``Topic/learned``), interning their words in `trie`. `nil` when none applies.
    init?(_ model: TopicModel, topics: [Topic], trie: inout WordTrie) {
        var applied: [(index: Int, weights: TopicModel.TopicWeights)] = []
        for (index, topic) in topics.enumerated() where topic.learned {
            if let weights = model.weights(of: topic.id) { applied.append((index, weights)) }
        }
        guard !applied.isEmpty else { return nil }
        var rowOfWord: [Int32: Int] = [:]
        var stems: [String] = []
        var item: [[Double]] = []
        var title: [[Double]] = []
        func row(_ stem: String) -> Int {
            let id = trie.internStem(stem)
            if let row = rowOfWord[id] { return row }
            rowOfWord[id] = stems.count
            stems.append(stem)
            item.append([Double](repeating: 0, count: applied.count))
            title.append([Double](repeating: 0, count: applied.count))
            return stems.count - 1
        }
        for (column, entry) in applied.enumerated() {
            for (stem, weight) in entry.weights.words { item[row(stem)][column] = weight }
            for (stem, weight) in entry.weights.titleWords { title[row(stem)][column] = weight }
        }
        var rows = [Int32](repeating: -1, count: trie.words.count)
        for (id, row) in rowOfWord { rows[Int(id)] = Int32(row) }
        topicIndices = applied.map(\.index)
        biases = applied.map(\.weights.bias)
        thresholds = applied.map(\.weights.threshold)
        alone = applied.map { $0.weights.alone ?? .infinity }
        decidesAlone = alone.contains { $0 <= 1 }
        self.rows = rows
        self.stems = stems
        itemWeights = item.flatMap { $0 }
        titleWeights = title.flatMap { $0 }
    }

    /// The words of an item's title and summary, kept until the model may need them.
    struct Fields {
        var title: [Token] = []
        var summary: [Token] = []
    }

    /// The model's rows present in an item, each once (presence features): a bit per row, for
    /// the whole item and for its title, set as the words are read and read back in increasing
    /// order. Collecting the rows into arrays and sorting them cost two arrays and a sort per item.
    struct Input {
        let item: UnsafeMutableBufferPointer<UInt64>
        let title: UnsafeMutableBufferPointer<UInt64>

        /// Calls `body` with each row set in `bits`, in increasing order.
        @inline(__always)
        static func forEachRow(_ bits: UnsafeMutableBufferPointer<UInt64>, _ body: (Int32) -> Void) {
            for index in bits.indices {
                var word = bits[index]
                while word != 0 {
                    body(Int32(index << 6 + word.trailingZeroBitCount))
                    word &= word - 1
                }
            }
        }

        /// The rows set in `bits`, in increasing order.
        static func rows(_ bits: UnsafeMutableBufferPointer<UInt64>) -> [Int32] {
            var rows: [Int32] = []
            forEachRow(bits) { rows.append($0) }
            return rows
        }
    }

    /// Marks the rows of a title's or summary's words in `input` (the content is not read).
    @inline(__always)
    func collect(_ tokens: [Token], field: Evidence.Field, into input: Input) {
        guard field != .content else { return }
        for token in tokens where TopicModel.isFeature(token) {
            let row = rows[Int(token.stem)]
            guard row >= 0 else { continue }
            input.item[Int(row) >> 6] |= 1 << UInt64(row & 63)
            if field == .title { input.title[Int(row) >> 6] |= 1 << UInt64(row & 63) }
        }
    }

    /// The rules' topics, then those the model gives alone (scoring the topic's threshold,
    /// with the model's evidence).
    ///
    /// The model gives a topic at its threshold when the rules found a plain piece of evidence
    /// of it (`found`: a term below the threshold, a related word), so it weighs the topic's
    /// vocabulary but does not overrule the rules' own judgements: an acronym's case ("Ia ora
    /// na"), an exclusion, a mention in passing (a label, a list, a job offer's boilerplate).
    /// With no evidence at all, only at the topic's higher `alone` threshold, and never in a
    /// job offer (its summary is boilerplate), nor where the item is set somewhere else
    /// (`scene` bit 1: another country's training account, ISO 9001) or the rules excluded a
    /// phrase of the topic (bit 2: a pension's "droits acquis au régime").
    func apply(
        to results: [TopicExplanation], read fields: Fields, topics: [Topic],
        found: [TopicEvidence], scene: [UInt8], isJobOffer: Bool
    ) -> [TopicExplanation] {
        let count = topicIndices.count
        // The rules decided, or the model may not: nothing to add (explaining the model's
        // opinion on every tagged topic cost a third of `tag --json`'s time). Checked before
        // the words are even collected, so that an item the model may not decide costs no
        // weighing and no array.
        var open: [Int] = []
        for column in 0..<count
        where isOpen(column, results: results, topics: topics, found: found, scene: scene, isJobOffer: isJobOffer) {
            open.append(column)
        }
        guard !open.isEmpty else { return results }
        let words = (stems.count + 63) / 64
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * words) { bits in
            bits.initialize(repeating: 0)
            let input = Input(
                item: UnsafeMutableBufferPointer(rebasing: bits[0..<words]),
                title: UnsafeMutableBufferPointer(rebasing: bits[words..<2 * words]))
            collect(fields.title, field: .title, into: input)
            collect(fields.summary, field: .summary, into: input)
            var given = results
            for column in open {
                var sum = biases[column]
                Input.forEachRow(input.item) { sum += itemWeights[Int($0) * count + column] }
                Input.forEachRow(input.title) { sum += titleWeights[Int($0) * count + column] }
                let probability = TopicModel.sigmoid(sum)
                let isAnchored = isAnchored(column, found: found)
                guard probability >= (isAnchored ? thresholds[column] : alone[column]) else { continue }
                let topic = topics[topicIndices[column]]
                let evidence = ModelEvidence(
                    probability: (probability * 1000).rounded() / 1000, threshold: thresholds[column], decided: true,
                    words: self.words(item: Input.rows(input.item), title: Input.rows(input.title), column: column),
                    anchored: isAnchored, alone: alone[column] <= 1 ? alone[column] : nil)
                given.append(
                    TopicExplanation(
                        match: TopicMatch(id: topic.id, score: topic.threshold, matches: []), evidence: [],
                        model: evidence)
                )
            }
            return given
        }
    }

    /// Some topic may be open to the model (``apply(to:read:topics:found:scene:isJobOffer:)`` may
    /// add it), before the scene is read: an item whose scene rules a topic out is weighed then.
    func mayDecide(
        results: [TopicExplanation], topics: [Topic], found: [TopicEvidence], isJobOffer: Bool
    ) -> Bool {
        for column in 0..<topicIndices.count
        where isOpen(column, results: results, topics: topics, found: found, scene: [], isJobOffer: isJobOffer) {
            return true
        }
        return false
    }

    /// The rules found a plain piece of evidence of the column's topic (a term below the
    /// threshold, a related word): the model decides it at its ordinary threshold.
    private func isAnchored(_ column: Int, found: [TopicEvidence]) -> Bool {
        let index = topicIndices[column]
        return found.contains(where: { $0.topic == index && $0.evidence.context == .plain })
    }

    /// The rules did not give the column's topic, and either found a plain piece of evidence
    /// of it, or found nothing of it at all in an item that is no job offer, not set somewhere
    /// else (`scene` bit 1) and where no exclusion of the topic matched (bit 2), with an
    /// `alone` threshold to decide it by. Evidence out of plain context (excluded, in passing)
    /// is the rules' judgement: the model does not overrule it, anchored or not.
    private func isOpen(
        _ column: Int, results: [TopicExplanation], topics: [Topic], found: [TopicEvidence],
        scene: [UInt8], isJobOffer: Bool
    ) -> Bool {
        let index = topicIndices[column]
        let id = topics[index].id
        guard !results.contains(where: { $0.match.id == id }) else { return false }
        if isAnchored(column, found: found) { return true }
        return alone[column] <= 1 && !isJobOffer && !found.contains(where: { $0.topic == index })
            && (scene.isEmpty || scene[index] & 6 == 0)
    }

    /// The five strongest contributions, by absolute weight.
    private func words(item: [Int32], title: [Int32], column: Int) -> [ModelEvidence.Word] {
        let count = topicIndices.count
        var all: [ModelEvidence.Word] = []
        for row in item {
            let weight = itemWeights[Int(row) * count + column]
            if weight != 0 { all.append(.init(word: stems[Int(row)], place: .item, weight: weight)) }
        }
        for row in title {
            let weight = titleWeights[Int(row) * count + column]
            if weight != 0 { all.append(.init(word: stems[Int(row)], place: .title, weight: weight)) }
        }
        all.sort { abs($0.weight) != abs($1.weight) ? abs($0.weight) > abs($1.weight) : $0.word < $1.word }
        return all.prefix(5).map { .init(word: $0.word, place: $0.place, weight: ($0.weight * 1000).rounded() / 1000) }
    }
}
