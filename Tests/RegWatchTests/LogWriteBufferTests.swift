import Foundation
import GRDB
import GRDBSQLite
import TestSupport
import XCTest

@testable import RegWatch

/// The store's VFS gathers the write-ahead log's frames into runs (CSQLiteConnection,
/// `wal_write_buffer.c`), and what a commit is does not change: when it returns, its frames are
/// in the kernel, where another process reads them and where a killed process leaves them.
/// Each check reads the files through SQLite's own unix VFS, as another process would.
final class LogWriteBufferTests: XCTestCase {
    private var dir: TemporaryDirectory!
    private var store: AppDatabase!
    private var database: URL { dir.file("regwatch.sqlite") }
    private var log: URL { dir.file("regwatch.sqlite-wal") }

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "regwatch-log-buffer")
        store = try AppDatabase.open(at: database)
        try store.writer.write { db in
            try db.execute(sql: "CREATE TABLE bulk(id INTEGER PRIMARY KEY, round INTEGER NOT NULL, body TEXT NOT NULL)")
        }
    }

    override func tearDown() {
        store = nil
        dir = nil
    }

    private func fileSize(_ url: URL) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }

    /// A row's text: about 3 KB, different for every row and round.
    private func body(_ id: Int, round: Int) -> String {
        (0..<300).map { "r\(round)w\(id * 7 + $0)" }.joined(separator: " ")
    }

    /// Inserts `rows` rows of round `round` in one transaction, and first rewrites every row of
    /// the previous rounds twice when `rewrite` is set. Through a cache of a few pages
    /// (`smallCache`), SQLite spills pages to the log mid-transaction, writes some of those frames
    /// again in place, and then rewrites their checksums after the commit frame
    /// (walRewriteChecksums), the one case where the log is written after its commit frame.
    private func commit(rows: Int, round: Int, rewrite: Bool, smallCache: Bool) throws {
        try store.writer.write { db in
            if smallCache { try db.execute(sql: "PRAGMA cache_size = 8") }
            if rewrite {
                // Two passes: the second dirties again pages the first spilled to the log.
                for pass in 1...2 {
                    try db.execute(
                        sql: "UPDATE bulk SET round = ?, body = body || ' ' || ?",
                        arguments: [round, "again\(round)-\(pass)"])
                }
            }
            let start = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM bulk") ?? 0
            for id in start + 1...start + rows {
                try db.execute(
                    sql: "INSERT INTO bulk(id, round, body) VALUES (?, ?, ?)",
                    arguments: [id, round, body(id, round: round)])
            }
            if smallCache { try db.execute(sql: "PRAGMA cache_size = -\(AppDatabase.writerCacheKiB)") }
        }
    }

    /// What the table holds, read through a connection of SQLite's unix VFS (not the store's).
    private func contents(of file: URL) throws -> (integrity: String, rows: Int, bytes: Int, rounds: Int) {
        var connection: OpaquePointer?
        let code = sqlite3_open_v2(file.path, &connection, SQLITE_OPEN_READWRITE, "unix")
        defer { sqlite3_close_v2(connection) }
        guard code == SQLITE_OK, let connection else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
        func text(_ sql: String) throws -> [String] {
            var statement: OpaquePointer?
            let prepared = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
            defer { sqlite3_finalize(statement) }
            guard prepared == SQLITE_OK else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: prepared), message: String(cString: sqlite3_errmsg(connection)))
            }
            var values: [String] = []
            while sqlite3_step(statement) == SQLITE_ROW {
                values.append(sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? "")
            }
            return values
        }
        let integrity = try text("PRAGMA integrity_check").joined(separator: "; ")
        let row = try text(
            "SELECT COUNT(*) || ' ' || COALESCE(SUM(LENGTH(body)), 0) || ' ' || COUNT(DISTINCT round) FROM bulk")
        let numbers = (row.first ?? "").split(separator: " ").compactMap { Int($0) }
        guard numbers.count == 3 else {
            return (integrity + "; unreadable table: \(row)", -1, -1, -1)
        }
        return (integrity, numbers[0], numbers[1], numbers[2])
    }

    /// The database and its log as a process killed now would leave them: a copy of both files
    /// (not the shared memory, which SQLite rebuilds from the log, checking every frame's checksum).
    private func copyAsKilled(_ name: String) throws -> URL {
        let folder = dir.file(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let copy = folder.appendingPathComponent("regwatch.sqlite")
        try FileManager.default.copyItem(at: database, to: copy)
        try FileManager.default.copyItem(at: log, to: folder.appendingPathComponent("regwatch.sqlite-wal"))
        return copy
    }

    func testATransactionsFramesAreWrittenInFewCalls() throws {
        let sizeBefore = try fileSize(log)
        let callsBefore = AppDatabase.logWriteCalls
        try commit(rows: 300, round: 1, rewrite: false, smallCache: false)
        let frames = (try fileSize(log) - sizeBefore) / (4_096 + 24)
        let calls = AppDatabase.logWriteCalls - callsBefore
        XCTAssertGreaterThan(frames, 200, "the transaction should have written a few hundred pages")
        // SQLite alone writes two calls a frame; runs of up to 120 KiB carry 29 frames each.
        XCTAssertLessThanOrEqual(calls, frames / 20 + 2, "\(frames) frames in \(calls) writes")
    }

    func testEveryCommitIsInTheKernelWhenItReturns() throws {
        // What the table must hold, kept here: each row's round and body.
        var expected: [Int: (round: Int, body: String)] = [:]
        for round in 1...6 {
            let rewrite = round.isMultiple(of: 2)
            let rows = 40 + round * 25
            try commit(rows: rows, round: round, rewrite: rewrite, smallCache: round >= 3)
            if rewrite {
                for (id, row) in expected { expected[id] = (round, row.body + " again\(round)-1 again\(round)-2") }
            }
            let start = expected.keys.max() ?? 0
            for id in start + 1...start + rows { expected[id] = (round, body(id, round: round)) }

            let seen = try contents(of: database)
            let killed = try contents(of: try copyAsKilled("killed-\(round)"))
            for (what, found) in [("another connection", seen), ("a killed process's files", killed)] {
                XCTAssertEqual(found.integrity, "ok", "round \(round), \(what)")
                XCTAssertEqual(found.rows, expected.count, "round \(round), \(what)")
                XCTAssertEqual(
                    found.bytes, expected.values.reduce(0) { $0 + $1.body.utf8.count }, "round \(round), \(what)")
                XCTAssertEqual(found.rounds, Set(expected.values.map(\.round)).count, "round \(round), \(what)")
            }
        }
    }
}
