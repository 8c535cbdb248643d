import Foundation
import GRDB

/// One delivery attempt as the store keeps it.
public struct DeliveryRecordRow: Sendable, Equatable {
    /// The week delivered.
    public var week: String
    /// The target's name.
    public var target: String
    /// Its type (`slack`, `email`…).
    public var kind: String
    /// Whether it was delivered (else it failed).
    public var delivered: Bool
    /// When.
    public var time: Date
    /// The service's id of the message or page, if any.
    public var remoteID: String?
    /// The failure, if it failed.
    public var error: String?
}

/// The last delivery of the digest to one target, for `watchctl status`.
public struct LastDelivery: Sendable, Equatable {
    /// The target's name.
    public var target: String
    /// The week delivered (or attempted).
    public var week: String
    /// When.
    public var time: Date
    /// `nil` when it was delivered, else the failure in both languages.
    public var failure: Wording?
    /// `nil` when it was delivered, else the failure in English (what JSON shows).
    public var error: String? { failure?.english }
}

extension AppDatabase {
    /// When `week` was delivered to `target`, `nil` if it never was (failed attempts do not count).
    public func delivery(week: ISOWeek, target: String) throws -> Date? {
        try read(.readDeliveriesOfWeek(week)) { db in
            try Date.fetchOne(
                db,
                sql: """
                    SELECT MIN(time) FROM digestDelivery WHERE week = ? AND target = ? AND status = 'delivered'
                    """, arguments: [week.description, target])
        }
    }

    /// Records one delivery attempt of `week` to `target`: delivered when `failure` is `nil`,
    /// with the service's id of what it made (a Matrix event, a Notion page) when there is one.
    /// A failure is kept in both languages: `status` shows it later in the run's language.
    public func recordDelivery(
        week: ISOWeek, target: String, kind: String, at time: Date, failure: Wording?, remoteID: String? = nil
    ) throws {
        try write(.recordDelivery(week, target)) { db in
            try db.execute(
                sql: """
                    INSERT INTO digestDelivery(week, target, kind, status, time, error, errorFrench, remoteId)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    week.description, target, kind, failure == nil ? "delivered" : "failed", time, failure?.english,
                    failure?.french, remoteID,
                ])
        }
    }

    /// Every delivery attempt made in `[start, end)`, oldest first: the audit's record of when
    /// the watch reached whom.
    public func deliveries(from start: Date, to end: Date) throws -> [DeliveryRecordRow] {
        try read(.readDeliveries) { db in try Self.deliveries(db, from: start, to: end) }
    }

    static func deliveries(_ db: Database, from start: Date, to end: Date) throws -> [DeliveryRecordRow] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT week, target, kind, status, time, remoteId, error FROM digestDelivery
                WHERE time >= ? AND time < ? ORDER BY time, id
                """, arguments: [start, end]
        ).map {
            DeliveryRecordRow(
                week: $0["week"], target: $0["target"], kind: $0["kind"],
                delivered: ($0["status"] as String) == "delivered",
                time: $0["time"], remoteID: $0["remoteId"], error: $0["error"])
        }
    }

    /// The latest delivery attempt per target, by target name.
    public func lastDeliveries() throws -> [LastDelivery] {
        try read(.readLastDeliveries) { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT target, week, time, error, errorFrench FROM digestDelivery AS d
                    WHERE d.id = (SELECT id FROM digestDelivery WHERE target = d.target ORDER BY time DESC, id DESC LIMIT 1)
                    ORDER BY target
                    """
            ).map { row in
                LastDelivery(
                    target: row["target"], week: row["week"], time: row["time"],
                    failure: (row["error"] as String?).map {
                        Wording.storedDeliveryFailure(english: $0, french: row["errorFrench"])
                    })
            }
        }
    }
}
