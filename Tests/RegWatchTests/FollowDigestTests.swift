import FeedParser
import Foundation
import RegWatch
import XCTest

/// The digest and the follow-up: `sans suite` items never shown again, items of earlier
/// weeks still `à exploiter` listed in "Suivi" with their owner and age. Real SQLite file.
final class FollowDigestTests: XCTestCase {
    typealias F = DigestFixtures
    static let w50 = ISOWeek(year: 2025, week: 50)!
    private var store: DigestStoreFixture!

    override func setUpWithError() throws {
        store = try DigestStoreFixture(readingMinutes: 15)
    }

    override func tearDown() {
        store?.remove()
    }

    private var database: AppDatabase { store.database }

    private func id(_ titleStart: String) throws -> Int64 {
        try XCTUnwrap(database.items().first { $0.title?.hasPrefix(titleStart) == true }?.id, titleStart)
    }

    private func input(_ week: ISOWeek) throws -> DigestInput {
        try database.digestInput(week: week, timeZone: F.paris, feeds: store.configuration.feeds)
    }

    private func build(_ week: ISOWeek) throws -> WeeklyDigest {
        WeeklyDigest.build(from: try input(week), settings: DigestSettings(store.configuration))
    }

    /// A week-50 item, so that week has a body besides its "Suivi" section.
    private func storeWeek50Item() throws -> Int64 {
        try store.store(
            DigestCandidate(
                id: 0, shortID: "w50", title: "Qualiopi : nouvelle liste des certificateurs accrédités",
                link: "https://travail-emploi.gouv.fr/certificateurs-2026", source: "Ministère du Travail",
                published: F.paris(9, 9), firstSeen: F.paris(9, 10), summary: "Le Cofrac publie la liste à jour.",
                topics: [TopicScore(.qualiopi, 2.4)]))
    }

    func testADismissedItemAndItsStoryStayOutOfLaterBuilds() throws {
        let webinar = try id("Webinaire")
        let decree = try id("Décret n° 2025-1234")
        let before = try build(F.week)
        XCTAssertTrue(before.carriedItemIDs.contains(webinar))
        XCTAssertTrue(before.carriedItemIDs.contains(decree))
        let decreeStory = try database.storyItems(of: decree).map(\.id)
        XCTAssertEqual(decreeStory.count, 3, "the decree and its two relays are one story")

        try database.recordFollow(itemID: webinar, state: .dismissed, note: "Hors sujet", at: F.paris(8, 9))
        try database.recordFollow(itemID: decree, state: .dismissed, at: F.paris(8, 9, 5))
        let after = try input(F.week)
        let ids = Set(after.candidates.map(\.id))
        XCTAssertFalse(ids.contains(webinar))
        XCTAssertTrue(ids.isDisjoint(with: decreeStory), "a relay of a dismissed story is not shown either")
        XCTAssertEqual(after.candidates.count, try input(F.week).candidates.count)
        let digest = WeeklyDigest.build(from: after, settings: DigestSettings(store.configuration))
        XCTAssertFalse(digest.renderMarkdown().contains("Webinaire"))
        XCTAssertFalse(digest.renderMarkdown().contains("JORFTEXT000052000001"))
        XCTAssertTrue(try build(Self.w50).followUps.isEmpty)
    }

    func testADismissedItemComesBackOnlyIfTheLatestDecisionSaysSo() throws {
        let webinar = try id("Webinaire")
        try database.recordFollow(itemID: webinar, state: .dismissed, at: F.paris(8, 9))
        XCTAssertFalse(try input(F.week).candidates.map(\.id).contains(webinar))
        try database.recordFollow(itemID: webinar, state: .toRead, note: "Finalement utile", at: F.paris(8, 10))
        XCTAssertTrue(try input(F.week).candidates.map(\.id).contains(webinar))
    }

    func testSuiviListsEarlierItemsStillToActWithOwnerAndAgeAtTheEndOfTheWeek() throws {
        let decree = try id("Décret n° 2025-1234")
        let qualiopi = try id("Qualiopi : le référentiel")
        let ia = try id("IA générative")
        let agefiph = try id("Neurodiversité")
        let fresh = try storeWeek50Item()
        // Monday 8 December, the ritual of week 49's digest.
        try database.recordFollow(itemID: decree, state: .toRead, owner: "Claire", at: F.paris(8, 9, 20))
        try database.recordFollow(
            itemID: decree, state: .toAct, note: "Mettre à jour nos CGV (ordre de mobilisation)", at: F.paris(8, 9, 30))
        try database.recordFollow(itemID: qualiopi, state: .toAct, owner: "Karim", at: F.paris(8, 9, 40))
        try database.recordFollow(itemID: qualiopi, state: .done, note: "Procédure mise à jour", at: F.paris(10, 9))
        // A second "à exploiter" (new owner) does not reset the age.
        try database.recordFollow(itemID: ia, state: .toAct, at: F.paris(12, 10))
        try database.recordFollow(itemID: ia, state: .toAct, owner: "Inès", at: F.paris(13, 10))
        // Decided after week 50 ended: not part of week 50's digest.
        try database.recordFollow(itemID: agefiph, state: .toAct, owner: "Léa", at: F.paris(15, 9))
        try database.recordFollow(itemID: ia, state: .done, at: F.paris(15, 10))
        // This week's own items are in the body, not in "Suivi".
        try database.recordFollow(itemID: fresh, state: .toAct, at: F.paris(10, 10))

        let digest = try build(Self.w50)
        XCTAssertEqual(digest.followUps.map(\.id), [decree, ia], "longest waiting first")
        XCTAssertEqual(digest.followUps.map(\.owner), ["Claire", "Inès"])
        // Week 50 ends on Monday 15 December 00:00 in Paris.
        XCTAssertEqual(digest.followUps.map(\.ageDays), [6, 2])
        XCTAssertEqual(digest.followUps[0].note, "Mettre à jour nos CGV (ordre de mobilisation)")
        XCTAssertEqual(digest.followUps[0].source, "Légifrance", "the configured source name")

        let markdown = digest.renderMarkdown()
        XCTAssertTrue(markdown.contains("## Suivi\n"), markdown)
        XCTAssertTrue(markdown.contains("Claire · à exploiter depuis 6 jours · réf. \(decree)"), markdown)
        XCTAssertTrue(digest.renderText().contains("Inès · à exploiter depuis 2 jours · réf. \(ia)"))
        let json = try JSONSerialization.jsonObject(with: Data(digest.renderJSON().utf8)) as! [String: Any]
        let followUp = json["follow_up"] as! [[String: Any]]
        XCTAssertEqual(followUp.map { $0["id"] as? Int64 }, [decree, ia])
        XCTAssertEqual(followUp.map { $0["age_days"] as? Int }, [6, 2])

        // A week later the IA item is done and the Agefiph one waits.
        XCTAssertEqual(try build(ISOWeek(year: 2025, week: 51)!).followUps.map(\.id), [decree, fresh, agefiph])
    }

    func testNoSuiviSectionWhenNothingWaits() throws {
        let digest = try build(F.week)
        XCTAssertTrue(digest.followUps.isEmpty)
        XCTAssertFalse(digest.renderMarkdown().contains("Suivi"))
        XCTAssertFalse(digest.renderText().contains("Suivi"))
    }

    func testSuiviRendersLikeTheGoldenFiles() throws {
        var input = F.input
        input.followUps = [
            DigestFollowUp(
                id: 87, title: "Décret n° 2025-1187 : <b>obligations</b> des CFA",
                link: "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000051900002",
                source: "Légifrance", owner: "Claire", note: "Revoir le *règlement intérieur* [v2]",
                since: F.paris(17, 9, month: 11)),
            DigestFollowUp(
                id: 93, title: "France compétences : appel à projets « compétences numériques »",
                link: "javascript:alert(1)",
                source: "France compétences", owner: nil, note: nil, since: F.paris(5, 16)),
        ]
        let digest = WeeklyDigest.build(from: input, settings: F.settings())
        XCTAssertEqual(digest.followUps.map(\.ageDays), [20, 2])
        try FollowGolden.assertMatches(digest.renderMarkdown(), "digest", "regwatch-2025-W49.suivi.md")
        try FollowGolden.assertMatches(digest.renderText(), "digest", "regwatch-2025-W49.suivi.txt")
        let english = WeeklyDigest.build(from: input, settings: F.settings(.en))
        try FollowGolden.assertMatches(english.renderMarkdown(), "digest", "regwatch-2025-W49.suivi.en.md")
    }
}
