import Foundation
import GRDB

extension AppDatabase {
    /// What the last read of each page or watched document left, by normalized feed URL.
    public func sourceMemories() throws -> [String: SourceMemory] {
        try read(.readPagesLastReads) { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT feed.urlKey, pageMemory.itemCount, pageMemory.snapshot, pageMemory.contentType, pageMemory.size
                    FROM pageMemory JOIN feed ON feed.id = pageMemory.feedId
                    """)
            var out: [String: SourceMemory] = [:]
            for row in rows {
                out[row["urlKey"]] = SourceMemory(
                    itemCount: row["itemCount"], snapshot: row["snapshot"], contentType: row["contentType"],
                    size: row["size"])
            }
            return out
        }
    }

    static func saveMemory(_ db: Database, _ memory: SourceMemory, feedID: Int64, at time: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO pageMemory(feedId, itemCount, snapshot, contentType, size, recordedAt)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(feedId) DO UPDATE SET itemCount = excluded.itemCount, snapshot = excluded.snapshot,
                    contentType = excluded.contentType, size = excluded.size, recordedAt = excluded.recordedAt
                """,
            arguments: [feedID, memory.itemCount, memory.snapshot, memory.contentType, memory.size, time])
    }
}
