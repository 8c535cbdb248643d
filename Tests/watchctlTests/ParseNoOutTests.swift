import Foundation
import TestSupport
import XCTest

/// `watchctl parse --noout FILE…`: every file parsed, nothing printed, the same errors and exit
/// status as without the option.
final class ParseNoOutTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "parse-noout") }
    override func tearDown() { directory.remove() }

    private let feed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Centre Inffo</title><link>https://www.centre-inffo.example/</link>
        <item><title>Qualiopi&nbsp;: le nouveau r&eacute;f&eacute;rentiel</title><link>/2025/12/qualiopi</link>
        <guid isPermaLink="false">ci-48214</guid><pubDate>Thu, 04 Dec 2025 10:30:00 +0100</pubDate>
        <description><![CDATA[<p>L'<b>arrêté</b> est paru.</p>]]></description></item></channel></rss>
        """

    func testNoOutPrintsNothingAndExitsZeroForFeeds() throws {
        let first = try directory.write(feed, to: "a.xml")
        let second = try directory.write(feed.replacingOccurrences(of: "Centre Inffo<", with: "Autre<"), to: "b.xml")
        let printed = try Watchctl.run(["parse", first.path, second.path])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertFalse(printed.stdout.isEmpty)  // the same files do print without --noout

        let result = try Watchctl.run(["parse", "--noout", first.path, second.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, "")
    }

    func testNoOutStillExitsTwoWithTheSameLineForAFileThatIsNotAFeed() throws {
        let good = try directory.write(feed, to: "flux.xml")
        let page = try directory.write("<html><body>Bonjour</body></html>", to: "page.html")
        let without = try Watchctl.run(["parse", page.path])
        let result = try Watchctl.run(["parse", "--noout", good.path, page.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains(page.path), result.stderr)
        XCTAssertTrue(result.stderr.contains("an HTML page"), result.stderr)
        XCTAssertEqual(result.stderr, without.stderr)
    }

    func testNoOutStillExitsTwoForAnUnreadableFile() throws {
        let missing = directory.file("absent.xml").path
        let without = try Watchctl.run(["parse", missing])
        let result = try Watchctl.run(["parse", "--noout", missing])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, without.stderr)
    }
}
