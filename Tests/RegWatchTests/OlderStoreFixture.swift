import Foundation
import GRDB
import TestSupport

@testable import RegWatch

/// A store file as an older regwatch left it, for the upgrade tests: the file at `file` (its
/// folder created), migrated only up to `migration`, with `feed` stored as feed 1. The caller
/// adds that version's rows, releases the pool, then opens the file with ``AppDatabase/open(at:)``.
func olderStore(
    at file: URL, upTo migration: String, feed: FeedURL, firstSeen: Date,
    configuration: GRDB.Configuration = GRDB.Configuration()
) throws -> DatabasePool {
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    let pool = try DatabasePool(path: file.path, configuration: configuration)
    try AppDatabase.migrator.migrate(pool, upTo: migration)
    try pool.write { db in
        try db.execute(
            sql: "INSERT INTO feed(id, url, urlKey, firstSeen) VALUES (1, ?, ?, ?)",
            arguments: [feed.rawValue, feed.normalized, firstSeen])
    }
    return pool
}
