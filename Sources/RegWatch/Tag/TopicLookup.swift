import Foundation

extension TopicID {
    /// The topic a person named, as they type it: its id (`qualiopi`) or its label
    /// (`Qualiopi`, `neurodiversité`, `Neuro-diversité`), in any case, with or without accents,
    /// spaces, hyphens or underscores.
    ///
    /// The one lookup behind every `--topic` of `watchctl` (`items`, `add-feed`, `retag
    /// --add/--remove`): the ids come from `topics` (the configured ones, built-in and
    /// `[[topics]]`), so a topic of one's own is found as soon as feeds.toml declares it.
    /// An id wins over a label when the two fold alike.
    ///
    /// ```swift
    /// let id = try TopicID(resolving: "Neurodiversité", in: configuration.topics)  // .neurodiversite
    /// ```
    /// - Parameters:
    ///   - text: what was typed.
    ///   - topics: the topics it may name, in the order an error lists them.
    /// - Throws: ``TopicLookupError`` (exit 2) listing the valid ids and labels when `text`
    ///   names none of them, or names two topics' labels at once.
    public init(resolving text: String, in topics: [Topic]) throws(TopicLookupError) {
        let key = Self.lookupKey(text)
        if !key.isEmpty {
            if let topic = topics.first(where: { Self.lookupKey($0.id.rawValue) == key }) {
                self = topic.id
                return
            }
            let byLabel = topics.filter { Self.lookupKey($0.label) == key }
            if byLabel.count == 1 {
                self = byLabel[0].id
                return
            }
            if byLabel.count > 1 {
                throw TopicLookupError(text: text, topics: topics, ambiguous: byLabel.map(\.id))
            }
        }
        throw TopicLookupError(text: text, topics: topics, ambiguous: [])
    }

    /// `text` as the lookup compares it: lowercase, accents removed, only letters and digits
    /// ("Neuro-Diversité" and "neurodiversite" give "neurodiversite").
    static func lookupKey(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return String(String.UnicodeScalarView(folded.unicodeScalars.filter(CharacterSet.alphanumerics.contains)))
    }
}

/// A topic name that matches no configured topic: the one-line error lists the valid ones.
///
/// `description`: `--topic "qualiopy": unknown topic (valid: cpf (CPF), qualiopi (Qualiopi),
/// ia (IA), neurodiversite (Neurodiversité); ids or labels, case and accents optional)`; the
/// caller says where the name was given with ``given(in:)``.
public struct TopicLookupError: ActionableError, Equatable {
    /// One topic that would have been accepted: by its id or by its label.
    public struct Choice: Sendable, Equatable {
        /// The topic's id.
        public var id: TopicID
        /// The topic's label.
        public var label: String
    }

    /// What was typed.
    public var text: String
    /// The topics that would have been accepted, in configuration order.
    public var valid: [Choice]
    /// When the text is the label of several topics: their ids (else empty).
    public var ambiguous: [TopicID]
    /// Where the name was given (`--topic`), or `nil`.
    public var place: String?

    /// Creates the error for `text` among `topics`.
    public init(text: String, topics: [Topic], ambiguous: [TopicID] = [], place: String? = nil) {
        self.text = text
        self.valid = topics.map { Choice(id: $0.id, label: $0.label) }
        self.ambiguous = ambiguous
        self.place = place
    }

    /// The same error, saying where the name was given (`--topic`).
    public func given(in place: String) -> TopicLookupError {
        var copy = self
        copy.place = place
        return copy
    }

    /// A topic name is the user's input: exit 2.
    public var kind: FailureKind { .badInput }

    /// One line: what was not found, and every id and label that would be (the English of
    /// ``wording``).
    public var description: String { wording.english }
}

extension Configuration {
    /// ``TopicID/init(resolving:in:)`` against this configuration's topics, the error naming
    /// `option`, where the name was given (`--topic`).
    public func resolveTopic(_ text: String, option: String) throws(TopicLookupError) -> TopicID {
        do {
            return try TopicID(resolving: text, in: topics)
        } catch {
            throw error.given(in: option)
        }
    }
}
