import Foundation
import Synchronization
import TestSupport
import XCTest

/// add-feed on a page with no feed, fetch --kind page|change, and a page whose layout changed
/// named by status and list-feeds, through the real binary and a loopback HTTP server.
final class PageCommandsTests: XCTestCase {
    var fixture: WatchctlFixture!

    static let header = WatchctlFixture.feedsFile(
        """
        # Veille de l'équipe formation
        [storage]
        database = "state/regwatch.sqlite"
        """)

    /// A Drupal listing of an OPCO, with a menu and a pager that must not be taken for the list.
    static func listing(rowClass: String = "views-row") -> Data {
        let rows = [
            (
                "2026-12-03", "prise-en-charge-2027",
                "Prise en charge 2027 : les nouveaux plafonds des actions de formation"
            ),
            ("2026-11-28", "webinaire-qualiopi", "Webinaire : la veille réglementaire de l'indicateur 23 Qualiopi"),
            ("2026-11-20", "referents-handicap", "Handicap et neurodiversité : le rôle des référents en formation"),
            ("2026-11-12", "cpf-abondement", "CPF : l'abondement des entreprises simplifié par décret"),
        ]
        return Data(
            """
            <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Actualités | OPCO exemple</title></head><body>
            <ul class="menu menu--main"><li><a href="/entreprises">Vous êtes une entreprise adhérente</a></li>
            <li><a href="/of">Vous êtes un organisme de formation</a></li><li><a href="/alternance">Tout savoir sur l'alternance</a></li></ul>
            <div class="view-content">
            \(rows.map { "<div class=\"\(rowClass)\"><time datetime=\"\($0.0)\">\($0.0)</time><h3><a href=\"/actualites/\($0.1)\">\($0.2)</a></h3><p>Résumé de l'actualité \($0.1) pour les organismes.</p></div>" }.joined(separator: "\n"))
            </div>
            <nav class="pager"><ul><li><a href="?page=1">Page suivante des actualités</a></li><li><a href="?page=2">Page trois des actualités</a></li><li><a href="?page=9">Dernière page des actualités</a></li></ul></nav>
            </body></html>
            """.utf8)
    }

    override func setUpWithError() throws {
        fixture = try WatchctlFixture(runsInDirectory: true)
        try fixture.directory.write(Self.header, to: "feeds.toml")
    }

    override func tearDown() {
        fixture.remove()
    }

    func testAddFeedOnAPageWithNoFeedDetectsItsListAndWritesTheRecipeWithAComment() throws {
        fixture.server.route(path: "/actualites", document: Self.listing(), contentType: "text/html; charset=utf-8")
        let url = fixture.url("/actualites")
        let result = try fixture.run(["add-feed", url, "--topic", "qualiopi"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("(kind = \"page\")"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Actualités | OPCO exemple — page, 4 items (detected)"), result.stdout)
        XCTAssertTrue(
            result.stdout.contains("2026-12-03  Prise en charge 2027 : les nouveaux plafonds des actions de formation"),
            result.stdout)

        let text = try String(contentsOf: fixture.config, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix(Self.header), text)
        let items =
            "//div[contains(concat(' ', normalize-space(@class), ' '), ' view-content ')]/div[contains(concat(' ', normalize-space(@class), ' '), ' views-row ')]"
        XCTAssertTrue(
            text.contains("# items was detected by watchctl add-feed (4 items found); to tune it, try\n"), text)
        XCTAssertTrue(
            text.contains(
                "[[feeds]]\nurl = \"\(url)\"\nkind = \"page\"\nitems = \"\(items)\"\ntopics = [\"qualiopi\"]\n"), text)
        XCTAssertEqual(try fixture.run(["check-config"]).status, 0)

        // The feed's own conventional paths were tried first, and the page was asked for as HTML.
        XCTAssertEqual(fixture.server.requestCount(path: "/feed"), 1)
        let poll = try fixture.run(["poll", "--json"])
        XCTAssertEqual(poll.status, 0, poll.stderr)
        XCTAssertEqual(try Self.newItems(poll), 4)
    }

    static func newItems(_ result: Watchctl.Result) throws -> Int? {
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return json?["new_items"] as? Int
    }

    func testFetchKindPagePreviewsTheItemsInTheParseShapeAndStoresNothing() throws {
        fixture.server.route(path: "/actualites", document: Self.listing(), contentType: "text/html; charset=utf-8")
        let url = fixture.url("/actualites")
        let result = try fixture.run(["fetch", url, "--kind", "page", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["format"] as? String, "html")
        XCTAssertEqual(json["detected"] as? Bool, true)
        let items = try XCTUnwrap(json["items"] as? [[String: Any]])
        XCTAssertEqual(items.count, 4)
        XCTAssertEqual(
            items[0]["title"] as? String, "Prise en charge 2027 : les nouveaux plafonds des actions de formation")
        XCTAssertEqual(items[0]["link"] as? String, fixture.url("/actualites/prise-en-charge-2027"))
        XCTAssertEqual(items[0]["published"] as? String, "2026-12-03T00:00:00Z")
        XCTAssertEqual(
            items[0]["summary"] as? String, "Résumé de l'actualité prise-en-charge-2027 pour les organismes.")
        XCTAssertEqual(
            Set(items[0].keys),
            ["authors", "categories", "content", "id", "link", "published", "summary", "title", "updated"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.file("state/regwatch.sqlite").path))

        // A selector given by hand that matches nothing is bad input, said in one line.
        let none = try fixture.run(["fetch", url, "--kind", "page", "--items", "//article", "--json"])
        XCTAssertEqual(none.status, 2)
        XCTAssertEqual(none.stderr, "watchctl: \(url): items = \"//article\" matched nothing on the page\n")
        let invalid = try fixture.run(["fetch", url, "--kind", "page", "--items", "//div[", "--json"])
        XCTAssertEqual(invalid.status, 2)
        XCTAssertTrue(invalid.stderr.contains("--items //div[: not a valid XPath 1.0 expression"), invalid.stderr)
    }

    func testALayoutChangeFailsThePageInStatusAndListFeeds() throws {
        let served = Served(Self.listing())
        fixture.server.route("/actualites") { _ in
            .init(headers: ["Content-Type": "text/html; charset=utf-8"], body: served.value)
        }
        let url = fixture.url("/actualites")
        XCTAssertEqual(
            try fixture.run(["add-feed", url, "--kind", "page", "--items", "//div[@class='views-row']"]).status, 0)
        XCTAssertEqual(try Self.newItems(fixture.run(["poll", "--json"])), 4)

        served.value = Self.listing(rowClass: "node-teaser")
        let poll = try fixture.run(["poll", "--json"])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(poll.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["failed"] as? Int, 1, poll.stdout)
        let message = "the page layout changed: items matched nothing, 4 last time"
        let status = try fixture.run(["status"])
        XCTAssertTrue(status.stdout.contains(message), status.stdout)
        let list = try fixture.run(["list-feeds"])
        XCTAssertTrue(list.stdout.contains(message), list.stdout)
        let listJSON = try fixture.run(["list-feeds", "--json"])
        let feeds = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listJSON.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(feeds.first?["error_streak"] as? Int, 1)
    }

    func testFetchKindChangeShowsTheComparedTextWithoutMenusOrScripts() throws {
        let page = """
            <!DOCTYPE html><html><head><title>Guide de lecture</title><script>var token = "abc";</script></head><body>
            <header><nav><a href="/">Accueil</a></nav></header>
            <main><h1>Guide de lecture</h1><p>L'indicateur 23 porte sur la veille légale.</p><form><input value="q"><button>Chercher</button></form></main>
            <footer>Mentions légales</footer></body></html>
            """
        fixture.server.route(path: "/guide", document: Data(page.utf8), contentType: "text/html; charset=utf-8")
        let result = try fixture.run(["fetch", fixture.url("/guide"), "--kind", "change"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(
            result.stdout,
            "Guide de lecture — 2 lines compared\n  Guide de lecture\n  L'indicateur 23 porte sur la veille légale.\n")
    }
}

extension PageCommandsTests {
    func testParseKindPageReadsALocalFileWithTheRecipeGiven() throws {
        let file = fixture.file("actualites.html")
        try Self.listing().write(to: file)
        let result = try fixture.run([
            "parse", file.path, "--kind", "page", "--items", "//div[@class='views-row']", "--title", "string(.//h3)",
            "--date", ".//time", "--base-url", "https://www.opco.example/actualites",
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let items = try XCTUnwrap(json["items"] as? [[String: Any]])
        XCTAssertEqual(
            items.map { $0["link"] as? String },
            [
                "https://www.opco.example/actualites/prise-en-charge-2027",
                "https://www.opco.example/actualites/webinaire-qualiopi",
                "https://www.opco.example/actualites/referents-handicap",
                "https://www.opco.example/actualites/cpf-abondement",
            ])
        XCTAssertEqual(items.last?["published"] as? String, "2026-11-12T00:00:00Z")
        XCTAssertEqual(try fixture.run(["parse", file.path, "--kind", "change"]).status, 2)
    }
}

extension PageCommandsTests {
    func testAddFeedKindChangeOnADocumentThenAChangeIsAnItemThatSearchFinds() throws {
        let served = Served(
            Data("%PDF-1.4\n% Guide de lecture du référentiel national qualité, version 8\n%%EOF\n".utf8))
        fixture.server.route("/guide.pdf") { _ in
            .init(headers: ["Content-Type": "application/pdf"], body: served.value)
        }
        let url = fixture.url("/guide.pdf")
        let added = try fixture.run(["add-feed", url, "--kind", "change", "--topic", "qualiopi"])
        XCTAssertEqual(added.status, 0, added.stderr)
        XCTAssertTrue(added.stdout.contains("(application/pdf, 80 bytes), watched by content"), added.stdout)
        XCTAssertTrue(
            try String(contentsOf: fixture.config, encoding: .utf8).contains(
                "url = \"\(url)\"\nkind = \"change\"\ntopics = [\"qualiopi\"]\n"))

        XCTAssertEqual(try Self.newItems(fixture.run(["poll", "--json"])), 0)  // the baseline
        served.value = Data(
            "%PDF-1.4\n% Guide de lecture du référentiel national qualité, version 9 (indicateur 23)\n%%EOF\n".utf8)
        XCTAssertEqual(try Self.newItems(fixture.run(["poll", "--json"])), 1)
        let search = try fixture.run(["search", "document modifié", "--json"])
        XCTAssertEqual(search.status, 0, search.stderr)
        XCTAssertTrue(search.stdout.contains("guide.pdf — document modifié"), search.stdout)
    }
}

/// A body a route handler reads while the test changes it.
final class Served: Sendable {
    private let current: Mutex<Data>

    init(_ value: Data) { current = Mutex(value) }

    var value: Data {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}
