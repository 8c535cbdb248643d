import Foundation
import FoundationXML
import TestSupport
import XCTest

/// `[[feeds]] name`, a display name for any source (a listing page above all, whose `title` is an
/// XPath): shown by list-feeds, status, items, the digest and the audit, refused beside `title`
/// on a feed, written by `add-feed --name`, kept by an OPML round trip. The real binary, a real
/// feeds.toml and SQLite file, a loopback HTTP server.
final class SourceNameCommandTests: XCTestCase {
    var fixture: WatchctlFixture!

    static let header = WatchctlFixture.feedsFile(
        """
        # Veille de l'équipe formation
        [storage]
        database = "state/regwatch.sqlite"
        """)

    /// What a ministry's page calls itself: long and generic.
    static let pageTitle = "Actualités | Ministère du Travail, du Plein emploi et de l'Insertion"
    /// What the team calls it.
    static let name = "DGEFP — actualités"

    /// A news list of four blocks of `rowClass`, published now: news of the current week.
    static func listing(rowClass: String = "views-row") -> Data {
        let now = ISO8601DateFormatter().string(from: Date())
        let rows = [
            ("cpf-abondement", "CPF : l'abondement des entreprises simplifié par décret"),
            ("qualiopi-audit", "Qualiopi : ce qui change pour l'audit de surveillance"),
            ("apprentissage-aides", "Apprentissage : les aides à l'embauche prolongées"),
            ("vae-reforme", "VAE : le nouveau parcours en ligne ouvert à tous"),
        ]
        return Data(
            """
            <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>\(pageTitle)</title></head><body>
            <div class="view-content">
            \(rows.map { "<div class=\"\(rowClass)\"><time datetime=\"\(now)\">\(now)</time><h3><a href=\"/actualites/\($0.0)\">\($0.1)</a></h3><p>Le détail de \($0.0).</p></div>" }.joined(separator: "\n"))
            </div>
            </body></html>
            """.utf8)
    }

    /// The current ISO week in the digest's time zone (the default Europe/Paris).
    static var currentWeek: String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: Date())
        return String(format: "%04d-W%02d", parts.yearForWeekOfYear!, parts.weekOfYear!)
    }

    override func setUpWithError() throws {
        // In English unless a run says otherwise.
        fixture = try WatchctlFixture(environment: ["LC_ALL": "C.UTF-8"], runsInDirectory: true)
        try fixture.directory.write(Self.header, to: "feeds.toml")
    }

    override func tearDown() {
        fixture.remove()
    }

    /// The `[[feeds]]` table of the listing page at `url`, named ``name``, as `add-feed --kind page
    /// --name` writes it.
    private static func namedPageTable(url: String) -> String {
        """
        [[feeds]]
        url = "\(url)"
        kind = "page"
        name = "\(name)"
        items = "//div[@class='views-row']"
        title = ".//h3/a"

        """
    }

    private func json<T>(_ result: Watchctl.Result, as type: T.Type = [String: Any].self) throws -> T {
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? T, result.stdout)
    }

    func testAPageNamedByNameShowsThatNameInListFeedsStatusItemsTheDigestAndTheAudit() throws {
        let served = Served(Self.listing())
        fixture.server.route("/actualites") { _ in
            .init(headers: ["Content-Type": "text/html; charset=utf-8"], body: served.value)
        }
        let url = fixture.url("/actualites")
        try fixture.directory.write(Self.header + "\n" + Self.namedPageTable(url: url), to: "feeds.toml")
        XCTAssertEqual(try json(fixture.run(["poll", "--json"]))["new_items"] as? Int, 4)

        let list = try fixture.run(["list-feeds"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains(Self.name), list.stdout)
        XCTAssertFalse(list.stdout.contains("Actualités | Minist"), list.stdout)
        let listed = try json(fixture.run(["list-feeds", "--json"]), as: [[String: Any]].self)
        XCTAssertEqual(listed.map { $0["title"] as? String }, [Self.name])
        let items = try fixture.run(["items"])
        XCTAssertEqual(items.stdout.components(separatedBy: Self.name).count - 1, 4, items.stdout)

        // The layout changes: the page fails, named by its name in status and the digest.
        served.value = Self.listing(rowClass: "node-teaser")
        XCTAssertEqual(try json(fixture.run(["poll", "--json"]))["failed"] as? Int, 1)
        let status = try fixture.run(["status"])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(
            status.stdout.contains("  \(Self.name) (\(url)) — 1 failure(s): the page layout changed"), status.stdout)

        let digest = try json(
            fixture.run(["digest", "--week", Self.currentWeek, "--format", "json", "--output", "-"]))
        let entries = try XCTUnwrap(digest["items"] as? [[String: Any]]) + (digest["more"] as? [[String: Any]] ?? [])
        XCTAssertEqual(entries.count, 4, "\(digest)")
        XCTAssertEqual(Set(entries.map { $0["source"] as? String }), [Self.name])
        let failing = try XCTUnwrap(digest["failing_sources"] as? [[String: Any]])
        XCTAssertEqual(failing.map { $0["source"] as? String }, [Self.name])
        let markdown = try fixture.run(["digest", "--week", Self.currentWeek, "--output", "-"])
        XCTAssertEqual(markdown.status, 0, markdown.stderr)
        XCTAssertTrue(markdown.stdout.contains(Self.name), markdown.stdout)
        XCTAssertFalse(markdown.stdout.contains("Ministère du Travail, du Plein"), markdown.stdout)

        let audit = try json(fixture.run(["audit", "--format", "json", "--output", "-"]))
        let sources = try XCTUnwrap(audit["sources"] as? [[String: Any]])
        XCTAssertEqual(sources.map { $0["name"] as? String }, [Self.name])
    }

    func testTitleAndNameOnAFeedIsExitTwoWithOneLineInTheRunsLanguage() throws {
        let config = try fixture.directory.write(
            Self.header
                + """

                [[feeds]]
                url = "https://www.centre-inffo.example/feed"
                title = "Centre Inffo"
                name = "Centre Inffo — toute l'actualité"

                """, to: "feeds.toml")
        let english = try fixture.run(["list-feeds"])
        XCTAssertEqual(english.status, 2)
        XCTAssertEqual(
            english.stderr,
            "watchctl: \(config.path):11: [[feeds]] name: title and name both name this source: keep one (name works for every kind)\n"
        )
        XCTAssertEqual(english.stdout, "")
        let french = try fixture.run(["check-config"], environment: ["LC_ALL": "fr_FR.UTF-8"])
        XCTAssertEqual(french.status, 2)
        XCTAssertEqual(
            french.stderr,
            "watchctl: \(config.path):11: [[feeds]] name : title et name nomment tous deux cette source : n'en garder qu'un (name vaut pour tous les types de source)\n"
        )
    }

    func testAddFeedKindPageWithNameWritesItAndListFeedsShowsIt() throws {
        fixture.server.route(path: "/actualites", document: Self.listing(), contentType: "text/html; charset=utf-8")
        let url = fixture.url("/actualites")
        let added = try fixture.run([
            "add-feed", url, "--kind", "page", "--items", "//div[@class='views-row']", "--title", ".//h3/a",
            "--name", Self.name,
        ])
        XCTAssertEqual(added.status, 0, added.stderr)
        let text = try String(contentsOf: fixture.config, encoding: .utf8)
        XCTAssertEqual(text, Self.header + "\n" + Self.namedPageTable(url: url))
        XCTAssertEqual(try fixture.run(["check-config"]).status, 0)
        let listed = try json(fixture.run(["list-feeds", "--json"]), as: [[String: Any]].self)
        XCTAssertEqual(listed.map { $0["title"] as? String }, [Self.name])
    }

    func testAddFeedNameWritesAFeedsNameAndRefusesItBesideTitle() throws {
        let url = "https://www.centre-inffo.example/feed"
        let both = try fixture.run(["add-feed", url, "--no-check", "--title", "Inffo", "--name", "Centre Inffo"])
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(
            both.stderr.hasPrefix(
                "Error: --title and --name both name a feed or a change watch: keep one (with --kind page, --title is the XPath of each item's title)\n"
            ), both.stderr)
        let blank = try fixture.run(["add-feed", url, "--no-check", "--name", "  "])
        XCTAssertEqual(blank.status, 2)
        XCTAssertTrue(blank.stderr.hasPrefix("Error: --name: must not be empty"), blank.stderr)
        XCTAssertEqual(try String(contentsOf: fixture.config, encoding: .utf8), Self.header)

        let added = try fixture.run(["add-feed", url, "--no-check", "--name", "Centre Inffo"])
        XCTAssertEqual(added.status, 0, added.stderr)
        let watched = "https://travail-emploi.gouv.example/guide.pdf"
        XCTAssertEqual(
            try fixture.run(["add-feed", watched, "--no-check", "--kind", "change", "--name", "Guide Qualiopi"]).status,
            0)
        XCTAssertEqual(
            try String(contentsOf: fixture.config, encoding: .utf8),
            Self.header + "\n"
                + """
                [[feeds]]
                url = "\(url)"
                name = "Centre Inffo"

                [[feeds]]
                url = "\(watched)"
                kind = "change"
                name = "Guide Qualiopi"

                """)
        let listed = try json(fixture.run(["list-feeds", "--json"]), as: [[String: Any]].self)
        XCTAssertEqual(listed.map { $0["title"] as? String }, ["Centre Inffo", "Guide Qualiopi"])
    }

    func testAnOPMLRoundTripKeepsAPagesNameAndOtherReadersSeeIt() throws {
        let page = "https://travail-emploi.gouv.example/actualites"
        let original =
            Self.header + "\n"
                + """
                [[feeds]]
                url = "\(page)"
                kind = "page"
                name = "\(Self.name)"
                items = "//div[@class='views-row']"
                title = ".//h3/a"
                topics = ["cpf"]

                [[feeds]]
                url = "https://www.centre-inffo.example/feed"
                name = "Centre Inffo"

                """
        let config = try fixture.directory.write(original, to: "feeds.toml")
        let opml = fixture.file("veille.opml")
        let export = try fixture.run(["export-opml", opml.path], config: config)
        XCTAssertEqual(export.status, 0, export.stderr)

        let document = try XMLDocument(contentsOf: opml, options: [])
        let outline = try XCTUnwrap(
            document.nodes(forXPath: "/opml/body/outline").first as? XMLElement)
        XCTAssertEqual(outline.attribute(forName: "text")?.stringValue, Self.name)
        XCTAssertEqual(outline.attribute(forName: "title")?.stringValue, Self.name)
        XCTAssertEqual(outline.attribute(forName: "regwatch:name")?.stringValue, Self.name)
        XCTAssertEqual(outline.attribute(forName: "regwatch:title")?.stringValue, ".//h3/a")

        let fresh = try fixture.directory.write(Self.header, to: "other/feeds.toml")
        let imported = try fixture.run(["import-opml", opml.path], config: fresh)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(imported.stdout, "\(opml.path): 2 feeds read, 2 added, 0 already listed, 0 skipped\n")
        XCTAssertEqual(try String(contentsOf: fresh, encoding: .utf8), original)
    }
}
