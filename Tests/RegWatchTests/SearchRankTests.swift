import FeedParser
import Foundation
import GRDB
import TestSupport
import XCTest

@testable import RegWatch

/// The search ranks with `regwatch_bm25` (CSQLiteConnection), which must give FTS5's bm25()
/// scores exactly, to the bit, while counting a phrase's rows only up to half the store: checked
/// on a real SQLite file against SQLite's own bm25(), for words in most rows and in few.
final class SearchRankTests: SearchStoreTestCase {
    /// 240 items whose words come from a small vocabulary at different rates, so that some words
    /// are in more than half the rows (their IDF is the 1e-6 floor) and others in fewer.
    override var stored: [Item] {
        var generator = SplitMix64(seed: 19)
        return (0..<240).map { n in
            func words(_ count: Int, from vocabulary: [String]) -> String {
                (0..<count).map { _ in vocabulary[Int(generator.next() % UInt64(vocabulary.count))] }
                    .joined(separator: " ")
            }
            // "formation" and "qualité" are in most rows; the rest in fewer, some in a handful.
            let common = generator.next() % 4 == 0 ? "qualité" : "formation qualité"
            return Item(
                id: "item\(n)", title: "\(common) \(words(2, from: Self.vocabulary))",
                summary: words(Int(generator.next() % 6), from: Self.vocabulary),
                content: words(Int(generator.next() % 12), from: Self.vocabulary + Self.rare))
        }
    }

    private static let vocabulary = [
        "référentiel", "national", "certification", "organisme", "apprentissage", "décret", "financement",
        "compétences", "handicap", "audit", "indicateur", "formateurs", "parcours", "évaluation", "branche",
        "contrôle", "plateforme", "tutorat", "alternance", "orientation",
    ]
    private static let rare = ["neurodiversité", "dyslexie", "microlearning", "mentorat"]

    /// Every matching row's score under both functions, by rowid.
    private func scores(_ function: String, _ arguments: String, _ match: String) throws -> [Int64: Double] {
        try db.writer.read { db in
            var scores: [Int64: Double] = [:]
            let rows = try Row.fetchAll(
                db, sql: "SELECT rowid, \(function)(itemFTS\(arguments)) AS score FROM itemFTS WHERE itemFTS MATCH ?",
                arguments: [match])
            for row in rows { scores[row["rowid"]] = row["score"] }
            return scores
        }
    }

    func testTheRankIsBm25ToTheBitForCommonAndRareWords() throws {
        let rowCount = try db.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM itemFTS")! }
        let hits = { (word: String) in
            try self.db.writer.read {
                try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM itemFTS WHERE itemFTS MATCH ?", arguments: [word])!
            }
        }
        // The store has both kinds of words: the count stops early for the first, not for the second.
        XCTAssertGreaterThan(try hits("\"formation\"") * 2, rowCount)
        XCTAssertGreaterThan(try hits("\"qualite\"") * 2, rowCount)
        XCTAssertLessThan(try hits("\"audit\"") * 2, rowCount)
        XCTAssertLessThan(try hits("\"dyslexie\"") * 2, rowCount)
        let matches = [
            "\"formation\"", "\"qualite\"", "\"formation\" AND \"qualite\"", "\"audit\"", "\"dyslexie\"",
            "\"formation\" AND \"audit\"", "(\"handicap\" OR \"neurodiversite\") AND \"qualite\"",
            "\"referentiel national\"", "\"forma\"*", "\"formateur\" AND \"indicateur\"",
        ]
        for match in matches {
            for arguments in [", 10.0, 3.0, 1.0", "", ", 2.0"] {
                let expected = try scores("bm25", arguments, match)
                XCTAssertFalse(expected.isEmpty, match)
                XCTAssertEqual(try scores("regwatch_bm25", arguments, match), expected, "\(match) \(arguments)")
            }
        }
    }

    func testTheRankIsBm25ToTheBitAroundHalfTheRows() throws {
        // Where the count may stop: a word in exactly half the rows (IDF log(1) = 0, raised to
        // 1e-6), one fewer (a small positive IDF: counted to the end), one more, for an even and
        // an odd number of rows.
        for rowCount in [10, 11] {
            let store = try AppDatabase.open(at: dir.file("rows\(rowCount).sqlite"))
            let items = (0..<rowCount).map { i in
                var words = ["delta"]
                if i < rowCount / 2 { words.append("alpha") }
                if i < (rowCount + 1) / 2 { words.append("beta") }
                if i < rowCount / 2 - 1 { words.append("gamma") }
                if i < rowCount / 2 + 1 { words.append("epsilon") }
                return Item(id: "row\(i)", title: words.joined(separator: " "), summary: "ligne \(i)")
            }
            _ = try store.upsertItems(items, feedURL: feed, fetchedAt: t0)
            for match in ["alpha", "beta", "gamma", "epsilon", "delta", "alpha AND gamma", "beta OR epsilon"] {
                func scores(_ function: String) throws -> [Int64: Double] {
                    try store.writer.read { db in
                        var scores: [Int64: Double] = [:]
                        for row in try Row.fetchAll(
                            db, sql: "SELECT rowid, \(function)(itemFTS, 10.0, 3.0) FROM itemFTS WHERE itemFTS MATCH ?",
                            arguments: [match])
                        {
                            scores[row[0]] = row[1]
                        }
                        return scores
                    }
                }
                let (expected, actual) = (try scores("bm25"), try scores("regwatch_bm25"))
                XCTAssertFalse(expected.isEmpty, match)
                XCTAssertEqual(actual, expected, "\(match), \(rowCount) rows")
            }
        }
    }

    func testASearchRanksItsCandidatesAsBm25Does() throws {
        for query in ["formation qualité", "audit", "handicap OR neurodiversité", "\"référentiel national\""] {
            let match = try XCTUnwrap(FullTextQuery.matchExpression(query))
            // The search's ranking query as it was with SQLite's bm25() (ties included: the inner
            // LIMIT keeps the tied rows SQLite meets first).
            let byBm25 = try db.writer.read { db in
                try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT rowid FROM (
                            SELECT rowid, rank FROM (
                                SELECT rowid, bm25(itemFTS, 10.0, 3.0, 1.0) AS rank
                                FROM itemFTS WHERE itemFTS MATCH ? ORDER BY rowid DESC LIMIT ?
                            )
                            ORDER BY rank LIMIT 20
                        )
                        ORDER BY rank, rowid
                        """, arguments: [match, AppDatabase.searchCandidates])
            }
            XCTAssertEqual(try db.search(query).map(\.item.id), byBm25, query)
        }
    }
}
