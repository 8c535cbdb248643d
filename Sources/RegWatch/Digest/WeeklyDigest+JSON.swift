import Foundation

extension WeeklyDigest {
    /// The digest as the JSON document of docs/cli.md:
    /// `{"week", "reading_minutes", "items": [{"title", "link", "source", "topics", "also_in"}],
    /// "more": [{"title", "link"}], "failing_sources": [{"url", "error"}]}`, plus a few extra
    /// keys (`section`, `date`, `summary`, `ref`, `more_omitted`, `counts`, `follow_up`, …). Keys sorted,
    /// so the same digest always gives the same bytes.
    public func renderJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding plain structs of strings, numbers and arrays cannot fail.
        let data = try! encoder.encode(DigestDocument(self))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// The JSON shape of a digest; the property names are the contract of docs/cli.md.
///
/// Encoded by ``WeeklyDigest/renderJSON()``, and decoded again by the delivery targets from the
/// JSON rendition a sent week keeps (see `DigestDocument+Delivery.swift`): one type for both.
struct DigestDocument: Codable, Sendable {
    struct Item: Codable, Sendable {
        var title: String
        var link: String?
        var source: String
        var topics: [String]
        var also_in: [String]
        var section: String
        var date: Date
        var summary: String
        var ref: String
        var id: Int64
    }
    struct MoreItem: Codable, Sendable {
        var title: String
        var link: String?
        var source: String
        var ref: String
    }
    struct FollowUp: Codable, Sendable {
        var id: Int64
        var title: String
        var link: String?
        var source: String
        var owner: String?
        var note: String?
        var age_days: Int

        // Explicit so that a missing owner or note is `null`, not an absent key.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(title, forKey: .title)
            try c.encode(link, forKey: .link)
            try c.encode(source, forKey: .source)
            try c.encode(owner, forKey: .owner)
            try c.encode(note, forKey: .note)
            try c.encode(age_days, forKey: .age_days)
        }
        enum CodingKeys: String, CodingKey { case id, title, link, source, owner, note, age_days }
    }
    struct Counts: Codable, Sendable {
        var feeds_polled: Int
        var items_seen: Int
        var items_kept: Int
        var items_shown: Int
        var items_listed: Int
        var older_found: Int
        var sources: Int
    }
    struct Failing: Codable, Sendable {
        var url: String
        var error: String
        var source: String
        var reason: String
        var reason_text: String
    }

    var week: String
    var language: String
    var reading_minutes: Int
    var budget_minutes: Int
    var words: Int
    var items: [Item]
    var more: [MoreItem]
    var more_omitted: Int
    var failing_sources: [Failing]
    var counts: Counts
    var follow_up: [FollowUp]

    init(_ digest: WeeklyDigest) {
        week = digest.week.description
        language = digest.settings.language.rawValue
        reading_minutes = digest.readingMinutes
        budget_minutes = digest.settings.readingMinutes
        words = digest.wordCount
        func item(_ entry: WeeklyDigest.Entry, section: String) -> Item {
            Item(
                title: entry.title, link: entry.link, source: entry.source, topics: entry.topics.map(\.rawValue),
                also_in: entry.alsoIn, section: section, date: entry.date, summary: entry.summary,
                ref: entry.shortID, id: entry.id)
        }
        items =
            digest.highlights.map { item($0, section: "highlights") }
            + digest.sections.flatMap { section in
                section.entries.map { item($0, section: section.topic?.rawValue ?? "other") }
            }
        more = digest.more.map { MoreItem(title: $0.title, link: $0.link, source: $0.source, ref: $0.shortID) }
        more_omitted = digest.moreOmitted
        failing_sources = digest.failingSources.map {
            Failing(
                url: $0.url, error: $0.error, source: $0.name, reason: $0.reason.code,
                reason_text: digest.strings.failure($0.reason))
        }
        follow_up = digest.followUps.map {
            FollowUp(
                id: $0.id, title: $0.title, link: $0.link, source: $0.source, owner: $0.owner, note: $0.note,
                age_days: $0.ageDays)
        }
        counts = Counts(
            feeds_polled: digest.counts.feedsPolled, items_seen: digest.counts.itemsSeen,
            items_kept: digest.keptCount, items_shown: items.count,
            items_listed: digest.more.count + digest.moreOmitted,
            older_found: digest.counts.olderFound, sources: digest.counts.sources)
    }

    // `link: null` rather than a missing key, so readers can rely on every key being there.
    enum ItemKeys: String, CodingKey { case title, link, source, topics, also_in, section, date, summary, ref, id }
}

extension DigestDocument.Item {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DigestDocument.ItemKeys.self)
        try container.encode(title, forKey: .title)
        try container.encode(link, forKey: .link)
        try container.encode(source, forKey: .source)
        try container.encode(topics, forKey: .topics)
        try container.encode(also_in, forKey: .also_in)
        try container.encode(section, forKey: .section)
        try container.encode(date, forKey: .date)
        try container.encode(summary, forKey: .summary)
        try container.encode(ref, forKey: .ref)
        try container.encode(id, forKey: .id)
    }
}

extension DigestDocument.MoreItem {
    private enum Keys: String, CodingKey { case title, link, source, ref }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(title, forKey: .title)
        try container.encode(link, forKey: .link)
        try container.encode(source, forKey: .source)
        try container.encode(ref, forKey: .ref)
    }
}
