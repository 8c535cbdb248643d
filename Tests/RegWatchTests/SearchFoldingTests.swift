import FeedParser
import Foundation
import GRDB
import TestSupport
import XCTest

@testable import RegWatch

/// Search folds plurals and feminines the way the tagger does (the index's `regwatch_stem`
/// tokenizer over the tagger's ``Stemmer``), at index and query time, on a real SQLite file;
/// phrases, prefixes and accents keep working, and a store indexed before is reindexed.
final class SearchFoldingTests: SearchStoreTestCase {
    /// Headlines as the watch's sources write them.
    override var stored: [Item] { items }
    private let items = [
        Item(
            id: "ind23", title: "Qualiopi : ce que l'auditeur attend pour l'indicateur 23",
            summary: "La veille légale et réglementaire, preuve par preuve."),
        Item(
            id: "ind22", title: "Indicateur 22 : le développement des compétences des formateurs",
            summary: "Un plan de formation pour l'équipe ; voir aussi le critère 23 du guide."),
        Item(
            id: "formatrice", title: "Portrait : une formatrice en CFA raconte l'alternance",
            summary: "Vingt ans de pédagogie auprès des apprentis."),
        Item(
            id: "formateur", title: "Le formateur face à l'IA générative",
            summary: "Outils et limites en classe."),
        Item(
            id: "formation", title: "Formation professionnelle : le décret du 3 décembre",
            summary: "Ce qui change pour les organismes."),
        Item(
            id: "neuro", title: "Accueillir les personnes neurodivergentes en formation",
            summary: "Aménagements et tiers temps."),
    ]

    private func search(_ query: String) throws -> Set<String> { Set(try guids(query)) }

    func testAPluralQueryFindsTheSingular() throws {
        XCTAssertEqual(try search("indicateurs 23"), ["ind23", "ind22"], "both items have the two words")
        XCTAssertEqual(try search("indicateur 23"), ["ind23", "ind22"])
        XCTAssertEqual(try search("auditeurs"), ["ind23"])
    }

    func testAFeminineOrPluralQueryFindsEveryFormOfTheWord() throws {
        XCTAssertEqual(try search("formatrices"), ["formatrice", "formateur", "ind22"])
        XCTAssertEqual(try search("formateur"), ["formatrice", "formateur", "ind22"])
        XCTAssertEqual(try search("neurodivergent"), ["neuro"])
        XCTAssertEqual(try search("générative"), ["formateur"])
        XCTAssertEqual(try search("génératifs"), ["formateur"])
    }

    func testAPhraseStaysAPhraseOfFoldedWords() throws {
        XCTAssertEqual(try search("\"indicateurs 23\""), ["ind23"], "\"critère 23\" is not \"indicateur 23\"")
        XCTAssertEqual(try search("« une formatrices en CFA »"), ["formatrice"])
        XCTAssertEqual(try search("\"indicateur 24\""), [])
    }

    func testPrefixQueriesMatchTheWordsAsWritten() throws {
        XCTAssertEqual(try search("forma*"), ["formatrice", "formateur", "formation", "ind22", "neuro"])
        XCTAssertEqual(try search("formatri*"), ["formatrice"], "a prefix longer than the folded form still matches")
        XCTAssertEqual(try search("neurodivergentes*"), ["neuro"])
    }

    func testEveryHitOfAPrefixQueryHasItsSnippet() throws {
        // The snippets of a page of hits are read in one scan of their rowid range.
        let hits = try db.search("forma*", limit: 4)
        XCTAssertEqual(hits.count, 4)
        for hit in hits {
            XCTAssertTrue(hit.snippet.lowercased().contains("[forma"), "\(hit.item.guid ?? "?"): \(hit.snippet)")
        }
        let page = Set(hits.map { $0.item.guid ?? "?" })
        XCTAssertEqual(page.count, 4)
        XCTAssertTrue(page.isSubset(of: try search("forma*")))
    }

    /// The rows FTS5's own prefix query finds, for comparison with the expanded query.
    private func prefixRows(_ prefix: String) throws -> Set<Int64> {
        try db.writer.read { db in
            Set(
                try Int64.fetchAll(
                    db, sql: "SELECT rowid FROM itemFTS WHERE itemFTS MATCH ?", arguments: ["\"\(prefix)\"*"]))
        }
    }

    func testAPrefixSearchedAsItsWordsFindsExactlyWhatThePrefixFinds() throws {
        _ = try db.upsertItems(
            [
                Item(
                    id: "pluriel", title: "Les formations certifiantes et les formateurs référents",
                    summary: "Qualité des formatrices, référentiel national."),
                Item(id: "court", title: "IA et CPF : ce qui change", summary: "Un formulaire unique."),
            ], feedURL: feed, fetchedAt: t0 + 60)
        for prefix in ["forma", "FORMA", "form", "f", "formatri", "format", "réf", "qualit", "ia", "neurodiv", "zz"] {
            let words = try db.writer.read { try AppDatabase.indexedWords(startingWith: prefix, $0) }
            let expanded = Set(try db.search("\(prefix)*", limit: 100).map(\.item.id))
            XCTAssertEqual(expanded, try prefixRows(prefix), "\(prefix)*, searched as \(words ?? ["\(prefix)*"])")
        }
        XCTAssertEqual(
            try db.writer.read { try AppDatabase.indexedWords(startingWith: "forma", $0) },
            ["formateur", "formation"],
            "formations, formateurs and formatrices are searched by the forms they reduce to")
        XCTAssertNil(
            try db.writer.read { try AppDatabase.indexedWords(startingWith: "formatri", $0) },
            "formatrice is searched as formateur, which the prefix does not cover: FTS5's prefix query answers")
    }

    func testASearchThroughOneConnectionFindsWhatThePoolFinds() throws {
        let one = try AppDatabase.open(at: dir.file("regwatch.sqlite"), oneConnection: true)
        for query in ["forma*", "formatri*", "indicateurs 23", "\"une formatrice\""] {
            XCTAssertEqual(try one.search(query).map(\.item.id), try db.search(query).map(\.item.id), query)
        }
        let mode = try one.writer.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode, "wal")
    }

    func testAOneConnectionStoreCreatesItsFileInWALModeAndSearchesPrefixesAtOnce() throws {
        // A file that exists keeps the mode the pool gave it; a new one is made WAL, like a pool's.
        let one = try AppDatabase.open(at: dir.file("new/regwatch.sqlite"), oneConnection: true)
        XCTAssertEqual(try one.writer.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "wal")
        // Its prefix searches create the index's vocabulary first, which a pool's connections have from the start.
        XCTAssertEqual(try one.search("forma*"), [])
        XCTAssertEqual(
            try AppDatabase.open(at: dir.file("regwatch.sqlite"), oneConnection: true).search("forma*").map(\.item.id),
            try db.search("forma*").map(\.item.id))
    }

    func testOnlyAOneConnectionStoreReadsThroughAMemoryMap() throws {
        // A search maps the file it reads; the pool of the poll and the daemon, which write, does not.
        let one = try AppDatabase.open(at: dir.file("regwatch.sqlite"), oneConnection: true)
        let mapped = try one.writer.read { try Int.fetchOne($0, sql: "PRAGMA mmap_size") }
        XCTAssertEqual(mapped, AppDatabase.readMapBytes)
        XCTAssertEqual(try db.writer.read { try Int.fetchOne($0, sql: "PRAGMA mmap_size") }, 0)
        XCTAssertEqual(try one.search("forma*").map(\.item.id), try db.search("forma*").map(\.item.id))
    }

    func testAPrefixCoveringTooManyWordsIsLeftToFTS5() throws {
        let many = (0..<(AppDatabase.prefixExpansionLimit + 1)).map { "mot\(String($0, radix: 36))x" }
        _ = try db.upsertItems(
            [Item(id: "mots", title: many.joined(separator: " "), summary: "Le dernier mot.")], feedURL: feed,
            fetchedAt: t0 + 60)
        XCTAssertNil(try db.writer.read { try AppDatabase.indexedWords(startingWith: "mot", $0) })
        XCTAssertEqual(try search("mot*"), ["mots"])
        XCTAssertEqual(try search("mot1*"), ["mots"])
    }

    func testTheSnippetOfAnExpandedPrefixMarksTheWordAsWritten() throws {
        // "forma*" is searched as "formateur", which "formatrice" is indexed as too.
        let hit = try XCTUnwrap(try db.search("forma*").first { $0.item.guid == "formatrice" })
        XCTAssertTrue(hit.snippet.contains("[formatrice]"), hit.snippet)
    }

    func testAccentsAndCaseStillDoNotMatter() throws {
        XCTAssertEqual(try search("CRITERE"), ["ind22"])
        XCTAssertEqual(try search("Générative"), try search("generative"))
        XCTAssertEqual(try search("developpement des competences"), ["ind22"])
    }

    func testTheSnippetMarksTheWordAsWritten() throws {
        let hit = try XCTUnwrap(try db.search("formatrices").first { $0.item.guid == "formatrice" })
        XCTAssertTrue(hit.snippet.contains("[formatrice]"), hit.snippet)
    }

    func testTheIndexStaysConsistentThroughUpdatesAndDeletes() throws {
        _ = try db.upsertItems(
            [
                Item(
                    id: "ind23", title: "Qualiopi : indicateurs 24 et 23 revus", summary: "Nouvelles preuves attendues."
                )
            ],
            feedURL: feed, fetchedAt: t0 + 60)
        XCTAssertEqual(try search("\"indicateur 24\""), ["ind23"])
        XCTAssertEqual(try search("auditeur"), [])
        try db.writer.write { db in
            try db.execute(sql: "DELETE FROM item WHERE guid = 'formatrice'")
            // FTS5's own check of the index against the item table (external content).
            try db.execute(sql: "INSERT INTO itemFTS(itemFTS, rank) VALUES ('integrity-check', 1)")
        }
        XCTAssertEqual(try search("formatrices"), ["formateur", "ind22"])
    }

    func testAStoreIndexedBeforeIsReindexedWhenOpened() throws {
        let file = dir.file("old/regwatch.sqlite")
        do {
            let pool = try olderStore(
                at: file, upTo: "v8", feed: feed, firstSeen: t0, configuration: AppDatabase.configuration())
            try pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO item(feedId, identity, firstSeen, title, contentHash, sortDate)
                        VALUES (1, 'id:a', ?, 'Qualiopi : les formatrices et l''indicateur 23', 'h', ?)
                        """, arguments: [t0, t0])
                try db.execute(
                    sql:
                        "INSERT INTO itemFTS(rowid, title, summary, content) SELECT id, title, summary, content FROM item"
                )
            }
            let unfolded = try pool.read {
                try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM itemFTS WHERE itemFTS MATCH '\"indicateurs\"'")
            }
            XCTAssertEqual(unfolded, 0, "the index before v9 does not fold plurals")
        }
        let upgraded = try AppDatabase.open(at: file)
        XCTAssertEqual(try upgraded.appliedMigrations(), AppDatabase.migrationIdentifiers)
        XCTAssertEqual(try upgraded.search("indicateurs 23").count, 1)
        XCTAssertEqual(try upgraded.search("formateur").count, 1)
        try upgraded.writer.write { db in
            try db.execute(sql: "INSERT INTO itemFTS(itemFTS, rank) VALUES ('integrity-check', 1)")
        }
    }
}
