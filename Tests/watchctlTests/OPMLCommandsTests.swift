import Foundation
import FoundationXML
import TestSupport
import XCTest

/// `export-opml` / `import-opml` as a backup of the whole watch list (feeds, listing pages,
/// change watches and their settings) and as a clean list for other readers, through the real
/// binary, real files, a real SQLite file and a loopback HTTP server.
final class OPMLCommandsTests: XCTestCase {
    var fixture: WatchctlFixture!

    static let namespace = "https://github.com/regwatch/regwatch/opml"

    static let header = WatchctlFixture.feedsFile(
        """
        # Veille de l'équipe formation
        [storage]
        database = "state/regwatch.sqlite"
        """)

    /// The `ignore` patterns of the change watch: commas, quotes, brackets and backslashes.
    static let ignore = [#"(?i)mis à jour le \S+ \S+ \d{4}"#, #"\d+ vues, "total""#, #"[,;]\s*session=[^,'"]+"#]

    /// One source of each shape, written as `watchctl` writes tables, so that an import must
    /// give back these very bytes.
    func sources(page: String) -> String {
        let tomlIgnore = Self.ignore.map {
            "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return """
            [[feeds]]
            url = "https://www.centre-inffo.example/feed"
            title = "Centre Inffo — droit \\"officiel\\" <CPF>"
            topics = ["cpf", "qualiopi"]
            interval = "2h"
            weight = 2.5
            enabled = false

            [[feeds]]
            url = "\(page)"
            kind = "page"
            items = "//div[contains(@class,'views-row')]"
            title = ".//h3/a"
            link = ".//h3/a/@href"
            date = ".//time/@datetime"
            summary = ".//p[1]"
            topics = ["qualiopi"]
            interval = "12h"

            [[feeds]]
            url = "https://www.opco.example/agenda"
            kind = "page"

            [[feeds]]
            url = "https://travail-emploi.gouv.example/qualiopi?onglet=guide&v=2"
            kind = "change"
            title = "Qualiopi : référentiel & guide"
            region = "//main[@id='contenu']"
            ignore = [\(tomlIgnore.joined(separator: ", "))]
            weight = 3.0

            """
    }

    override func setUpWithError() throws {
        fixture = try WatchctlFixture(runsInDirectory: true)
        fixture.server.route(
            path: "/actualites", document: PageCommandsTests.listing(), contentType: "text/html; charset=utf-8")
    }

    override func tearDown() {
        fixture.remove()
    }

    func testExportThenImportGivesBackEveryKindWithItsSettings() throws {
        let page = fixture.url("/actualites")
        let original = Self.header + "\n" + sources(page: page)
        let config = try fixture.directory.write(original, to: "feeds.toml")
        XCTAssertEqual(try fixture.run(["check-config"], config: config).status, 0)
        // The page's own title is stored by a poll: the export names the page by it.
        let poll = try fixture.run(["poll", "--feed", page], config: config)
        XCTAssertEqual(poll.status, 0, poll.stderr)
        let opml = fixture.file("veille.opml")
        let export = try fixture.run(["export-opml", opml.path], config: config)
        XCTAssertEqual(export.status, 0, export.stderr)

        let fresh = try fixture.directory.write(Self.header, to: "other/feeds.toml")
        let imported = try fixture.run(["import-opml", opml.path], config: fresh)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(
            imported.stdout, "\(opml.path): 4 feeds read, 4 added, 0 already listed, 0 skipped\n", imported.stdout)
        XCTAssertEqual(try String(contentsOf: fresh, encoding: .utf8), original)
        XCTAssertEqual(try fixture.run(["check-config"], config: fresh).status, 0)
        let again = try fixture.run(["import-opml", opml.path], config: fresh)
        XCTAssertTrue(again.stdout.contains("4 feeds read, 0 added, 4 already listed, 0 skipped"), again.stdout)
    }

    func testPagesAndChangeWatchesAreLinksNamedForPeopleWithTheirSettingsInTheNamespace() throws {
        let page = fixture.url("/actualites")
        let config = try fixture.directory.write(Self.header + "\n" + sources(page: page), to: "feeds.toml")
        XCTAssertEqual(try fixture.run(["poll", "--feed", page], config: config).status, 0)
        let opml = fixture.file("veille.opml")
        XCTAssertEqual(try fixture.run(["export-opml", opml.path], config: config).status, 0)

        let document = try XMLDocument(contentsOf: opml, options: [])
        XCTAssertEqual(document.rootElement()?.namespace(forPrefix: "regwatch")?.stringValue, Self.namespace)
        let outlines = try document.nodes(forXPath: "/opml/body/outline").compactMap { $0 as? XMLElement }
        XCTAssertEqual(outlines.count, 4)
        // By qualified name: FoundationXML crashes reading the URI of an attribute in no namespace,
        // and the prefix regwatch is bound to regwatch's URI (checked above).
        func attributes(_ outline: XMLElement, prefix: String) -> [String: String] {
            var values: [String: String] = [:]
            for attribute in outline.attributes ?? [] {
                let name = attribute.name ?? ""
                let parts = name.split(separator: ":", maxSplits: 1)
                if parts.count == 1, prefix.isEmpty { values[name] = attribute.stringValue }
                if parts.count == 2, parts[0] == prefix { values[String(parts[1])] = attribute.stringValue }
            }
            return values
        }
        func plain(_ outline: XMLElement) -> [String: String] { attributes(outline, prefix: "") }
        func own(_ outline: XMLElement) -> [String: String] { attributes(outline, prefix: "regwatch") }
        let name = "Centre Inffo — droit \"officiel\" <CPF>"
        XCTAssertEqual(
            plain(outlines[0]),
            [
                "type": "rss", "text": name, "title": name, "xmlUrl": "https://www.centre-inffo.example/feed",
                "category": "cpf,qualiopi", "isComment": "true",
            ])
        XCTAssertEqual(
            own(outlines[0]),
            ["kind": "feed", "title": name, "interval": "2h", "weight": "2.5", "enabled": "false"])
        // A page is named by its own <title>, never by the recipe's title XPath, and is no feed.
        XCTAssertEqual(
            plain(outlines[1]),
            [
                "type": "link", "text": "Actualités | OPCO exemple", "title": "Actualités | OPCO exemple",
                "htmlUrl": page, "category": "qualiopi",
            ])
        XCTAssertEqual(
            own(outlines[1]),
            [
                "kind": "page", "items": "//div[contains(@class,'views-row')]", "title": ".//h3/a",
                "link": ".//h3/a/@href", "date": ".//time/@datetime", "summary": ".//p[1]", "interval": "12h",
            ])
        // Never polled: named by its URL.
        let agenda = "https://www.opco.example/agenda"
        XCTAssertEqual(plain(outlines[2]), ["type": "link", "text": agenda, "title": agenda, "htmlUrl": agenda])
        XCTAssertEqual(own(outlines[2]), ["kind": "page"])
        let watched = "Qualiopi : référentiel & guide"
        XCTAssertEqual(
            plain(outlines[3]),
            [
                "type": "link", "text": watched, "title": watched,
                "htmlUrl": "https://travail-emploi.gouv.example/qualiopi?onglet=guide&v=2",
            ])
        var change = own(outlines[3])
        let ignore = try JSONDecoder().decode(
            [String].self, from: Data((change.removeValue(forKey: "ignore") ?? "").utf8))
        XCTAssertEqual(ignore, Self.ignore)
        XCTAssertEqual(
            change, ["kind": "change", "title": watched, "region": "//main[@id='contenu']", "weight": "3.0"])
    }

    func testNewsboatImportsTheFeedsAndNotThePages() throws {
        let newsboat = URL(fileURLWithPath: "/usr/bin/newsboat")
        guard FileManager.default.isExecutableFile(atPath: newsboat.path) else {
            throw XCTSkip("newsboat is not installed")
        }
        let config = try fixture.directory.write(
            Self.header + "\n" + sources(page: "https://www.opco.example/actualites"), to: "feeds.toml")
        let opml = fixture.file("veille.opml")
        XCTAssertEqual(try fixture.run(["export-opml", opml.path], config: config).status, 0)
        let urls = try fixture.directory.write("", to: "urls")
        let process = Process()
        process.executableURL = newsboat
        process.arguments = [
            "-u", urls.path, "-C", "/dev/null", "-c", fixture.file("cache.db").path, "-i", opml.path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(
            try String(contentsOf: urls, encoding: .utf8).split(separator: "\n"),
            ["https://www.centre-inffo.example/feed"])
    }

    func testAnotherReadersOutlinesAreReadAsBefore() throws {
        let config = try fixture.directory.write(Self.header, to: "feeds.toml")
        // A link, a commented-out feed, attributes of another namespace, and one that happens to
        // use the prefix regwatch for another URI: none of them is regwatch's.
        let opml = try fixture.directory.write(
            """
            <?xml version="1.0"?>
            <opml version="2.0" xmlns:ext="https://example.org/reader" xmlns:regwatch="https://example.org/not-regwatch">
            <head><title>Export Miniflux</title></head><body>
            <outline text="Officiel">
              <outline type="rss" text="Travail" xmlUrl="https://travail-emploi.gouv.example/rss.xml" isComment="true" ext:weight="9" category="Qualiopi"/>
              <outline type="link" text="Le site du ministère" url="https://travail-emploi.gouv.example/"/>
              <outline type="rss" text="Sénat" xmlUrl="https://www.senat.example/rss.xml" regwatch:kind="page" regwatch:weight="50"/>
            </outline>
            </body></opml>
            """, to: "miniflux.opml")
        let result = try fixture.run(["import-opml", opml.path], config: config)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "\(opml.path): 2 feeds read, 2 added, 0 already listed, 0 skipped\n")
        XCTAssertEqual(
            try String(contentsOf: config, encoding: .utf8),
            Self.header + "\n"
                + """
                [[feeds]]
                url = "https://travail-emploi.gouv.example/rss.xml"
                title = "Travail"
                topics = ["qualiopi"]

                [[feeds]]
                url = "https://www.senat.example/rss.xml"
                title = "Sénat"

                """)
    }

    func testAnOutlineWithABadRecipeIsSkippedWithItsReasonAndTheOthersImported() throws {
        let config = try fixture.directory.write(Self.header, to: "feeds.toml")
        // regwatch's namespace under another prefix: matched by its URI.
        let opml = try fixture.directory.write(
            """
            <?xml version="1.0"?>
            <opml version="2.0" xmlns:rw="\(Self.namespace)"><body>
            <outline type="link" text="Agenda" url="https://www.opco.example/agenda" rw:kind="page" rw:items="//div[@class='row'"/>
            <outline type="link" text="Qualiopi" url="https://travail-emploi.gouv.example/qualiopi" rw:kind="change" rw:ignore='["\\\\d+ vues", "(session"]'/>
            <outline type="link" text="Guide" url="https://travail-emploi.gouv.example/guide" rw:kind="change" rw:ignore="\\d+ vues"/>
            <outline type="rss" text="Centre Inffo" xmlUrl="https://www.centre-inffo.example/feed" rw:kind="feed" rw:weight="2"/>
            <outline type="rss" text="Sénat" xmlUrl="https://www.senat.example/rss.xml" rw:interval="souvent"/>
            </body></opml>
            """, to: "backup.opml")
        let result = try fixture.run(["import-opml", opml.path], config: config)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(
            result.stdout,
            """
            \(opml.path): 5 feeds read, 1 added, 0 already listed, 4 skipped
              skipped https://www.opco.example/agenda: <outline> regwatch:items: "//div[@class='row'" is not a valid XPath 1.0 expression (try it with `watchctl fetch URL --kind page`)
              skipped https://travail-emploi.gouv.example/qualiopi: <outline> regwatch:ignore: "(session" is not a regular expression
              skipped https://travail-emploi.gouv.example/guide: <outline> regwatch:ignore: expected a JSON array of strings, found the string "\\\\d+ vues"
              skipped https://www.senat.example/rss.xml: <outline> regwatch:interval: "souvent" is not a duration (write "90s", "30m", "2h" or "1d")

            """)
        // The outline regwatch wrote has no regwatch:title: no configured title, as it was.
        XCTAssertEqual(
            try String(contentsOf: config, encoding: .utf8),
            Self.header + "\n[[feeds]]\nurl = \"https://www.centre-inffo.example/feed\"\nweight = 2.0\n")

        let french = try fixture.run(["import-opml", opml.path], config: config, environment: ["LANG": "fr_FR.UTF-8"])
        XCTAssertTrue(
            french.stdout.contains(
                "  ignoré https://www.opco.example/agenda : <outline> regwatch:items : \"//div[@class='row'\" est une expression XPath 1.0 invalide"
            ), french.stdout)
        XCTAssertTrue(french.stdout.contains("1 déjà présents, 4 ignorés"), french.stdout)
    }
}
