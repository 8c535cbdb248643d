import Foundation

/// What the team decided about an item: the follow-up state of Qualiopi's indicator 23
/// (source → analysis → action).
///
/// Parsed once at the edge with ``init(parsing:)``, which accepts the French names with or
/// without accents, with hyphens, underscores or spaces, and the English aliases:
///
/// ```swift
/// try FollowState(parsing: "a-exploiter")  // .toAct
/// try FollowState(parsing: "À exploiter")  // .toAct
/// try FollowState(parsing: "to-act")       // .toAct
/// ```
///
/// The raw value is the stable key stored in the database (ASCII, never translated).
public enum FollowState: String, Sendable, CaseIterable, Codable, Comparable {
    /// Not looked at yet: every item starts here.
    case new = "new"
    /// Someone should read it.
    case toRead = "to-read"
    /// It calls for an action (a procedure to update, a training to adapt).
    case toAct = "to-act"
    /// The action was taken.
    case done = "done"
    /// Read and judged irrelevant: never shown again in later digests.
    case dismissed = "dismissed"

    /// The French name the team reads and types: "à exploiter".
    public var label: String {
        switch self {
        case .new: "nouveau"
        case .toRead: "à lire"
        case .toAct: "à exploiter"
        case .done: "exploité"
        case .dismissed: "sans suite"
        }
    }

    /// The English name ("to act"), for `language = "en"`.
    public var englishLabel: String { rawValue.replacingOccurrences(of: "-", with: " ") }

    /// The label in `language`.
    public func label(_ language: DigestSettings.Language) -> String {
        language == .fr ? label : englishLabel
    }

    /// Parses what a person typed; see the type's documentation for the accepted spellings.
    ///
    /// - Throws: ``FollowStateError`` (bad input, exit 2) listing the accepted values.
    public init(parsing text: String) throws {
        let key = Self.fold(text)
        guard let state = Self.allCases.first(where: { Self.fold($0.label) == key || Self.fold($0.rawValue) == key })
        else { throw FollowStateError(text: text) }
        self = state
    }

    /// Lowercased, accents removed, runs of spaces/hyphens/underscores made one space.
    static func fold(_ text: String) -> String {
        let plain = text.folding(
            options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR"))
        return plain.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" || $0.isWhitespace })
            .joined(separator: " ")
    }

    /// Workflow order (nouveau < à lire < à exploiter < exploité < sans suite), for sorting lists.
    public static func < (lhs: FollowState, rhs: FollowState) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A state name nobody recognises: says what was typed and every accepted spelling.
public struct FollowStateError: ActionableError, Equatable {
    /// What was typed.
    public var text: String

    /// Bad input: exit 2.
    public var kind: FailureKind { .badInput }

    /// One line: the English of ``wording`` (RegWatch/Messages/).
    public var description: String { wording.english }
}
