import Foundation
import XCTest

@testable import RegWatch
import TestSupport

/// The audit record writes its dates on the report's clock by computation, not through a
/// `DateFormatter` per date: the characters must be the formatter's, in every zone, across
/// daylight-saving changes, at the edges of days and years, with fractions of a second.
final class AuditDateTests: XCTestCase {
    private var fixture: AuditFixture!

    override func setUpWithError() throws {
        fixture = try AuditFixture()
    }

    override func tearDown() {
        fixture?.remove()
    }

    private func formatted(_ date: Date, _ pattern: String, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    /// Instants a record meets: around Paris's daylight-saving changes, midnights, New Year,
    /// fractions just under the next minute, a leap day, plus a deterministic spread over
    /// 1970–2100.
    private var instants: [Date] {
        let fixed: [TimeInterval] = [
            0, 1_711_846_799, 1_711_846_800, 1_711_850_400, 1_729_990_799, 1_729_990_800, 1_729_994_400,
            1_735_689_599.999, 1_735_689_600, 1_735_686_000, 1_709_164_800, 1_764_748_859.9995,
            1_764_748_800.0004, 4_102_444_799, 2_147_483_647, -1, -86_400.5,
        ]
        var generator = SplitMix64(seed: 23)
        let spread = (0..<2_000).map { _ in TimeInterval(generator.next() % 4_102_444_800) + 0.25 }
        return (fixed + spread).map(Date.init(timeIntervalSince1970:))
    }

    func testDatesAreWrittenAsTheFormatterWritesThemInEveryZone() throws {
        var report = try fixture.report()
        for identifier in [
            "Europe/Paris", "UTC", "America/Cayenne", "Pacific/Noumea", "Asia/Kolkata", "America/St_Johns",
        ] {
            let zone = try XCTUnwrap(TimeZone(identifier: identifier))
            report.timeZone = zone
            for date in instants {
                XCTAssertEqual(report.day(date), formatted(date, "dd/MM/yyyy", in: zone), "\(identifier) \(date)")
                XCTAssertEqual(report.time(date), formatted(date, "HH:mm", in: zone), "\(identifier) \(date)")
                XCTAssertEqual(
                    report.dateTime(date), formatted(date, "dd/MM/yyyy HH:mm", in: zone), "\(identifier) \(date)")
            }
        }
    }

    func testDatesOutsideTheComputedYearsStillGoThroughTheFormatter() throws {
        var report = try fixture.report()
        report.timeZone = try XCTUnwrap(TimeZone(identifier: "Europe/Paris"))
        for date in [Date(timeIntervalSince1970: -12_300_000_000), Date(timeIntervalSince1970: 253_402_300_800)] {
            XCTAssertEqual(report.dateTime(date), formatted(date, "dd/MM/yyyy HH:mm", in: report.timeZone))
        }
    }
}
