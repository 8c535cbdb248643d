import Foundation
import Logging
import RegWatch
import TestSupport
import XCTest

/// The daemon's rounds: which feeds are due, and what the round reports.
final class ScheduledPollingTests: XCTestCase {
    var server: LoopbackHTTPServer!
    var directory: TemporaryDirectory!
    var work: ScheduledPolling!
    let start = Date(timeIntervalSince1970: 1_764_000_000)

    override func setUpWithError() throws {
        server = try LoopbackHTTPServer()
        directory = try TemporaryDirectory()
        let database = try AppDatabase.open(at: directory.file("regwatch.sqlite"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        work = ScheduledPolling(database: database, logger: logger)
        for path in ["/a.xml", "/b.xml", "/c.xml"] {
            server.route(path: path, document: PollerTests.twoItems)
        }
        server.route("/gone.xml") { _ in .init(status: 410, text: "Gone") }
    }

    override func tearDown() {
        server.stop()
        directory.remove()
    }

    func settings(_ paths: [String]) -> Configuration {
        Configuration(
            fetch: .init(defaultInterval: .seconds(3600), allowPrivateNetworks: true),
            feeds: paths.map { FeedEntry(url: FeedURL(server.url(for: $0).absoluteString)!) })
    }

    func testNewFeedsAreDueAtOnceThenWaitForTheirInterval() async throws {
        let first = try await work.pollDue(settings(["/a.xml", "/b.xml"]), now: start)
        XCTAssertEqual(first.polled, 2)
        XCTAssertEqual(first.newItems, 4)
        XCTAssertGreaterThanOrEqual(first.nextDue!.timeIntervalSince(start), 3600)

        let soon = try await work.pollDue(settings(["/a.xml", "/b.xml"]), now: start.addingTimeInterval(60))
        XCTAssertEqual(soon.polled, 0)
        XCTAssertEqual(server.requestCount(path: "/a.xml"), 1)

        let later = try await work.pollDue(settings(["/a.xml", "/b.xml"]), now: start.addingTimeInterval(2 * 3600))
        XCTAssertEqual(later.polled, 2)
    }

    func testAFeedAddedToTheConfigurationIsPolledOnTheNextRound() async throws {
        _ = try await work.pollDue(settings(["/a.xml"]), now: start)
        let round = try await work.pollDue(settings(["/a.xml", "/c.xml"]), now: start.addingTimeInterval(1))
        XCTAssertEqual(round.polled, 1)
        XCTAssertEqual(server.requestCount(path: "/c.xml"), 1)
        XCTAssertEqual(server.requestCount(path: "/a.xml"), 1)
    }

    func testAGoneFeedCountsAsFailingAndIsNotPolledAgain() async throws {
        let first = try await work.pollDue(settings(["/a.xml", "/gone.xml"]), now: start)
        XCTAssertEqual(first.failing, 1)
        let later = try await work.pollDue(settings(["/a.xml", "/gone.xml"]), now: start.addingTimeInterval(3 * 86400))
        XCTAssertEqual(later.polled, 1)
        XCTAssertEqual(server.requestCount(path: "/gone.xml"), 1)
        XCTAssertEqual(later.failing, 1)
    }

    func testDisabledFeedsAreNotPolled() async throws {
        var config = settings(["/a.xml", "/b.xml"])
        config.feeds[1].enabled = false
        let round = try await work.pollDue(config, now: start)
        XCTAssertEqual(round.feeds, 1)
        XCTAssertEqual(server.requestCount(path: "/b.xml"), 0)
    }
}
