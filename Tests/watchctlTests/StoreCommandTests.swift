import Foundation
import FoundationXML
import TestSupport
import XCTest

/// `list-feeds`, `items`, `search` and `export-opml` over a database filled by a real
/// `watchctl poll` of feeds served on 127.0.0.1.
final class StoreCommandTests: XCTestCase {
    private var fixture: WatchctlFixture!

    static let inffo = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Centre Inffo &amp; co</title><link>https://www.centre-inffo.fr/</link>
        <item><title>Référentiel national qualité : la version 9 publiée</title>
        <link>https://www.centre-inffo.fr/actu/rnq-9?utm_source=rss</link><guid isPermaLink="false">inffo-1</guid>
        <pubDate>Tue, 02 Dec 2025 10:00:00 +0100</pubDate>
        <description>Les organismes certifiés Qualiopi ont douze mois pour s'y conformer.</description></item>
        <item><title>Compte personnel de formation : le reste à charge évolue</title>
        <link>https://www.centre-inffo.fr/actu/cpf</link><guid isPermaLink="false">inffo-2</guid>
        <pubDate>Wed, 03 Dec 2025 09:00:00 +0100</pubDate>
        <description>La participation forfaitaire du CPF est revalorisée.</description></item>
        </channel></rss>
        """

    static let sydologie = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Sydologie</title><link>https://sydologie.com/</link>
        <item><title>L'IA générative au service de la scénarisation pédagogique</title>
        <link>https://sydologie.com/ia-scenarisation</link><guid>syd-1</guid>
        <pubDate>Mon, 01 Dec 2025 08:00:00 +0000</pubDate>
        <description>Comment l'intelligence artificielle aide les concepteurs.</description></item>
        </channel></rss>
        """

    override func setUpWithError() throws {
        fixture = try WatchctlFixture(prefix: "watchctl-store")
        fixture.server.route(path: "/inffo.xml", document: Data(Self.inffo.utf8))
        fixture.server.route(path: "/syd.xml", document: Data(Self.sydologie.utf8))
        try fixture.writeConfig(
            """
            [[feeds]]
            url = "\(fixture.url("/inffo.xml"))"
            title = "Centre Inffo \\"officiel\\" <droit>"
            topics = ["cpf", "qualiopi"]

            [[feeds]]
            url = "\(fixture.url("/syd.xml"))"
            topics = ["ia"]

            [[feeds]]
            url = "https://example.org/plus-tard.xml"
            enabled = false
            """)
        let poll = try fixture.run(["poll"])
        XCTAssertEqual(poll.status, 0, poll.stderr)
    }

    override func tearDown() {
        fixture.remove()
    }

    private func json(_ arguments: [String]) throws -> [[String: Any]] {
        let result = try fixture.run(arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        let value = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try XCTUnwrap(value as? [[String: Any]], result.stdout)
    }

    func testListFeedsJSONHasTheKeysOfTheDesignAndTheStateOfEachFeed() throws {
        let feeds = try json(["list-feeds", "--json"])
        XCTAssertEqual(feeds.count, 3)
        for feed in feeds {
            XCTAssertEqual(Set(feed.keys), ["url", "title", "last_status", "last_fetched", "error_streak", "items"])
        }
        XCTAssertEqual(feeds[0]["url"] as? String, fixture.url("/inffo.xml"))
        XCTAssertEqual(feeds[0]["title"] as? String, "Centre Inffo \"officiel\" <droit>")
        XCTAssertEqual(feeds[0]["last_status"] as? Int, 200)
        XCTAssertEqual(feeds[0]["items"] as? Int, 2)
        XCTAssertEqual(feeds[0]["error_streak"] as? Int, 0)
        XCTAssertNotNil(
            (feeds[0]["last_fetched"] as? String)?.range(
                of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression))
        XCTAssertEqual(feeds[1]["title"] as? String, "Sydologie", "the feed's own title when none is configured")
        XCTAssertTrue(feeds[2]["last_status"] is NSNull)
        XCTAssertTrue(feeds[2]["last_fetched"] is NSNull)
        XCTAssertEqual(feeds[2]["items"] as? Int, 0)
    }

    func testListFeedsForAPersonIsAlignedColumns() throws {
        let result = try fixture.run(["list-feeds"], environment: ["LC_ALL": "fr_FR.UTF-8"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("FLUX"), result.stdout)
        let column = try XCTUnwrap(lines[0].range(of: "URL")).lowerBound.utf16Offset(in: lines[0])
        for line in lines[1...3] {
            XCTAssertTrue(line.dropFirst(column - 1).hasPrefix(" http"), "misaligned: \(line)")
        }
        XCTAssertTrue(lines[3].contains("désactivé"), lines[3])
    }

    func testItemsJSONIsNewestFirstWithTheKeysOfTheDesign() throws {
        let items = try json(["items", "--json"])
        XCTAssertEqual(
            items.map { $0["title"] as? String },
            [
                "Compte personnel de formation : le reste à charge évolue",
                "Référentiel national qualité : la version 9 publiée",
                "L'IA générative au service de la scénarisation pédagogique",
            ])
        for item in items {
            XCTAssertEqual(Set(item.keys), ["id", "feed", "title", "link", "published", "first_seen", "topics"])
        }
        XCTAssertEqual(items[0]["published"] as? String, "2025-12-03T08:00:00Z")
        XCTAssertEqual(items[0]["feed"] as? String, fixture.url("/inffo.xml"))
        XCTAssertEqual(items[1]["link"] as? String, "https://www.centre-inffo.fr/actu/rnq-9?utm_source=rss")
        XCTAssertEqual(items[0]["topics"] as? [String], ["cpf"])
    }

    func testItemsFilterByTopicSinceAndLimit() throws {
        XCTAssertEqual(
            try json(["items", "--topic", "ia", "--json"]).map { $0["title"] as? String },
            [
                "L'IA générative au service de la scénarisation pédagogique"
            ])
        XCTAssertEqual(try json(["items", "--since", "2025-12-02", "--json"]).count, 2)
        XCTAssertEqual(try json(["items", "--since", "2025-12-03T00:00:00Z", "--json"]).count, 1)
        XCTAssertEqual(try json(["items", "--limit", "1", "--json"]).count, 1)
        let unknown = try fixture.run(["items", "--topic", "apprentissage"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertEqual(unknown.stderr.split(separator: "\n").count, 1, unknown.stderr)
        let badDate = try fixture.run(["items", "--since", "hier"])
        XCTAssertEqual(badDate.status, 2)
    }

    func testSearchIsAccentInsensitiveAndRanked() throws {
        let hits = try json(["search", "referentiel qualite", "--json"])
        XCTAssertEqual(hits.map { $0["title"] as? String }, ["Référentiel national qualité : la version 9 publiée"])
        XCTAssertEqual(Set(hits[0].keys), ["id", "feed", "title", "link", "published", "first_seen", "topics"])
        let ranked = try json(["search", "formation", "--json"])
        XCTAssertEqual(ranked.first?["title"] as? String, "Compte personnel de formation : le reste à charge évolue")
        let human = try fixture.run(["search", "GENERATIVE"])
        XCTAssertEqual(human.status, 0, human.stderr)
        XCTAssertTrue(human.stdout.contains("L'IA générative au service de la scénarisation pédagogique"), human.stdout)
        XCTAssertTrue(human.stdout.contains("Sydologie"), human.stdout)
        let none = try fixture.run(
            ["search", "apprentissage"], environment: ["LC_ALL": "fr_FR.UTF-8"])
        XCTAssertEqual(none.status, 0)
        XCTAssertTrue(none.stdout.contains("aucun résultat"), none.stdout)
        let empty = try fixture.run(["search", "«»"])
        XCTAssertEqual(empty.status, 2)
    }

    func testSearchFoldsPluralsAndFemininesLikeTheTagger() throws {
        let rnq = ["Référentiel national qualité : la version 9 publiée"]
        XCTAssertEqual(try json(["search", "référentiels nationaux", "--json"]).map { $0["title"] as? String }, rnq)
        XCTAssertEqual(try json(["search", "\"versions 9 publiées\"", "--json"]).map { $0["title"] as? String }, rnq)
        XCTAssertEqual(
            try json(["search", "génératives", "--json"]).map { $0["title"] as? String },
            ["L'IA générative au service de la scénarisation pédagogique"])
        XCTAssertEqual(try json(["search", "publi*", "--json"]).map { $0["title"] as? String }, rnq)
    }

    func testExportOPMLIsWellFormedEscapedAndCarriesTopics() throws {
        let file = fixture.file("veille.opml")
        let result = try fixture.run(["export-opml", file.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "")
        let document = try XMLDocument(contentsOf: file, options: [])
        XCTAssertEqual(document.rootElement()?.attribute(forName: "version")?.stringValue, "2.0")
        let outlines = try document.nodes(forXPath: "/opml/body/outline").compactMap { $0 as? XMLElement }
        XCTAssertEqual(outlines.count, 3)
        XCTAssertEqual(outlines[0].attribute(forName: "text")?.stringValue, "Centre Inffo \"officiel\" <droit>")
        XCTAssertEqual(
            outlines[0].attribute(forName: "xmlUrl")?.stringValue, fixture.url("/inffo.xml"))
        XCTAssertEqual(outlines[0].attribute(forName: "category")?.stringValue, "cpf,qualiopi")
        XCTAssertEqual(outlines[1].attribute(forName: "text")?.stringValue, "Sydologie")
        XCTAssertEqual(outlines[2].attribute(forName: "isComment")?.stringValue, "true")
        let stdout = try fixture.run(["export-opml"])
        func withoutDate(_ text: String) -> String {
            text.replacingOccurrences(of: #"<dateCreated>[^<]*</dateCreated>"#, with: "", options: .regularExpression)
        }
        XCTAssertEqual(
            withoutDate(stdout.stdout), withoutDate(String(decoding: try Data(contentsOf: file), as: UTF8.self)))
        XCTAssertTrue(
            stdout.stdout.hasPrefix(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<opml version=\"2.0\" xmlns:regwatch=\"https://github.com/regwatch/regwatch/opml\">"))
    }
}
