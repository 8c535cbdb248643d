import FeedParser
import Foundation
import GRDB
import TestSupport
import XCTest

@testable import RegWatch

/// The indexes the store keeps (schema v12-item-topics-by-item): every one serves a query that
/// SQLite plans through it, none repeats the leading columns of another (each index is one more
/// page for every write), and a store from before v12 keeps its topics, logs and history.
final class StoreIndexTests: XCTestCase {
    private var dir: TemporaryDirectory!
    private let t0 = Date(timeIntervalSince1970: 1_764_748_800)  // 2025-12-03T08:00:00Z
    private let inffo = FeedURL("https://www.centre-inffo.fr/feed")!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "regwatch-indexes")
    }

    override func tearDown() {
        dir.remove()
    }

    /// A store of `count` items of one feed, an hour apart (the last the newest), item n tagged
    /// `cpf` when n is even and `qualiopi` when n is a multiple of 3.
    private func taggedStore(count: Int) throws -> (AppDatabase, [Int64]) {
        let db = try AppDatabase.open(at: dir.file("state/regwatch.sqlite"))
        let items = (0..<count).map { n in
            Item(
                id: "https://www.centre-inffo.fr/?p=\(n)", title: "Article \(n) sur la formation",
                link: "https://www.centre-inffo.fr/article-\(n)", published: t0 + Double(n * 3_600))
        }
        let ids = try db.upsertItems(items, feedURL: inffo, fetchedAt: t0 + Double(count * 3_600)).insertedIDs
        try db.setTags(
            ids.enumerated().map { n, id -> (itemID: Int64, tags: [TopicMatch]) in
                var tags: [TopicMatch] = []
                if n % 2 == 0 { tags.append(TopicMatch(id: "cpf", score: 2, matches: ["CPF"])) }
                if n % 3 == 0 { tags.append(TopicMatch(id: "qualiopi", score: 1.5, matches: ["Qualiopi"])) }
                return (id, tags)
            }, at: t0)
        return (db, ids)
    }

    /// The steps of SQLite's plan for `sql`, one line each ("SEARCH item USING …").
    private func plan(_ db: AppDatabase, _ sql: String, _ arguments: StatementArguments = []) throws -> [String] {
        try db.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] }
        }
    }

    func testNoIndexRepeatsTheLeadingColumnsOfAnotherOfItsTable() throws {
        let db = try AppDatabase.open(at: dir.file("state/regwatch.sqlite"))
        try db.writer.read { db in
            let tables = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                        AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'itemFTS_%'
                    """)
            XCTAssertTrue(tables.contains("itemTopic"))
            for table in tables {
                // Key columns by index; an expression is spelled by its position (never a prefix).
                var keys: [String: (unique: Bool, columns: [String])] = [:]
                for index in try Row.fetchAll(db, sql: "PRAGMA index_list(\(table.quotedDatabaseIdentifier))") {
                    let name: String = index["name"]
                    let columns = try Row.fetchAll(
                        db, sql: "PRAGMA index_xinfo(\(name.quotedDatabaseIdentifier))"
                    ).filter { ($0["key"] as Int) == 1 }.map { ($0["name"] as String?) ?? "expr@\(name)" }
                    keys[name] = (index["unique"], columns)
                }
                for (name, key) in keys where !key.unique {
                    for (other, otherKey) in keys where other != name {
                        XCTAssertFalse(
                            otherKey.columns.starts(with: key.columns),
                            "\(table): \(name) \(key.columns) leads \(other) \(otherKey.columns)")
                    }
                }
            }
        }
    }

    func testItemTopicsAreOneBTreeKeyedByItemAndTopic() throws {
        let db = try AppDatabase.open(at: dir.file("state/regwatch.sqlite"))
        try db.writer.read { db in
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'itemTopic'")
            XCTAssertTrue(try XCTUnwrap(sql).hasSuffix("WITHOUT ROWID"))
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM pragma_index_list('itemTopic')")
            XCTAssertEqual(indexes, ["sqlite_autoindex_itemTopic_1"])  // the primary key itself
        }
    }

    func testItemsOfATopicWalkTheDateIndexNewestFirstAndProbeTheTopicsKey() throws {
        let (db, ids) = try taggedStore(count: 40)
        let query = AppDatabase.itemsQuery(since: nil, topic: "qualiopi", feed: nil, limit: 5)
        let steps = try plan(db, query.sql, query.arguments)
        XCTAssertTrue(steps.contains("SCAN item USING INDEX item_on_sortDate"), "\(steps)")
        XCTAssertTrue(
            steps.contains { $0.hasPrefix("SEARCH itemTopic USING PRIMARY KEY (itemId=? AND topic=?)") }, "\(steps)")
        XCTAssertFalse(steps.contains { $0.contains("TEMP B-TREE") }, "\(steps)")
        // Items 39, 36, 33, 30, 27 (the multiples of 3, newest first).
        XCTAssertEqual(try db.items(topic: "qualiopi", limit: 5).map(\.id), [39, 36, 33, 30, 27].map { ids[$0] })
        XCTAssertEqual(try db.items(topic: "cpf").count, 20)
        XCTAssertTrue(try db.items(topic: "ia").isEmpty)
        XCTAssertEqual(
            try db.items(since: t0 + 30 * 3_600, topic: "cpf").map(\.id), [38, 36, 34, 32, 30].map { ids[$0] })
    }

    func testTheIndexesAFetchWritesEachServeTheirQuery() throws {
        let (db, _) = try taggedStore(count: 40)
        let newest = AppDatabase.itemsQuery(since: nil, topic: nil, feed: nil, limit: 20)
        XCTAssertTrue(try plan(db, newest.sql, newest.arguments).contains("SCAN item USING INDEX item_on_sortDate"))
        let week = try plan(
            db, "SELECT id FROM item WHERE \(AppDatabase.newsDate) >= ? AND \(AppDatabase.newsDate) < ?", [t0, t0])
        XCTAssertTrue(week.contains { $0.hasPrefix("SEARCH item USING INDEX item_on_newsDate") }, "\(week)")
        for column in ["canonicalLink", "titleKey", "storyId"] {
            let steps = try plan(db, "SELECT id FROM item WHERE \(column) = ?", ["x"])
            XCTAssertTrue(
                steps.contains { $0.hasPrefix("SEARCH item USING COVERING INDEX item_on_\(column)") }, "\(steps)")
        }
        let identity = try plan(db, "SELECT id FROM item WHERE feedId = ? AND identity = ?", [1, "x"])
        XCTAssertTrue(identity.contains { $0.contains("sqlite_autoindex_item_1") }, "\(identity)")
        let topics = try plan(db, "SELECT topic FROM itemTopic WHERE itemId IN (1, 2, 3)")
        XCTAssertTrue(topics.contains { $0.hasPrefix("SEARCH itemTopic USING PRIMARY KEY (itemId=?)") }, "\(topics)")
    }

    func testTheIndexesLeftServeWhatTheDroppedPrefixesServed() throws {
        let (db, _) = try taggedStore(count: 3)
        let lookups = [
            ("SELECT * FROM fetchLog WHERE feedId = ? ORDER BY time DESC", "fetchLog_on_feedId_time"),
            ("SELECT state FROM followChange WHERE itemId = ? ORDER BY time DESC", "followChange_on_itemId_time"),
            ("SELECT itemId FROM digestItem WHERE digestId = ? ORDER BY itemId", "sqlite_autoindex_digestItem_1"),
        ]
        for (sql, index) in lookups {
            let steps = try plan(db, sql, [1])
            XCTAssertTrue(steps.contains { $0.contains("INDEX \(index) (") }, "\(sql): \(steps)")
            XCTAssertFalse(steps.contains { $0.contains("TEMP B-TREE") }, "\(sql): \(steps)")
        }
    }

    /// A store written by the previous schema (v11): its topics move to the keyed table with
    /// every score and match, the prefixes go, and the cascades from item still remove topics.
    func testAStoreFromBeforeV12KeepsItsTopicsLogsAndHistoryWhenUpgraded() throws {
        let file = dir.file("old/regwatch.sqlite")
        do {
            let pool = try olderStore(
                at: file, upTo: "v11-delivery-error-french", feed: inffo, firstSeen: t0,
                configuration: AppDatabase.configuration())
            try pool.write { db in
                for n in 1...3 {
                    try db.execute(sql: "INSERT INTO story(id, firstSeen) VALUES (?, ?)", arguments: [n, t0])
                    try db.execute(
                        sql: """
                            INSERT INTO item(id, feedId, identity, firstSeen, title, contentHash, sortDate, storyId,
                                taggedAt)
                            VALUES (?, 1, ?, ?, ?, 'h', ?, ?, ?)
                            """,
                        arguments: [n, "id:\(n)", t0, "Décret \(n) relatif au CPF", t0 + Double(n * 3_600), n, t0])
                    try db.execute(
                        sql: "INSERT INTO itemTopic(itemId, topic, score, matches) VALUES (?, 'cpf', ?, ?)",
                        arguments: [n, 1.5 + Double(n), #"["CPF","compte personnel"]"#])
                }
                try db.execute(
                    sql: "INSERT INTO itemTopic(itemId, topic, score, matches) VALUES (2, 'qualiopi', 1.25, '[]')")
                try db.execute(
                    sql: """
                        INSERT INTO fetchLog(feedId, time, outcome, status, durationMs, bytes, newItems)
                        VALUES (1, ?, 'ok', 200, 12, 3400, 3);
                        INSERT INTO followChange(itemId, time, state, owner) VALUES (2, ?, 'to-act', 'Claire');
                        INSERT INTO digest(id, week, format, builtAt) VALUES (1, '2025-W49', 'markdown', ?);
                        INSERT INTO digestItem(digestId, itemId) VALUES (1, 1), (1, 2);
                        INSERT INTO itemFTS(rowid, title, summary, content) SELECT id, title, summary, content FROM item;
                        """, arguments: [t0, t0, t0])
                let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'")
                XCTAssertTrue(indexes.contains("itemTopic_on_topic"))
                XCTAssertTrue(indexes.contains("fetchLog_on_feedId"))
            }
        }
        let upgraded = try AppDatabase.open(at: file)
        XCTAssertEqual(try upgraded.appliedMigrations(), AppDatabase.migrationIdentifiers)
        XCTAssertEqual(try upgraded.integrityCheck(), ["ok"])
        try upgraded.writer.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT itemId, topic, score, matches FROM itemTopic ORDER BY itemId, topic")
            XCTAssertEqual(
                rows.map {
                    "\($0["itemId"] as Int64) \($0["topic"] as String) \($0["score"] as Double) \($0["matches"] as String)"
                },
                [
                    #"1 cpf 2.5 ["CPF","compte personnel"]"#, #"2 cpf 3.5 ["CPF","compte personnel"]"#,
                    "2 qualiopi 1.25 []", #"3 cpf 4.5 ["CPF","compte personnel"]"#,
                ])
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'")
            for dropped in [
                "itemTopic_on_topic", "fetchLog_on_feedId", "followChange_on_itemId", "digestItem_on_digestId",
            ] {
                XCTAssertFalse(indexes.contains(dropped), dropped)
            }
            XCTAssertEqual(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check"), [])
        }
        XCTAssertEqual(try upgraded.tags(itemID: 2).map(\.id), ["cpf", "qualiopi"])
        XCTAssertEqual(try upgraded.tags(itemID: 1).first?.matches, ["CPF", "compte personnel"])
        XCTAssertEqual(try upgraded.items(topic: "cpf").map(\.id), [3, 2, 1])
        XCTAssertEqual(try upgraded.items(topic: "qualiopi").map(\.topics), [["cpf", "qualiopi"]])
        XCTAssertEqual(try upgraded.fetchLog(inffo).count, 1)
        // Deleting an item still removes its topics (the foreign key's cascade, kept by the copy).
        try upgraded.writer.write { db in try db.execute(sql: "DELETE FROM item WHERE id = 2") }
        XCTAssertEqual(try upgraded.tags(itemID: 2), [])
        XCTAssertEqual(try upgraded.items(topic: "cpf").map(\.id), [3, 1])
        XCTAssertEqual(try upgraded.integrityCheck(), ["ok"])
    }
}
