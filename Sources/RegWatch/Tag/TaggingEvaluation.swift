import Foundation

/// How well the rules agree with a reference: precision, recall and F1 per topic, and the
/// items they get wrong. Used on the labelled sets of the tests and on a team's corrections
/// (`watchctl tag --evaluate`).
public struct TaggingEvaluation: Sendable, Equatable {
    /// One item of the reference: what it is about, and what the rules found.
    public struct Case: Sendable, Equatable {
        /// The item's id (the store's réf., or the label of a fixture line).
        public var id: String
        /// Its title, to show the misses.
        public var title: String
        /// The reference topics.
        public var expected: Set<TopicID>
        /// The topics the rules gave.
        public var found: Set<TopicID>

        /// Creates a case.
        public init(id: String, title: String, expected: Set<TopicID>, found: Set<TopicID>) {
            self.id = id
            self.title = title
            self.expected = expected
            self.found = found
        }
    }

    /// The figures of one topic.
    public struct Score: Sendable, Equatable {
        /// The topic.
        public var topic: TopicID
        /// Items the rules and the reference both give the topic.
        public var truePositives = 0
        /// Items the rules give the topic and the reference does not.
        public var falsePositives = 0
        /// Items the reference gives the topic and the rules do not.
        public var falseNegatives = 0

        /// tp / (tp + fp); `nil` when the rules never gave the topic.
        public var precision: Double? {
            truePositives + falsePositives == 0
                ? nil : Double(truePositives) / Double(truePositives + falsePositives)
        }
        /// tp / (tp + fn); `nil` when the reference never has the topic.
        public var recall: Double? {
            truePositives + falseNegatives == 0
                ? nil : Double(truePositives) / Double(truePositives + falseNegatives)
        }
        /// 2·tp / (2·tp + fp + fn), the harmonic mean of both; `nil` when neither side has the topic.
        public var f1: Double? {
            let denominator = 2 * truePositives + falsePositives + falseNegatives
            return denominator == 0 ? nil : Double(2 * truePositives) / Double(denominator)
        }
    }

    /// How many items were scored.
    public var itemCount: Int
    /// One score per topic, in the order the topics were given.
    public var scores: [Score]
    /// The items where the rules and the reference disagree on at least one topic, in input order.
    public var misses: [Case]

    /// Scores `cases` on `topics` (topics outside this list are ignored on both sides).
    public init(topics: [TopicID], cases: [Case]) {
        itemCount = cases.count
        let known = Set(topics)
        var scores = topics.map { Score(topic: $0) }
        let index = Dictionary(
            topics.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var misses: [Case] = []
        for item in cases {
            let expected = item.expected.intersection(known)
            let found = item.found.intersection(known)
            for topic in found.intersection(expected) { scores[index[topic]!].truePositives += 1 }
            for topic in found.subtracting(expected) { scores[index[topic]!].falsePositives += 1 }
            for topic in expected.subtracting(found) { scores[index[topic]!].falseNegatives += 1 }
            if expected != found {
                misses.append(Case(id: item.id, title: item.title, expected: expected, found: found))
            }
        }
        self.scores = scores
        self.misses = misses
    }

    /// The lowest F1 over the topics that have one.
    public var minimumF1: Double? { scores.compactMap(\.f1).min() }
}
