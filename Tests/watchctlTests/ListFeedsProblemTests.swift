import Foundation
import TestSupport
import XCTest

/// `watchctl list-feeds` after a real poll of a loopback server: a source whose URL answers
/// 200 with a web page says so (not "échec 200"), and each failing source's error is printed
/// once, its URL once.
final class ListFeedsProblemTests: XCTestCase {
    private var server: LoopbackHTTPServer!
    private var dir: TemporaryDirectory!
    private var config: URL!

    static let page = """
        <!DOCTYPE html>
        <html lang="fr"><head><title>Actualités — France compétences</title></head>
        <body><h1>Actualités</h1><p>Décisions RNCP et RS, niveaux de prise en charge.</p></body></html>
        """

    static let feed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Centre Inffo</title><link>https://www.centre-inffo.fr/</link>
        <item><title>Qualiopi : le guide de lecture, version 9</title><link>https://www.centre-inffo.fr/a</link>
        <guid>a</guid></item></channel></rss>
        """

    override func setUpWithError() throws {
        server = try LoopbackHTTPServer()
        dir = try TemporaryDirectory(prefix: "watchctl-list-feeds")
        server.route(path: "/actualites/", document: Data(Self.page.utf8), contentType: "text/html; charset=utf-8")
        server.route(path: "/inffo.xml", document: Data(Self.feed.utf8))
        server.route("/gone.xml") { _ in .init(status: 404, text: "not found") }
        config = try dir.write(
            """
            [fetch]
            allow_private_networks = true   # the test server is on 127.0.0.1

            [[feeds]]
            url = "\(server.url(for: "/actualites/").absoluteString)"
            title = "France compétences"

            [[feeds]]
            url = "\(server.url(for: "/inffo.xml").absoluteString)"

            [[feeds]]
            url = "\(server.url(for: "/gone.xml").absoluteString)"
            title = "Ancien flux"
            """, to: "feeds.toml")
        let poll = try Watchctl.run(["--config", config.path, "poll"])
        XCTAssertEqual(poll.status, 0, poll.stderr)
    }

    override func tearDown() {
        server.stop()
        dir.remove()
    }

    private func listFeeds() throws -> [String] {
        let result = try Watchctl.run(["--config", config.path, "list-feeds"], environment: ["LC_ALL": "fr_FR.UTF-8"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func testAnHTMLPageAnsweredWith200SaysSoInsteadOfFailed200() throws {
        let lines = try listFeeds()
        let row = try XCTUnwrap(lines.first { $0.hasPrefix("France compétences") }, lines.joined(separator: "\n"))
        XCTAssertTrue(row.contains("échec : page HTML, pas un flux"), row)
        XCTAssertFalse(row.contains("échec 200"), row)
        // An HTTP error keeps its status; a healthy feed shows 200.
        XCTAssertTrue(try XCTUnwrap(lines.first { $0.hasPrefix("Ancien flux") }).contains("échec 404"))
        XCTAssertTrue(try XCTUnwrap(lines.first { $0.hasPrefix("Centre Inffo") }).contains(" 200 "))
    }

    func testEachFailingSourceHasOneLineNamingItsURLOnce() throws {
        let lines = try listFeeds()
        let summary = try XCTUnwrap(
            lines.firstIndex { $0.hasPrefix("3 flux, 2 en échec") }, lines.joined(separator: "\n"))
        let errors = Array(lines[(summary + 1)...]).filter { !$0.isEmpty }
        XCTAssertEqual(errors.count, 2, errors.joined(separator: "\n"))
        // The run is French: the kind of failure, as the digest words it (the fetcher's English
        // words are in `list-feeds --json` and in an English run).
        for (path, words) in [
            ("/actualites/", "l’adresse donne une page, pas un flux"), ("/gone.xml", "page introuvable (404)"),
        ] {
            let url = server.url(for: path).absoluteString
            let line = try XCTUnwrap(errors.first { $0.contains(url) }, errors.joined(separator: "\n"))
            XCTAssertEqual(line.components(separatedBy: url).count, 2, "the URL once: \(line)")
            XCTAssertTrue(line.hasPrefix("  \(url) : "), line)
            XCTAssertTrue(line.contains(words), line)
        }
        let english = try Watchctl.run(["--config", config.path, "list-feeds"], environment: ["LC_ALL": "C"])
        let gone = server.url(for: "/gone.xml").absoluteString
        XCTAssertTrue(english.stdout.contains("  \(gone): HTTP 404"), english.stdout)
    }

    func testTheProblemIsClearedWhenTheSourceBecomesAFeed() throws {
        server.route(path: "/actualites/", document: Data(Self.feed.utf8))
        XCTAssertEqual(try Watchctl.run(["--config", config.path, "poll"]).status, 0)
        let row = try XCTUnwrap(try listFeeds().first { $0.hasPrefix("France compétences") })
        XCTAssertFalse(row.contains("échec"), row)
        XCTAssertTrue(row.contains(" 200 "), row)
    }
}
