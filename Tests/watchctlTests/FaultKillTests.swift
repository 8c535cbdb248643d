import Foundation
import Synchronization
import TestSupport
import XCTest

/// `watchctl poll` killed with SIGKILL at random points of its run, 50 times in a row, over feeds that
/// carry new items at every request: after every kill the database passes
/// `PRAGMA integrity_check`, holds no duplicate entry, and still holds every item that was
/// there before (nothing committed is ever lost). A last, unkilled poll completes normally.
final class FaultKillTests: XCTestCase {
    static let rounds = 50
    static let feedCount = 4
    static let itemsPerResponse = 150

    func testFiftyKillsAtRandomPointsNeverCorruptNorLoseCommittedItems() throws {
        let fixture = try WatchctlFixture(prefix: "regwatch-kill")
        defer { fixture.remove() }
        let server = fixture.server

        // Every request returns fresh items (the request number is in the guid), so every
        // poll writes and a kill can land inside a transaction.
        let served = Counter()
        let paragraph = String(repeating: "Qualiopi, CPF et apprentissage : ce qui change pour les CFA. ", count: 6)
        for feed in 0..<Self.feedCount {
            server.route("/flux-\(feed).xml") { _ in
                let n = served.next()
                var xml =
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Flux \(feed)</title>"
                for k in 0..<Self.itemsPerResponse {
                    xml +=
                        "<item><title>Note \(n)-\(k) du flux \(feed)</title><guid>f\(feed)-r\(n)-\(k)</guid>"
                        + "<description>\(paragraph)</description></item>"
                }
                xml += "</channel></rss>"
                return .init(headers: ["Content-Type": "application/rss+xml"], text: xml)
            }
        }
        let feeds = (0..<Self.feedCount).map { "[[feeds]]\nurl = \"\(fixture.url("/flux-\($0).xml"))\"\n" }
        try fixture.writeConfig(feeds.joined(separator: "\n"), fetch: "per_host = \(Self.feedCount)")
        let database = fixture.file("state/regwatch.sqlite")
        // Kills are spread over the whole length of a poll on this machine (start-up, fetches,
        // commits), measured rather than assumed: a loaded CI machine is slower. The longer of
        // the poll that creates the database and one over it (as every round's is).
        let clock = ContinuousClock()
        var longest = Duration.zero
        for _ in 1...2 {
            let started = clock.now
            let poll = try fixture.run(["poll"])
            XCTAssertEqual(poll.status, 0, poll.stderr)
            longest = max(longest, clock.now - started)
        }
        let pollMicroseconds = UInt32(min(3.0, max(0.2, longest / .seconds(1))) * 700_000)

        var generator = SplitMix64(  // set REGWATCH_KILL_SEED to replay another sequence
            seed: UInt64(ProcessInfo.processInfo.environment["REGWATCH_KILL_SEED"] ?? "") ?? 20_251_127)
        var committed = Int(try Hostile.sqlite(database, "SELECT count(*) FROM item")) ?? 0
        var killedMidway = 0
        var roundsThatCommitted = 0
        for round in 1...Self.rounds {
            let child = try fixture.start(["poll"])
            // Anywhere from start-up (opening, migrating) to the last commits.
            usleep(UInt32.random(in: 0...pollMicroseconds, using: &generator))
            let stillRunning = child.isRunning
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            if stillRunning { killedMidway += 1 }

            XCTAssertEqual(try Hostile.sqlite(database, "PRAGMA integrity_check"), "ok", "round \(round)")
            let count = Int(try Hostile.sqlite(database, "SELECT count(*) FROM item")) ?? -1
            XCTAssertGreaterThanOrEqual(count, committed, "round \(round): committed items were lost")
            XCTAssertEqual(count % Self.itemsPerResponse, 0, "round \(round): a feed's fetch was stored in part")
            if stillRunning && count > committed { roundsThatCommitted += 1 }
            committed = count
            XCTAssertEqual(
                try Hostile.sqlite(database, "SELECT count(*) - count(DISTINCT feedId || ' ' || identity) FROM item"),
                "0", "round \(round): duplicate entries")
        }
        XCTAssertGreaterThanOrEqual(killedMidway, Self.rounds / 2, "most kills must land while the poll runs")
        XCTAssertGreaterThan(roundsThatCommitted, 0, "no kill landed after a commit: the kills missed the store")
        print(
            "SIGKILL rounds: \(Self.rounds), killed mid-poll: \(killedMidway), of which after some commits: "
                + "\(roundsThatCommitted), kill window \(pollMicroseconds / 1000) ms, items committed: \(committed), lost: 0"
        )

        let last = try fixture.run(["poll", "--json"])
        XCTAssertEqual(last.status, 0, last.stderr)
        let summary = try Hostile.Summary(last.stdout)
        XCTAssertEqual(summary.ok, Self.feedCount, "\(summary.errors)")
        XCTAssertEqual(summary.newItems, Self.feedCount * Self.itemsPerResponse)
        XCTAssertEqual(try Hostile.sqlite(database, "PRAGMA integrity_check"), "ok")
    }
}

/// A thread-safe request counter for route handlers.
final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int {
        value.withLock {
            $0 += 1; return $0
        }
    }
}
