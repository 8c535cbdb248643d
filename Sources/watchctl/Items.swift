import ArgumentParser
import Foundation
import RegWatch

/// `watchctl items [--since DATE] [--topic ID] [--limit N] [--json]`: stored items, newest first.
struct Items: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "items",
        abstract: "List stored items, newest first.",
        discussion: """
            Items are dated by their publication date, else by when regwatch first saw them. \
            All that match are listed unless --limit is given.

            Examples:
              watchctl items --since 7d --topic qualiopi
              watchctl items --topic Neurodiversité --limit 20
              watchctl items --since 2025-12-01 --json
            """)

    @OptionGroup var global: GlobalOptions

    @Option(
        help: ArgumentHelp(
            "Only items dated from DATE: 2025-12-01 (midnight in the digest time zone), 2025-12-01T08:00:00Z, or 7d / 12h ago.",
            valueName: "DATE"))
    var since: String?

    @Option(
        help: ArgumentHelp(
            "Only items tagged with this topic: its id or its label, case and accents optional (cpf, Qualiopi, IA, neurodiversité, …).",
            valueName: "TOPIC"))
    var topic: String?

    @Option(help: "At most N items (default: all).")
    var limit: Int?

    @Flag(help: "Print one JSON document: [{id, feed, title, link, published, first_seen, topics}].")
    var json = false

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError(Messages.current.negativeLimit) }
    }

    func run() async throws {
        let configuration = try global.loadConfiguration()
        let topicID = try topic.map { try configuration.resolveTopic($0, option: "--topic") }
        let from = try since.map { try DateArgument.parse($0, zone: configuration.digest.timeZone) }
        let database = try global.openDatabase(configuration)
        let items = try database.items(since: from, topic: topicID, limit: limit)
        if json {
            try Output.printJSON(items.map(ItemJSON.init))
            return
        }
        Self.printItems(items, configuration: configuration)
    }

    static func printItems(_ items: [StoredItem], configuration: Configuration, extra: [String]? = nil) {
        if items.isEmpty {
            print(Messages.current.noItems)
            return
        }
        var rows = [Messages.current.itemsHeader]
        for item in items {
            let source = configuration.displayName(feedURL: item.feedURL, storedTitle: item.feedTitle)
            rows.append([
                String(item.id),
                Output.local(item.published ?? item.firstSeen, in: configuration.digest.timeZone),
                Output.clip(source, 28),
                item.topics.map(\.rawValue).joined(separator: ","),
                Output.clip(item.title ?? Messages.current.untitled, 90),
            ])
        }
        print(Output.table(rows))
    }
}

/// `--since` values: a date, a date-time, or a length of time ago.
enum DateArgument {
    static func parse(_ text: String, zone: TimeZone, now: Date = Date()) throws -> Date {
        if let interval = Interval(parsing: text) {
            return now.addingTimeInterval(-interval.seconds)
        }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        if let date = iso.date(from: text) { return date }
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = zone
        day.dateFormat = "yyyy-MM-dd"
        if let date = day.date(from: text) { return date }
        throw InputError(Messages.current.badSince(text))
    }
}
