import Foundation

/// A team's correction of one item's topics (`watchctl retag ID --add TOPIC --remove TOPIC`):
/// who said what, and when. Corrections are kept as a history, never rewritten.
public struct TopicCorrection: Sendable, Equatable {
    /// The stored item.
    public var itemID: Int64
    /// Topics the item is about even though the rules do not find them.
    public var added: [TopicID]
    /// Topics the item is not about even though the rules find them.
    public var removed: [TopicID]
    /// Who made the correction (`--by`, else the user name).
    public var author: String
    /// When it was recorded.
    public var time: Date
    /// The item's topics once corrected: what the team reviewed and let stand, the reference
    /// `watchctl tag --evaluate` scores the rules against.
    public var reviewedTopics: [TopicID]

    /// Creates a correction.
    public init(
        itemID: Int64, added: [TopicID], removed: [TopicID], author: String, time: Date,
        reviewedTopics: [TopicID] = []
    ) {
        self.itemID = itemID
        self.added = added
        self.removed = removed
        self.author = author
        self.time = time
        self.reviewedTopics = reviewedTopics
    }
}

/// What a team's corrections of one item impose on the rules: for each corrected topic, the
/// latest word (added or removed). Topics never corrected are left to the rules.
///
/// ```swift
/// var overrides = TopicOverrides()
/// overrides.record(added: [.qualiopi], removed: [.cpf])
/// overrides.apply(to: rulesTags)   // cpf gone, qualiopi present, the rest as the rules say
/// ```
public struct TopicOverrides: Sendable, Equatable {
    /// Corrected topic → `true` when the team added it, `false` when it removed it.
    public private(set) var decisions: [TopicID: Bool] = [:]

    /// The score a topic the team added gets when the rules do not find it: the default
    /// threshold, so it ranks like an item the rules barely tag.
    public static let addedScore = 1.0

    /// No corrections.
    public init() {}

    /// The overrides of corrections applied in order (the latest decides).
    public init(_ corrections: [TopicCorrection]) {
        for correction in corrections { record(added: correction.added, removed: correction.removed) }
    }

    /// Whether nothing is overridden.
    public var isEmpty: Bool { decisions.isEmpty }

    /// Adds a later correction: it wins over the earlier ones for the topics it names.
    public mutating func record(added: [TopicID], removed: [TopicID]) {
        for topic in added { decisions[topic] = true }
        for topic in removed { decisions[topic] = false }
    }

    /// The rules' tags with the corrections applied: removed topics dropped, added topics kept
    /// with the rules' score and matches when the rules found them, else with
    /// ``addedScore`` and no matched words. Best score first, as the tagger sorts.
    public func apply(to tags: [TopicMatch]) -> [TopicMatch] {
        guard !decisions.isEmpty else { return tags }
        var result = tags.filter { decisions[$0.id] != false }
        for (topic, added) in decisions.sorted(by: { $0.key < $1.key }) where added {
            if !result.contains(where: { $0.id == topic }) {
                result.append(TopicMatch(id: topic, score: Self.addedScore, matches: []))
            }
        }
        return result.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
    }
}
