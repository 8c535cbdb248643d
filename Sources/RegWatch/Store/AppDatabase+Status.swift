import Foundation
import GRDB

/// What `watchctl status` shows: the health of the watch at a glance.
public struct WatchStatus: Sendable, Equatable {
    /// The week's news (as its digest counts it: published this week, or late arrivals), per topic id.
    public var itemsPerTopic: [String: Int]
    /// The week's news, all topics.
    public var itemsThisWeek: Int
    /// Items first stored this week, news of the week or back catalogue.
    public var itemsFirstSeenThisWeek: Int = 0
    /// All stored items.
    public var itemsStored: Int
    /// When the last fetch attempt of any feed ended.
    public var lastPoll: Date?
    /// The last digest built: its week and when.
    public var lastDigest: (week: String, builtAt: Date, sentAt: Date?)?

    public static func == (lhs: WatchStatus, rhs: WatchStatus) -> Bool {
        lhs.itemsPerTopic == rhs.itemsPerTopic && lhs.itemsThisWeek == rhs.itemsThisWeek
            && lhs.itemsStored == rhs.itemsStored && lhs.lastPoll == rhs.lastPoll
            && lhs.lastDigest?.week == rhs.lastDigest?.week && lhs.lastDigest?.builtAt == rhs.lastDigest?.builtAt
            && lhs.lastDigest?.sentAt == rhs.lastDigest?.sentAt
    }
}

extension AppDatabase {
    /// Counts for `watchctl status`: the news of `week` (in `timeZone`) per topic, the items
    /// first stored in it, and the times of the last poll and the last digest.
    public func watchStatus(week: ISOWeek, timeZone: TimeZone) throws -> WatchStatus {
        let arguments: StatementArguments = [
            "start": week.start(in: timeZone), "end": week.end(in: timeZone),
            "lateStart": week.previous.start(in: timeZone),
        ]
        return try read(.readStatus) { db in
            var perTopic: [String: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT itemTopic.topic AS topic, COUNT(*) AS count FROM itemTopic
                    JOIN item ON item.id = itemTopic.itemId JOIN feed ON feed.id = item.feedId
                    WHERE \(Self.weekItems) GROUP BY itemTopic.topic
                    """, arguments: arguments)
            {
                perTopic[row["topic"]] = row["count"]
            }
            let thisWeek =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM item JOIN feed ON feed.id = item.feedId WHERE \(Self.weekItems)",
                    arguments: arguments) ?? 0
            let firstSeen =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM item WHERE firstSeen >= :start AND firstSeen < :end",
                    arguments: arguments) ?? 0
            let stored = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item") ?? 0
            let lastPoll = try Date.fetchOne(db, sql: "SELECT MAX(time) FROM fetchLog")
            let digest = try Row.fetchOne(
                db, sql: "SELECT week, builtAt, sentAt FROM digest ORDER BY builtAt DESC, id DESC LIMIT 1")
            var status = WatchStatus(
                itemsPerTopic: perTopic, itemsThisWeek: thisWeek, itemsStored: stored, lastPoll: lastPoll,
                lastDigest: digest.map { ($0["week"], $0["builtAt"], $0["sentAt"]) })
            status.itemsFirstSeenThisWeek = firstSeen
            return status
        }
    }
}
