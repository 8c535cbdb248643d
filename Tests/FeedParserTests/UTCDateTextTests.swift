import FeedParser
import Foundation
import XCTest

/// The one UTC timestamp writer: the JSON form of every output, written without ICU, the
/// same characters as Foundation's formatter, the second an instant falls in.
final class UTCDateTextTests: XCTestCase {
    private let foundation: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }()

    private func written(_ date: Date) -> String {
        var bytes: [UInt8] = []
        UTCDateText.writeTimestamp(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    func testWholeSecondsFrom1970To9999ReadAsFoundationWritesThem() {
        var generator = SystemRandomNumberGenerator()
        let last = 253_402_300_799.0  // 9999-12-31T23:59:59Z
        let dates =
            [0, 951_782_400, 1_764_748_800, 4_107_542_400, last].map(Date.init(timeIntervalSince1970:))
            + (0..<2000).map { _ in
                Date(timeIntervalSince1970: Double(UInt64.random(in: 0...UInt64(last), using: &generator)))
            }
        for date in dates {
            let expected = foundation.string(from: date)
            XCTAssertEqual(UTCDateText.timestamp(date), expected, "\(date.timeIntervalSince1970)")
            XCTAssertEqual(written(date), expected, "\(date.timeIntervalSince1970)")
        }
    }

    func testAFractionOfASecondIsDroppedNeverRoundedUp() {
        let date = Date(timeIntervalSince1970: 1_764_748_799.9996)  // 2025-12-03T07:59:59.9996Z
        XCTAssertEqual(UTCDateText.timestamp(date), "2025-12-03T07:59:59Z")
        XCTAssertEqual(written(date), "2025-12-03T07:59:59Z")
        XCTAssertEqual(UTCDateText.timestamp(Date(timeIntervalSince1970: -0.5)), "1969-12-31T23:59:59Z")
    }

    func testYearsBefore1970AndAfter9999StillGetATimestamp() {
        let cases: [(Double, String)] = [
            (-86_400, "1969-12-31T00:00:00Z"),
            (-62_167_219_200, "0000-01-01T00:00:00Z"),
            (253_402_300_800, "10000-01-01T00:00:00Z"),
        ]
        for (seconds, expected) in cases {
            let date = Date(timeIntervalSince1970: seconds)
            XCTAssertEqual(UTCDateText.timestamp(date), expected, "\(seconds)")
            XCTAssertEqual(written(date), expected, "\(seconds)")
        }
        XCTAssertNil(UTCDateText.internetDateTime(Date(timeIntervalSince1970: -1)))
        XCTAssertNil(UTCDateText.storage(Date(timeIntervalSince1970: 253_402_300_800)))
    }
}
