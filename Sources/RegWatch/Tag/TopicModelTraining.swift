import Foundation

/// Training and leave-one-author-out cross-validation of ``TopicModel`` (the
/// `train-topic-model` executable and the tests call it; nothing at run time does).
///
/// Per topic: an L2-regularised logistic regression over presence features (a word anywhere
/// in the title or summary, a word in the title), fitted by full-batch Adam, then pruned to
/// the strongest weights. Words count only if they are in enough items of enough authors, so
/// the model learns the field's vocabulary rather than one author's habits.
///
/// The tagger consults the model only where the rules leave a topic open (a plain anchor
/// below their threshold, or nothing of the topic at all in an item that may be decided
/// alone), so the trainer reads, once per item and topic, how the rules leave it (``Opening``)
/// and scores every threshold on the decisions the tagger would make.
public enum TopicModelTraining {
    /// How the rules leave a topic to the model on one item (read once: it does not depend on
    /// the model's weights).
    public enum Opening: Sendable, Equatable {
        /// The rules give the topic: the model adds nothing.
        case rules
        /// The rules found a plain word of it below their threshold: the model decides at the
        /// topic's threshold.
        case anchored
        /// The rules found nothing of it, in an item that is no job offer, not set somewhere
        /// else and without an exclusion of it: the model decides at the `alone` threshold.
        case alone
        /// The rules' judgement stands (a mention in passing, an exclusion, a job offer…).
        case closed
    }

    /// One labelled item and who wrote it.
    public struct Example: Sendable {
        /// The item's title.
        public var title: String
        /// Its summary.
        public var summary: String
        /// The topics it is about.
        public var topics: Set<TopicID>
        /// Its author (one per labelled set of docs/topics.md, "Measured").
        public var author: String
        /// Its features, as the tagger reads them.
        public var features: TopicModel.Features
        /// Its feature words in reading order, title then summary (for neighbouring words).
        var sequences: (title: [String], summary: [String])
        /// Per topic, how the rules leave it to the model (``TopicModelTraining/readOpenings(_:rules:)``).
        public var openings: [TopicID: Opening] = [:]

        /// The topics the rules alone give it.
        public var rules: Set<TopicID> { Set(openings.filter { $0.value == .rules }.keys) }

        /// Creates an example, reading its features.
        public init(title: String, summary: String, topics: Set<TopicID>, author: String) {
            self.title = title
            self.summary = summary
            self.topics = topics
            self.author = author
            sequences = TopicModel.stems(title: title, summary: summary)
            features = TopicModel.Features(
                words: Set(sequences.title + sequences.summary), titleWords: Set(sequences.title))
        }
    }

    /// The knobs, fixed before any cross-validation.
    public struct Options: Sendable {
        /// L2 penalty on the mean log-loss.
        public var l2 = 0.002
        /// Adam steps and step size.
        public var iterations = 400
        public var learningRate = 0.05
        /// A word is a feature when in at least this many items of at least this many authors.
        public var minimumItems = 3
        public var minimumAuthors = 2
        /// Words (stems) shorter than this are never features: "la", "ma", "ia" say how an author
        /// writes, not what the item is about (the rules read the acronyms). Chosen with the stop
        /// list on the leave-one-author-out table (docs/topics.md, "Cross-validation by author").
        public var minimumWordLength = 3
        /// Stems that are never features: function words (``TopicModelTraining/functionWords``).
        public var stopWords: Set<String> = TopicModelTraining.functionWords
        /// Pairs of neighbouring words as features too ("compt personnel", "intelligence
        /// artificiel"). Off: on the leave-one-author-out table they lowered G and I and raised
        /// no new author (docs/topics.md, step 15); the tagger does not read them.
        public var bigrams = false
        /// The weight of a negative item in the loss (positives weigh 1): above 1, the model
        /// pays more for a false positive than for a missed item. 1: a negative weighing 2 lost
        /// G, I and M more than it gained (docs/topics.md, step 15).
        public var negativeWeight = 1.0
        /// Pruning: weights below this are dropped, and at most `keep` words per topic kept.
        public var prune = 0.05
        public var keep = 400
        /// The thresholds tried, from the lowest: the model gives a topic alone only when it finds
        /// it more likely than not (lower ones tagged a bank's "solde de votre compte" `cpf`).
        public var thresholds: [Double] = stride(from: 0.5, through: 0.95, by: 0.05).map { ($0 * 100).rounded() / 100 }
        /// How a threshold is chosen on out-of-author predictions.
        public var criterion = Criterion.model(beta: 0.5)
        /// The thresholds tried for the model deciding with no anchor from the rules
        /// (``TopicModel/TopicWeights/alone``); empty: never. Each topic keeps the one whose
        /// decisions, added to the rules', score the best out-of-author F-score (recall
        /// weighing `aloneBeta` times precision), and none unless one does strictly better.
        /// From 0.8: candidates from 0.5 bought no item on any held-out author and cost one of
        /// B's (docs/topics.md, "Cross-validation by author", step 12).
        public var aloneThresholds: [Double] = [0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99]
        public var aloneBeta = 1.0
        /// The probabilities below which the model would remove a topic the rules give (a
        /// veto), measured on the cross-validation only; empty: never. The tagger has no veto
        /// yet: measured in step 15 (docs/topics.md), it pays on the CPF's precision.
        public var vetoThresholds: [Double] = []

        /// How a threshold is chosen.
        public enum Criterion: Sendable, Equatable {
            /// The best F-score of the model alone over every item, recall weighing `beta` times
            /// precision (1: F1; 0.5: precision counts more); the `alone` threshold is scored on
            /// the rules' topics plus the model's over every item the rules do not give it.
            case model(beta: Double)
            /// The best F-score of the tagger's own decisions: the rules, the model where they
            /// leave the topic anchored, and (for `alone`) where they leave it open alone.
            case decision(beta: Double)
        }

        /// The defaults above.
        public init() {}
    }

    /// French and English function words (articles, pronouns, possessives, prepositions,
    /// conjunctions, auxiliaries), as the tagger's stems: they say how an author writes, not
    /// what the item is about.
    public static let functionWords: Set<String> = TopicModel.features(
        title: """
            le la les l un une des de du d et ou en au aux à a sur par pour dans avec sans sous chez entre vers
            ce cet cette ces c ça cela son sa ses mon ma mes ton ta tes notre nos votre vos leur leurs
            qui que qu quoi dont où il elle ils elles on nous vous je j tu se s ne n pas plus y
            est sont été être avoir ont ai as avons avez fait peut doit comme mais donc car si
            the of and to in for on an is are was with by its their our your my at from as be it this that
            """, summary: nil
    ).words

    /// Reads, for every example and topic, how the rules leave the topic to the model: the
    /// tagger with a model that is open everywhere (every threshold 0) says which topics its
    /// rules gave, and which the model could decide, anchored or alone.
    public static func readOpenings(_ examples: inout [Example], rules: [Topic]) {
        let open = TopicModel(
            topics: rules.map { .init(topic: $0.id, bias: 0, threshold: 0, alone: 0, words: [:], titleWords: [:]) })
        let probe = Tagger(topics: rules, model: open)
        for index in examples.indices {
            var openings = Dictionary(uniqueKeysWithValues: rules.map { ($0.id, Opening.closed) })
            for topic in probe.explain(title: examples[index].title, summary: examples[index].summary, content: nil) {
                if let model = topic.model {
                    openings[topic.match.id] = model.anchored ? .anchored : .alone
                } else {
                    openings[topic.match.id] = .rules
                }
            }
            examples[index].openings = openings
        }
    }

    /// What the trainer produced: the model to ship, and the cross-validation when asked.
    public struct Outcome: Sendable {
        /// Trained on every example; thresholds chosen on out-of-author predictions.
        public var model: TopicModel
        /// One fold per author (empty without cross-validation).
        public var folds: [Fold]
        /// Examples where the trainer's reading of the decision and the tagger with `model`
        /// disagree (0 unless the tagger's use of the model changed without the trainer's).
        public var disagreements: [String]
    }

    /// Trains one model per topic of `rules` on `examples`, each topic's thresholds chosen on
    /// out-of-author predictions (each author's items scored by a model trained without them);
    /// with `crossValidating`, also scores each author with a model trained on the others
    /// (thresholds chosen on those others only).
    public static func run(
        _ examples: [Example], rules: [Topic], options: Options = Options(), crossValidating: Bool
    ) -> Outcome {
        var examples = examples
        readOpenings(&examples, rules: rules)
        let corpus = Corpus(examples, topics: rules.map(\.id), options: options)
        let authors = corpus.authors
        // Probabilities of author a's items by a fit without a and b (`pairs[b][a]`), and by
        // a fit without a (`single[a]`). The fit without {a, b} serves both folds a and b.
        var single = [[[Double]]](repeating: [], count: authors.count)
        var pairs = [[[[Double]]]](
            repeating: [[[Double]]](repeating: [], count: authors.count), count: authors.count)
        for a in authors.indices {
            let fitted = corpus.fit(excluding: [a], options: options)
            single[a] = corpus.probabilities(fitted, author: a)
        }
        if crossValidating {
            for a in authors.indices {
                for b in authors.indices where b > a {
                    let fitted = corpus.fit(excluding: [a, b], options: options)
                    pairs[b][a] = corpus.probabilities(fitted, author: a)
                    pairs[a][b] = corpus.probabilities(fitted, author: b)
                }
            }
        }
        var folds: [Fold] = []
        if crossValidating {
            for b in authors.indices {
                var probabilities = [[Double]](repeating: [], count: corpus.examples.count)
                for a in authors.indices where a != b {
                    for (offset, index) in corpus.itemsOf[a].enumerated() { probabilities[index] = pairs[b][a][offset] }
                }
                let chosen = corpus.chooseThresholds(probabilities, excluding: b, options: options)
                let heldOut = corpus.itemsOf[b]
                func evaluate(_ withModel: Bool) -> TaggingEvaluation {
                    TaggingEvaluation(
                        topics: corpus.topics,
                        cases: heldOut.enumerated().map { offset, index in
                            let example = corpus.examples[index]
                            return TaggingEvaluation.Case(
                                id: String(offset), title: example.title, expected: example.topics,
                                found: withModel
                                    ? corpus.decisions(index, single[b][offset], chosen) : example.rules)
                        })
                }
                folds.append(
                    Fold(
                        author: authors[b], rules: evaluate(false), combined: evaluate(true),
                        thresholds: Dictionary(uniqueKeysWithValues: zip(corpus.topics, chosen.map(\.threshold))),
                        alone: Dictionary(
                            uniqueKeysWithValues: zip(corpus.topics, chosen).compactMap { topic, choice in
                                choice.alone.map { (topic, $0) }
                            }),
                        veto: Dictionary(
                            uniqueKeysWithValues: zip(corpus.topics, chosen).compactMap { topic, choice in
                                choice.veto.map { (topic, $0) }
                            })))
            }
        }
        var probabilities = [[Double]](repeating: [], count: corpus.examples.count)
        for a in authors.indices {
            for (offset, index) in corpus.itemsOf[a].enumerated() { probabilities[index] = single[a][offset] }
        }
        let chosen = corpus.chooseThresholds(probabilities, excluding: nil, options: options)
        let fitted = corpus.fit(excluding: [], options: options)
        var model = corpus.model(fitted)
        for index in model.topics.indices {
            model.topics[index].threshold = chosen[index].threshold
            model.topics[index].alone = chosen[index].alone
        }
        // The shipped model through the real tagger, against the trainer's reading of it.
        var disagreements: [String] = []
        if !options.bigrams && options.vetoThresholds.isEmpty {
            let tagger = Tagger(topics: rules, model: model)
            let all = corpus.probabilities(fitted, items: Array(corpus.examples.indices))
            for (index, example) in corpus.examples.enumerated() {
                let tagged = Set(tagger.tag(title: example.title, summary: example.summary, content: nil).map(\.id))
                if tagged != corpus.decisions(index, all[index], chosen) { disagreements.append(example.title) }
            }
        }
        return Outcome(model: model, folds: folds, disagreements: disagreements)
    }

    /// The F-score of a count, recall weighing `beta` times precision.
    static func fScore(tp: Int, fp: Int, fn: Int, beta: Double) -> Double {
        let beta2 = beta * beta
        return (1 + beta2) * Double(tp) / max(1, (1 + beta2) * Double(tp) + beta2 * Double(fn) + Double(fp))
    }

    /// A topic's thresholds: where anchored, and alone (`nil`: never).
    struct Choice {
        var threshold: Double
        var alone: Double?
        var veto: Double?
    }

    /// The examples as the regression reads them: every feature name of the corpus, each
    /// example's features as sorted indices, and per feature how many items of each author
    /// have it (the frequency floor is applied per fit, on the authors it is trained on).
    struct Corpus {
        let examples: [Example]
        let topics: [TopicID]
        let authors: [String]
        /// Per author, the indices of their examples.
        let itemsOf: [[Int]]
        /// Feature names: "w stem" (title or summary), "t stem" (title), "b stem stem" (neighbours).
        let names: [String]
        let rows: [[Int]]
        /// Feature → per author, the number of items that have it.
        let counts: [[Int]]
        /// Feature → admissible whatever the authors (length, stop words).
        let admissible: [Bool]

        init(_ examples: [Example], topics: [TopicID], options: Options) {
            self.examples = examples
            self.topics = topics
            authors = Set(examples.map(\.author)).sorted()
            let authorIndex = Dictionary(uniqueKeysWithValues: authors.enumerated().map { ($1, $0) })
            itemsOf = authors.map { author in examples.indices.filter { examples[$0].author == author } }
            func isWord(_ stem: String) -> Bool {
                stem.count >= options.minimumWordLength && !options.stopWords.contains(stem)
            }
            let named: [Set<String>] = examples.map { example in
                var names = Set(example.features.words.map { "w " + $0 })
                names.formUnion(example.features.titleWords.map { "t " + $0 })
                if options.bigrams {
                    for field in [example.sequences.title, example.sequences.summary] {
                        let kept = field.filter(isWord)
                        for (first, second) in zip(kept, kept.dropFirst()) { names.insert("b \(first) \(second)") }
                    }
                }
                return names
            }
            names = Set(named.flatMap { $0 }).sorted()
            let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            rows = named.map { $0.map { index[$0]! }.sorted() }
            var counts = [[Int]](repeating: [Int](repeating: 0, count: authors.count), count: names.count)
            for (example, row) in zip(examples, rows) {
                for feature in row { counts[feature][authorIndex[example.author]!] += 1 }
            }
            self.counts = counts
            admissible = names.map { name in
                name.hasPrefix("b ") || isWord(String(name.dropFirst(2)))
            }
        }

        /// Per topic: the bias and the pruned, rounded weights (feature index → weight).
        struct Fitted {
            var topics: [(bias: Double, weights: [Int: Double])]
        }

        /// Fits and prunes one model per topic on every author but `excluding`.
        func fit(excluding: Set<Int>, options: Options) -> Fitted {
            let included = authors.indices.filter { !excluding.contains($0) }
            // The vocabulary: words in enough items of enough authors.
            var local = [Int](repeating: -1, count: names.count)
            var features: [Int] = []
            for feature in names.indices where admissible[feature] {
                var items = 0
                var authorCount = 0
                for author in included where counts[feature][author] > 0 {
                    items += counts[feature][author]
                    authorCount += 1
                }
                if items >= options.minimumItems && authorCount >= options.minimumAuthors {
                    local[feature] = features.count
                    features.append(feature)
                }
            }
            let indices = included.flatMap { itemsOf[$0] }.sorted()
            let trainingRows = indices.map { rows[$0].compactMap { local[$0] >= 0 ? local[$0] : nil } }
            return Fitted(
                topics: topics.map { topic in
                    let labels = indices.map { examples[$0].topics.contains(topic) ? 1.0 : 0.0 }
                    let (bias, weights) = TopicModelTraining.logisticRegression(
                        rows: trainingRows, labels: labels, features: features.count, options)
                    var kept = weights.enumerated().filter { abs($0.element) >= options.prune }
                    kept.sort {
                        abs($0.element) != abs($1.element) ? abs($0.element) > abs($1.element) : $0.offset < $1.offset
                    }
                    var pruned: [Int: Double] = [:]
                    for (feature, weight) in kept.prefix(options.keep) {
                        pruned[features[feature]] = (weight * 10_000).rounded() / 10_000
                    }
                    return ((bias * 10_000).rounded() / 10_000, pruned)
                })
        }

        /// The probabilities, per topic, of the given examples.
        func probabilities(_ fitted: Fitted, items: [Int]) -> [[Double]] {
            items.map { index in
                fitted.topics.map { topic in
                    var sum = topic.bias
                    for feature in rows[index] { sum += topic.weights[feature] ?? 0 }
                    return TopicModel.sigmoid(sum)
                }
            }
        }

        /// The probabilities of an author's examples, in ``itemsOf`` order.
        func probabilities(_ fitted: Fitted, author: Int) -> [[Double]] {
            probabilities(fitted, items: itemsOf[author])
        }

        /// The fitted weights as the tagger's model (thresholds to be set).
        func model(_ fitted: Fitted) -> TopicModel {
            TopicModel(
                topics: zip(topics, fitted.topics).map { topic, fit in
                    var words: [String: Double] = [:]
                    var titleWords: [String: Double] = [:]
                    for (feature, weight) in fit.weights {
                        let name = names[feature]
                        let word = String(name.dropFirst(2))
                        if name.hasPrefix("w ") {
                            words[word] = weight
                        } else if name.hasPrefix("t ") {
                            titleWords[word] = weight
                        }
                    }
                    return TopicModel.TopicWeights(
                        topic: topic, bias: fit.bias, threshold: 0.5, words: words, titleWords: titleWords)
                })
        }

        /// The topics the tagger gives an example with these probabilities and thresholds.
        func decisions(_ index: Int, _ probabilities: [Double], _ chosen: [Choice]) -> Set<TopicID> {
            var found: Set<TopicID> = []
            for (column, topic) in topics.enumerated()
            where says(examples[index].openings[topic], probabilities[column], chosen[column]) {
                found.insert(topic)
            }
            return found
        }

        private func says(_ opening: Opening?, _ probability: Double, _ choice: Choice) -> Bool {
            switch opening {
            case .rules: choice.veto.map { probability >= $0 } ?? true
            case .anchored: probability >= choice.threshold
            case .alone: choice.alone.map { probability >= $0 } ?? false
            case .closed, nil: false
            }
        }

        /// Per topic, the thresholds with the best score by ``Options/criterion`` on the
        /// out-of-author `probabilities` of every author but `excluding` (ties: the higher one).
        func chooseThresholds(_ probabilities: [[Double]], excluding: Int?, options: Options) -> [Choice] {
            let scored = examples.indices.filter { examples[$0].author != excluding.map { authors[$0] } }
            return topics.indices.map { column in
                let topic = topics[column]
                func count(_ said: (Int) -> Bool) -> (tp: Int, fp: Int, fn: Int) {
                    var (tp, fp, fn) = (0, 0, 0)
                    for index in scored {
                        let truth = examples[index].topics.contains(topic)
                        if said(index) { if truth { tp += 1 } else { fp += 1 } } else if truth { fn += 1 }
                    }
                    return (tp, fp, fn)
                }
                let threshold: Double
                let aloneSays: (Int, Double) -> Bool
                switch options.criterion {
                case .model(let beta):
                    var best = (score: -1.0, threshold: 0.5)
                    for candidate in options.thresholds {
                        let c = count { probabilities[$0][column] >= candidate }
                        let score = fScore(tp: c.tp, fp: c.fp, fn: c.fn, beta: beta)
                        if score >= best.score { best = (score, candidate) }
                    }
                    threshold = best.threshold
                    aloneSays = { index, alone in
                        examples[index].openings[topic] == .rules || probabilities[index][column] >= alone
                    }
                case .decision(let beta):
                    var best = (score: -1.0, threshold: 0.5)
                    for candidate in options.thresholds {
                        let c = count {
                            says(examples[$0].openings[topic], probabilities[$0][column], Choice(threshold: candidate))
                        }
                        let score = fScore(tp: c.tp, fp: c.fp, fn: c.fn, beta: beta)
                        if score >= best.score { best = (score, candidate) }
                    }
                    threshold = best.threshold
                    aloneSays = { index, alone in
                        says(
                            examples[index].openings[topic], probabilities[index][column],
                            Choice(threshold: best.threshold, alone: alone))
                    }
                }
                // The threshold from which the model decides a topic the rules found nothing
                // of: none unless one beats the decisions without it (ties: the higher one).
                let without = count { aloneSays($0, .infinity) }
                var best: (score: Double, alone: Double?) = (
                    fScore(tp: without.tp, fp: without.fp, fn: without.fn, beta: options.aloneBeta), nil
                )
                for alone in options.aloneThresholds.sorted(by: >) {
                    let c = count { aloneSays($0, alone) }
                    let score = fScore(tp: c.tp, fp: c.fp, fn: c.fn, beta: options.aloneBeta)
                    if score > best.score { best = (score, alone) }
                }
                guard !options.vetoThresholds.isEmpty else { return Choice(threshold: threshold, alone: best.alone) }
                let alone = best.alone
                func vetoScore(_ veto: Double?) -> Double {
                    let c = count {
                        says(
                            examples[$0].openings[topic], probabilities[$0][column],
                            Choice(threshold: threshold, alone: alone, veto: veto))
                    }
                    return fScore(tp: c.tp, fp: c.fp, fn: c.fn, beta: 1)
                }
                var bestVeto: (score: Double, veto: Double?) = (vetoScore(nil), nil)
                for veto in options.vetoThresholds.sorted() {
                    let score = vetoScore(veto)
                    if score > bestVeto.score { bestVeto = (score, veto) }
                }
                return Choice(threshold: threshold, alone: alone, veto: bestVeto.veto)
            }
        }
    }

    /// Minimises the weighted mean log-loss plus `l2/2·|w|²` (the bias unpenalised) by
    /// full-batch Adam; a negative item weighs ``Options/negativeWeight``.
    static func logisticRegression(
        rows: [[Int]], labels: [Double], features: Int, _ options: Options
    ) -> (bias: Double, weights: [Double]) {
        var weights = [Double](repeating: 0, count: features + 1)  // last: the bias
        var first = [Double](repeating: 0, count: features + 1)
        var second = [Double](repeating: 0, count: features + 1)
        var gradient = [Double](repeating: 0, count: features + 1)
        let (beta1, beta2, epsilon) = (0.9, 0.999, 1e-8)
        let total = labels.reduce(0) { $0 + ($1 == 1 ? 1 : options.negativeWeight) }
        let scales = labels.map { ($0 == 1 ? 1 : options.negativeWeight) / total }
        for step in 1...options.iterations {
            for feature in 0..<features { gradient[feature] = options.l2 * weights[feature] }
            gradient[features] = 0
            for (row, (label, scale)) in zip(rows, zip(labels, scales)) {
                var sum = weights[features]
                for feature in row { sum += weights[feature] }
                let error = (TopicModel.sigmoid(sum) - label) * scale
                for feature in row { gradient[feature] += error }
                gradient[features] += error
            }
            let correction1 = 1 - pow(beta1, Double(step))
            let correction2 = 1 - pow(beta2, Double(step))
            for feature in 0...features {
                first[feature] = beta1 * first[feature] + (1 - beta1) * gradient[feature]
                second[feature] = beta2 * second[feature] + (1 - beta2) * gradient[feature] * gradient[feature]
                weights[feature] -=
                    options.learningRate * (first[feature] / correction1)
                    / ((second[feature] / correction2).squareRoot() + epsilon)
            }
        }
        return (weights[features], Array(weights[0..<features]))
    }

    // MARK: Cross-validation

    /// One held-out author's figures: the rules alone, and the rules with the model trained
    /// on the other authors (thresholds chosen on those authors only).
    public struct Fold: Sendable {
        /// The held-out author.
        public var author: String
        /// The rules alone.
        public var rules: TaggingEvaluation
        /// The rules and the model.
        public var combined: TaggingEvaluation
        /// The thresholds chosen without the author.
        public var thresholds: [TopicID: Double]
        /// The thresholds for deciding with no anchor chosen without the author (absent: never).
        public var alone: [TopicID: Double] = [:]
        /// The vetoes chosen without the author (``Options/vetoThresholds``; absent: none).
        public var veto: [TopicID: Double] = [:]
    }
}

extension TopicModelTraining {
    /// The cross-validation as a Markdown table (docs/topics.md): per held-out author and
    /// topic, precision / recall / F1 of the rules alone and of the rules with the model, then
    /// each author's minimum F1.
    public static func report(_ folds: [Fold]) -> String {
        func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
        var lines = [
            "| held out | topic | rules P | rules R | rules F1 | + model P | + model R | + model F1 | threshold | alone |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for fold in folds {
            for (rules, combined) in zip(fold.rules.scores, fold.combined.scores) {
                lines.append(
                    "| \(fold.author) | \(rules.topic) | \(figure(rules.precision)) | \(figure(rules.recall)) | "
                        + "\(figure(rules.f1)) | \(figure(combined.precision)) | \(figure(combined.recall)) | "
                        + "\(figure(combined.f1)) | \(figure(fold.thresholds[rules.topic])) | "
                        + "\(figure(fold.alone[rules.topic])) |")
            }
            lines.append(
                "| \(fold.author) | **minimum F1** | | | **\(figure(fold.rules.minimumF1))** | | | "
                    + "**\(figure(fold.combined.minimumF1))** | | |")
        }
        return lines.joined(separator: "\n")
    }

    /// One line per held-out author (minimum F1, rules alone and with the model), then every
    /// topic's figures over all authors' items together: the figures the variants of
    /// docs/topics.md are compared on.
    public static func summary(_ folds: [Fold]) -> String {
        func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
        var lines = ["| held out | rules min F1 | + model min F1 | + model, lowest topic |", "|---|---|---|---|"]
        for fold in folds {
            let lowest = fold.combined.scores.min { ($0.f1 ?? 1) < ($1.f1 ?? 1) }
            lines.append(
                "| \(fold.author) | \(figure(fold.rules.minimumF1)) | \(figure(fold.combined.minimumF1)) | "
                    + "\(lowest.map { "\($0.topic) P \(figure($0.precision)) R \(figure($0.recall))" } ?? "")"
                    + (fold.veto.isEmpty ? "" : ", veto \(fold.veto.sorted { $0.key.rawValue < $1.key.rawValue })")
                    + " |")
        }
        guard let first = folds.first else { return lines.joined(separator: "\n") }
        lines.append("")
        lines.append("| all authors | rules P / R / F1 | + model P / R / F1 | + model tp / fp / fn |")
        lines.append("|---|---|---|---|")
        for column in first.combined.scores.indices {
            var rules = TaggingEvaluation.Score(topic: first.rules.scores[column].topic)
            var combined = rules
            for fold in folds {
                rules.truePositives += fold.rules.scores[column].truePositives
                rules.falsePositives += fold.rules.scores[column].falsePositives
                rules.falseNegatives += fold.rules.scores[column].falseNegatives
                combined.truePositives += fold.combined.scores[column].truePositives
                combined.falsePositives += fold.combined.scores[column].falsePositives
                combined.falseNegatives += fold.combined.scores[column].falseNegatives
            }
            lines.append(
                "| \(rules.topic) | \(figure(rules.precision)) / \(figure(rules.recall)) / \(figure(rules.f1)) | "
                    + "\(figure(combined.precision)) / \(figure(combined.recall)) / \(figure(combined.f1)) | "
                    + "\(combined.truePositives) / \(combined.falsePositives) / \(combined.falseNegatives) |")
        }
        let mean = folds.map { fold in
            fold.combined.scores.compactMap(\.f1).reduce(0, +) / Double(fold.combined.scores.count)
        }.reduce(0, +)
        lines.append("")
        lines.append(
            "mean per-topic F1 with the model over the authors: \(String(format: "%.4f", mean / Double(folds.count)))")
        return lines.joined(separator: "\n")
    }
}
