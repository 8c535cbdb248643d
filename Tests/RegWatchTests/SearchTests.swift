import FeedParser
import Foundation
import RegWatch
import TestSupport
import XCTest

/// `watchctl search`: accent-insensitive, ranked, and no user input is FTS5 syntax.
final class SearchTests: SearchStoreTestCase {
    override var stored: [Item] {
        [
            Item(
                id: "title", title: "Référentiel national qualité : la version 9 entre en vigueur",
                summary: "Les organismes certifiés Qualiopi devront s'y conformer."),
            Item(
                id: "summary", title: "Audit de surveillance : mode d'emploi",
                summary: "Ce que l'auditeur vérifie sur le référentiel national qualité."),
            Item(
                id: "content", title: "Revue de presse de la semaine",
                content:
                    "Parmi les sujets : financement, apprentissage, et un mot sur le référentiel national qualité en fin de revue."
            ),
            Item(
                id: "ia", title: "L'IA générative dans les CFA",
                summary: "Former les formateurs à l'intelligence artificielle."),
            Item(
                id: "handicap", title: "Neurodiversité et formation : aménager les évaluations",
                summary: "Dyslexie, TDAH."),
        ]
    }

    private func search(_ query: String) throws -> [String] { try guids(query) }

    func testAccentsAndCaseDoNotMatter() throws {
        XCTAssertEqual(Set(try search("referentiel NATIONAL qualite")), ["title", "summary", "content"])
        XCTAssertEqual(try search("neurodiversite"), ["handicap"])
        XCTAssertEqual(try search("Générative"), ["ia"])
    }

    func testATitleMatchRanksAboveASummaryMatchAboveAContentMatch() throws {
        XCTAssertEqual(try search("référentiel national qualité"), ["title", "summary", "content"])
    }

    func testABroadQueryRanksOnlyTheMostRecentMatches() throws {
        // The best match (the word in its title) is the oldest of 30; a summary match each after it.
        let feed = FeedURL("https://travail-emploi.gouv.fr/rss")!
        _ = try db.upsertItems(
            [Item(id: "old-best", title: "Apprentissage : le décret est paru")], feedURL: feed, fetchedAt: t0)
        var recent: Set<String> = []
        for n in 1...29 {
            let id = "recent-\(n)"
            _ = try db.upsertItems(
                [Item(id: id, title: "Brève \(n)", summary: "Un mot de l'apprentissage.")], feedURL: feed,
                fetchedAt: t0.addingTimeInterval(Double(n) * 60))
            if n > 19 { recent.insert(id) }
        }
        let everything = try db.search("apprentissage", limit: 5).map { $0.item.guid ?? "?" }
        XCTAssertEqual(everything.first, "old-best", "30 matches are fewer than the candidates: all are ranked")
        let bounded = try db.search("apprentissage", limit: 50, candidates: 10).map { $0.item.guid ?? "?" }
        XCTAssertEqual(Set(bounded), recent, "only the 10 most recently stored matches are ranked")
    }

    func testQuotedPhrasesPrefixesAndOR() throws {
        XCTAssertEqual(try search("\"qualité la version\""), ["title"])
        XCTAssertEqual(try search("« national qualité »"), ["title", "summary", "content"])
        XCTAssertEqual(Set(try search("format*")), ["ia", "handicap"])
        XCTAssertEqual(Set(try search("formateur*")), ["ia"])
        XCTAssertEqual(Set(try search("dyslexie OR générative")), ["handicap", "ia"])
        XCTAssertEqual(try search("dyslexie générative"), [])
    }

    func testFTSSyntaxInTheQueryIsJustText() throws {
        for hostile in [
            "title:qualité", "NEAR(a b)", "qualité)", "\"unbalanced", "-qualiopi", "a AND OR NOT",
            "'; DROP TABLE item; --", "^qualiopi",
        ] {
            XCTAssertNoThrow(try db.search(hostile), hostile)
        }
        XCTAssertEqual(try search("l'IA"), ["ia"])
        XCTAssertEqual(try db.itemCount(), 5)
    }

    func testAQueryWithoutWordsIsBadInput() {
        XCTAssertThrowsError(try db.search("  ?! ")) { error in
            XCTAssertEqual((error as? StoreError)?.kind, .badInput)
        }
    }

    func testTheIndexFollowsUpdates() throws {
        try db.upsertItems(
            [Item(id: "ia", title: "L'IA générative dans les CFA : premier bilan", summary: "Chatbots pédagogiques.")],
            feedURL: feed, fetchedAt: t0 + 60)
        XCTAssertEqual(try search("chatbots"), ["ia"])
        XCTAssertEqual(try search("intelligence"), [])
    }

    func testResultsCarryASnippetAroundTheMatch() throws {
        let hit = try XCTUnwrap(try db.search("apprentissage").first)
        XCTAssertTrue(hit.snippet.contains("[apprentissage]"), hit.snippet)
    }

    func testASearchWithoutSnippetsFindsTheSameResultsWithEmptySnippets() throws {
        for query in ["apprentissage", "qualiopi", "forma*"] {
            let full = try db.search(query)
            let bare = try db.search(query, snippets: false)
            XCTAssertEqual(bare.map(\.item), full.map(\.item), query)
            XCTAssertEqual(bare.map(\.rank), full.map(\.rank), query)
            XCTAssertEqual(Set(bare.map(\.snippet)), bare.isEmpty ? [] : [""], query)
        }
        XCTAssertFalse(try db.search("apprentissage").allSatisfy(\.snippet.isEmpty), "a snippet by default")
    }

    func testTheMatchExpressionQuotesEveryTerm() {
        XCTAssertEqual(FullTextQuery.matchExpression("qualité CPF"), "\"qualité\" AND \"CPF\"")
        XCTAssertEqual(FullTextQuery.matchExpression("forma* \"mon compte\""), "\"forma\"* AND \"mon compte\"")
        XCTAssertEqual(FullTextQuery.matchExpression("a OR b c"), "(\"a\" OR \"b\") AND \"c\"")
        XCTAssertEqual(FullTextQuery.matchExpression("say \"\"hi"), "\"say\" AND \"hi\"")
        XCTAssertNil(FullTextQuery.matchExpression("OR * ?"))
    }

    func testAPrefixIsWrittenAsTheWordsThatStandForIt() {
        let words: (String) -> [String]? = { ["forma": ["formation", "formateur"], "qualio": ["qualiopi"]][$0] }
        XCTAssertEqual(
            FullTextQuery.matchExpression("forma* handicap", words: words),
            "(\"formation\" OR \"formateur\") AND \"handicap\"")
        XCTAssertEqual(FullTextQuery.matchExpression("qualio*", words: words), "\"qualiopi\"")
        XCTAssertEqual(
            FullTextQuery.matchExpression("CPF OR forma*", words: words),
            "(\"CPF\" OR \"formation\" OR \"formateur\")")
        XCTAssertEqual(FullTextQuery.matchExpression("certif*", words: words), "\"certif\"*", "no words: FTS5's prefix")
    }
}
