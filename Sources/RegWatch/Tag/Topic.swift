/// The identifier of a topic: lowercase ASCII letters, digits, `-` and `_` (`cpf`, `qualiopi`,
/// `ia`, `neurodiversite`, `apprentissage`). Parsed once at the edge (config, command line).
public struct TopicID: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    CustomStringConvertible, ExpressibleByStringLiteral
{
    public let rawValue: String

    /// Accepts only a well-formed id; returns `nil` for anything else.
    public init?(rawValue: String) {
        guard !rawValue.isEmpty, rawValue.count <= 64,
            rawValue.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
            })
        else { return nil }
        self.rawValue = rawValue
    }

    /// For literals in code and tests; a malformed literal is a programming error.
    public init(stringLiteral value: String) {
        guard let id = TopicID(rawValue: value) else {
            preconditionFailure("malformed topic id literal \(value)")
        }
        self = id
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let id = TopicID(rawValue: raw) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "malformed topic id \(raw)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: TopicID, rhs: TopicID) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let cpf: TopicID = "cpf"
    public static let qualiopi: TopicID = "qualiopi"
    public static let ia: TopicID = "ia"
    public static let neurodiversite: TopicID = "neurodiversite"
}

/// A topic the watch follows, and the rules that decide whether an item is about it.
///
/// This is the shape of a `[[topics]]` table in feeds.toml; each key below is the TOML key
/// of the same name. The four built-in topics come from ``Topic/builtIn``; a table with the
/// same id overrides the keys it sets and keeps the built-in values of the others.
public struct Topic: Sendable, Equatable, Identifiable {
    /// `id`: the stable identifier.
    public var id: TopicID
    /// `label`: the name shown in the digest ("CPF", "Neurodiversité").
    public var label: String
    /// `terms`: words and phrases matched case- and accent-insensitively, with their
    /// plural/feminine and hyphen/space/apostrophe variants.
    public var terms: [String]
    /// `acronyms`: matched case-sensitively, as whole tokens ("IA" never fires inside "via").
    public var acronyms: [String]
    /// `related`: vocabulary that counts only when a term or acronym of the topic also
    /// matched ("abondement" is about the CPF only in a CPF context).
    public var related: [String]
    /// `exclude`: phrases whose presence vetoes a match they overlap ("IAE", "SIAE").
    public var exclude: [String]
    /// `threshold`: the score an item needs to be tagged. Default 1.0.
    public var threshold: Double

    /// Creates a topic.
    public init(
        id: TopicID, label: String, terms: [String] = [], acronyms: [String] = [],
        related: [String] = [], exclude: [String] = [], threshold: Double = 1.0
    ) {
        self.id = id
        self.label = label
        self.terms = terms
        self.acronyms = acronyms
        self.related = related
        self.exclude = exclude
        self.threshold = threshold
    }
}

extension Topic {
    /// The four topics every regwatch follows unless feeds.toml overrides them, in digest order.
    /// The Tag folder's tests hold the evaluation set these rules are measured on.
    public static let builtIn: [Topic] = [
        Topic(
            id: .cpf, label: "CPF",
            terms: ["compte personnel de formation", "mon compte formation", "moncompteformation"],
            acronyms: ["CPF"]),
        Topic(
            id: .qualiopi, label: "Qualiopi",
            terms: ["qualiopi", "référentiel national qualité", "certification qualité des organismes de formation"],
            acronyms: ["RNQ"]),
        Topic(
            id: .ia, label: "IA",
            terms: ["intelligence artificielle", "chatgpt", "artificial intelligence"],
            acronyms: ["IA", "IAG", "AI"]),
        Topic(
            id: .neurodiversite, label: "Neurodiversité",
            terms: ["neurodiversité", "neurodivergent", "neuroatypique", "dyslexie", "autisme"],
            acronyms: ["TDAH", "ADHD", "TSA"]),
    ]
}
