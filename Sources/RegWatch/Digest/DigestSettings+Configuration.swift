import Foundation

extension DigestSettings {
    /// The settings `[digest]` and `[[topics]]` of feeds.toml describe.
    public init(_ configuration: Configuration) {
        let digest = configuration.digest
        self.init(
            readingMinutes: digest.readingMinutes, wordsPerMinute: digest.wordsPerMinute,
            language: Language(rawValue: digest.language.rawValue) ?? .fr, timeZone: digest.timeZone,
            topics: configuration.topics)
    }
}
