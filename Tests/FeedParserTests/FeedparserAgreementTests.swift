import FeedParser
import Foundation
import XCTest

/// On the core fields (feed title and link; per item id, title, link, date, summary), regwatch
/// reads every RSS/RDF/Atom fixture as Python's feedparser (Debian's python3-feedparser) does.
///
/// Normalisation: text compared with all whitespace removed (feedparser keeps HTML; the helper
/// script strips its tags and decodes its entities), dates in UTC. One documented superset:
/// where feedparser cannot read a date (French month names), regwatch may.
final class FeedparserAgreementTests: XCTestCase {
    /// Fixtures left out, and why.
    private let excluded: Set<String> = [
        // Invalid UTF-8 bytes: feedparser re-decodes the whole document as windows-1252
        // (mojibake everywhere); regwatch repairs only the bad bytes.
        "broken-recovered.xml",
        // Hostile documents: what matters there is safety (FeedSafetyTests), not text.
        "xxe.xml", "billion-laughs.xml",
    ]

    private let base = "https://base.example/dir/feed.xml"

    private struct Core: Decodable {
        struct Entry: Decodable {
            let id: String?
            let title: String?
            let link: String?
            let date: String?
            let summary: String?
        }
        let file: String
        let title: String?
        let link: String?
        let items: [Entry]
    }

    private func squeezed(_ text: String?) -> String? {
        guard let text else { return nil }
        let result = String(
            text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) && $0 != "\u{A0}" }.map(
                Character.init))
        return result.isEmpty ? nil : result
    }

    func testCoreFieldsAgreeWithPythonFeedparser() throws {
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        guard FileManager.default.isExecutableFile(atPath: python.path) else { throw XCTSkip("no /usr/bin/python3") }
        let probe = Process()
        probe.executableURL = python
        probe.arguments = ["-c", "import feedparser"]
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { throw XCTSkip("python3-feedparser is not installed") }

        let names = try FileManager.default.contentsOfDirectory(atPath: Fixture.directory.path)
            .filter { $0.hasSuffix(".xml") && !excluded.contains($0) }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 9)

        let process = Process()
        process.executableURL = python
        process.arguments = [Fixture.url("feedparser_core.py").path, base] + names.map { Fixture.url($0).path }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)

        let lines = data.split(separator: UInt8(ascii: "\n"))
        XCTAssertEqual(lines.count, names.count)
        for line in lines {
            let reference = try JSONDecoder().decode(Core.self, from: Data(line))
            let name = URL(fileURLWithPath: reference.file).lastPathComponent
            let feed = try FeedParser().parse(Fixture.data(name), baseURL: URL(string: base))
            XCTAssertEqual(squeezed(feed.title), squeezed(reference.title), "\(name): feed title")
            XCTAssertEqual(feed.link, reference.link, "\(name): feed link")
            XCTAssertEqual(feed.items.count, reference.items.count, "\(name): item count")
            for (index, (ours, theirs)) in zip(feed.items, reference.items).enumerated() {
                let at = "\(name) item \(index)"
                XCTAssertEqual(ours.id, theirs.id, "\(at): id")
                XCTAssertEqual(squeezed(ours.title), squeezed(theirs.title), "\(at): title")
                XCTAssertEqual(ours.link, theirs.link, "\(at): link")
                if let theirDate = theirs.date {
                    XCTAssertEqual(ours.date.map(FeedJSON.timestamp), theirDate, "\(at): date")
                }
                XCTAssertEqual(squeezed(ours.summary), squeezed(theirs.summary), "\(at): summary")
            }
        }
    }
}
