import Foundation
import RegWatch
import XCTest

/// Each format rendered from the fixed week of `DigestFixtures`, compared byte for byte with
/// the golden files in Fixtures/digest/. After an intended change, regenerate them with
/// `REGWATCH_UPDATE_GOLDEN=1 swift test --filter DigestGoldenTests` and review the diff.
final class DigestGoldenTests: XCTestCase {
    typealias F = DigestFixtures

    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/digest", isDirectory: true)

    private func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let url = Self.goldenFolder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["REGWATCH_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenFolder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail(
                "missing golden file \(name); run with REGWATCH_UPDATE_GOLDEN=1 to create it", file: file, line: line)
            return
        }
        if actual != expected {
            let actualLines = actual.components(separatedBy: "\n")
            let expectedLines = expected.components(separatedBy: "\n")
            let first = zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }
            let where_ =
                first.map {
                    "line \($0.offset + 1):\n  got      \($0.element.0.debugDescription)\n  expected \($0.element.1.debugDescription)"
                }
                ?? "length \(actualLines.count) lines vs \(expectedLines.count)"
            XCTFail("\(name) differs from the golden file at \(where_)", file: file, line: line)
        }
    }

    private var digest: WeeklyDigest { WeeklyDigest.build(from: F.input, settings: F.settings()) }

    func testMarkdownMatchesGolden() throws {
        try assertGolden(digest.renderMarkdown(), "regwatch-2025-W49.md")
    }

    func testTextMatchesGolden() throws {
        try assertGolden(digest.renderText(), "regwatch-2025-W49.txt")
    }

    func testEmailMatchesGolden() throws {
        try assertGolden(digest.renderEmail(envelope: F.envelope), "regwatch-2025-W49.eml")
    }

    func testJSONMatchesGolden() throws {
        try assertGolden(digest.renderJSON(), "regwatch-2025-W49.json")
    }

    func testEnglishMarkdownMatchesGolden() throws {
        let english = WeeklyDigest.build(from: F.input, settings: F.settings(.en))
        try assertGolden(english.renderMarkdown(), "regwatch-2025-W49.en.md")
    }

    func testEmptyWeekMarkdownMatchesGolden() throws {
        let empty = WeeklyDigest.build(
            from: DigestInput(
                week: F.week, candidates: [], failingSources: [], counts: DigestCounts(feedsPolled: 14, itemsSeen: 0)),
            settings: F.settings())
        try assertGolden(empty.renderMarkdown(), "regwatch-2025-W49.empty.md")
    }

    func testTheGoldenWeekExercisesEverySection() {
        // The golden files are only worth something if they show every part of a digest.
        let digest = self.digest
        XCTAssertEqual(digest.highlights.count, 4)
        XCTAssertFalse(digest.sections.isEmpty)
        XCTAssertFalse(digest.more.isEmpty)
        XCTAssertEqual(digest.failingSources.count, 2)
        XCTAssertTrue(digest.shownEntries.contains { !$0.alsoIn.isEmpty })
    }

    func testJSONHasTheKeysOfTheDesignContract() throws {
        let object = try JSONSerialization.jsonObject(with: Data(digest.renderJSON().utf8)) as! [String: Any]
        XCTAssertEqual(object["week"] as? String, "2025-W49")
        XCTAssertEqual(object["reading_minutes"] as? Int, digest.readingMinutes)
        let items = object["items"] as! [[String: Any]]
        XCTAssertEqual(items.count, digest.shownEntries.count)
        for key in ["title", "link", "source", "topics", "also_in"] {
            XCTAssertNotNil(items[0][key], key)
        }
        XCTAssertEqual(items[0]["title"] as? String, digest.highlights[0].title)
        XCTAssertEqual(items[0]["topics"] as? [String], ["cpf"])
        XCTAssertEqual(items[0]["also_in"] as? [String], ["Centre Inffo", "Le Quotidien de la formation"])
        let more = object["more"] as! [[String: Any]]
        XCTAssertEqual(more.count, digest.more.count)
        XCTAssertNotNil(more[0]["title"])
        XCTAssertTrue(more[0].keys.contains("link"))
        let failing = object["failing_sources"] as! [[String: String]]
        XCTAssertEqual(
            failing.map { $0["url"]! }, ["https://travail-emploi.gouv.fr/rss.xml", "https://www.cfa-exemple.fr/feed/"])
        XCTAssertEqual(failing[0]["error"], "timeout after 30 s")
    }
}
