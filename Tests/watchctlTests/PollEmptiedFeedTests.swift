import Foundation
import TestSupport
import XCTest

/// A feed that gave items and now parses to none (a broken export, a feed emptied by mistake)
/// is read without error, but the watch is blind there: poll, status and list-feeds say so.
final class PollEmptiedFeedTests: XCTestCase {
    private var server: LoopbackHTTPServer!
    private var dir: TemporaryDirectory!
    private var config: URL!

    static func feed(items: Int) -> String {
        let published = LoopbackHTTPServer.httpDate(Date())
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Centre Inffo</title><link>https://www.centre-inffo.fr/</link>
            \((0..<items).map { "<item><title>Actualité \($0)</title><link>https://www.centre-inffo.fr/a\($0)</link><pubDate>\(published)</pubDate></item>" }.joined())
            </channel></rss>
            """
    }

    override func setUpWithError() throws {
        server = try LoopbackHTTPServer()
        dir = try TemporaryDirectory(prefix: "watchctl-emptied")
        config = try dir.write(
            """
            [fetch]
            allow_private_networks = true   # the test server is on 127.0.0.1

            [[feeds]]
            url = "\(server.url(for: "/inffo.xml").absoluteString)"

            [[feeds]]
            url = "\(server.url(for: "/nouveau.xml").absoluteString)"
            title = "Flux encore vide"
            """, to: "feeds.toml")
    }

    override func tearDown() {
        server.stop()
        dir.remove()
    }

    /// Runs watchctl in French, the language the assertions below read.
    private func run(_ arguments: [String]) throws -> Watchctl.Result {
        try Watchctl.run(["--config", config.path] + arguments, environment: ["LC_ALL": "fr_FR.UTF-8"])
    }

    func testAFeedThatGaveItemsAndNowGivesNoneIsNamedButNotAFailure() throws {
        server.route("/inffo.xml") { _ in
            .init(headers: ["Content-Type": "application/rss+xml"], text: Self.feed(items: 3))
        }
        // A feed that never gave anything yet is not flagged: nothing says it should.
        server.route("/nouveau.xml") { _ in
            .init(headers: ["Content-Type": "application/rss+xml"], text: Self.feed(items: 0))
        }
        let first = try run(["poll", "--json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let firstSummary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(firstSummary["emptied"] as? [String], [])

        server.route("/inffo.xml") { _ in
            .init(headers: ["Content-Type": "application/rss+xml"], text: Self.feed(items: 0))
        }
        let second = try run(["poll"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("2 lus"), second.stdout)
        XCTAssertTrue(
            second.stdout.contains(
                "vide : \(server.url(for: "/inffo.xml").absoluteString) ne donne plus aucun article"),
            second.stdout)

        let status = try run(["status", "--json"])
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["emptied"] as? [String], [server.url(for: "/inffo.xml").absoluteString])
        XCTAssertEqual((document["failing"] as? [Any])?.count, 0)
        let text = try run(["status"])
        XCTAssertTrue(text.stdout.contains("Flux vides (ils donnaient des articles, à vérifier) :"), text.stdout)
        let list = try run(["list-feeds"])
        XCTAssertTrue(list.stdout.contains("vide, alors qu'il donnait des articles"), list.stdout)

        // Back to normal: the mark goes away.
        server.route("/inffo.xml") { _ in
            .init(headers: ["Content-Type": "application/rss+xml"], text: Self.feed(items: 4))
        }
        XCTAssertEqual(try run(["poll"]).status, 0)
        let healed = try run(["status", "--json"])
        let healedDocument = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(healed.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(healedDocument["emptied"] as? [String], [])
    }
}
