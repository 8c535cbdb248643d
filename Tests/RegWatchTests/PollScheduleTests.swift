import Foundation
import RegWatch
import XCTest

/// Each feed's next poll: interval, freshness floor, backoff, jitter.
final class PollScheduleTests: XCTestCase {
    let hourly = PollSchedule(interval: .seconds(3600))
    let url = "https://www.centre-inffo.fr/feed"

    func testSuccessWaitsTheIntervalPlusAtMostTenPercentJitter() {
        let delay = hourly.delay(after: .success(freshFor: nil), feedKey: url)
        XCTAssertGreaterThanOrEqual(delay, .seconds(3600))
        XCTAssertLessThan(delay, .seconds(3960))
    }

    func testJitterIsStablePerFeedAndSpreadsFeedsApart() {
        let first = hourly.delay(after: .success(freshFor: nil), feedKey: url)
        XCTAssertEqual(first, hourly.delay(after: .success(freshFor: nil), feedKey: url))
        let others = (0..<50).map {
            hourly.delay(after: .success(freshFor: nil), feedKey: "https://source\($0).example.fr/feed")
        }
        XCTAssertGreaterThan(Set(others).count, 45, "feeds configured alike must not all fire together")
    }

    func testFreshnessHintLongerThanIntervalIsAFloor() {
        let delay = hourly.delay(after: .success(freshFor: .seconds(3 * 3600)), feedKey: url)
        XCTAssertGreaterThanOrEqual(delay, .seconds(3 * 3600))
    }

    func testFreshnessHintShorterThanIntervalChangesNothing() {
        XCTAssertEqual(
            hourly.delay(after: .success(freshFor: .seconds(60)), feedKey: url),
            hourly.delay(after: .success(freshFor: nil), feedKey: url))
    }

    func testAWeekOfMaxAgeIsCappedAtADay() {
        let delay = hourly.delay(after: .success(freshFor: .seconds(7 * 86400)), feedKey: url)
        XCTAssertLessThanOrEqual(delay, PollSchedule.ceiling * 1.1)
    }

    func testFailuresBackOffExponentiallyUpToTheCeiling() {
        let delays = (1...12).map { hourly.delay(after: .failure(streak: $0, retryAfter: nil), feedKey: url) }
        // 15 min, 30 min, 1 h, 2 h … (each within +10 % jitter).
        XCTAssertGreaterThanOrEqual(delays[0], .seconds(900))
        XCTAssertLessThan(delays[0], .seconds(990))
        XCTAssertGreaterThanOrEqual(delays[3], .seconds(7200))
        for (earlier, later) in zip(delays, delays.dropFirst()) where later < PollSchedule.ceiling {
            XCTAssertGreaterThan(later, earlier)
        }
        XCTAssertLessThanOrEqual(delays.last!, PollSchedule.ceiling * 1.1)
        XCTAssertGreaterThanOrEqual(delays.last!, PollSchedule.ceiling)
    }

    func testAFailureWaitsAtLeastAMinuteOrTheIntervalWhenShorter() {
        let minutely = PollSchedule(interval: .seconds(120))
        XCTAssertGreaterThanOrEqual(
            minutely.delay(after: .failure(streak: 1, retryAfter: nil), feedKey: url), .seconds(60))
        let fast = PollSchedule(interval: .seconds(2))
        let delay = fast.delay(after: .failure(streak: 1, retryAfter: nil), feedKey: url)
        XCTAssertGreaterThanOrEqual(delay, .seconds(2))
        XCTAssertLessThan(delay, .seconds(3))
    }

    func testRetryAfterIsHonouredWhenLongerThanTheBackoff() {
        let delay = hourly.delay(after: .failure(streak: 1, retryAfter: .seconds(5 * 3600)), feedKey: url)
        XCTAssertGreaterThanOrEqual(delay, .seconds(5 * 3600))
    }

    func testNextDueAddsTheDelayToNow() {
        let now = Date(timeIntervalSince1970: 1_764_000_000)
        let due = hourly.nextDue(after: .success(freshFor: nil), at: now, feedKey: url)
        XCTAssertEqual(
            due.timeIntervalSince(now),
            hourly.delay(after: .success(freshFor: nil), feedKey: url).timeInterval, accuracy: 0.001)
    }
}
