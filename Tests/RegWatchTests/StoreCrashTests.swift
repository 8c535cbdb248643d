import FeedParser
import Foundation
import GRDB
import TestSupport
import XCTest

@testable import RegWatch

/// A process killed with SIGKILL in the middle of writing leaves a sound database: every
/// fetch is all there or not there at all, and storing the same entries again adds nothing.
///
/// The writer is a real child process: this test binary run again on this one test, with
/// `REGWATCH_CRASH_WRITER_DB` set, which makes the test body write batches until killed.
final class StoreCrashTests: XCTestCase {
    static let environmentKey = "REGWATCH_CRASH_WRITER_DB"
    static let batchSize = 150
    static let feeds = (0..<4).map { FeedURL("https://example.org/flux-\($0)/feed")! }

    /// Batch `n`: `batchSize` new entries of feed `n % 4`, with enough text that a transaction
    /// takes a while (the kill lands inside one).
    static func batch(_ n: Int) -> (FeedURL, Feed) {
        let paragraph = String(
            repeating: "Le compte personnel de formation finance des actions certifiées Qualiopi. ", count: 12)
        let items = (0..<batchSize).map { k in
            Item(
                id: "urn:regwatch:test:\(n):\(k)", title: "Article \(k) du lot \(n) sur la réforme de la formation",
                link: "https://example.org/articles/\(n)/\(k)",
                published: Date(timeIntervalSince1970: 1_764_748_800 + Double(n * 60 + k)),
                summary: "Résumé \(k) : apprentissage et CPF.", content: paragraph)
        }
        return (feeds[n % feeds.count], Feed(format: .rss20, title: "Flux \(n % feeds.count)", items: items))
    }

    static func store(_ n: Int, in db: AppDatabase) throws -> UpsertResult {
        let (url, feed) = batch(n)
        return try db.recordFetchSuccess(
            url, feed: PreparedFeed(feed),
            report: FetchReport(
                time: Date(timeIntervalSince1970: 1_764_748_800 + Double(n)), status: 200, bytes: 400_000,
                etag: "\"\(n)\""))
    }

    func testAWriterKilledMidTransactionLeavesAConsistentDatabaseAndNoDuplicates() throws {
        if let path = ProcessInfo.processInfo.environment[Self.environmentKey] {
            // Child: write until SIGKILL.
            let db = try AppDatabase.open(at: URL(fileURLWithPath: path))
            var n = 0
            while true {
                _ = try Self.store(n, in: db)
                n += 1
            }
        }

        let dir = try TemporaryDirectory(prefix: "regwatch-crash")
        defer { dir.remove() }
        let file = dir.file("state/regwatch.sqlite")
        _ = try AppDatabase.open(at: file)  // created and migrated before the child starts

        let child = Process()
        child.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        child.arguments = [
            "RegWatchTests.StoreCrashTests/testAWriterKilledMidTransactionLeavesAConsistentDatabaseAndNoDuplicates"
        ]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.environmentKey: file.path]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()

        // Wait (with a hang guard, not a timing assertion) until a few batches are committed.
        let observer = try DatabaseQueue(path: file.path)
        let deadline = Date().addingTimeInterval(120)
        var committed = 0
        while committed < 3 && child.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            committed = (try? observer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM fetchLog") ?? 0 }) ?? 0
        }
        try observer.close()
        XCTAssertTrue(child.isRunning, "the writer stopped by itself")
        XCTAssertGreaterThanOrEqual(committed, 3, "the writer made no progress")
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)

        // SQLite's own tool sees a sound file (WAL recovered on open).
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        check.arguments = [file.path, "PRAGMA integrity_check;"]
        let out = Pipe()
        check.standardOutput = out
        try check.run()
        let checkOutput = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        XCTAssertEqual(checkOutput, "ok\n")

        let db = try AppDatabase.open(at: file)
        XCTAssertEqual(try db.integrityCheck(), ["ok"])
        // All or nothing per fetch: items and fetch log agree, batch by batch.
        let (items, logs, ftsRows) = try db.writer.read { d in
            (
                try Int.fetchOne(d, sql: "SELECT COUNT(*) FROM item")!,
                try Int.fetchOne(d, sql: "SELECT COUNT(*) FROM fetchLog")!,
                try Int.fetchOne(d, sql: "SELECT COUNT(*) FROM itemFTS WHERE itemFTS MATCH 'lot'")!
            )
        }
        XCTAssertGreaterThanOrEqual(logs, committed)
        XCTAssertEqual(items, logs * Self.batchSize, "a fetch was half stored")
        XCTAssertEqual(ftsRows, items, "the full-text index lost or gained rows")

        // Storing every batch again, the killed one included: only the killed one is new.
        var inserted = 0
        for n in 0...logs {
            inserted += try Self.store(n, in: db).inserted
        }
        XCTAssertEqual(inserted, Self.batchSize)
        XCTAssertEqual(try db.itemCount(), (logs + 1) * Self.batchSize)
        let duplicates = try db.writer.read { d in
            try Int.fetchOne(d, sql: "SELECT COUNT(*) FROM (SELECT guid FROM item GROUP BY guid HAVING COUNT(*) > 1)")!
        }
        XCTAssertEqual(duplicates, 0)
    }
}
