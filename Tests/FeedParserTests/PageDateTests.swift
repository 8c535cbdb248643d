import FeedParser
import Foundation
import XCTest

/// Dates as French pages write them in running text, filed at 12:00 UTC of their day.
final class PageDateTests: XCTestCase {
    func day(_ text: String) -> String? {
        PageDate.first(in: text).map(FeedJSON.timestamp)
    }

    func testTheWaysFrenchPagesWriteADate() {
        let noon2December = "2026-12-02T12:00:00Z"
        for text in [
            "2 décembre 2026", "Publié le 2 décembre 2026", "Mardi 2 Décembre 2026", "MARDI 2 DÉCEMBRE 2026",
            "le 02 déc. 2026 à 10h30", "02/12/2026", "02.12.2026", "02-12-2026", "2026-12-02",
            "2\u{00A0}décembre\u{00A0}2026",
            "2 decembre 2026", "2 December 2026",
        ] {
            XCTAssertEqual(day(text), noon2December, text)
        }
        XCTAssertEqual(day("1er décembre 2026"), "2026-12-01T12:00:00Z")
        XCTAssertEqual(day("Bref n°462, 10 nov. 2026"), "2026-11-10T12:00:00Z")
        XCTAssertEqual(day("29 février 2028"), "2028-02-29T12:00:00Z")
    }

    func testWhatIsNotADate() {
        for text in [
            "31/02/2026", "29 février 2027", "Décret n° 2026-1123", "13/13/2026", "2 marseillaises 2026", "le 2 mars",
            "version 2.12.2026.1", "Article L. 6323-1", "", "12 000 stagiaires en 2026",
        ] {
            XCTAssertNil(day(text), text)
        }
    }

    func testPublicationAndUpdateAreToldApart() {
        let found = PageDate.find(
            in: "Applicable au 1er janvier 2027. Publié le 27 novembre 2026, mis à jour le 3 décembre 2026")
        XCTAssertEqual(found.published.map(FeedJSON.timestamp), "2026-11-27T12:00:00Z")
        XCTAssertEqual(found.updated.map(FeedJSON.timestamp), "2026-12-03T12:00:00Z")
        let onlyUpdate = PageDate.find(in: "Mise à jour : 5 décembre 2026")
        XCTAssertNil(onlyUpdate.published)
        XCTAssertEqual(onlyUpdate.updated.map(FeedJSON.timestamp), "2026-12-05T12:00:00Z")
    }

    func testAWholeValueIsReadAsISOOrRFC822First() {
        XCTAssertEqual(PageDate.parse("2026-12-03T09:30:00+01:00").map(FeedJSON.timestamp), "2026-12-03T08:30:00Z")
        XCTAssertEqual(
            PageDate.parse(" Tue, 02 Dec 2025 10:00:00 +0100 ").map(FeedJSON.timestamp), "2025-12-02T09:00:00Z")
        XCTAssertEqual(PageDate.parse("3 décembre 2026").map(FeedJSON.timestamp), "2026-12-03T12:00:00Z")
    }
}
