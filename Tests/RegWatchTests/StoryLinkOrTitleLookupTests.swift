import FeedParser
import Foundation
import GRDB
import TestSupport
import XCTest

@testable import RegWatch

/// A new item's story is first looked for by canonical link, then by exact title within the
/// window. The store asks two indexed lookups (issue #19, sixth round); before, one query with
/// an OR over both and an ORDER BY. Both must give the same story for every entry.
final class StoryLinkOrTitleLookupTests: XCTestCase {
    private var dir: TemporaryDirectory!
    private let t0 = Date(timeIntervalSince1970: 1_764_748_800)

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "regwatch-story-lookup")
    }

    override func tearDown() {
        dir.remove()
    }

    /// The lookup as one query, as the store asked it up to schema v11 (24157f4).
    private let orQuery = """
        SELECT storyId FROM item
        WHERE feedId <> ?1 AND storyId IS NOT NULL
          AND (canonicalLink = ?2 OR (titleKey = ?3 AND sortDate BETWEEN ?4 AND ?5))
        ORDER BY (canonicalLink = ?2) DESC, id LIMIT 1
        """

    func testTwoLookupsFindTheStoryTheOrQueryFoundOnAMixedCorpus() throws {
        let db = try AppDatabase.open(at: dir.file("regwatch.sqlite"))
        var random = SplitMix64(seed: 1906)
        let subjects = [
            "Qualiopi : le nouveau guide de lecture du référentiel national qualité est paru",
            "Décret relatif au compte personnel de formation des salariés",
            "Apprentissage : les aides aux employeurs prolongées jusqu'en 2026",
            "CPF : le reste à charge passe à 102,23 euros",
            "France compétences publie son rapport annuel sur la certification",
            "IA générative : un guide pour les organismes de formation",
            "Handicap et neurodiversité : accueillir les apprenants en CFA",
            "OPCO : les niveaux de prise en charge revus au 1er janvier",
            "Actualités",
            "Communiqué de presse",
        ]
        // Links shared by several feeds (tracking parameters and fragments differ), links one
        // feed repeats, titles shared exactly, rewritten a little or not at all, entries with
        // no link, no date or a date outside the window.
        let sharedLinks = (0..<12).map { "https://www.service-public.fr/particuliers/actualites/A\(17_000 + $0)" }
        func item(feed: Int, number: Int) -> Item {
            let subject = subjects[Int.random(in: 0..<subjects.count, using: &random)]
            let title: String
            switch Int.random(in: 0..<4, using: &random) {
            case 0: title = subject
            case 1: title = subject.uppercased() + " !"
            case 2: title = subject + " (\(Int.random(in: 1...3, using: &random)))"
            default: title = "Brève \(feed)-\(number) sur la formation professionnelle continue"
            }
            let link: String?
            switch Int.random(in: 0..<5, using: &random) {
            case 0: link = nil
            case 1, 2:
                link =
                    sharedLinks[Int.random(in: 0..<sharedLinks.count, using: &random)]
                    + ["", "?xtor=RSS-\(feed)", "#top"][Int.random(in: 0..<3, using: &random)]
            default: link = "https://source\(feed).example.fr/\(number)"
            }
            let published: Date? =
                Int.random(in: 0..<6, using: &random) == 0
                ? nil : t0 + Double(Int.random(in: 0..<12 * 86_400, using: &random))
            return Item(id: "\(feed)-\(number)", title: title, link: link, published: published)
        }
        var compared = 0
        var found = 0
        var linkAndTitleDisagree = 0
        var linkedTitleFirst = 0
        for round in 0..<4 {
            for feed in 0..<8 {
                let url = FeedURL("https://source\(feed).example.fr/feed")!
                let items = (0..<15).map { item(feed: feed, number: round * 15 + $0) }
                let fetchedAt = t0 + Double(round * 2 * 86_400 + feed * 600)
                try db.writer.write { db in
                    let feedID = try AppDatabase.feedRecord(db, url, at: fetchedAt).id!
                    // The entries of one fetch never match one another (another feed only): each is
                    // looked up against the store as it is before the fetch, both ways.
                    let assigner = try StoryAssigner(db, feedID: feedID, firstSeen: fetchedAt.databaseValue)
                    for entry in PreparedFeed.entries(items, tags: nil) {
                        let dates = entry.dates ?? EntryDates(sortDate: fetchedAt)
                        let arguments: StatementArguments = [
                            feedID, entry.canonicalLink, entry.groupableTitle, dates.windowStart, dates.windowEnd,
                        ]
                        let expected = try Int64.fetchOne(db, sql: orQuery, arguments: arguments)
                        XCTAssertEqual(
                            try assigner.sameLinkOrTitleStory(for: entry, dates: dates), expected,
                            "\(entry.identity): \(entry.item.title ?? "")")
                        compared += 1
                        if expected != nil { found += 1 }
                        let byLink = try Int64.fetchOne(
                            db,
                            sql: """
                                SELECT storyId FROM item WHERE feedId <> ? AND storyId IS NOT NULL
                                  AND canonicalLink = ? ORDER BY id LIMIT 1
                                """, arguments: [feedID, entry.canonicalLink])
                        let oldestByTitle = try Int64.fetchOne(
                            db,
                            sql: """
                                SELECT storyId FROM item WHERE feedId <> ? AND storyId IS NOT NULL AND titleKey = ?
                                  AND sortDate BETWEEN ? AND ? ORDER BY id LIMIT 1
                                """,
                            arguments: [feedID, entry.groupableTitle, dates.windowStart, dates.windowEnd])
                        if let byLink, let oldestByTitle, byLink != oldestByTitle { linkAndTitleDisagree += 1 }
                        // The OR query's order put a title match with a link before an older one
                        // without, for an entry with a link: not always the oldest title match.
                        if byLink == nil, expected != oldestByTitle { linkedTitleFirst += 1 }
                    }
                }
                try db.upsertItems(items, feedURL: url, fetchedAt: fetchedAt)
            }
        }
        // The corpus exercises both sides, and entries whose link and title name different stories.
        XCTAssertEqual(compared, 4 * 8 * 15)
        XCTAssertGreaterThan(found, compared / 4)
        XCTAssertGreaterThan(linkAndTitleDisagree, 0)
        XCTAssertGreaterThan(linkedTitleFirst, 0)
    }
}
