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

    /// Storing a fetch's entries in one transaction gives every entry the story it gets when
    /// each is stored alone: the look-alike candidates read for one entry and reused for the
    /// next stay those the index holds at that point (this fetch's own new entries taking their
    /// place among the most recent of each word, a changed entry moving in the index).
    func testOneFetchAtOnceGroupsLikeItsEntriesStoredOneByOne() throws {
        let words = [
            "qualiopi", "audit", "CPF", "décret", "formation", "apprentissage", "OPCO", "CFA", "handicap", "IA",
            "certification", "référentiel",
        ]
        var random = SplitMix64(seed: 19)
        func title() -> String {
            words.shuffled(using: &random).prefix(Int.random(in: 3...6, using: &random)).joined(separator: " : ")
        }
        let feeds = (0..<12).map { FeedURL("https://source\($0).example.fr/feed")! }
        var rounds: [[(FeedURL, [Item])]] = []
        var first: [(FeedURL, [Item])] = []
        for (f, feed) in feeds.enumerated() {
            first.append(
                (
                    feed,
                    (0..<40).map { n in
                        Item(
                            id: "\(f)-\(n)", title: title(), link: "https://source\(f).example.fr/\(n)",
                            published: t0 + Double(Int.random(in: 0..<6 * 86_400, using: &random)))
                    }
                ))
        }
        rounds.append(first)
        // The next fetches of each feed: changed titles (stored again, reindexed) between new entries.
        for round in 1...3 {
            rounds.append(
                rounds[round - 1].map { feed, items in
                    var next = items.map { item in
                        var item = item
                        if Bool.random(using: &random) { item.title = title() }
                        return item
                    }
                    for n in (25 + 15 * round)..<(40 + 15 * round) {
                        next.insert(
                            Item(
                                id: "\(feed.rawValue)-\(n)", title: title(), link: "\(feed.rawValue)/\(n)",
                                published: t0 + Double(Int.random(in: 0..<6 * 86_400, using: &random))),
                            at: Int.random(in: 0...next.count, using: &random))
                    }
                    return (feed, next)
                })
        }

        let oneByOne = try AppDatabase.open(at: dir.file("one-by-one.sqlite"))
        var stored: [Int64] = []
        var updated = 0
        for (round, fetches) in rounds.enumerated() {
            for (feed, items) in fetches {
                let time = t0 + Double(round * 3_600)
                let together = try db.upsertItems(items, feedURL: feed, fetchedAt: time)
                var alone = UpsertResult()
                for item in items {
                    let result = try oneByOne.upsertItems([item], feedURL: feed, fetchedAt: time)
                    alone.insertedIDs += result.insertedIDs
                    alone.updatedIDs += result.updatedIDs
                }
                XCTAssertEqual(together.insertedIDs, alone.insertedIDs)
                XCTAssertEqual(together.updatedIDs, alone.updatedIDs)
                stored += together.insertedIDs
                updated += together.updatedIDs.count
            }
        }
        let stories = try stored.map { try XCTUnwrap(try db.item(id: $0)?.storyID) }
        XCTAssertEqual(stories, try stored.map { try XCTUnwrap(try oneByOne.item(id: $0)?.storyID) })
        // What the comparison covered: look-alikes across feeds, and changed entries.
        XCTAssertEqual(stored.count, 12 * 85)
        XCTAssertLessThan(Set(stories).count, stored.count - 50)
        XCTAssertGreaterThan(updated, 500)
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

    /// What a title's key means: Foundation's folding of case, accents and width, then the
    /// words of letters and digits, one space apart (the store's keys were written so).
    private static func foldedTitle(_ title: String) -> String? {
        let folded = title.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        let words = folded.unicodeScalars.split { !CharacterSet.alphanumerics.contains($0) }
        return words.isEmpty ? nil : words.map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
    }

    func testTitleNormalizationEqualsFoundationsFoldingForEveryScalar() {
        // Every scalar of the Latin, Greek, Cyrillic, punctuation and symbol blocks, alone and
        // between words, whichever way the store computes the key.
        for value in UInt32(0)...0x2FFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for title in ["\(scalar)", "Été\(scalar)x", "A \(scalar) b", "\(scalar)\(scalar)É"] {
                XCTAssertEqual(
                    StoryKey.normalizedTitle(title), Self.foldedTitle(title),
                    "U+\(String(value, radix: 16, uppercase: true)) in \(title.debugDescription)")
            }
        }
        // French titles mixing them.
        var generator = SystemRandomNumberGenerator()
        let pieces = Array("aZ9 é’«»…—–çÀÿŒœßØ×÷'-:!?.\u{A0}\u{202F}e\u{301}".unicodeScalars)
        for _ in 0..<2_000 {
            let title = String(
                String.UnicodeScalarView(
                    (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                        pieces.randomElement(using: &generator)!
                    }))
            XCTAssertEqual(StoryKey.normalizedTitle(title), Self.foldedTitle(title), title.debugDescription)
        }
    }
}
