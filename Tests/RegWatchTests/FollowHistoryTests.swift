import Foundation
import GRDB
import RegWatch
import XCTest

/// The follow-up history in a real SQLite file: every decision appended with its date,
/// owner and note, the current state being the last one, nothing ever overwritten.
final class FollowHistoryTests: XCTestCase {
    typealias F = DigestFixtures
    private var store: DigestStoreFixture!

    override func setUpWithError() throws {
        store = try DigestStoreFixture()
    }

    override func tearDown() {
        store?.remove()
    }

    private var database: AppDatabase { store.database }

    /// The row id of the fixture item with this title start.
    private func id(_ titleStart: String) throws -> Int64 {
        try XCTUnwrap(database.items().first { $0.title?.hasPrefix(titleStart) == true }?.id, titleStart)
    }

    func testStateChangesAreKeptInOrderWithTheirDatesOwnersAndNotes() throws {
        let decree = try id("Décret n° 2025-1234")
        try database.recordFollow(itemID: decree, state: .toRead, owner: "Claire", at: F.paris(8, 9))
        try database.recordFollow(
            itemID: decree, state: .toAct, note: "Revoir nos CGV : ordre de mobilisation des droits",
            at: F.paris(8, 9, 20))
        try database.recordFollow(
            itemID: decree, state: .done, owner: "Karim", note: "CGV v4 publiées sur le site", at: F.paris(15, 11))

        let followed = try XCTUnwrap(database.followedItem(id: decree))
        XCTAssertEqual(
            followed.history,
            [
                FollowChange(itemID: decree, time: F.paris(8, 9), state: .toRead, owner: "Claire"),
                FollowChange(
                    itemID: decree, time: F.paris(8, 9, 20), state: .toAct,
                    note: "Revoir nos CGV : ordre de mobilisation des droits"),
                FollowChange(
                    itemID: decree, time: F.paris(15, 11), state: .done, owner: "Karim",
                    note: "CGV v4 publiées sur le site"),
            ])
        XCTAssertEqual(followed.state, .done)
        XCTAssertEqual(followed.since, F.paris(15, 11))
        XCTAssertEqual(followed.owner, "Karim")
        XCTAssertEqual(followed.note, "CGV v4 publiées sur le site")
        XCTAssertEqual(followed.source, "Légifrance")
        XCTAssertEqual(followed.topics, [.cpf])
    }

    func testAChangeWithoutOwnerKeepsTheOwnerAndEmptyTextCountsAsNone() throws {
        let qualiopi = try id("Qualiopi : le référentiel")
        try database.recordFollow(itemID: qualiopi, state: .toAct, owner: "Claire", at: F.paris(8, 9))
        let after = try database.recordFollow(itemID: qualiopi, state: .toAct, owner: "  ", note: "", at: F.paris(9, 9))
        XCTAssertEqual(after.owner, "Claire")
        XCTAssertEqual(after.history.last?.owner, nil)
        XCTAssertEqual(after.history.last?.note, nil)
        XCTAssertEqual(after.history.count, 2)
    }

    func testTheHistoryCannotBeRewrittenInTheDatabase() throws {
        let qualiopi = try id("Qualiopi : le référentiel")
        try database.recordFollow(itemID: qualiopi, state: .toAct, owner: "Claire", at: F.paris(8, 9))
        // Even a hand-written UPDATE (sqlite3, a future bug) is refused by the schema.
        let queue = try DatabaseQueue(path: store.configuration.storage.database.path)
        XCTAssertThrowsError(try queue.write { db in try db.execute(sql: "UPDATE followChange SET owner = 'X'") }) {
            XCTAssertTrue(String(describing: $0).contains("append-only"), String(describing: $0))
        }
        try queue.close()
        XCTAssertEqual(try database.followedItem(id: qualiopi)?.owner, "Claire")
    }

    func testTheHistorySurvivesReopeningTheFile() throws {
        let ia = try id("IA générative")
        try database.recordFollow(itemID: ia, state: .toRead, owner: "Inès", at: F.paris(8, 9))
        let reopened = try AppDatabase.open(at: store.configuration.storage.database)
        XCTAssertEqual(try reopened.followedItem(id: ia)?.history.map(\.state), [.toRead])
    }

    func testListIsFilteredOnTheCurrentStateNotOnPastOnes() throws {
        let decree = try id("Décret n° 2025-1234")
        let qualiopi = try id("Qualiopi : le référentiel")
        let webinar = try id("Webinaire")
        try database.recordFollow(itemID: decree, state: .toAct, at: F.paris(8, 9))
        try database.recordFollow(itemID: decree, state: .done, at: F.paris(9, 9))
        try database.recordFollow(itemID: qualiopi, state: .toAct, at: F.paris(8, 10))
        try database.recordFollow(itemID: webinar, state: .dismissed, at: F.paris(8, 11))

        XCTAssertEqual(try database.followedItems(state: .toAct).map(\.itemID), [qualiopi])
        XCTAssertEqual(try database.followedItems(state: .done).map(\.itemID), [decree])
        XCTAssertEqual(try database.followedItems(state: .new).map(\.itemID), [])
        // Workflow order: à exploiter, exploité, sans suite.
        XCTAssertEqual(try database.followedItems().map(\.itemID), [qualiopi, decree, webinar])
        // Items never followed are not in the list.
        XCTAssertEqual(try database.followedItems().count, 3)
    }

    func testItemsAreFoundByIdOrByLinkWithoutTrackingParameters() throws {
        let decree = try id("Décret n° 2025-1234")
        XCTAssertEqual(try database.resolveItem(String(decree)), decree)
        XCTAssertEqual(try database.resolveItem("#\(decree)"), decree)
        XCTAssertEqual(
            try database.resolveItem(
                "HTTPS://www.legifrance.gouv.fr/jorf/id/JORFTEXT000052000001?utm_source=newsletter"),
            decree)
        XCTAssertNil(try database.resolveItem("999999"))
        XCTAssertNil(try database.resolveItem("https://example.org/inconnu"))
        XCTAssertNil(try database.resolveItem("pas un lien"))
    }

    func testFollowingAnUnknownItemIsBadInputAndStoresNothing() throws {
        XCTAssertThrowsError(try database.recordFollow(itemID: 999_999, state: .done, at: F.paris(8, 9))) { error in
            let error = error as! StoreError
            XCTAssertEqual(error.kind, .badInput)
            XCTAssertTrue(error.description.contains("999999"), error.description)
        }
        XCTAssertEqual(try database.followedItems(), [])
    }
}
