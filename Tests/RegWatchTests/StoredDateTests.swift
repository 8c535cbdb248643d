import FeedParser
import Foundation
import GRDB
import XCTest

@testable import RegWatch

/// The hand-written date texts are GRDB's (store) and Foundation's (JSON), character for character.
final class StoredDateTests: XCTestCase {
    private func grdbText(_ date: Date) -> String? { String.fromDatabaseValue(date.databaseValue) }
    private func storedText(_ date: Date) -> String? { String.fromDatabaseValue(StoredDate(date).databaseValue) }

    func testTheTextIsGRDBsForDatesAcrossTheRange() {
        var generator = SystemRandomNumberGenerator()
        var dates: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: 4_107_542_400),  // 2100-03-01
            Date(timeIntervalSince1970: 1_764_748_800.9995), Date(timeIntervalSince1970: 1_764_748_800.0005),
            Date(timeIntervalSince1970: 253_402_300_799.999),  // 9999-12-31 23:59:59.999
        ]
        for _ in 0..<20_000 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: 0..<4_102_444_800, using: &generator)))
        }
        for _ in 0..<2_000 {  // whole milliseconds and half-milliseconds, where rounding could differ
            let millis = Double(Int64.random(in: 0..<2_000_000_000_000, using: &generator))
            dates.append(Date(timeIntervalSince1970: millis / 1000))
            dates.append(Date(timeIntervalSince1970: (millis + 0.5) / 1000))
        }
        for date in dates {
            XCTAssertEqual(storedText(date), grdbText(date), "\(date.timeIntervalSince1970)")
        }
    }

    func testDatesOutsideTheFastRangeAreLeftToGRDB() {
        for date in [
            Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: -12_000_000_000),
            Date(timeIntervalSince1970: 300_000_000_000),
        ] {
            XCTAssertNil(StoredDate.text(date))
            XCTAssertEqual(storedText(date), grdbText(date))
        }
    }

    func testAStoredDateReadsBackAsTheSameMillisecond() {
        let date = Date(timeIntervalSince1970: 1_764_748_800.25)
        XCTAssertEqual(StoredDate.fromDatabaseValue(StoredDate(date).databaseValue)?.date, date)
    }

    func testTheJSONTextIsISO8601DateFormattersAcrossTheRange() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_764_748_799.9999),
            Date(timeIntervalSince1970: 253_402_300_799.5),
        ]
        for _ in 0..<20_000 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: 0..<4_102_444_800, using: &generator)))
        }
        for date in dates {
            XCTAssertEqual(
                UTCDateText.internetDateTime(date), formatter.string(from: date), "\(date.timeIntervalSince1970)")
        }
        XCTAssertNil(UTCDateText.internetDateTime(Date(timeIntervalSince1970: -1)))
    }

    func testStoredDateTextsAreOrderedAsSQLiteOrdersTheirText() {
        // The window of a look-alike title compares stored dates as SQLite compares text.
        var texts = [
            "", "2025", "2025-12-01", "2025-12-01 10:00:00.000", "2025-12-01 10:00:00.0001", "2025-12-01 10:00:00.001",
            "2025-12-01 10:00:00.000 and more than twenty-four bytes", "2025-12-01 10:00:00.000 and more",
            "2025\u{0}12", "2025\u{0}", "é", "2025-12-01T10:00:00Z", "9999-12-31 23:59:59.999",
        ]
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0129-: .TZ\u{0}é".unicodeScalars)
        for _ in 0..<300 {
            let length = Int.random(in: 0...30, using: &generator)
            texts.append(
                String(String.UnicodeScalarView((0..<length).map { _ in alphabet.randomElement(using: &generator)! })))
        }
        for left in texts {
            for right in texts {
                XCTAssertEqual(
                    StoredDateText(left) < StoredDateText(right), left.utf8.lexicographicallyPrecedes(right.utf8),
                    "\(left.debugDescription) < \(right.debugDescription)")
            }
        }
    }
}
