import FeedParser
import Foundation
import GRDB
import TestSupport
import XCTest

@testable import RegWatch

/// The look-alike index (`storyCandidate`, schema v10-story-candidates) carries, beside each
/// index word, what its item says (feed, story, date, title words): these copies must always
/// be what the item rows say, and a store written before the index existed keeps its stories.
final class StoryCandidateIndexTests: XCTestCase {
    private var dir: TemporaryDirectory!
    private let t0 = Date(timeIntervalSince1970: 1_764_748_800)
    private let inffo = FeedURL("https://www.centre-inffo.fr/feed")!
    private let digiformag = FeedURL("https://www.digiformag.com/feed/")!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "regwatch-candidates")
    }

    override func tearDown() {
        dir.remove()
    }

    /// One entry of the look-alike index.
    private struct Entry: Hashable {
        var word: String
        var itemID: Int64
        var feedID: Int64
        var storyID: Int64?
        var sortDate: String
        var words: Data?
    }

    /// Every index entry of every item, as the item row says it should be, against the index.
    private func assertIndexMatchesItems(_ db: AppDatabase, file: StaticString = #filePath, line: UInt = #line) throws {
        try db.writer.read { db in
            var expected: Set<Entry> = []
            for row in try Row.fetchAll(db, sql: "SELECT id, feedId, storyId, sortDate, titleKey FROM item") {
                guard let key: String = row["titleKey"] else { continue }
                let words = Data.fromDatabaseValue(TitleWords(key).databaseValue)
                for word in StoryKey.indexWords(key) {
                    expected.insert(
                        Entry(
                            word: word, itemID: row["id"], feedID: row["feedId"], storyID: row["storyId"],
                            sortDate: row["sortDate"], words: words))
                }
            }
            let indexed = try Row.fetchAll(
                db, sql: "SELECT word, itemId, feedId, storyId, sortDate, words FROM storyCandidate"
            ).map {
                Entry(
                    word: $0["word"], itemID: $0["itemId"], feedID: $0["feedId"], storyID: $0["storyId"],
                    sortDate: $0["sortDate"], words: $0["words"])
            }
            XCTAssertFalse(expected.isEmpty, file: file, line: line)
            XCTAssertEqual(indexed.count, expected.count, file: file, line: line)
            XCTAssertEqual(Set(indexed), expected, file: file, line: line)
        }
    }

    func testATitleIsIndexedUnderItsWordsSplitAtSpaces() {
        // ASCII titles are cut at space bytes, others by Character: both as `split(separator: " ")`.
        let titles = [
            "", " ", "a", "  decret  2025 du 3 decembre  ", "qualiopi", "l ia generative chatgpt",
            "ete \u{0301}x a", "a \u{0301} b", "cœur de metier", "日本 語", "x\u{00A0}y z",
        ]
        for title in titles {
            XCTAssertEqual(StoryKey.words(title), title.split(separator: " "), "\(title.debugDescription)")
        }
        // The normalized title of every scalar below U+3000 between words.
        for value in UInt32(0)...0x2FFF {
            guard let scalar = Unicode.Scalar(value), let key = StoryKey.normalizedTitle("Été \(scalar) x \(scalar)y")
            else { continue }
            XCTAssertEqual(StoryKey.words(key), key.split(separator: " "), "U+\(String(value, radix: 16))")
        }
    }

    func testTitleWordsAndIndexWordsComputedTogetherAreWhatEachGivesApart() {
        var titles = [
            "", " ", "a", "le la de", "qualiopi", "  decret  2025 du 3 decembre  ", "l ia generative chatgpt",
            "decret decret decret formation", "cpf cpf le cpf", "ete \u{0301}x a b c", "cœur de metier et savoir",
            "日本 語 漢字 字", "qualiopi le nouveau guide de lecture est paru",
        ]
        // Titles of 0 to 14 words drawn, with repeats, from French title words and stopwords,
        // in a fixed sequence (a linear congruential generator).
        let vocabulary = [
            "decret", "formation", "cpf", "qualiopi", "le", "la", "de", "des", "et", "ia", "2025", "n", "1234",
            "relatif", "au", "compte", "personnel", "handicap", "neurodiversite", "guide", "a", "y", "the",
            "apprentissage", "france", "competences", "opco", "certification", "rncp",
        ]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<3_000 {
            titles.append((0..<next(15)).map { _ in vocabulary[next(vocabulary.count)] }.joined(separator: " "))
        }
        for title in titles {
            let together = StoryKey.titleWordsAndIndexWords(title)
            XCTAssertEqual(together.titleWords, TitleWords(title), title.debugDescription)
            XCTAssertEqual(together.indexWords, StoryKey.indexWords(title), title.debugDescription)
        }
    }

    func testTheIndexFollowsItsItemsThroughChangesAndADeletedStory() throws {
        let db = try AppDatabase.open(at: dir.file("regwatch.sqlite"))
        let title = "Qualiopi : le nouveau guide de lecture du référentiel national qualité est paru"
        try db.upsertItems(
            [
                Item(id: "a", title: title, published: t0),
                Item(id: "b", title: "Décret relatif au compte personnel de formation des salariés", published: t0),
            ], feedURL: inffo, fetchedAt: t0)
        let first = try db.upsertItems(
            [Item(id: "c", title: "QUALIOPI – Le nouveau guide de lecture du Référentiel National Qualité est paru !")],
            feedURL: digiformag, fetchedAt: t0 + 60)
        try assertIndexMatchesItems(db)
        // A changed entry: new title and date, indexed again under its new words.
        try db.upsertItems(
            [
                Item(
                    id: "a", title: "Certification : les organismes de formation face au nouvel audit",
                    published: t0 + 86_400),
                Item(id: "b", title: "Décret relatif au compte personnel de formation des salariés", published: t0),
            ], feedURL: inffo, fetchedAt: t0 + 120)
        try assertIndexMatchesItems(db)
        // Whatever writes the item (here SQLite itself, a story gone: the item's storyId set to NULL).
        let story = try XCTUnwrap(try db.item(id: first.insertedIDs[0])?.storyID)
        try db.writer.write { db in try db.execute(sql: "DELETE FROM story WHERE id = ?", arguments: [story]) }
        XCTAssertNil(try db.item(id: first.insertedIDs[0])?.storyID)
        try assertIndexMatchesItems(db)
        try db.writer.write { db in
            try db.execute(
                sql: "UPDATE item SET sortDate = ? WHERE id = ?", arguments: [t0 + 7 * 86_400, first.insertedIDs[0]])
        }
        try assertIndexMatchesItems(db)
        XCTAssertEqual(try db.integrityCheck(), ["ok"])
    }

    /// A store whose look-alike index predates the candidates' columns (`storyWord`, schema v4
    /// to tagging-v1): opened, its index moves to `storyCandidate` with every entry, new items
    /// join its stories as before, and search and story listings work.
    func testAStoreFromBeforeTheCandidateIndexKeepsItsStoriesWhenUpgraded() throws {
        let file = dir.file("old/regwatch.sqlite")
        let titles = [
            "Qualiopi : le nouveau guide de lecture du référentiel national qualité est paru",
            "Décret relatif au compte personnel de formation des salariés",
            "Apprentissage : les aides aux employeurs prolongées jusqu'en 2026",
        ]
        do {
            let pool = try olderStore(
                at: file, upTo: "tagging-v1", feed: inffo, firstSeen: t0, configuration: AppDatabase.configuration())
            try pool.write { db in
                for (n, title) in titles.enumerated() {
                    let key = try XCTUnwrap(StoryKey.normalizedTitle(title))
                    try db.execute(sql: "INSERT INTO story(id, firstSeen) VALUES (?, ?)", arguments: [n + 1, t0])
                    try db.execute(
                        sql: """
                            INSERT INTO item(id, feedId, identity, firstSeen, title, content, contentHash, sortDate,
                                storyId, titleKey)
                            VALUES (?, 1, ?, ?, ?, 'Les organismes de formation certifiés', 'h', ?, ?, ?)
                            """, arguments: [n + 1, "id:\(n)", t0, title, t0 + Double(n * 3_600), n + 1, key])
                    for word in StoryKey.indexWords(key) {
                        try db.execute(
                            sql: "INSERT INTO storyWord(itemId, word) VALUES (?, ?)", arguments: [n + 1, word])
                    }
                }
                try db.execute(
                    sql:
                        "INSERT INTO itemFTS(rowid, title, summary, content) SELECT id, title, summary, content FROM item"
                )
            }
            let words = try pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM storyWord") }
            XCTAssertGreaterThan(try XCTUnwrap(words), 3)
        }
        let upgraded = try AppDatabase.open(at: file)
        XCTAssertEqual(try upgraded.appliedMigrations(), AppDatabase.migrationIdentifiers)
        try assertIndexMatchesItems(upgraded)
        let tables = try upgraded.writer.read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE name LIKE 'story%' ORDER BY name")
        }
        XCTAssertEqual(tables, ["story", "storyCandidate", "storyCandidate_on_itemId"])
        // Look-alikes from another feed join the stories stored before the upgrade.
        let stored = try upgraded.upsertItems(
            [
                Item(
                    id: "x", title: "QUALIOPI – Le nouveau guide de lecture du Référentiel National Qualité est paru !",
                    published: t0 + 86_400),
                Item(id: "y", title: "Décret relatif au compte personnel de formation des salariés", published: t0),
                Item(id: "z", title: "Intelligence artificielle : un référentiel pour les formateurs", published: t0),
            ], feedURL: digiformag, fetchedAt: t0 + 7_200)
        let stories = try stored.insertedIDs.map { try upgraded.item(id: $0)?.storyID }
        XCTAssertEqual(stories[0], 1)
        XCTAssertEqual(stories[1], 2)
        XCTAssertNotNil(stories[2])
        XCTAssertFalse([1, 2, 3].contains(stories[2]!))
        XCTAssertEqual(try upgraded.storyItems(of: 1).map(\.id), [1, stored.insertedIDs[0]])
        try assertIndexMatchesItems(upgraded)
        XCTAssertEqual(Set(try upgraded.search("organismes").map(\.item.id)), [1, 2, 3])
        XCTAssertEqual(try upgraded.search("guide lecture").map(\.item.id).sorted(), [1, stored.insertedIDs[0]])
        XCTAssertEqual(try upgraded.integrityCheck(), ["ok"])
    }
}
