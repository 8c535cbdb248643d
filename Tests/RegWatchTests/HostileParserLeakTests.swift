import FeedParser
import Foundation
import XCTest

/// What the fuzzers found, replayed on every test run: each file of `Fuzz/regressions/`
/// goes through the parser it crashed or leaked in.
final class HostileParserLeakTests: XCTestCase {
    static let regressions = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/regressions")

    private func files(_ target: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(
            at: Self.regressions.appendingPathComponent(target), includingPropertiesForKeys: nil
        ).sorted { $0.path < $1.path }
    }

    /// Resident set size of this process, from /proc (KiB).
    private func residentKiB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return Int(line.split(separator: " ")[1]) ?? 0
    }

    func testFuzzerFoundFeedsParseWithoutCrashing() throws {
        let found = try files("FuzzFeedParser")
        XCTAssertFalse(found.isEmpty, "no regression files at \(Self.regressions.path)")
        for file in found {
            _ = try? FeedParser().parse(try Data(contentsOf: file), baseURL: URL(string: "https://www.example.org/"))
        }
    }

    /// A sign followed by 20+ digits ("-W…9+9999999999999999999999") trapped on overflow in the
    /// RFC 822 scanner: one such pubDate crashed the whole poll.
    func testFuzzerFoundDatesParseWithoutCrashing() throws {
        let found = try files("FuzzFeedDate")
        XCTAssertFalse(found.isEmpty)
        for file in found {
            _ = FeedDate.parse(String(decoding: try Data(contentsOf: file), as: UTF8.self))
        }
    }

    /// The leak: a DOCTYPE with an internal subset left libxml2's document and DTD (~15 KB) behind
    /// at every parse. 4 000 parses would leak ~60 MB; the bound leaves room for allocator noise.
    func testAnInternalSubsetLeavesNoMemoryBehind() throws {
        let document = try Data(
            contentsOf: Self.regressions.appendingPathComponent(
                "FuzzFeedParser/leak-internal-subset-billion-laughs.xml"))
        let parser = FeedParser()
        for _ in 0..<200 { _ = try? parser.parse(document) }  // warm up caches and the allocator
        let before = try residentKiB()
        for _ in 0..<4_000 { _ = try? parser.parse(document) }
        let grown = try residentKiB() - before
        XCTAssertLessThan(grown, 20 * 1024, "RSS grew by \(grown) KiB over 4 000 parses")
    }
}
