import Foundation
import RegWatch
import XCTest

/// The one line `systemctl status regwatch` shows.
final class DaemonStatusLineTests: XCTestCase {
    private let paris = TimeZone(identifier: "Europe/Paris")!
    /// Monday 23 November 2026, 09:15 in Paris.
    private let now = ISO8601DateFormatter().date(from: "2026-11-23T08:15:00Z")!

    func testFeedsFailingFeedsAndTheNextPollInLocalTime() {
        let round = PollRound(
            feeds: 42, polled: 5, failing: 3, newItems: 7, nextDue: now.addingTimeInterval(27 * 60))

        XCTAssertEqual(
            round.statusLine(now: now, timeZone: paris, language: .english), "42 feeds, 3 failing, next poll 09:42")
    }

    func testANextPollOnAnotherDayCarriesItsDate() {
        let round = PollRound(feeds: 1, polled: 1, failing: 1, newItems: 0, nextDue: now.addingTimeInterval(20 * 3600))

        XCTAssertEqual(
            round.statusLine(now: now, timeZone: paris, language: .english),
            "1 feed, 1 failing, next poll 2026-11-24 05:15")
    }

    func testAnOverdueFeedIsShownAsDueNow() {
        let round = PollRound(feeds: 2, polled: 0, failing: 0, newItems: 0, nextDue: now.addingTimeInterval(-600))

        XCTAssertEqual(
            round.statusLine(now: now, timeZone: paris, language: .english), "2 feeds, 0 failing, next poll 09:15")
    }

    func testWithoutAnEnabledFeedThereIsNoNextPoll() {
        let round = PollRound(feeds: 0, polled: 0, failing: 0, newItems: 0, nextDue: nil)

        XCTAssertEqual(
            round.statusLine(now: now, timeZone: paris, language: .english), "0 feeds, 0 failing, no feed enabled")
    }

    func testTheLineFollowsTheDaemonsLanguage() {
        let round = PollRound(
            feeds: 42, polled: 5, failing: 3, newItems: 7, nextDue: now.addingTimeInterval(27 * 60))
        XCTAssertEqual(
            round.statusLine(now: now, timeZone: paris, language: .french),
            "42 flux, 3 en échec, prochaine lecture 09:42")
        let idle = PollRound(feeds: 0, polled: 0, failing: 0, newItems: 0, nextDue: nil)
        XCTAssertEqual(
            idle.statusLine(now: now, timeZone: paris, language: .french), "0 flux, 0 en échec, aucun flux actif")
    }
}
