import Foundation
import GRDB

/// The last delivery of the digest to one target, for `watchctl status`.
public struct LastDelivery: Sendable, Equatable {
    /// The target's name.
    public var target: String
    /// The week delivered (or attempted).
    public var week: String
    /// When.
    public var time: Date
    /// `nil` when it was delivered, else the failure.
    public var error: String?
}

extension AppDatabase {
    /// When `week` was delivered to `target`, `nil` if it never was (failed attempts do not count).
    public func delivery(week: ISOWeek, target: String) throws -> Date? {
        try read("read the deliveries of \(week)") { db in
            try Date.fetchOne(
                db,
                sql: """
                    SELECT MIN(time) FROM digestDelivery WHERE week = ? AND target = ? AND status = 'delivered'
                    """, arguments: [week.description, target])
        }
    }

    /// Records one delivery attempt of `week` to `target`: delivered when `error` is `nil`.
    public func recordDelivery(week: ISOWeek, target: String, kind: String, at time: Date, error: String?) throws {
        try write("record the delivery of \(week) to \(target)") { db in
            try db.execute(
                sql: """
                    INSERT INTO digestDelivery(week, target, kind, status, time, error) VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [week.description, target, kind, error == nil ? "delivered" : "failed", time, error])
        }
    }

    /// The latest delivery attempt per target, by target name.
    public func lastDeliveries() throws -> [LastDelivery] {
        try read("read the last deliveries") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT target, week, time, error FROM digestDelivery AS d
                    WHERE d.id = (SELECT id FROM digestDelivery WHERE target = d.target ORDER BY time DESC, id DESC LIMIT 1)
                    ORDER BY target
                    """
            ).map { LastDelivery(target: $0["target"], week: $0["week"], time: $0["time"], error: $0["error"]) }
        }
    }
}
