import Foundation
import TestSupport
import XCTest

/// `watchctl parse` on feeds whose bytes libxml2 cannot convert: libxml2's own messages
/// ("encoding error : input conversion failed", "I/O error : encoder error", "xmlParseChunk:
/// encoder error") never reach stderr, where they would name no feed (the daemon's journal,
/// `watchctl poll`), and what can be read is still parsed.
final class ParseStderrTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "parse-stderr") }
    override func tearDown() { directory.remove() }

    /// A feed declared ISO-2022-JP whose channel title holds bytes invalid in it.
    private func writeBrokenISO2022JPFeed(to name: String) throws -> URL {
        var bytes = Data(#"<?xml version="1.0" encoding="ISO-2022-JP"?><rss><channel><title>a"#.utf8)
        bytes.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
        bytes.append(contentsOf: Data("</title><item><title>x</title></item></channel></rss>".utf8))
        let file = directory.file(name)
        try bytes.write(to: file)
        return file
    }

    func testEncodingErrorsOfLibxml2AreNotPrintedAndTheItemIsStillParsed() throws {
        let file = try writeBrokenISO2022JPFeed(to: "iso2022jp.xml")
        let result = try Watchctl.run(["parse", file.path])
        XCTAssertEqual(result.stderr, "")
        XCTAssertEqual(result.status, 0)
        let json = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        let items = try XCTUnwrap(json["items"] as? [[String: Any]], result.stdout)
        XCTAssertEqual(items.count, 1, result.stdout)
        XCTAssertEqual(items.first?["title"] as? String, "x", result.stdout)
    }

    func testEncodingErrorsOfLibxml2AreNotPrintedWithNoOutEitherOverSeveralFiles() throws {
        let first = try writeBrokenISO2022JPFeed(to: "a.xml")
        let second = try writeBrokenISO2022JPFeed(to: "b.xml")
        let result = try Watchctl.run(["parse", "--noout", first.path, second.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, "")
    }
}
