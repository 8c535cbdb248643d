import FeedParser
import Foundation
import XCTest

/// `FeedDate.parse`: the date forms real feeds write, to UTC; anything else to nil.
final class FeedDateTests: XCTestCase {
    private func iso(_ date: Date?) -> String? {
        guard let date else { return nil }
        return FeedJSON.timestamp(date)
    }

    func testRFC822AndItsRealWorldVariants() {
        let table: [(String, String)] = [
            ("Wed, 03 Dec 2025 08:00:00 +0000", "2025-12-03T08:00:00Z"),
            ("Wed, 03 Dec 2025 08:00:00 GMT", "2025-12-03T08:00:00Z"),
            ("Wed, 3 Dec 2025 09:00:00 +0100", "2025-12-03T08:00:00Z"),
            ("03 Dec 2025 09:00:00 +0100", "2025-12-03T08:00:00Z"),
            ("Wed, 03 Dec 2025 09:00 +0100", "2025-12-03T08:00:00Z"),
            ("Wed, 03 Dec 25 08:00:00 GMT", "2025-12-03T08:00:00Z"),
            ("Fri, 31 Dec 99 23:59:59 GMT", "1999-12-31T23:59:59Z"),
            ("Wed, 03 Dec 2025 03:00:00 EST", "2025-12-03T08:00:00Z"),
            ("Wed, 03 Dec 2025 04:00:00 EDT", "2025-12-03T08:00:00Z"),
            ("Wed, 03 Dec 2025 02:00:00 CST", "2025-12-03T08:00:00Z"),
            ("Wed, 03 Dec 2025 00:00:00 PST", "2025-12-03T08:00:00Z"),
            ("Wed, 03 Dec 2025 09:00:00 CET", "2025-12-03T08:00:00Z"),
            ("Wed, 03 Dec 2025 08:00:00 UT", "2025-12-03T08:00:00Z"),
            ("Wed, 03 Dec 2025 08:00:00 Z", "2025-12-03T08:00:00Z"),
            ("Wed, 03 Dec 2025 09:00:00 N", "2025-12-03T08:00:00Z"),
            ("Wed, 03 Dec 2025 07:00:00 A", "2025-12-03T08:00:00Z"),
            ("Wed, 03 Dec 2025 09:00:00 +01:00", "2025-12-03T08:00:00Z"),
            ("Wed, 03 Dec 2025 08:00:00", "2025-12-03T08:00:00Z"),
            ("Wednesday, 03-Dec-2025 08:00:00 GMT", "2025-12-03T08:00:00Z"),
            ("Wed Dec 03 09:00:00 CET 2025", "2025-12-03T08:00:00Z"),
            ("  Wed, 03 Dec 2025 08:00:00 GMT\n", "2025-12-03T08:00:00Z"),
            ("mar., 02 déc. 2025 10:00:00 +0100", "2025-12-02T09:00:00Z"),
            ("mardi 2 décembre 2025 10:00 +0100", "2025-12-02T09:00:00Z"),
            ("lun., 01 déc. 2025 14:05 +0100", "2025-12-01T13:05:00Z"),
            ("jeu., 14 août 2025 08:00:00 +0200", "2025-08-14T06:00:00Z"),
            ("ven., 07 févr. 2025 12:00:00 GMT", "2025-02-07T12:00:00Z"),
            ("sam., 19 juil. 2025 12:00:00 GMT", "2025-07-19T12:00:00Z"),
            ("Tue, 29 Feb 2028 12:00:00 GMT", "2028-02-29T12:00:00Z"),
        ]
        for (text, expected) in table {
            XCTAssertEqual(iso(FeedDate.parse(text)), expected, text)
        }
    }

    func testRFC3339AndW3CDTF() {
        let table: [(String, String)] = [
            ("2025-12-03T08:00:00Z", "2025-12-03T08:00:00Z"),
            ("2025-12-03T09:00:00+01:00", "2025-12-03T08:00:00Z"),
            ("2025-12-03T03:00:00-05:00", "2025-12-03T08:00:00Z"),
            ("2025-12-03T09:00:00+0100", "2025-12-03T08:00:00Z"),
            ("2025-12-03T08:00:00.123456Z", "2025-12-03T08:00:00Z"),
            ("2025-12-03T09:00+01:00", "2025-12-03T08:00:00Z"),
            ("2025-12-03 08:00:00", "2025-12-03T08:00:00Z"),
            ("2025-12-03t08:00:00z", "2025-12-03T08:00:00Z"),
            ("2025-12-03", "2025-12-03T00:00:00Z"),
            ("2025-12", "2025-12-01T00:00:00Z"),
            ("2025", "2025-01-01T00:00:00Z"),
            ("20251203T080000Z", "2025-12-03T08:00:00Z"),
            ("20251203", "2025-12-03T00:00:00Z"),
            ("2025-12-03T08:00:00 GMT", "2025-12-03T08:00:00Z"),
        ]
        for (text, expected) in table {
            XCTAssertEqual(iso(FeedDate.parse(text)), expected, text)
        }
    }

    func testFractionsOfASecondAreKept() {
        XCTAssertEqual(
            FeedDate.parse("2025-12-03T08:00:00.5Z")?.timeIntervalSince1970,
            (FeedDate.parse("2025-12-03T08:00:00Z")?.timeIntervalSince1970 ?? 0) + 0.5)
    }

    func testUnparseableDatesAreNilNeverNow() {
        for text in [
            "", "   ", "demain", "hier à 10h", "2025-13-01", "2025-02-30", "2025-12-03T25:00:00Z",
            "Wed, 32 Dec 2025 08:00:00 GMT", "Wed, 03 Foo 2025 08:00:00 GMT", "Wed, 03 Dec 2025 08:00:00 XYZ",
            "Tue, 29 Feb 2025 12:00:00 GMT", "12/03/2025", "1733212800", "juil", "0000-00-00T00:00:00Z",
            String(repeating: "9", count: 500),
        ] {
            XCTAssertNil(FeedDate.parse(text), text)
        }
    }

    /// The canonical RFC 822 shape (`Thu, 04 Dec 2025 10:30:00 +0100`) is read by a fast path;
    /// the same text with one more space goes through the general scanner. Both must agree,
    /// impossible dates (31 June, 29 February 2025, 24:01, +2400) included.
    func testCanonicalRFC822ReadsAsTheGeneralScannerDoes() {
        let weekdays = ["Mon", "tue", "WED", "Thu", "Fri", "Sat", "Sun", "Mar", "Foo"]
        let months = [
            "Jan", "feb", "MAR", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Déc", "Jui", "Xyz",
        ]
        let days = ["00", "01", "04", "28", "29", "30", "31", "32", "4a"]
        let years = ["1999", "2024", "2025", "0000", "9999"]
        let times = ["00:00:00", "10:30:00", "23:59:60", "24:00:00", "24:01:00", "12:61:00", "9:30:00"]
        let zones = ["+0100", "-0500", "+0000", "+2359", "+2400", "-0060", "GMT", "gmt", "UTC", "EST", "+01:0"]
        var compared = 0, parsed = 0
        for (k, weekday) in weekdays.enumerated() {
            for (m, month) in months.enumerated() {
                for (d, day) in days.enumerated() {
                    // Years, times and zones rotate with the other fields: every value of each
                    // meets every weekday, month and day without the full product.
                    let year = years[(k + m + d) % years.count]
                    let time = times[(m + d) % times.count]
                    for zone in [zones[(k + d) % zones.count], zones[(m + k * 3 + d) % zones.count]] {
                        let canonical = "\(weekday), \(day) \(month) \(year) \(time) \(zone)"
                        let general = "\(weekday),  \(day) \(month) \(year) \(time) \(zone)"
                        let fast = FeedDate.parse(canonical)
                        XCTAssertEqual(fast, FeedDate.parse(general), canonical)
                        XCTAssertEqual(FeedDate.parse("  \(canonical) "), fast, canonical)
                        compared += 1
                        if fast != nil { parsed += 1 }
                    }
                }
            }
        }
        XCTAssertGreaterThan(parsed, compared / 10)  // the comparison covers real dates, not only nils
        XCTAssertEqual(iso(FeedDate.parse("Thu, 04 Dec 2025 10:30:00 +0100")), "2025-12-04T09:30:00Z")
        XCTAssertEqual(iso(FeedDate.parse("sat, 01 MAR 2025 23:59:59 -0530")), "2025-03-02T05:29:59Z")
        XCTAssertEqual(iso(FeedDate.parse("Sun, 29 Feb 2024 00:00:00 GMT")), "2024-02-29T00:00:00Z")
        XCTAssertNil(FeedDate.parse("Sat, 29 Feb 2025 00:00:00 GMT"))
    }
}
