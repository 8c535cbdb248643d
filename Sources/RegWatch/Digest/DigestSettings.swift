import Foundation

/// How a digest is built: the reading budget, the language, the zone weeks and dates are
/// read in, and the topics in the order their sections appear.
///
/// Built from `[digest]` and `[[topics]]` of feeds.toml at the edge; the defaults are those of
/// docs/cli.md.
public struct DigestSettings: Sendable, Equatable {
    /// The language every fixed string of the digest is written in.
    public enum Language: String, Sendable, Equatable, CaseIterable, Codable {
        /// French, the default.
        case fr
        /// English.
        case en
    }

    /// `reading_minutes`: the reading budget (15).
    public var readingMinutes: Int
    /// `words_per_minute`: the reading speed the budget is counted in (230).
    public var wordsPerMinute: Int
    /// `language`: `fr` or `en`.
    public var language: Language
    /// `time_zone`: the zone weeks and dates are read in (Europe/Paris).
    public var timeZone: TimeZone
    /// The topics, in the order of their sections; their labels head the sections.
    public var topics: [Topic]
    /// How many items "À retenir" holds at most.
    public var highlightCount: Int
    /// How many titles "Pour aller plus loin" lists before "… et N autres".
    public var moreLimit: Int
    /// How many words a summary keeps at most.
    public var summaryWords: Int

    /// Creates settings; every parameter defaults to docs/cli.md's default.
    public init(
        readingMinutes: Int = 15, wordsPerMinute: Int = 230, language: Language = .fr,
        timeZone: TimeZone = TimeZone(identifier: "Europe/Paris")!, topics: [Topic] = Topic.builtIn,
        highlightCount: Int = 4, moreLimit: Int = 15, summaryWords: Int = 60
    ) {
        self.readingMinutes = max(1, readingMinutes)
        self.wordsPerMinute = max(1, wordsPerMinute)
        self.language = language
        self.timeZone = timeZone
        self.topics = topics
        self.highlightCount = max(0, highlightCount)
        self.moreLimit = max(0, moreLimit)
        self.summaryWords = max(10, summaryWords)
    }

    /// The budget in words: what can be read in `readingMinutes` at `wordsPerMinute`.
    public var wordBudget: Int { readingMinutes * wordsPerMinute }
}

/// The formats a digest is written in.
public enum DigestFormat: String, Sendable, CaseIterable, Codable {
    /// CommonMark to paste into shared notes.
    case markdown
    /// Plain text wrapped at 72 columns.
    case text
    /// A complete RFC 5322 message.
    case email
    /// The JSON document of docs/cli.md.
    case json

    /// The file name extension: `md`, `txt`, `eml`, `json`.
    public var fileExtension: String {
        switch self {
        case .markdown: "md"
        case .text: "txt"
        case .email: "eml"
        case .json: "json"
        }
    }

    /// The file a week's digest is written to in `output_dir`: `regwatch-2025-W49.md`.
    public func fileName(for week: ISOWeek) -> String {
        "regwatch-\(week).\(fileExtension)"
    }
}
