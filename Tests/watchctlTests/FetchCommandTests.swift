import Foundation
import TestSupport
import XCTest

/// `watchctl fetch URL [--json]` against a real server on 127.0.0.1.
final class FetchCommandTests: XCTestCase {
    var server: LoopbackHTTPServer!
    var directory: TemporaryDirectory!
    var config: URL!

    static let feed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Centre Inffo</title><link>https://www.centre-inffo.fr/</link>
        <item><title>Décret CPF : la participation forfaitaire</title><link>/actu/cpf</link>
        <guid isPermaLink="false">cpf-1</guid><pubDate>Tue, 02 Dec 2025 10:00:00 +0100</pubDate></item>
        </channel></rss>
        """

    override func setUpWithError() throws {
        server = try LoopbackHTTPServer()
        directory = try TemporaryDirectory()
        // Tests talk to 127.0.0.1: private networks must be allowed explicitly.
        config = try directory.write("[fetch]\nallow_private_networks = true\n", to: "feeds.toml")
        server.route(path: "/feed.xml", document: Data(Self.feed.utf8))
    }

    override func tearDown() {
        server.stop()
        directory.remove()
    }

    func testFetchJSONCarriesTheParseKeysAndTheHTTPValidators() throws {
        let result = try Watchctl.run([
            "--config", config.path, "fetch", server.url(for: "/feed.xml").absoluteString, "--json",
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["format"] as? String, "rss2.0")
        XCTAssertEqual(json["title"] as? String, "Centre Inffo")
        XCTAssertEqual(json["status"] as? Int, 200)
        XCTAssertEqual(json["final_url"] as? String, server.url(for: "/feed.xml").absoluteString)
        XCTAssertNotNil(json["etag"] as? String)
        XCTAssertNotNil(json["last_modified"] as? String)
        XCTAssertNil(json["discovered_from"], "the URL was the feed: nothing was discovered")
        let items = try XCTUnwrap(json["items"] as? [[String: Any]])
        XCTAssertEqual(items.first?["link"] as? String, server.url(for: "/actu/cpf").absoluteString)
    }

    func testFetchDiscoversTheFeedAnnouncedByAPage() throws {
        server.route("/") { _ in
            .init(
                headers: ["Content-Type": "text/html; charset=utf-8"],
                text: """
                    <!doctype html><html><head><title>Centre Inffo</title>
                    <link rel="alternate" type="application/rss+xml" title="Actualités" href="feed.xml">
                    </head><body><p>Bienvenue</p></body></html>
                    """)
        }
        let result = try Watchctl.run(["--config", config.path, "fetch", server.url(for: "/").absoluteString, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["final_url"] as? String, server.url(for: "/feed.xml").absoluteString)
        XCTAssertEqual(json["discovered_from"] as? String, server.url(for: "/").absoluteString)
    }

    func testFetchFallsBackToConventionalFeedPaths() throws {
        server.route("/") { _ in
            .init(headers: ["Content-Type": "text/html"], text: "<html><body>Sans lien</body></html>")
        }
        server.route(path: "/rss.xml", document: Data(Self.feed.utf8))
        let result = try Watchctl.run(["--config", config.path, "fetch", server.url(for: "/").absoluteString, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["final_url"] as? String, server.url(for: "/rss.xml").absoluteString)
    }

    func testAPageWithoutAnyFeedExitsTwoNamingTheURL() throws {
        server.route("/") { _ in .init(headers: ["Content-Type": "text/html"], text: "<html><body>Rien</body></html>") }
        server.route("/feed.xml") { _ in .init(status: 404, text: "not found") }
        let url = server.url(for: "/").absoluteString
        let result = try Watchctl.run(["--config", config.path, "fetch", url])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains(url), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
    }

    func testAServerErrorExitsOneWithOneLine() throws {
        server.route("/gone") { _ in .init(status: 500, text: "boom") }
        let result = try Watchctl.run(["--config", config.path, "fetch", server.url(for: "/gone").absoluteString])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("500"), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
    }

    func testPrivateAddressesAreRefusedByDefault() throws {
        let strict = try directory.write("[fetch]\n", to: "strict.toml")
        let result = try Watchctl.run(["--config", strict.path, "fetch", server.url(for: "/feed.xml").absoluteString])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("allow_private_networks"), result.stderr)
    }
}
