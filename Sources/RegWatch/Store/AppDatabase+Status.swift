import Foundation
import GRDB

/// What `watchctl status` shows: the health of the watch at a glance.
public struct WatchStatus: Sendable, Equatable {
    /// Items first seen since the start of the week, per topic id (untagged items under `nil`).
    public var itemsPerTopic: [String: Int]
    /// Items first seen since the start of the week, all topics.
    public var itemsThisWeek: Int
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
    /// Counts for `watchctl status`: items first seen since `weekStart`, per topic, and the
    /// times of the last poll and the last digest.
    public func watchStatus(since weekStart: Date) throws -> WatchStatus {
        try read("read the status") { db in
            var perTopic: [String: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT itemTopic.topic AS topic, COUNT(*) AS count FROM itemTopic
                    JOIN item ON item.id = itemTopic.itemId
                    WHERE item.firstSeen >= ? GROUP BY itemTopic.topic
                    """, arguments: [weekStart])
            {
                perTopic[row["topic"]] = row["count"]
            }
            let thisWeek = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item WHERE firstSeen >= ?", arguments: [weekStart]) ?? 0
            let stored = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item") ?? 0
            let lastPoll = try Date.fetchOne(db, sql: "SELECT MAX(time) FROM fetchLog")
            let digest = try Row.fetchOne(
                db, sql: "SELECT week, builtAt, sentAt FROM digest ORDER BY builtAt DESC, id DESC LIMIT 1")
            return WatchStatus(
                itemsPerTopic: perTopic, itemsThisWeek: thisWeek, itemsStored: stored, lastPoll: lastPoll,
                lastDigest: digest.map { ($0["week"], $0["builtAt"], $0["sentAt"]) })
        }
    }
}
