import Foundation
import TestSupport
import XCTest

/// A feed that gave items and now parses to none (a broken export, a feed emptied by mistake)
/// is read without error, but the watch is blind there: poll, status and list-feeds say so.
final class PollEmptiedFeedTests: XCTestCase {
    private var fixture: WatchctlFixture!

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
        // Runs in French, the language the assertions below read.
        fixture = try WatchctlFixture(prefix: "watchctl-emptied", environment: ["LC_ALL": "fr_FR.UTF-8"])
        try fixture.writeConfig(
            """
            [[feeds]]
            url = "\(fixture.url("/inffo.xml"))"

            [[feeds]]
            url = "\(fixture.url("/nouveau.xml"))"
            title = "Flux encore vide"
            """)
    }

    override func tearDown() {
        fixture.remove()
    }

    func testAFeedThatGaveItemsAndNowGivesNoneIsNamedButNotAFailure() throws {
        fixture.server.route("/inffo.xml") { _ in
            .init(headers: ["Content-Type": "application/rss+xml"], text: Self.feed(items: 3))
        }
        // A feed that never gave anything yet is not flagged: nothing says it should.
        fixture.server.route("/nouveau.xml") { _ in
            .init(headers: ["Content-Type": "application/rss+xml"], text: Self.feed(items: 0))
        }
        let first = try fixture.run(["poll", "--json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let firstSummary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(firstSummary["emptied"] as? [String], [])

        fixture.server.route("/inffo.xml") { _ in
            .init(headers: ["Content-Type": "application/rss+xml"], text: Self.feed(items: 0))
        }
        let second = try fixture.run(["poll"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("2 lus"), second.stdout)
        XCTAssertTrue(
            second.stdout.contains(
                "vide : \(fixture.url("/inffo.xml")) ne donne plus aucun article"),
            second.stdout)

        let status = try fixture.run(["status", "--json"])
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["emptied"] as? [String], [fixture.url("/inffo.xml")])
        XCTAssertEqual((document["failing"] as? [Any])?.count, 0)
        let text = try fixture.run(["status"])
        XCTAssertTrue(text.stdout.contains("Flux vides (ils donnaient des articles, à vérifier) :"), text.stdout)
        let list = try fixture.run(["list-feeds"])
        XCTAssertTrue(list.stdout.contains("vide, alors qu'il donnait des articles"), list.stdout)

        // Back to normal: the mark goes away.
        fixture.server.route("/inffo.xml") { _ in
            .init(headers: ["Content-Type": "application/rss+xml"], text: Self.feed(items: 4))
        }
        XCTAssertEqual(try fixture.run(["poll"]).status, 0)
        let healed = try fixture.run(["status", "--json"])
        let healedDocument = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(healed.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(healedDocument["emptied"] as? [String], [])
    }
}
