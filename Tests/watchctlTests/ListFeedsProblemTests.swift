import Foundation
import TestSupport
import XCTest

/// `watchctl list-feeds` after a real poll of a loopback server: a source whose URL answers
/// 200 with a web page says so (not "échec 200"), and each failing source's error is printed
/// once, its URL once.
final class ListFeedsProblemTests: XCTestCase {
    private var fixture: WatchctlFixture!

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
        fixture = try WatchctlFixture(prefix: "watchctl-list-feeds")
        let server = fixture.server
        server.route(path: "/actualites/", document: Data(Self.page.utf8), contentType: "text/html; charset=utf-8")
        server.route(path: "/inffo.xml", document: Data(Self.feed.utf8))
        server.route("/gone.xml") { _ in .init(status: 404, text: "not found") }
        try fixture.writeConfig(
            """
            [[feeds]]
            url = "\(fixture.url("/actualites/"))"
            title = "France compétences"

            [[feeds]]
            url = "\(fixture.url("/inffo.xml"))"

            [[feeds]]
            url = "\(fixture.url("/gone.xml"))"
            title = "Ancien flux"
            """)
        let poll = try fixture.run(["poll"])
        XCTAssertEqual(poll.status, 0, poll.stderr)
    }

    override func tearDown() {
        fixture.remove()
    }

    private func listFeeds() throws -> [String] {
        let result = try fixture.run(["list-feeds"], environment: ["LC_ALL": "fr_FR.UTF-8"])
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
            let url = fixture.url(path)
            let line = try XCTUnwrap(errors.first { $0.contains(url) }, errors.joined(separator: "\n"))
            XCTAssertEqual(line.components(separatedBy: url).count, 2, "the URL once: \(line)")
            XCTAssertTrue(line.hasPrefix("  \(url) : "), line)
            XCTAssertTrue(line.contains(words), line)
        }
        let english = try fixture.run(["list-feeds"], environment: ["LC_ALL": "C"])
        let gone = fixture.url("/gone.xml")
        XCTAssertTrue(english.stdout.contains("  \(gone): HTTP 404"), english.stdout)
    }

    func testTheProblemIsClearedWhenTheSourceBecomesAFeed() throws {
        fixture.server.route(path: "/actualites/", document: Data(Self.feed.utf8))
        XCTAssertEqual(try fixture.run(["poll"]).status, 0)
        let row = try XCTUnwrap(try listFeeds().first { $0.hasPrefix("France compétences") })
        XCTAssertFalse(row.contains("échec"), row)
        XCTAssertTrue(row.contains(" 200 "), row)
    }
}
