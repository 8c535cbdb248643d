import Foundation

/// Training and leave-one-author-out cross-validation of ``TopicModel`` (the
/// `train-topic-model` executable and the tests call it; nothing at run time does).
///
/// Per topic: an L2-regularised logistic regression over presence features (a word anywhere
/// in the title or summary, a word in the title), fitted by full-batch Adam, then pruned to
/// the strongest weights. Words count only if they are in enough items of enough authors, so
/// the model learns the field's vocabulary rather than one author's habits.
public enum TopicModelTraining {
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
        /// The topics the rules alone give it.
        public var rules: Set<TopicID> = []

        /// Creates an example, reading its features.
        public init(title: String, summary: String, topics: Set<TopicID>, author: String) {
            self.title = title
            self.summary = summary
            self.topics = topics
            self.author = author
            features = TopicModel.features(title: title, summary: summary)
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

        /// How a threshold is chosen.
        public enum Criterion: Sendable, Equatable {
            /// The best F-score of the model alone, recall weighing `beta` times precision
            /// (1: F1; 0.5: precision counts more).
            case model(beta: Double)
            /// The best F1 of the rules or the model (the decision the tagger makes).
            case combinedF1
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

    /// Trains one model per topic on `examples`; each topic's threshold is chosen on
    /// out-of-author predictions (each author's items scored by a model trained without
    /// them), by ``Options/criterion`` (default: the best F0.5 of the model alone).
    public static func train(_ examples: [Example], topics: [TopicID], options: Options = Options()) -> TopicModel {
        var examples = examples
        if options.criterion == .combinedF1 || !options.aloneThresholds.isEmpty,
            examples.allSatisfy({ $0.rules.isEmpty })
        {
            let rulesOnly = Tagger(topics: Topic.builtIn.filter { topics.contains($0.id) }, model: nil)
            for index in examples.indices {
                examples[index].rules = Set(
                    rulesOnly.tag(title: examples[index].title, summary: examples[index].summary, content: nil).map(
                        \.id))
            }
        }
        let thresholds = chooseThresholds(examples, topics: topics, options: options)
        var model = fit(examples, topics: topics, options: options)
        for index in model.topics.indices {
            model.topics[index].threshold = thresholds[index].threshold
            model.topics[index].alone = thresholds[index].alone
        }
        return model
    }

    /// The F-score of a count, recall weighing `beta` times precision.
    static func fScore(tp: Int, fp: Int, fn: Int, beta: Double) -> Double {
        let beta2 = beta * beta
        return (1 + beta2) * Double(tp) / max(1, (1 + beta2) * Double(tp) + beta2 * Double(fn) + Double(fp))
    }

    /// Per topic, the threshold with the best out-of-author score by ``Options/criterion``
    /// (ties: the higher one), and the threshold for deciding with no anchor
    /// (``Options/aloneThresholds``).
    static func chooseThresholds(
        _ examples: [Example], topics: [TopicID], options: Options
    ) -> [(threshold: Double, alone: Double?)] {
        let authors = Set(examples.map(\.author)).sorted()
        var probabilities = [[Double]](repeating: [], count: examples.count)
        for author in authors {
            let model = fit(examples.filter { $0.author != author }, topics: topics, options: options)
            for (index, example) in examples.enumerated() where example.author == author {
                probabilities[index] = model.topics.map { $0.probability(example.features) }
            }
        }
        return topics.indices.map { column in
            var best = (f1: -1.0, threshold: 0.5)
            for threshold in options.thresholds {
                var tp = 0
                var fp = 0
                var fn = 0
                for (index, example) in examples.enumerated() {
                    var said = probabilities[index][column] >= threshold
                    if options.criterion == .combinedF1, example.rules.contains(topics[column]) { said = true }
                    let truth = example.topics.contains(topics[column])
                    if said, truth { tp += 1 } else if said { fp += 1 } else if truth { fn += 1 }
                }
                var beta = 1.0
                if case .model(let value) = options.criterion { beta = value }
                let f1 = fScore(tp: tp, fp: fp, fn: fn, beta: beta)
                if f1 >= best.f1 { best = (f1, threshold) }
            }
            return (
                best.threshold, chooseAlone(examples, probabilities, column: column, topic: topics[column], options)
            )
        }
    }

    /// The threshold from which the model decides a topic the rules found nothing of: the
    /// rules' decisions plus the model's above it, scored on out-of-author `probabilities`;
    /// `nil` unless one beats the rules alone (ties: the higher threshold).
    static func chooseAlone(
        _ examples: [Example], _ probabilities: [[Double]], column: Int, topic: TopicID, _ options: Options
    ) -> Double? {
        func score(_ alone: Double?) -> Double {
            var tp = 0
            var fp = 0
            var fn = 0
            for (index, example) in examples.enumerated() {
                var said = example.rules.contains(topic)
                if let alone, probabilities[index][column] >= alone { said = true }
                let truth = example.topics.contains(topic)
                if said, truth { tp += 1 } else if said { fp += 1 } else if truth { fn += 1 }
            }
            return fScore(tp: tp, fp: fp, fn: fn, beta: options.aloneBeta)
        }
        var best: (score: Double, alone: Double?) = (score(nil), nil)
        for alone in options.aloneThresholds.sorted(by: >) {
            let value = score(alone)
            if value > best.score { best = (value, alone) }
        }
        return best.alone
    }

    /// Fits and prunes one model per topic (threshold 0.5).
    static func fit(_ examples: [Example], topics: [TopicID], options: Options) -> TopicModel {
        // The vocabulary: words in enough items of enough authors.
        var counts: [String: (items: Int, authors: Set<String>)] = [:]
        for example in examples {
            for word in example.features.words { counts["w " + word, default: (0, [])].items += 1 }
            for word in example.features.titleWords { counts["t " + word, default: (0, [])].items += 1 }
            for word in example.features.words { counts["w " + word]!.authors.insert(example.author) }
            for word in example.features.titleWords { counts["t " + word]!.authors.insert(example.author) }
        }
        let names = counts.filter {
            $0.value.items >= options.minimumItems && $0.value.authors.count >= options.minimumAuthors
                && $0.key.count - 2 >= options.minimumWordLength
                && !options.stopWords.contains(String($0.key.dropFirst(2)))
        }.keys.sorted()
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let rows: [[Int]] = examples.map { example in
            (example.features.words.compactMap { index["w " + $0] }
                + example.features.titleWords.compactMap { index["t " + $0] }).sorted()
        }
        return TopicModel(
            topics: topics.map { topic in
                let labels = examples.map { $0.topics.contains(topic) ? 1.0 : 0.0 }
                let (bias, weights) = logisticRegression(rows: rows, labels: labels, features: names.count, options)
                var kept = weights.enumerated().filter { abs($0.element) >= options.prune }
                kept.sort { abs($0.element) > abs($1.element) }
                var words: [String: Double] = [:]
                var titleWords: [String: Double] = [:]
                for (feature, weight) in kept.prefix(options.keep) {
                    let name = names[feature]
                    let word = String(name.dropFirst(2))
                    let rounded = (weight * 10_000).rounded() / 10_000
                    if name.hasPrefix("w ") { words[word] = rounded } else { titleWords[word] = rounded }
                }
                return TopicModel.TopicWeights(
                    topic: topic, bias: (bias * 10_000).rounded() / 10_000, threshold: 0.5, words: words,
                    titleWords: titleWords)
            })
    }

    /// Minimises the mean log-loss plus `l2/2·|w|²` (the bias unpenalised) by full-batch Adam.
    static func logisticRegression(
        rows: [[Int]], labels: [Double], features: Int, _ options: Options
    ) -> (bias: Double, weights: [Double]) {
        var weights = [Double](repeating: 0, count: features + 1)  // last: the bias
        var first = [Double](repeating: 0, count: features + 1)
        var second = [Double](repeating: 0, count: features + 1)
        var gradient = [Double](repeating: 0, count: features + 1)
        let (beta1, beta2, epsilon) = (0.9, 0.999, 1e-8)
        let scale = 1 / Double(rows.count)
        for step in 1...options.iterations {
            for feature in 0..<features { gradient[feature] = options.l2 * weights[feature] }
            gradient[features] = 0
            for (row, label) in zip(rows, labels) {
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
    }

    /// Leave-one-author-out: for each author, trains on the others (thresholds included) and
    /// scores the author's items with the rules alone and with the rules and the model.
    public static func crossValidate(
        _ examples: [Example], rules: [Topic], options: Options = Options()
    ) -> [Fold] {
        let topics = rules.map(\.id)
        let rulesOnly = Tagger(topics: rules, model: nil)
        var examples = examples
        for index in examples.indices {
            examples[index].rules = Set(
                rulesOnly.tag(title: examples[index].title, summary: examples[index].summary, content: nil).map(\.id))
        }
        return Set(examples.map(\.author)).sorted().map { author in
            let model = train(examples.filter { $0.author != author }, topics: topics, options: options)
            let combined = Tagger(topics: rules, model: model)
            let heldOut = examples.filter { $0.author == author }
            func evaluate(_ tagger: Tagger) -> TaggingEvaluation {
                TaggingEvaluation(
                    topics: topics,
                    cases: heldOut.enumerated().map { index, example in
                        TaggingEvaluation.Case(
                            id: String(index), title: example.title, expected: example.topics,
                            found: Set(
                                tagger.tag(title: example.title, summary: example.summary, content: nil).map(\.id)))
                    })
            }
            return Fold(
                author: author, rules: evaluate(rulesOnly), combined: evaluate(combined),
                thresholds: Dictionary(uniqueKeysWithValues: model.topics.map { ($0.topic, $0.threshold) }),
                alone: Dictionary(uniqueKeysWithValues: model.topics.compactMap { t in t.alone.map { (t.topic, $0) } }))
        }
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
}
