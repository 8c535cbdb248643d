import FeedParser
import Foundation
import RegWatch
import Synchronization

/// What the listing commands share: JSON on stdout, aligned columns for a person, dates.
enum Output {
    /// Writes one JSON document on stdout (docs/cli.md: nothing else goes there with --json).
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        StandardOutput.write(data + Data("\n".utf8))
    }

    /// `2025-12-03T08:00:00Z`: the JSON date form (UTC).
    static func iso(_ date: Date?) -> String? {
        guard let date else { return nil }
        if let text = UTCDateText.internetDateTime(date) { return text }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// `03/12/2025 09:00` in the digest's time zone: how a French team reads a date.
    static func local(_ date: Date?, in zone: TimeZone) -> String {
        guard let date else { return "—" }
        return localFormatters.withLock { formatters in
            // One formatter per zone for the whole command: making one opens an ICU formatter,
            // which cost more than a listing's query.
            let formatter =
                formatters[zone.identifier]
                ?? {
                    let formatter = DateFormatter()
                    formatter.locale = Locale(identifier: "fr_FR")
                    formatter.timeZone = zone
                    formatter.dateFormat = "dd/MM/yyyy HH:mm"
                    return formatter
                }()
            formatters[zone.identifier] = formatter
            return formatter.string(from: date)
        }
    }

    /// Used only under the lock: `DateFormatter` is not `Sendable`.
    private static let localFormatters = Mutex<[String: DateFormatter]>([:])

    /// Rows as columns padded to their widest cell (the last column is not padded).
    static func table(_ rows: [[String]]) -> String {
        guard let width = rows.map(\.count).max(), width > 0 else { return "" }
        var widths = Array(repeating: 0, count: width)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Cuts a cell to `limit` characters with an ellipsis, on one line.
    static func clip(_ text: String?, _ limit: Int) -> String {
        let line = (text ?? "").split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count <= limit ? line : String(line.prefix(limit - 1)) + "…"
    }
}

/// The JSON of one item in `items --json` and `search --json` (docs/cli.md keys).
struct ItemJSON: Encodable {
    let id: Int64
    let feed: String
    let title: String?
    let link: String?
    let published: String?
    let firstSeen: String
    let topics: [String]

    init(_ item: StoredItem) {
        id = item.id
        feed = item.feedURL
        title = item.title
        link = item.link
        published = Output.iso(item.published)
        firstSeen = Output.iso(item.firstSeen)!
        topics = item.topics.map(\.rawValue)
    }

    enum CodingKeys: String, CodingKey {
        case id, feed, title, link, published
        case firstSeen = "first_seen"
        case topics
    }

    // Explicit so that a missing value is `null`, not an absent key.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(feed, forKey: .feed)
        try c.encode(title, forKey: .title)
        try c.encode(link, forKey: .link)
        try c.encode(published, forKey: .published)
        try c.encode(firstSeen, forKey: .firstSeen)
        try c.encode(topics, forKey: .topics)
    }
}

/// Bad input noticed after parsing (an unknown topic, a malformed date): one line, exit 2,
/// without the usage text ArgumentParser prints for its own `ValidationError`s.
struct InputError: ActionableError {
    let message: String
    init(_ message: String) { self.message = message }
    var kind: FailureKind { .badInput }
    /// Already in the run's language: the catalogue worded it when it was thrown.
    var wording: Wording { .untranslated(message) }
    var description: String { message }
}

extension Configuration {
    /// The name to show for a stored feed: its name (or title) in feeds.toml, else its own
    /// title, else its URL.
    func displayName(feedURL: String, storedTitle: String?) -> String {
        if let url = FeedURL(feedURL), let feed = feeds.first(where: { $0.url.isSameFeed(as: url) }),
            let name = feed.displayName
        {
            return name
        }
        return storedTitle ?? feedURL
    }
}
