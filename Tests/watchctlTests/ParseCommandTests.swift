import Foundation
import TestSupport
import XCTest

/// `watchctl parse FILE [--base-url URL]`.
final class ParseCommandTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "parse-cmd") }
    override func tearDown() { directory.remove() }

    private let feed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Centre Inffo</title><link>https://www.centre-inffo.example/</link>
        <item><title>CPF&nbsp;: le reste &agrave; charge</title><link>/2025/12/cpf</link>
        <guid isPermaLink="false">ci-48213</guid><pubDate>Wed, 03 Dec 2025 09:00:00 +0100</pubDate>
        <description><![CDATA[<p>Le <b>décret</b> est paru.</p>]]></description>
        <category>CPF</category></item></channel></rss>
        """

    func testParsePrintsTheContractJSON() throws {
        let file = try directory.write(feed, to: "flux.xml")
        let result = try Watchctl.run(["parse", file.path, "--base-url", "https://miroir.example/rss"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["format"] as? String, "rss2.0")
        XCTAssertEqual(object["title"] as? String, "Centre Inffo")
        XCTAssertEqual(object["link"] as? String, "https://www.centre-inffo.example/")
        let items = try XCTUnwrap(object["items"] as? [[String: Any]])
        XCTAssertEqual(items.count, 1)
        // A relative guid resolves against the document URL, even one that is no permalink
        // (feedparser keeps that one as written; see testAGuidThatIsNoPermalinkStillResolves).
        XCTAssertEqual(items[0]["id"] as? String, "https://miroir.example/ci-48213")
        XCTAssertEqual(items[0]["title"] as? String, "CPF : le reste à charge")
        XCTAssertEqual(items[0]["link"] as? String, "https://miroir.example/2025/12/cpf")
        XCTAssertEqual(items[0]["published"] as? String, "2025-12-03T08:00:00Z")
        XCTAssertTrue(items[0]["updated"] is NSNull)
        XCTAssertEqual(items[0]["summary"] as? String, "Le décret est paru.")
        XCTAssertTrue(items[0]["content"] is NSNull)
        XCTAssertEqual(items[0]["authors"] as? [String], [])
        XCTAssertEqual(items[0]["categories"] as? [String], ["CPF"])
    }

    func testAFileThatIsNotAFeedExitsTwoWithOneLineNamingIt() throws {
        let file = try directory.write("<html><body>Bonjour</body></html>", to: "page.html")
        let result = try Watchctl.run(["parse", file.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains(file.path), result.stderr)
        XCTAssertTrue(result.stderr.contains("an HTML page"), result.stderr)
    }

    func testAnUnreadableFileExitsTwo() throws {
        let result = try Watchctl.run(["parse", directory.file("absent.xml").path])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("absent.xml"), result.stderr)
    }

    func testSeveralFilesPrintOneDocumentPerLine() throws {
        let first = try directory.write(feed, to: "a.xml")
        let second = try directory.write(feed.replacingOccurrences(of: "Centre Inffo<", with: "Autre<"), to: "b.xml")
        let single = try Watchctl.run(["parse", first.path])
        let result = try Watchctl.run(["parse", first.path, second.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines[0] + "\n", single.stdout)
        XCTAssertTrue(lines[1].contains(#""title":"Autre""#))
    }
}
