import Foundation

/// The language of a run's human-facing lines: French for `fr*` locales, else English.
///
/// Read once per run from `LC_ALL`, then `LC_MESSAGES`, then `LANG` (the first one set and
/// not empty wins, as POSIX orders them), whether or not that locale is installed. JSON keys,
/// codes and the digest (which follows `[digest] language`) never depend on it.
public enum HumanLanguage: Sendable, Equatable {
    case french, english

    /// The language `environment` asks for.
    public init(environment: [String: String]) {
        self = .english
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty {
                self = value.lowercased().hasPrefix("fr") ? .french : .english
                return
            }
        }
    }

    /// The language of this run.
    public static let current = HumanLanguage(environment: ProcessInfo.processInfo.environment)

    /// The same language in the digest's terms (labels of follow states, failure reasons).
    public var digestLanguage: DigestSettings.Language { self == .french ? .fr : .en }
}

/// One line for a person in both languages, as the catalogue words it.
///
/// Library errors are built before anyone knows who reads them (a log, a French terminal), so
/// they carry both: their `description` is the English (what logs and JSON keep), and
/// `watchctl` prints the run's language through ``Messages/line(_:)``.
public struct Wording: Sendable, Equatable, CustomStringConvertible {
    /// The French line.
    public let french: String
    /// The English line.
    public let english: String

    /// A line in both languages; only the catalogue (`Messages*.swift`) words lines.
    package init(_ french: String, _ english: String) {
        self.french = french
        self.english = english
    }

    /// The line in `language`.
    public func text(_ language: HumanLanguage) -> String { language == .french ? french : english }

    /// The English line.
    public var description: String { english }

    /// Both lines with `prefix` before each: a place as compilers write it (`feeds.toml:3: `).
    package func prefixed(_ prefix: String) -> Wording { Wording(prefix + french, prefix + english) }

    /// `SUBJECT : line` / `SUBJECT: line`: what the line is about, with each language's colon.
    package func about(_ subject: String) -> Wording { Wording("\(subject) : \(french)", "\(subject): \(english)") }
}

/// The message catalogue: every line regwatch writes for a person, in both languages, in one
/// place. `Messages+*.swift` here word the library's errors; `watchctl/Messages.swift` extends
/// the same type with the command lines. A French line and its English sit side by side.
public struct Messages: Sendable {
    /// The language lines are given in.
    public let language: HumanLanguage

    /// The catalogue in `language`.
    public init(language: HumanLanguage) {
        self.language = language
    }

    /// The catalogue in the run's language.
    public static let current = Messages(language: .current)

    /// Whether lines are French.
    package var french: Bool { language == .french }

    /// The French or the English line, whichever the run speaks.
    package func text(_ french: String, _ english: String) -> String { self.french ? french : english }

    /// A library line in the run's language.
    public func line(_ wording: Wording) -> String { wording.text(language) }
}
