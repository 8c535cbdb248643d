import FeedParser
import Foundation
import RegWatch
import TestSupport
import XCTest

/// The same news carried by several feeds is one story (the digest shows it once, "aussi relayé par").
final class StoryGroupingTests: XCTestCase {
    private var dir: TemporaryDirectory!
    private var db: AppDatabase!
    private let t0 = Date(timeIntervalSince1970: 1_764_748_800)
    private let inffo = FeedURL("https://www.centre-inffo.fr/feed")!
    private let digiformag = FeedURL("https://www.digiformag.com/feed/")!
    private let acteurs = FeedURL("https://lesacteursdelacompetence.fr/feed/")!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "regwatch-story")
        db = try AppDatabase.open(at: dir.file("regwatch.sqlite"))
    }

    override func tearDown() {
        db = nil
        dir.remove()
    }

    private func store(_ item: Item, in feed: FeedURL, at time: Date? = nil) throws -> StoredItem {
        let id = try db.upsertItems([item], feedURL: feed, fetchedAt: time ?? t0).insertedIDs[0]
        return try XCTUnwrap(try db.item(id: id))
    }

    func testTheSameCanonicalLinkInTwoFeedsIsOneStory() throws {
        let a = try store(
            Item(
                id: "a", title: "CPF : le reste à charge passe à 102,23 euros",
                link: "https://www.service-public.fr/particuliers/actualites/A17000?xtor=RSS-1"),
            in: inffo)
        let b = try store(
            Item(
                id: "b", title: "Participation forfaitaire au CPF revalorisée",
                link: "HTTPS://WWW.service-public.fr/particuliers/actualites/A17000#top"),
            in: digiformag)
        XCTAssertEqual(a.storyID, b.storyID)
        XCTAssertEqual(try db.storyItems(of: b.id).map(\.id), [a.id, b.id])
    }

    func testNearIdenticalTitlesWithinThreeDaysAreOneStory() throws {
        let a = try store(
            Item(
                id: "a", title: "Qualiopi : le nouveau guide de lecture du référentiel national qualité est paru",
                published: t0),
            in: inffo)
        let b = try store(
            Item(
                id: "b", title: "QUALIOPI – Le nouveau guide de lecture du Référentiel National Qualité est paru !",
                published: t0 + 86_400),
            in: digiformag)
        let c = try store(
            Item(
                id: "c", title: "Le nouveau guide de lecture du référentiel national qualité Qualiopi est paru",
                published: t0 + 2 * 86_400),
            in: acteurs)
        XCTAssertEqual(a.storyID, b.storyID)
        XCTAssertEqual(a.storyID, c.storyID, "same words in another order")
    }

    func testSimilarTitlesFarApartInTimeAreDifferentStories() throws {
        let a = try store(
            Item(id: "a", title: "Baromètre de la formation professionnelle 2025 publié", published: t0), in: inffo)
        let b = try store(
            Item(id: "b", title: "Baromètre de la formation professionnelle 2025 publié", published: t0 + 10 * 86_400),
            in: digiformag)
        XCTAssertNotEqual(a.storyID, b.storyID)
    }

    func testDifferentNewsWithSomeSharedWordsAreDifferentStories() throws {
        let a = try store(
            Item(id: "a", title: "Qualiopi : les audits de surveillance à distance prolongés", published: t0), in: inffo
        )
        let b = try store(
            Item(id: "b", title: "Qualiopi : les audits initiaux coûtent plus cher en 2026", published: t0),
            in: digiformag)
        XCTAssertNotEqual(a.storyID, b.storyID)
    }

    func testShortGenericTitlesNeverGroup() throws {
        let a = try store(Item(id: "a", title: "Actualités", published: t0), in: inffo)
        let b = try store(Item(id: "b", title: "Actualités", published: t0), in: digiformag)
        XCTAssertNotEqual(a.storyID, b.storyID)
    }

    func testTwoItemsOfOneFeedAreNeverOneStory() throws {
        let a = try store(
            Item(
                id: "a", title: "Apprentissage : les aides à l'embauche prolongées", link: "https://x.fr/a",
                published: t0), in: inffo)
        let b = try store(
            Item(
                id: "b", title: "Apprentissage : les aides à l'embauche prolongées", link: "https://x.fr/a",
                published: t0), in: inffo)
        XCTAssertNotEqual(a.storyID, b.storyID)
    }

    func testSameStoryIsAJaccardOfDistinctWordsWithoutStopwords() {
        // Stopwords and repeated words do not count: the same five words.
        XCTAssertTrue(
            StoryKey.sameStory(
                "qualiopi le nouveau guide de lecture est paru", "qualiopi nouveau guide lecture paru paru"))
        // Nine shared words of ten: 0.9.
        XCTAssertTrue(
            StoryKey.sameStory(
                "decret 2025 1234 relatif formation professionnelle continue apprentissage cfa opco",
                "decret 2025 1234 relatif formation professionnelle continue apprentissage cfa"))
        // Four shared of six: 0.67.
        XCTAssertFalse(StoryKey.sameStory("cpf reste charge 102 euros", "cpf reste charge 102 francs"))
        // Fewer than three distinct words never group, even when equal.
        XCTAssertFalse(StoryKey.sameStory("cpf cpf reforme", "cpf cpf reforme"))
        XCTAssertTrue(StoryKey.sameStory("audit qualiopi surveillance", "audit qualiopi surveillance"))
    }

    func testTitleNormalizationFoldsCaseAccentsAndPunctuation() {
        XCTAssertEqual(
            StoryKey.normalizedTitle("L’IA générative : « ChatGPT » arrive… dans les CFA !"),
            "l ia generative chatgpt arrive dans les cfa")
        XCTAssertNil(StoryKey.normalizedTitle(" — "))
    }
}
