import Foundation
import RegWatch
import XCTest

/// ISO 8601 weeks: parsing, year boundaries, 53-week years, and DST-correct boundaries in Paris.
final class DigestISOWeekTests: XCTestCase {
    let paris = TimeZone(identifier: "Europe/Paris")!
    let utc = TimeZone(identifier: "UTC")!

    private func utcDate(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    func testParsesAndPrintsTheYYYYWwwForm() throws {
        let week = try ISOWeek(parsing: "2025-W49")
        XCTAssertEqual(week.year, 2025)
        XCTAssertEqual(week.week, 49)
        XCTAssertEqual(week.description, "2025-W49")
        XCTAssertEqual(try ISOWeek(parsing: "2026-w02").description, "2026-W02")
    }

    func testRejectsMalformedWeeksWithAnErrorNamingTheExpectedForm() {
        for text in ["2025-49", "2025W49", "25-W49", "2025-W4", "2025-W049", "2025-W00", "", "2025-W4a", "２０２５-W49"] {
            XCTAssertThrowsError(try ISOWeek(parsing: text), text) { error in
                let actionable = error as? ISOWeekError
                XCTAssertEqual(actionable?.kind, .badInput)
                XCTAssertTrue(String(describing: error).contains("YYYY-Www"), String(describing: error))
            }
        }
    }

    func testWeek53ExistsOnlyInLongYears() throws {
        // 2020 began on a Wednesday in a leap year, 2026 begins on a Thursday: 53 weeks each.
        XCTAssertEqual(try ISOWeek(parsing: "2020-W53").description, "2020-W53")
        XCTAssertEqual(try ISOWeek(parsing: "2026-W53").description, "2026-W53")
        XCTAssertEqual(ISOWeek.weeks(in: 2015), 53)
        XCTAssertEqual(ISOWeek.weeks(in: 2024), 52)
        XCTAssertEqual(ISOWeek.weeks(in: 2025), 52)
        XCTAssertThrowsError(try ISOWeek(parsing: "2025-W53")) { error in
            XCTAssertTrue(String(describing: error).contains("2025 has 52 ISO weeks"), String(describing: error))
        }
    }

    func testWeekOneHoldsJanuaryFourthSoItCanStartInDecember() {
        // Monday 29 December 2025 belongs to 2026-W01; Sunday 3 January 2021 to 2020-W53.
        XCTAssertEqual(ISOWeek.containing(utcDate("2025-12-29T12:00:00Z"), in: utc).description, "2026-W01")
        XCTAssertEqual(ISOWeek.containing(utcDate("2025-12-28T12:00:00Z"), in: utc).description, "2025-W52")
        XCTAssertEqual(ISOWeek.containing(utcDate("2021-01-03T12:00:00Z"), in: utc).description, "2020-W53")
        XCTAssertEqual(ISOWeek.containing(utcDate("2021-01-04T00:00:00Z"), in: utc).description, "2021-W01")
        XCTAssertEqual(ISOWeek.containing(utcDate("2024-12-30T08:00:00Z"), in: utc).description, "2025-W01")
    }

    func testWeekBoundsAreMondayMidnightLocalTime() throws {
        let week = try ISOWeek(parsing: "2025-W49")
        XCTAssertEqual(week.start(in: paris), utcDate("2025-11-30T23:00:00Z"))
        XCTAssertEqual(week.end(in: paris), utcDate("2025-12-07T23:00:00Z"))
        XCTAssertEqual(try ISOWeek(parsing: "2026-W01").start(in: paris), utcDate("2025-12-28T23:00:00Z"))
    }

    func testAWeekWithADaylightSavingChangeLasts167Or169Hours() throws {
        // Summer time starts on Sunday 30 March 2025 and ends on Sunday 26 October 2025 in Paris.
        let spring = try ISOWeek(parsing: "2025-W13")
        XCTAssertEqual(spring.start(in: paris), utcDate("2025-03-23T23:00:00Z"))
        XCTAssertEqual(spring.end(in: paris), utcDate("2025-03-30T22:00:00Z"))
        XCTAssertEqual(spring.end(in: paris).timeIntervalSince(spring.start(in: paris)), 167 * 3600)
        let autumn = try ISOWeek(parsing: "2025-W43")
        XCTAssertEqual(autumn.end(in: paris).timeIntervalSince(autumn.start(in: paris)), 169 * 3600)
    }

    func testTheSameInstantCanBeInDifferentWeeksInDifferentZones() {
        // Sunday 23:30 UTC is already Monday in Paris.
        let instant = utcDate("2025-12-07T23:30:00Z")
        XCTAssertEqual(ISOWeek.containing(instant, in: utc).description, "2025-W49")
        XCTAssertEqual(ISOWeek.containing(instant, in: paris).description, "2025-W50")
        let week = ISOWeek(year: 2025, week: 50)!
        XCTAssertTrue(week.contains(instant, in: paris))
        XCTAssertFalse(week.contains(instant, in: utc))
    }

    func testLastCompletedIsTheWeekThatJustEndedOnMondayMorning() {
        // Monday 8 December 2025, 00:30 Paris (Sunday 23:30 UTC): the week of 1–7 December just ended.
        let mondayMorning = utcDate("2025-12-07T23:30:00Z")
        XCTAssertEqual(ISOWeek.lastCompleted(now: mondayMorning, in: paris).description, "2025-W49")
        // Sunday 7 December 22:00 Paris: the week is still running, the last completed is W48.
        XCTAssertEqual(ISOWeek.lastCompleted(now: utcDate("2025-12-07T21:00:00Z"), in: paris).description, "2025-W48")
        // Across New Year: on Monday 5 January 2026 the last completed week is 2026-W01.
        XCTAssertEqual(ISOWeek.lastCompleted(now: utcDate("2026-01-05T08:00:00Z"), in: paris).description, "2026-W01")
        XCTAssertEqual(ISOWeek.lastCompleted(now: utcDate("2025-12-29T08:00:00Z"), in: paris).description, "2025-W52")
    }

    func testPreviousAndNextCrossYears() throws {
        XCTAssertEqual(try ISOWeek(parsing: "2021-W01").previous.description, "2020-W53")
        XCTAssertEqual(try ISOWeek(parsing: "2020-W53").next.description, "2021-W01")
        XCTAssertEqual(try ISOWeek(parsing: "2025-W52").next.description, "2026-W01")
        XCTAssertLessThan(try ISOWeek(parsing: "2025-W52"), try ISOWeek(parsing: "2026-W01"))
    }

    func testEveryYearBoundaryOfFortyYearsMapsToTheWeekFoundationComputes() {
        // Cross-check the civil arithmetic against Foundation's ISO 8601 calendar on the days
        // where ISO weeks are tricky: 20 December to 12 January, every year from 1999 to 2040.
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = utc
        var checked = 0
        for year in 1999...2040 {
            let first = utcDate("\(year)-12-20T12:00:00Z")
            for offset in 0..<24 {
                let day = first.addingTimeInterval(Double(offset) * 86_400)
                let parts = calendar.dateComponents([.weekOfYear, .yearForWeekOfYear], from: day)
                let week = ISOWeek.containing(day, in: utc)
                XCTAssertEqual(week.year, parts.yearForWeekOfYear, "\(day)")
                XCTAssertEqual(week.week, parts.weekOfYear, "\(day)")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 42 * 24)
    }

    func testCodableUsesTheTextForm() throws {
        let week = try ISOWeek(parsing: "2025-W49")
        let data = try JSONEncoder().encode([week])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"2025-W49\"]")
        XCTAssertEqual(try JSONDecoder().decode([ISOWeek].self, from: data), [week])
        XCTAssertThrowsError(try JSONDecoder().decode([ISOWeek].self, from: Data("[\"2025-W60\"]".utf8)))
    }
}
