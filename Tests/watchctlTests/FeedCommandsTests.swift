import Foundation
import TestSupport
import XCTest

/// add-feed, poll, status, import-opml / export-opml and retag through the real binary, a real
/// feeds.toml, a real SQLite file and a loopback HTTP server.
final class FeedCommandsTests: XCTestCase {
    var fixture: WatchctlFixture!

    static let header = WatchctlFixture.feedsFile(
        """
        # Veille de l'équipe formation — ne pas supprimer ce commentaire
        [storage]
        database = "state/regwatch.sqlite"   # relatif à ce fichier
        """)

    /// Items published now: news of the current week, which `status` counts.
    static let published = LoopbackHTTPServer.httpDate(Date())

    static func feed(_ title: String, _ items: [(String, String)]) -> Data {
        Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>\(title)</title><link>https://example.fr/</link>
            \(items.map { "<item><title>\($0.1)</title><link>https://example.fr/\($0.0)</link><guid>\($0.0)</guid><pubDate>\(published)</pubDate><description>\($0.1)</description></item>" }.joined())
            </channel></rss>
            """.utf8)
    }

    override func setUpWithError() throws {
        // In English unless a run says otherwise.
        fixture = try WatchctlFixture(environment: ["LC_ALL": "C.UTF-8"], runsInDirectory: true)
        try fixture.directory.write(Self.header, to: "feeds.toml")
        fixture.server.route(
            path: "/inffo.xml",
            document: Self.feed(
                "Centre Inffo",
                [
                    ("cpf", "Décret CPF : participation forfaitaire relevée"),
                    ("qualiopi", "Qualiopi : le nouveau guide de lecture du référentiel"),
                    ("autre", "Agenda des salons de l'orientation"),
                ]))
        fixture.server.route(
            path: "/ia.xml",
            document: Self.feed(
                "Sydologie",
                [
                    ("ia", "L'intelligence artificielle générative en formation")
                ]))
    }

    override func tearDown() {
        fixture.remove()
    }

    func testAddFeedChecksTheFeedAppendsItAndKeepsEveryExistingLine() throws {
        let url = fixture.url("/inffo.xml")
        let result = try fixture.run(["add-feed", url, "--topic", "cpf", "--interval", "2h"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Centre Inffo"), result.stdout)
        XCTAssertTrue(result.stdout.contains("3 items"), result.stdout)
        XCTAssertTrue(result.stdout.contains("CPF (1)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Qualiopi (1)"), result.stdout)

        let text = try String(contentsOf: fixture.config, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix(Self.header), "existing lines and comments are kept byte for byte")
        XCTAssertTrue(text.contains("url = \"\(url)\""), text)
        XCTAssertTrue(text.contains("interval = \"2h\""), text)
        XCTAssertEqual(try fixture.run(["check-config"]).status, 0)
    }

    func testAddFeedRefusesADuplicateThatDiffersOnlyInCaseOrTrailingSlash() throws {
        let url = fixture.url("/inffo.xml")
        XCTAssertEqual(try fixture.run(["add-feed", url, "--no-check"]).status, 0)
        let twin = url.replacingOccurrences(of: "http://127.0.0.1", with: "HTTP://127.0.0.1") + "/"
        let result = try fixture.run(["add-feed", twin, "--no-check"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("feeds.toml"), result.stderr)
        XCTAssertEqual(
            try String(contentsOf: fixture.config, encoding: .utf8).components(separatedBy: "[[feeds]]").count, 2)
    }

    func testAddFeedRefusesAPageWithoutFeedAndLeavesTheFileAlone() throws {
        fixture.server.route("/page") { _ in
            .init(headers: ["Content-Type": "text/html"], text: "<html><body>Pas de flux</body></html>")
        }
        let before = try Data(contentsOf: fixture.config)
        let result = try fixture.run(["add-feed", fixture.url("/page")])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertEqual(try Data(contentsOf: fixture.config), before)
    }

    func testAddFeedRecordsTheFeedDiscoveredFromAPage() throws {
        fixture.server.route("/site") { _ in
            .init(
                headers: ["Content-Type": "text/html"],
                text: """
                    <html><head><link rel="alternate" type="application/rss+xml" href="/ia.xml"></head></html>
                    """)
        }
        let result = try fixture.run(["add-feed", fixture.url("/site")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(
            try String(contentsOf: fixture.config, encoding: .utf8).contains(fixture.url("/ia.xml")))
    }

    func testAddFeedRejectsAnUnknownTopic() throws {
        let result = try fixture.run([
            "add-feed", fixture.url("/inffo.xml"), "--topic", "astrologie", "--no-check",
        ])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("astrologie"), result.stderr)
    }

    func testPollJSONHasTheKeysOfTheContractAndStatusCountsTopics() throws {
        XCTAssertEqual(try fixture.run(["add-feed", fixture.url("/inffo.xml"), "--no-check"]).status, 0)
        XCTAssertEqual(try fixture.run(["add-feed", fixture.url("/ia.xml"), "--no-check"]).status, 0)
        fixture.server.route("/down.xml") { _ in .init(status: 503, text: "down") }
        XCTAssertEqual(try fixture.run(["add-feed", fixture.url("/down.xml"), "--no-check"]).status, 0)

        let poll = try fixture.run(["poll", "--json"])
        XCTAssertEqual(poll.status, 0, poll.stderr)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(poll.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(summary["feeds"] as? Int, 3)
        XCTAssertEqual(summary["ok"] as? Int, 2)
        XCTAssertEqual(summary["not_modified"] as? Int, 0)
        XCTAssertEqual(summary["failed"] as? Int, 1)
        XCTAssertEqual(summary["new_items"] as? Int, 4)
        let errors = try XCTUnwrap(summary["errors"] as? [[String: String]])
        XCTAssertEqual(errors.first?["url"], fixture.url("/down.xml"))
        XCTAssertNotNil(errors.first?["error"])

        let again = try fixture.run(["poll"], environment: ["LC_ALL": "fr_FR.UTF-8"])
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.contains("2 inchangés (304)"), again.stdout)

        let status = try fixture.run(["status", "--json"])
        XCTAssertEqual(status.status, 0, status.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["feeds"] as? Int, 3)
        XCTAssertEqual((json["failing"] as? [Any])?.count, 1)
        XCTAssertEqual((json["topics"] as? [String: Int])?["ia"], 1)
        XCTAssertEqual((json["topics"] as? [String: Int])?["cpf"], 1)
        XCTAssertNotNil(json["last_poll"] as? String)
    }

    func testStatusCountsTheWeeksNewsApartFromTheBackCatalogueFoundThisWeek() throws {
        let archive = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Archives</title><link>https://example.fr/</link>
            <item><title>CPF : la réforme de 2019</title><link>https://example.fr/2019</link><guid>2019</guid>
            <pubDate>Tue, 05 Mar 2019 10:00:00 +0100</pubDate></item>
            <item><title>CPF : la réforme de 2024</title><link>https://example.fr/2024</link><guid>2024</guid>
            <pubDate>Tue, 05 Mar 2024 10:00:00 +0100</pubDate></item>
            <item><title>CPF : le décret de cette semaine</title><link>https://example.fr/now</link><guid>now</guid>
            <pubDate>\(Self.published)</pubDate></item>
            </channel></rss>
            """
        fixture.server.route(path: "/archives.xml", document: Data(archive.utf8))
        XCTAssertEqual(try fixture.run(["add-feed", fixture.url("/archives.xml"), "--no-check"]).status, 0)
        XCTAssertEqual(try fixture.run(["poll"]).status, 0)
        let status = try fixture.run(["status", "--json"])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["items_this_week"] as? Int, 1)
        XCTAssertEqual(json["items_first_seen"] as? Int, 3)
        XCTAssertEqual((json["topics"] as? [String: Int])?["cpf"], 1)
        let text = try fixture.run(["status"], environment: ["LC_ALL": "fr_FR.UTF-8"])
        XCTAssertTrue(
            text.stdout.contains(
                "Articles publiés cette semaine : 1 (3 en base, 2 plus anciens découverts cette semaine)"),
            text.stdout)
    }

    func testPollOfOneFeedThatFailsExitsOne() throws {
        fixture.server.route("/down.xml") { _ in .init(status: 500, text: "down") }
        XCTAssertEqual(try fixture.run(["add-feed", fixture.url("/down.xml"), "--no-check"]).status, 0)
        let result = try fixture.run(["poll", "--feed", fixture.url("/down.xml")])
        XCTAssertEqual(result.status, 1)
        let unknown = try fixture.run(["poll", "--feed", "https://nowhere.example/feed"])
        XCTAssertEqual(unknown.status, 2)
    }

    func testOPMLExportThenImportRoundTripsFeedsTitlesAndTopics() throws {
        XCTAssertEqual(
            try fixture.run([
                "add-feed", fixture.url("/inffo.xml"), "--title", "Centre Inffo — droit", "--topic",
                "cpf", "--topic", "qualiopi", "--no-check",
            ]).status, 0)
        XCTAssertEqual(try fixture.run(["add-feed", fixture.url("/ia.xml"), "--no-check"]).status, 0)
        let opml = fixture.file("veille.opml")
        XCTAssertEqual(try fixture.run(["export-opml", opml.path]).status, 0)

        let fresh = try fixture.directory.write(Self.header, to: "other/feeds.toml")
        let imported = try fixture.run(["import-opml", opml.path], config: fresh)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("2 added"), imported.stdout)
        let again = try fixture.run(["import-opml", opml.path], config: fresh)
        XCTAssertTrue(again.stdout.contains("0 added, 2 already listed"), again.stdout)

        // Everything but the export's own timestamp is the same.
        func withoutDate(_ opml: String) -> String {
            opml.split(separator: "\n").filter { !$0.contains("<dateCreated>") }.joined(separator: "\n")
        }
        let original = try fixture.run(["export-opml"]).stdout
        let roundTripped = try fixture.run(["export-opml"], config: fresh).stdout
        XCTAssertTrue(original.contains("xmlUrl"), original)
        XCTAssertEqual(withoutDate(original), withoutDate(roundTripped))
    }

    func testImportOPMLWalksNestedOutlines() throws {
        let opml = try fixture.directory.write(
            """
            <?xml version="1.0"?><opml version="2.0"><head><title>Export newsboat</title></head><body>
            <outline text="Officiel"><outline text="Travail" type="rss" xmlUrl="https://travail-emploi.gouv.fr/rss.xml"/>
              <outline text="Sénat"><outline text="Textes" xmlUrl="https://www.senat.fr/rss/textes.rss"/></outline></outline>
            <outline text="ftp" xmlUrl="ftp://example.org/feed"/>
            </body></opml>
            """, to: "export.opml")
        let result = try fixture.run(["import-opml", opml.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("3 feeds read, 2 added, 0 already listed, 1 skipped"), result.stdout)
        let text = try String(contentsOf: fixture.config, encoding: .utf8)
        XCTAssertTrue(text.contains("https://www.senat.fr/rss/textes.rss"))
    }

    func testRetagAppliesAChangedTopicToStoredItems() throws {
        XCTAssertEqual(try fixture.run(["add-feed", fixture.url("/inffo.xml"), "--no-check"]).status, 0)
        XCTAssertEqual(try fixture.run(["poll"]).status, 0)
        var items = try fixture.run(["items", "--topic", "cpf", "--json"])
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(items.stdout.utf8)) as? [Any])?.count, 1)

        // The team adds its own topic: the salons d'orientation.
        let text = try String(contentsOf: fixture.config, encoding: .utf8)
        try
            (text
            + "\n[[topics]]\nid = \"orientation\"\nlabel = \"Orientation\"\nterms = [\"salon de l'orientation\"]\n")
            .write(to: fixture.config, atomically: true, encoding: .utf8)
        let retag = try fixture.run(["retag"], environment: ["LC_ALL": "fr_FR.UTF-8"])
        XCTAssertEqual(retag.status, 0, retag.stderr)
        XCTAssertTrue(retag.stdout.contains("3 articles relus, 1 ont changé"), retag.stdout)
        items = try fixture.run(["items", "--topic", "orientation", "--json"])
        let tagged = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(items.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(tagged.first?["title"] as? String, "Agenda des salons de l'orientation")
    }

    func testTagUsesTheTopicsOfFeedsTomlAndBuiltInsWithoutConfig() throws {
        let text = try String(contentsOf: fixture.config, encoding: .utf8)
        try
            (text
            + "\n[[topics]]\nid = \"apprentissage\"\nlabel = \"Apprentissage\"\nterms = [\"contrat d'apprentissage\"]\n")
            .write(to: fixture.config, atomically: true, encoding: .utf8)
        let configured = try fixture.run(["tag", "Le contrat d'apprentissage revalorisé", "--json"])
        XCTAssertEqual(configured.status, 0, configured.stderr)
        XCTAssertTrue(configured.stdout.contains("\"apprentissage\""), configured.stdout)

        let elsewhere = try TemporaryDirectory()
        defer { elsewhere.remove() }
        let builtIn = try Watchctl.run(
            ["tag", "Le contrat d'apprentissage revalorisé", "--json"], currentDirectory: elsewhere.url)
        XCTAssertEqual(builtIn.status, 0, builtIn.stderr)
        XCTAssertFalse(builtIn.stdout.contains("apprentissage\""), builtIn.stdout)

        let missing = try Watchctl.run(["--config", elsewhere.file("nope.toml").path, "tag", "IA"])
        XCTAssertEqual(missing.status, 2)
    }

    func testAddFeedAndStatusWorkWhileAPollIsRunning() throws {
        // A slow source keeps the poll busy (and its database connection open) for a while.
        fixture.server.route("/slow.xml") { _ in
            .init(
                headers: ["Content-Type": "application/rss+xml"], body: Self.feed("Lent", [("lent", "Lent")]),
                delay: .seconds(2))
        }
        XCTAssertEqual(try fixture.run(["add-feed", fixture.url("/inffo.xml"), "--no-check"]).status, 0)
        XCTAssertEqual(try fixture.run(["add-feed", fixture.url("/slow.xml"), "--no-check"]).status, 0)
        let poll = try fixture.start(["poll"])
        let deadline = Date().addingTimeInterval(10)
        while fixture.server.requestCount(path: "/slow.xml") == 0, Date() < deadline { usleep(10_000) }
        XCTAssertTrue(poll.isRunning, "the poll is still waiting for the slow source")

        let added = try fixture.run(["add-feed", fixture.url("/ia.xml")])
        XCTAssertEqual(added.status, 0, added.stderr)
        let status = try fixture.run(["status", "--json"])
        XCTAssertEqual(status.status, 0, status.stderr)
        poll.waitUntilExit()
        XCTAssertEqual(poll.terminationStatus, 0)

        // The next poll reads the file again and picks the new feed up.
        let next = try fixture.run(["poll", "--json"])
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(next.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(summary["feeds"] as? Int, 3)
        XCTAssertEqual(summary["new_items"] as? Int, 1)
    }

    func testTheDigestNamesAFailingSourceOnceWithItsError() throws {
        fixture.server.route("/down.xml") { _ in .init(status: 503, text: "down") }
        let url = fixture.url("/down.xml")
        XCTAssertEqual(try fixture.run(["add-feed", url, "--no-check"]).status, 0)
        XCTAssertEqual(try fixture.run(["poll"]).status, 0)
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: Date())
        let week = String(format: "%04d-W%02d", parts.yearForWeekOfYear!, parts.weekOfYear!)
        let digest = try fixture.run(["digest", "--week", week, "--format", "json", "--output", "-"])
        XCTAssertEqual(digest.status, 0, digest.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(digest.stdout.utf8)) as? [String: Any])
        let failing = try XCTUnwrap(json["failing_sources"] as? [[String: String]])
        XCTAssertEqual(failing.first?["url"], url)
        let error = try XCTUnwrap(failing.first?["error"])
        XCTAssertTrue(error.hasPrefix("HTTP 503"), error)
    }
}
