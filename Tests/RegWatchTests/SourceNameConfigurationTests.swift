import FeedParser
import Foundation
import RegWatch
import TestSupport
import XCTest

/// `[[feeds]] name`, the display name of a source of any kind: read from feeds.toml (refused
/// beside `title` where both would name the source), written back by add-feed and import-opml,
/// and carried through an OPML export and import.
final class SourceNameConfigurationTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "regwatch-source-name")
    }

    override func tearDown() {
        dir.remove()
    }

    private func problems(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        dir.configurationProblems(text, file: file, line: line)
    }

    func testNameIsTheDisplayNameOfEveryKindAndAPagesTitleStaysItsXPath() throws {
        let config = try Configuration.load(
            from: dir.write(
                """
                [[feeds]]
                url = "https://www.centre-inffo.fr/feed"
                name = "  Centre Inffo  "

                [[feeds]]
                url = "https://sydologie.com/feed"
                title = "Sydologie"

                [[feeds]]
                url = "https://travail-emploi.gouv.fr/actualites"
                kind = "page"
                name = "Ministère du Travail — actualités"
                items = "//div[contains(@class,'views-row')]"
                title = ".//h3/a"

                [[feeds]]
                url = "https://travail-emploi.gouv.fr/guide-lecture-qualiopi"
                kind = "change"
                name = "Guide de lecture Qualiopi"

                [[feeds]]
                url = "https://www.francecompetences.fr/actualites/"
                kind = "page"
                """, to: "feeds.toml"))
        XCTAssertEqual(
            config.feeds.map(\.displayName),
            ["Centre Inffo", "Sydologie", "Ministère du Travail — actualités", "Guide de lecture Qualiopi", nil])
        XCTAssertEqual(
            config.feeds.map(\.name),
            ["Centre Inffo", nil, "Ministère du Travail — actualités", "Guide de lecture Qualiopi", nil])
        XCTAssertEqual(config.feeds.map(\.title), [nil, "Sydologie", nil, nil, nil])
        XCTAssertEqual(
            config.feeds[2].kind, .page(PageRecipe(items: "//div[contains(@class,'views-row')]", title: ".//h3/a")))
    }

    func testTitleAndNameOnAFeedOrAChangeWatchIsAnErrorOnTheNameLineButNotOnAPage() throws {
        let found = try problems(
            """
            [[feeds]]
            url = "https://www.centre-inffo.fr/feed"
            title = "Centre Inffo"
            name = "Centre Inffo — tout"

            [[feeds]]
            url = "https://travail-emploi.gouv.fr/actualites"
            kind = "page"
            items = "//li"
            title = ".//a"
            name = "Ministère du Travail"

            [[feeds]]
            url = "https://travail-emploi.gouv.fr/guide"
            kind = "change"
            name = "Guide"
            title = "Guide de lecture"

            [[feeds]]
            url = "https://sydologie.com/feed"
            name = 3
            """)
        XCTAssertEqual(
            found,
            [
                "feeds.toml:4: [[feeds]] name: title and name both name this source: keep one (name works for every kind)",
                "feeds.toml:16: [[feeds]] name: title and name both name this source: keep one (name works for every kind)",
                "feeds.toml:21: [[feeds]] name: expected a string, found the number 3",
            ])
    }

    func testANamedEntryOfEachKindIsWrittenExportedAndImportedBackEqual() throws {
        var page = FeedEntry(
            url: FeedURL("https://travail-emploi.gouv.fr/actualites")!, name: "Ministère du Travail — \"actus\"",
            topics: ["cpf"])
        page.kind = .page(PageRecipe(items: "//div[@class='views-row']", title: ".//h3/a"))
        var change = FeedEntry(url: FeedURL("https://travail-emploi.gouv.fr/guide.pdf")!, name: "Guide Qualiopi")
        change.kind = .change(ChangeWatch(region: "//main"))
        let feed = FeedEntry(url: FeedURL("https://www.centre-inffo.fr/feed")!, name: "Centre Inffo & co")
        let entries = [feed, page, change]

        let file = try dir.write("", to: "feeds.toml")
        for entry in entries { try FeedsFile(file: file).append(feed: entry) }
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(
            text.contains(
                """
                [[feeds]]
                url = "https://travail-emploi.gouv.fr/actualites"
                kind = "page"
                name = "Ministère du Travail — \\"actus\\""
                items = "//div[@class='views-row']"
                title = ".//h3/a"
                topics = ["cpf"]

                """), text)
        XCTAssertEqual(try Configuration.load(from: file).feeds, entries)

        // The page's stored <title> is long and generic: the name wins over it.
        let opml = OPMLExport.document(
            feeds: entries,
            storedTitles: [
                "https://travail-emploi.gouv.fr/actualites": "Actualités | Ministère du Travail, du Plein emploi"
            ])
        XCTAssertTrue(
            opml.contains(
                #"text="Ministère du Travail — &quot;actus&quot;" title="Ministère du Travail — &quot;actus&quot;" htmlUrl="https://travail-emploi.gouv.fr/actualites""#
            ), opml)
        XCTAssertTrue(
            opml.contains(
                #"regwatch:kind="page" regwatch:name="Ministère du Travail — &quot;actus&quot;" regwatch:items="#),
            opml)
        XCTAssertTrue(opml.contains(#"text="Centre Inffo &amp; co" title="Centre Inffo &amp; co""#), opml)
        let imported = try dir.write("", to: "imported.toml")
        let result = try OPMLImport.run(
            OPMLDocument.parse(Data(opml.utf8)), configuration: Configuration.parse(""), file: FeedsFile(file: imported)
        )
        XCTAssertEqual(result.skipped, [])
        XCTAssertEqual(result.added, entries)
        XCTAssertEqual(try String(contentsOf: imported, encoding: .utf8), text)
    }
}
