import FeedParser
import Foundation
import RegWatch
import TestSupport
import XCTest

/// `OPMLImport` checks the settings of a regwatch outline as feeds.toml checks the same keys:
/// what feeds.toml refuses, the import skips, for the same reason.
final class OPMLImportTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "regwatch-opml")
    }

    override func tearDown() {
        dir.remove()
    }

    /// Each case: the feeds.toml keys, the same settings as outline attributes, and the key at fault.
    static let refused: [(toml: String, attributes: [String: String], key: String)] = [
        ("kind = \"page\"\nitems = \"//div[@class='row'\"", ["kind": "page", "items": "//div[@class='row'"], "items"),
        ("kind = \"page\"\nitems = \"  \"", ["kind": "page", "items": "  "], "items"),
        (
            "kind = \"page\"\nitems = \"//li\"\ntitle = \"a[\"", ["kind": "page", "items": "//li", "title": "a["],
            "title"
        ),
        ("kind = \"change\"\nregion = \"//main[\"", ["kind": "change", "region": "//main["], "region"),
        ("kind = \"change\"\nignore = [\"(unclosed\"]", ["kind": "change", "ignore": #"["(unclosed"]"#], "ignore"),
        ("kind = \"paeg\"", ["kind": "paeg"], "kind"),
        ("region = \"//main\"", ["kind": "feed", "region": "//main"], "region"),
        ("kind = \"page\"\ndate = \".//time\"", ["kind": "page", "date": ".//time"], "items"),
        ("weight = 200", ["weight": "200"], "weight"),
        ("interval = \"0s\"", ["interval": "0s"], "interval"),
        ("title = \"Inffo\"\nname = \"Centre Inffo\"", ["title": "Inffo", "name": "Centre Inffo"], "name"),
        (
            "kind = \"change\"\ntitle = \"Guide\"\nname = \"Guide Qualiopi\"",
            ["kind": "change", "title": "Guide", "name": "Guide Qualiopi"], "name"
        ),
    ]

    func testWhatFeedsTomlRefusesTheImportSkipsForTheSameReason() throws {
        for (toml, attributes, key) in Self.refused {
            let url = "https://www.opco.example/actualites"
            let config = "[[feeds]]\nurl = \"\(url)\"\n\(toml)\n"
            var fromConfig: String?
            do {
                _ = try Configuration.parse(config)
                XCTFail("feeds.toml accepted \(toml)")
            } catch let error as ConfigurationError {
                fromConfig = error.problems.first?.message.english
            }
            let file = try dir.write("", to: "feeds.toml")
            let outline = OPMLFeedOutline(
                url: url, title: "Actualités", isLink: true,
                namespacedAttributes: [OPMLExport.namespace: attributes])
            let result = try OPMLImport.run(
                OPMLDocument(outlines: [outline]), configuration: Configuration.parse(""),
                file: FeedsFile(file: file))
            XCTAssertEqual(result.added, [], toml)
            guard case .invalid(let skipped, let reason)? = result.skipped.first else {
                XCTFail("not skipped: \(toml)")
                continue
            }
            XCTAssertEqual(skipped, url)
            XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "", toml)
            // `[[feeds]] items: …` in feeds.toml, `<outline> regwatch:items: …` in the OPML.
            let expected = fromConfig?.replacingOccurrences(of: "[[feeds]] \(key)", with: "<outline> regwatch:\(key)")
            XCTAssertEqual(reason.english, expected, toml)
        }
    }

    func testAnExportedEntryComesBackEqual() throws {
        var page = FeedEntry(
            url: FeedURL("https://www.opco.example/actualites")!, topics: ["cpf"], interval: .seconds(43_200))
        page.kind = .page(PageRecipe(items: "//div[@class=\"row\"]", title: ".//h3", summary: ".//p[1]"))
        var change = FeedEntry(
            url: FeedURL("https://travail-emploi.gouv.example/q?a=1&b=2")!, title: "Qualiopi & co", weight: 3)
        change.kind = .change(ChangeWatch(region: "//main", ignore: [#"\d+ vues, "x""#, "a\tb\nc", "[,]"]))
        let feed = FeedEntry(
            url: FeedURL("https://www.centre-inffo.example/feed")!, title: "Centre \"Inffo\"", topics: ["qualiopi"],
            interval: .seconds(7200), weight: 2.5, enabled: false)
        let entries = [feed, page, change, FeedEntry(url: FeedURL("https://www.opco.example/agenda")!)]
        let text = OPMLExport.document(
            feeds: entries,
            storedTitles: ["https://www.opco.example/actualites": "OPCO", "https://www.opco.example/agenda": " "])
        // A page is named by its stored title, never its XPath; a blank stored title names nothing.
        XCTAssertTrue(text.contains(#"text="OPCO" title="OPCO" htmlUrl="https://www.opco.example/actualites""#), text)
        XCTAssertTrue(text.contains(#"text="https://www.opco.example/agenda""#), text)
        let file = try dir.write("", to: "feeds.toml")
        let result = try OPMLImport.run(
            OPMLDocument.parse(Data(text.utf8)), configuration: Configuration.parse(""), file: FeedsFile(file: file))
        XCTAssertEqual(result.skipped, [])
        XCTAssertEqual(result.added, entries)
        XCTAssertEqual(try Configuration.load(from: file).feeds, entries)
    }
}
