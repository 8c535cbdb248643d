import Foundation
import TestSupport
import XCTest

/// `watchctl fetch URL [--json]` against a real server on 127.0.0.1.
final class FetchCommandTests: XCTestCase {
    var fixture: WatchctlFixture!

    static let feed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Centre Inffo</title><link>https://www.centre-inffo.fr/</link>
        <item><title>Décret CPF : la participation forfaitaire</title><link>/actu/cpf</link>
        <guid isPermaLink="false">cpf-1</guid><pubDate>Tue, 02 Dec 2025 10:00:00 +0100</pubDate></item>
        </channel></rss>
        """

    override func setUpWithError() throws {
        fixture = try WatchctlFixture()
        // Tests talk to 127.0.0.1: private networks must be allowed explicitly.
        try fixture.writeConfig()
        fixture.server.route(path: "/feed.xml", document: Data(Self.feed.utf8))
    }

    override func tearDown() {
        fixture.remove()
    }

    func testFetchJSONCarriesTheParseKeysAndTheHTTPValidators() throws {
        let result = try fixture.run(["fetch", fixture.url("/feed.xml"), "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["format"] as? String, "rss2.0")
        XCTAssertEqual(json["title"] as? String, "Centre Inffo")
        XCTAssertEqual(json["status"] as? Int, 200)
        XCTAssertEqual(json["final_url"] as? String, fixture.url("/feed.xml"))
        XCTAssertNotNil(json["etag"] as? String)
        XCTAssertNotNil(json["last_modified"] as? String)
        XCTAssertNil(json["discovered_from"], "the URL was the feed: nothing was discovered")
        let items = try XCTUnwrap(json["items"] as? [[String: Any]])
        XCTAssertEqual(items.first?["link"] as? String, fixture.url("/actu/cpf"))
    }

    func testFetchDiscoversTheFeedAnnouncedByAPage() throws {
        fixture.server.route("/") { _ in
            .init(
                headers: ["Content-Type": "text/html; charset=utf-8"],
                text: """
                    <!doctype html><html><head><title>Centre Inffo</title>
                    <link rel="alternate" type="application/rss+xml" title="Actualités" href="feed.xml">
                    </head><body><p>Bienvenue</p></body></html>
                    """)
        }
        let result = try fixture.run(["fetch", fixture.url("/"), "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["final_url"] as? String, fixture.url("/feed.xml"))
        XCTAssertEqual(json["discovered_from"] as? String, fixture.url("/"))
    }

    func testFetchFallsBackToConventionalFeedPaths() throws {
        fixture.server.route("/") { _ in
            .init(headers: ["Content-Type": "text/html"], text: "<html><body>Sans lien</body></html>")
        }
        fixture.server.route(path: "/rss.xml", document: Data(Self.feed.utf8))
        let result = try fixture.run(["fetch", fixture.url("/"), "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["final_url"] as? String, fixture.url("/rss.xml"))
    }

    func testAPageWithoutAnyFeedExitsTwoNamingTheURL() throws {
        fixture.server.route("/") { _ in
            .init(headers: ["Content-Type": "text/html"], text: "<html><body>Rien</body></html>")
        }
        fixture.server.route("/feed.xml") { _ in .init(status: 404, text: "not found") }
        let url = fixture.url("/")
        let result = try fixture.run(["fetch", url])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains(url), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
    }

    func testAServerErrorExitsOneWithOneLine() throws {
        fixture.server.route("/gone") { _ in .init(status: 500, text: "boom") }
        let result = try fixture.run(["fetch", fixture.url("/gone")])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("500"), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
    }

    func testPrivateAddressesAreRefusedByDefault() throws {
        let strict = try fixture.directory.write("[fetch]\n", to: "strict.toml")
        let result = try fixture.run(["fetch", fixture.url("/feed.xml")], config: strict)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("allow_private_networks"), result.stderr)
    }
}
