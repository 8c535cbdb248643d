import Foundation
import TestSupport
import XCTest

/// `watchctl audit` end to end: a real poll of a feed on 127.0.0.1, decisions recorded with
/// `watchctl follow`, the record written in each format; bad dates refused with exit 2.
final class AuditCommandTests: XCTestCase {
    private var fixture: WatchctlFixture!

    static let feed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Centre Inffo</title><link>https://www.centre-inffo.fr/</link>
        <item><title>Qualiopi : &amp;lt;b&amp;gt;nouveau&amp;lt;/b&amp;gt; guide de lecture du référentiel</title>
        <link>https://www.centre-inffo.fr/actu/guide-rnq</link><guid isPermaLink="false">inffo-9</guid>
        <pubDate>Tue, 02 Dec 2025 10:00:00 +0100</pubDate>
        <description>Le guide précise les attendus des indicateurs 23 à 26.</description></item>
        </channel></rss>
        """

    override func setUpWithError() throws {
        fixture = try WatchctlFixture(prefix: "watchctl-audit")
        fixture.server.route(path: "/inffo.xml", document: Data(Self.feed.utf8))
        try fixture.writeConfig(
            """
            [[feeds]]
            url = "\(fixture.url("/inffo.xml"))"
            title = "Centre Inffo"
            topics = ["qualiopi"]
            """)
        XCTAssertEqual(try fixture.run(["poll"]).status, 0)
        let follow = try fixture.run([
            "follow", "https://www.centre-inffo.fr/actu/guide-rnq", "--state", "à exploiter", "--owner", "Claire",
            "--note", "Relire l'indicateur 23",
        ])
        XCTAssertEqual(follow.status, 0, follow.stderr)
    }

    override func tearDown() {
        fixture.remove()
    }

    func testEachFormatIsWrittenToItsFileWithTheDecisionAndTheSource() throws {
        for (format, name) in [("markdown", "audit.md"), ("html", "audit.html"), ("json", "audit.json")] {
            let output = fixture.file(name)
            let result = try fixture.run(["audit", "--from", "2025-01-01", "--format", format, "--output", output.path])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, output.path + "\n")
            let text = try String(contentsOf: output, encoding: .utf8)
            XCTAssertTrue(text.contains("Relire l") && text.contains("Claire"), "\(format): \(text)")
            XCTAssertTrue(text.contains(fixture.url("/inffo.xml")), format)
        }
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: fixture.file("audit.json"))) as! [String: Any]
        XCTAssertEqual(
            Set(json.keys), ["period", "generated_at", "time_zone", "sources", "digests", "deliveries", "topics"])
        let topics = json["topics"] as! [[String: Any]]
        XCTAssertEqual(topics.map { $0["topic"] as? String }, ["qualiopi"])
        let html = try String(contentsOf: fixture.file("audit.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("Qualiopi : &lt;b&gt;nouveau&lt;/b&gt;"))
    }

    func testMarkdownGoesToStdoutByDefault() throws {
        let result = try fixture.run(["audit"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("# Registre de veille réglementaire"), result.stdout)
        XCTAssertTrue(result.stdout.contains("à exploiter — Claire"), result.stdout)
    }

    func testBadDatesExitTwoWithOneLine() throws {
        for arguments in [
            ["--from", "01/12/2025"], ["--to", "2025-02-30"], ["--from", "2025-12-31", "--to", "2025-12-01"],
        ] {
            let result = try fixture.run(["audit"] + arguments)
            XCTAssertEqual(result.status, 2, "\(arguments)")
            XCTAssertEqual(result.stdout, "")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        }
    }
}
