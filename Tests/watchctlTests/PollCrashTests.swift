import Foundation
import TestSupport
import XCTest

/// `kill -9` in the middle of a poll: the database stays consistent, nothing committed is
/// lost, and polling again adds each item exactly once.
final class PollCrashTests: XCTestCase {
    func testKillNineMidPollLeavesAConsistentDatabaseAndRepollAddsNoDuplicate() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else {
            throw XCTSkip("sqlite3 (Debian package sqlite3) is needed to check the database from outside")
        }
        let fixture = try WatchctlFixture()
        defer { fixture.remove() }
        let server = fixture.server
        let feeds = 40
        let itemsPerFeed = 25
        var toml = "[storage]\ndatabase = \"state/regwatch.sqlite\"\n\n"
        for feed in 0..<feeds {
            let items = (0..<itemsPerFeed).map { item in
                "<item><title>Actualité \(feed)-\(item) : décret CPF</title><guid>f\(feed)-i\(item)</guid><description>\(String(repeating: "Formation professionnelle. ", count: 40))</description></item>"
            }.joined()
            let body = Data(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Source \(feed)</title>\(items)</channel></rss>"
                    .utf8)
            // Slow answers keep transfers in flight while others are being committed.
            server.route("/feed\(feed).xml") { _ in
                .init(
                    headers: ["Content-Type": "application/rss+xml"], body: body,
                    delay: .milliseconds(60 + 7 * (feed % 5)))
            }
            toml += "[[feeds]]\nurl = \"\(fixture.url("/feed\(feed).xml"))\"\n\n"
        }
        try fixture.writeConfig(toml, fetch: "concurrency = 4\nper_host = 4")
        let database = fixture.file("state/regwatch.sqlite")

        func sqlite(_ sql: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = [database.path, sql]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        var killedMidway = 0
        for round in 0..<5 {
            let base = server.totalRequests
            let process = try fixture.start(["poll"])
            // Let it commit a few feeds, at a point that differs each round.
            let target = 4 + round * 6
            let deadline = Date().addingTimeInterval(20)
            while server.totalRequests - base < target, Date() < deadline, process.isRunning {
                usleep(2_000)
            }
            usleep(useconds_t(15_000 * (round + 1)))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killedMidway += 1
            }
            process.waitUntilExit()

            XCTAssertEqual(try sqlite("PRAGMA integrity_check;"), "ok", "round \(round)")
            let count = Int(try sqlite("SELECT COUNT(*) FROM item;")) ?? -1
            let distinct = Int(try sqlite("SELECT COUNT(DISTINCT feedId || '|' || identity) FROM item;")) ?? -2
            XCTAssertEqual(count, distinct, "no duplicate after round \(round)")
            XCTAssertEqual(count % itemsPerFeed, 0, "each feed's items commit all together or not at all")
        }
        XCTAssertGreaterThan(killedMidway, 0, "at least one poll was killed while running")

        let repoll = try fixture.run(["poll", "--json"])
        XCTAssertEqual(repoll.status, 0, repoll.stderr)
        XCTAssertEqual(try sqlite("PRAGMA integrity_check;"), "ok")
        XCTAssertEqual(Int(try sqlite("SELECT COUNT(*) FROM item;")), feeds * itemsPerFeed)
        XCTAssertEqual(
            Int(try sqlite("SELECT COUNT(*) FROM item WHERE taggedAt IS NULL;")), 0,
            "items left untagged by a kill are tagged by the next poll")
    }
}
