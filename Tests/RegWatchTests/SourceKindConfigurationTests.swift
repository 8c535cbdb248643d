import FeedParser
import Foundation
import RegWatch
import TestSupport
import XCTest

/// `kind`, a page's recipe and a change watch in feeds.toml: read, defaulted, written back by
/// add-feed, and refused with file and line when an XPath or a pattern is wrong.
final class SourceKindConfigurationTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "regwatch-kinds")
    }

    override func tearDown() {
        dir.remove()
    }

    private func load(_ text: String) throws -> Configuration {
        try Configuration.load(from: dir.write(text, to: "feeds.toml"))
    }

    private func problems(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        dir.configurationProblems(text, file: file, line: line)
    }

    func testEveryKindIsReadWithItsKeysAndPagesArePolledEverySixHoursByDefault() throws {
        let config = try load(
            """
            [fetch]
            default_interval = "2h"

            [[feeds]]
            url = "https://www.centre-inffo.fr/feed"
            title = "Centre Inffo"

            [[feeds]]
            url = "https://www.francecompetences.fr/actualites/"
            kind = "page"
            items = "//div[contains(@class,'fr-card')]"
            title = ".//h3"
            date = ".//p[contains(@class,'fr-card__detail')]"

            [[feeds]]
            url = "https://www.service-public.fr/professionnels-entreprises/actualites"
            kind = "page"
            interval = "12h"

            [[feeds]]
            url = "https://travail-emploi.gouv.fr/guide-lecture-qualiopi"
            kind = "change"
            title = "Guide de lecture Qualiopi"
            region = "//main"
            ignore = ["mis à jour le .*", "\\\\d+ vues"]
            """)
        XCTAssertEqual(
            config.feeds.map(\.kind),
            [
                .feed,
                .page(
                    PageRecipe(
                        items: "//div[contains(@class,'fr-card')]", title: ".//h3",
                        date: ".//p[contains(@class,'fr-card__detail')]")),
                .page(nil),
                .change(ChangeWatch(region: "//main", ignore: ["mis à jour le .*", "\\d+ vues"])),
            ])
        XCTAssertEqual(config.feeds.map(\.title), ["Centre Inffo", nil, nil, "Guide de lecture Qualiopi"])
        XCTAssertEqual(
            config.feeds.map { $0.pollInterval(default: config.fetch.defaultInterval) },
            [.seconds(7200), .seconds(21_600), .seconds(43_200), .seconds(21_600)])
    }

    func testAnInvalidXPathOrPatternAndKeysOfAnotherKindAreErrorsWithTheirLines() throws {
        let found = try problems(
            """
            [[feeds]]
            url = "https://a.example/actualites"
            kind = "page"
            items = "//div[@class='row'"

            [[feeds]]
            url = "https://b.example/guide"
            kind = "change"
            ignore = ["(unclosed"]
            items = "//li"

            [[feeds]]
            url = "https://c.example/"
            kind = "pages"
            """)
        XCTAssertEqual(
            found,
            [
                "feeds.toml:4: [[feeds]] items: \"//div[@class='row'\" is not a valid XPath 1.0 expression (try it with `watchctl fetch URL --kind page`)",
                "feeds.toml:9: [[feeds]] ignore: \"(unclosed\" is not a regular expression",
                "feeds.toml:10: [[feeds]] items: only read with kind = \"page\" (this entry is kind = \"change\")",
                "feeds.toml:14: [[feeds]] kind: \"pages\" is not a kind (write \"feed\", \"page\" or \"change\")",
            ])
    }

    func testAddFeedWritesAPageRecipeAndAChangeWatchThatLoadBackTheSame() throws {
        let file = try dir.write("[fetch]\nallow_private_networks = true\n", to: "feeds.toml")
        var page = FeedEntry(url: FeedURL("https://www.francecompetences.fr/actualites/")!)
        page.kind = .page(
            PageRecipe(
                items: "//div[@id='list']/div[contains(concat(' ', normalize-space(@class), ' '), ' card ')]",
                date: "./time/@datetime"))
        var change = FeedEntry(url: FeedURL("https://travail-emploi.gouv.fr/guide.pdf")!, title: "Guide \"Qualiopi\"")
        change.kind = .change(ChangeWatch(region: "//main", ignore: [#"\d+ vues"#]))
        try FeedsFile(file: file).append(feed: page, comment: ["detected by watchctl add-feed"])
        try FeedsFile(file: file).append(feed: change)
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(
            text.contains(
                "# detected by watchctl add-feed\n[[feeds]]\nurl = \"https://www.francecompetences.fr/actualites/\"\nkind = \"page\"\n"
            ), text)
        let loaded = try Configuration.load(from: file)
        XCTAssertEqual(loaded.feeds, [page, change])
    }

    func testTheShippedFileWatchesTheOfficialSourcesThatHaveNoFeed() throws {
        let shipped = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("feeds.toml")
        let config = try Configuration.load(from: shipped)
        let pages = config.enabledFeeds.filter { if case .page = $0.kind { return true } else { return false } }
        XCTAssertEqual(
            Set(pages.map(\.url.host)),
            [
                "www.francecompetences.fr", "www.of.moncompteformation.gouv.fr", "entreprendre.service-public.fr",
                "www.francetravail.fr",
            ])
        let change = try XCTUnwrap(
            config.enabledFeeds.first { if case .change = $0.kind { return true } else { return false } })
        XCTAssertTrue(change.url.rawValue.contains("qualiopi"))
        guard case .change(let watch) = change.kind else { return XCTFail() }
        // Its ignore patterns remove the update date, so a new date alone is not a change.
        var text = "Guide de lecture, mis à jour le 2 décembre 2026 : l'indicateur 23."
        for pattern in watch.ignore { text = text.replacing(try Regex(pattern), with: "") }
        XCTAssertEqual(text, "Guide de lecture,  : l'indicateur 23.")
    }
}
