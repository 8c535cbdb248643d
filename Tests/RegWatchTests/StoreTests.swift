import FeedParser
import Foundation
import GRDB
import TestSupport
import XCTest

@testable import RegWatch

/// The store on a real SQLite file: nothing lost, nothing duplicated, feed state per fetch,
/// migrations in place.
final class StoreTests: XCTestCase {
    private var dir: TemporaryDirectory!
    private var db: AppDatabase!
    private let inffo = FeedURL("https://www.centre-inffo.fr/feed")!
    private let t0 = Date(timeIntervalSince1970: 1_764_748_800)  // 2025-12-03T08:00:00Z

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "regwatch-store")
        db = try AppDatabase.open(at: dir.file("state/regwatch.sqlite"))
    }

    override func tearDown() {
        db = nil
        dir.remove()
    }

    private func decree(_ n: Int, title: String? = nil, summary: String = "Le décret précise les modalités.") -> Item {
        Item(
            id: "https://www.centre-inffo.fr/?p=\(1000 + n)",
            title: title ?? "Décret n° 2025-\(n) relatif au compte personnel de formation",
            link: "https://www.centre-inffo.fr/site-droit-formation/decret-2025-\(n)?utm_source=rss&utm_medium=rss",
            published: t0.addingTimeInterval(Double(-n) * 3600), summary: summary,
            authors: ["Centre Inffo"], categories: ["CPF", "Droit"])
    }

    func testOpeningCreatesTheFolderAndAWALDatabaseWithEveryMigration() throws {
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.file("state/regwatch.sqlite").path))
        XCTAssertEqual(try db.appliedMigrations(), AppDatabase.migrationIdentifiers)
        let mode = try db.writer.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode, "wal")
        XCTAssertEqual(try db.integrityCheck(), ["ok"])
    }

    func testUpsertingTheSameItemsTwiceAddsNothing() throws {
        let items = (1...5).map { decree($0) }
        let first = try db.upsertItems(items, feedURL: inffo, fetchedAt: t0)
        XCTAssertEqual(first.inserted, 5)
        XCTAssertEqual(first.updated, 0)
        let second = try db.upsertItems(items, feedURL: inffo, fetchedAt: t0.addingTimeInterval(3600))
        XCTAssertEqual(second, UpsertResult())
        XCTAssertEqual(try db.itemCount(), 5)
        XCTAssertTrue(try db.items().allSatisfy { $0.firstSeen == t0 && $0.updated == nil })
    }

    func testAChangedItemIsUpdatedInPlaceAndItsUpdatedDateMoves() throws {
        try db.upsertItems([decree(1), decree(2)], feedURL: inffo, fetchedAt: t0)
        let before = try XCTUnwrap(try db.items().first { $0.guid == "https://www.centre-inffo.fr/?p=1001" })
        let later = t0.addingTimeInterval(7200)
        let result = try db.upsertItems(
            [decree(1, summary: "Le décret est rectifié au JO du lendemain."), decree(2)], feedURL: inffo,
            fetchedAt: later)
        XCTAssertEqual(result.inserted, 0)
        XCTAssertEqual(result.updated, 1)
        XCTAssertEqual(result.updatedIDs, [before.id])
        let after = try XCTUnwrap(try db.item(id: before.id))
        XCTAssertEqual(after.summary, "Le décret est rectifié au JO du lendemain.")
        XCTAssertEqual(after.firstSeen, t0)
        XCTAssertEqual(after.updated, later)
        XCTAssertEqual(after.storyID, before.storyID)
        XCTAssertEqual(try db.itemCount(), 2)
    }

    func testItemsAFeedDropsAreKept() throws {
        try db.upsertItems((1...10).map { decree($0) }, feedURL: inffo, fetchedAt: t0)
        // The feed now carries only its 3 newest entries plus a new one.
        try db.upsertItems(
            [decree(0)] + (1...3).map { decree($0) }, feedURL: inffo, fetchedAt: t0.addingTimeInterval(3600))
        XCTAssertEqual(try db.itemCount(), 11)
        XCTAssertEqual(try db.items(feed: inffo).count, 11)
    }

    func testIdentityFallsBackToTheCanonicalLinkThenToTitleAndDate() throws {
        let noGUID = Item(
            title: "Qualiopi : nouveau guide de lecture",
            link: "https://travail-emploi.gouv.fr/qualiopi-guide?xtor=RSS-1",
            published: t0)
        let sameLinkOtherTracking = Item(
            title: "Qualiopi : nouveau guide de lecture (mis à jour)",
            link: "HTTPS://travail-emploi.gouv.fr/qualiopi-guide?utm_campaign=x", published: t0)
        let bare = Item(title: "Appel à projets inclusion", published: t0)
        let ministry = FeedURL("https://travail-emploi.gouv.fr/rss.xml")!
        XCTAssertEqual(try db.upsertItems([noGUID, bare], feedURL: ministry, fetchedAt: t0).inserted, 2)
        let second = try db.upsertItems([sameLinkOtherTracking, bare], feedURL: ministry, fetchedAt: t0 + 60)
        XCTAssertEqual(second.inserted, 0)
        XCTAssertEqual(second.updated, 1, "same canonical link = same entry, its title changed")
        XCTAssertEqual(try db.itemCount(), 2)
    }

    func testTheSameGUIDInTwoFeedsIsTwoItemsAndARepeatedGUIDInOneDocumentIsOne() throws {
        let other = FeedURL("https://www.centre-inffo.fr/category/site-droit-formation/actualites-droit/feed")!
        try db.upsertItems([decree(1), decree(1, title: "doublon dans le même flux")], feedURL: inffo, fetchedAt: t0)
        try db.upsertItems([decree(1)], feedURL: other, fetchedAt: t0)
        XCTAssertEqual(try db.itemCount(), 2)
        XCTAssertEqual(try db.items(feed: inffo).first?.title, decree(1).title)
    }

    func testStoredValuesRoundTripWithCanonicalLinkAuthorsAndCategories() throws {
        try db.upsertItems([decree(7)], feedURL: inffo, fetchedAt: t0)
        let item = try XCTUnwrap(try db.items().first)
        XCTAssertEqual(item.feedURL, inffo.rawValue)
        XCTAssertEqual(item.title, "Décret n° 2025-7 relatif au compte personnel de formation")
        XCTAssertEqual(
            item.link, "https://www.centre-inffo.fr/site-droit-formation/decret-2025-7?utm_source=rss&utm_medium=rss")
        XCTAssertEqual(item.canonicalLink, "https://www.centre-inffo.fr/site-droit-formation/decret-2025-7")
        XCTAssertEqual(item.published, t0.addingTimeInterval(-7 * 3600))
        XCTAssertEqual(item.authors, ["Centre Inffo"])
        XCTAssertEqual(item.categories, ["CPF", "Droit"])
    }

    func testItemsAreNewestFirstAndFilterBySinceTopicAndLimit() throws {
        let result = try db.upsertItems((1...6).map { decree($0) }, feedURL: inffo, fetchedAt: t0)
        XCTAssertEqual(try db.items().map(\.title), (1...6).map { decree($0).title })
        XCTAssertEqual(try db.items(limit: 2).count, 2)
        XCTAssertEqual(try db.items(since: t0.addingTimeInterval(-3 * 3600)).count, 3)
        try db.setTags(
            itemID: result.insertedIDs[4],
            tags: [TopicMatch(id: .cpf, score: 2.5, matches: ["compte personnel de formation"])])
        try db.setTags(
            itemID: result.insertedIDs[1],
            tags: [
                TopicMatch(id: .qualiopi, score: 1.0, matches: ["qualiopi"]),
                TopicMatch(id: .cpf, score: 3, matches: ["CPF"]),
            ])
        XCTAssertEqual(try db.items(topic: .cpf).map(\.id), [result.insertedIDs[1], result.insertedIDs[4]])
        XCTAssertEqual(try db.item(id: result.insertedIDs[1])?.topics, [.cpf, .qualiopi])
        XCTAssertEqual(try db.tags(itemID: result.insertedIDs[1]).first?.matches, ["CPF"])
    }

    func testTaggingMarksItemsSoOnlyNewOnesNeedTags() throws {
        let result = try db.upsertItems((1...3).map { decree($0) }, feedURL: inffo, fetchedAt: t0)
        XCTAssertEqual(try db.itemsNeedingTags().map(\.id), result.insertedIDs)
        try db.setTags([
            (result.insertedIDs[0], []), (result.insertedIDs[1], [TopicMatch(id: .cpf, score: 1, matches: [])]),
        ])
        XCTAssertEqual(try db.itemsNeedingTags().map(\.id), [result.insertedIDs[2]])
        XCTAssertEqual(
            try db.taggableItems(after: result.insertedIDs[0]).map(\.id), Array(result.insertedIDs.dropFirst()))
        // Retagging replaces, never accumulates.
        try db.setTags(itemID: result.insertedIDs[1], tags: [TopicMatch(id: .ia, score: 1, matches: ["IA"])])
        XCTAssertEqual(try db.item(id: result.insertedIDs[1])?.topics, [.ia])
    }

    func testASuccessfulFetchStoresItemsStateAndLogTogether() throws {
        let feed = Feed(format: .rss20, title: "Centre Inffo", items: [decree(1), decree(2)])
        let result = try db.recordFetchSuccess(
            inffo, feed: PreparedFeed(feed),
            report: FetchReport(
                time: t0, status: 200, duration: .milliseconds(120), bytes: 48_000, etag: "\"abc\"",
                lastModified: "Wed, 03 Dec 2025 07:00:00 GMT", nextDue: t0 + 3600))
        XCTAssertEqual(result.inserted, 2)
        let state = try XCTUnwrap(try db.feedState(FeedURL("https://WWW.centre-inffo.fr/feed/")!))
        XCTAssertEqual(state.title, "Centre Inffo")
        XCTAssertEqual(state.etag, "\"abc\"")
        XCTAssertEqual(state.lastModified, "Wed, 03 Dec 2025 07:00:00 GMT")
        XCTAssertEqual(state.lastStatus, 200)
        XCTAssertEqual(state.lastFetched, t0)
        XCTAssertEqual(state.nextDue, t0 + 3600)
        XCTAssertEqual(state.itemCount, 2)
        XCTAssertEqual(state.errorStreak, 0)
        let log = try db.fetchLog(inffo)
        XCTAssertEqual(log.count, 1)
        XCTAssertEqual(log.first?.outcome, "ok")
    }

    func testFailuresGrowTheStreakA304ResetsItAnd410DisablesTheFeed() throws {
        var streaks: [Int] = []
        for i in 1...3 {
            let state = try db.recordFetchFailure(
                inffo, report: FetchReport(time: t0 + Double(i), status: 503),
                error: "HTTP 503 Service Unavailable\nretry",
                retryAt: { streak in
                    streaks.append(streak)
                    return self.t0 + Double(streak * 600)
                })
            XCTAssertEqual(state.errorStreak, i)
            XCTAssertEqual(state.nextDue, t0 + Double(i * 600))
            XCTAssertEqual(state.lastError, "HTTP 503 Service Unavailable retry")
        }
        XCTAssertEqual(streaks, [1, 2, 3])
        try db.recordFetchNotModified(inffo, report: FetchReport(time: t0 + 10, status: 304, nextDue: t0 + 3600))
        var state = try XCTUnwrap(try db.feedState(inffo))
        XCTAssertEqual(state.errorStreak, 0)
        XCTAssertNil(state.lastError)
        XCTAssertEqual(state.lastStatus, 304)
        state = try db.recordFetchFailure(
            inffo, report: FetchReport(time: t0 + 20, status: 410), error: "HTTP 410 Gone", gone: true)
        XCTAssertTrue(state.disabled)
        XCTAssertEqual(try db.fetchLog(inffo).map(\.outcome), ["failed", "notModified", "failed", "failed", "failed"])
    }

    func testAPermanentRedirectIsRemembered() throws {
        try db.recordFetchSuccess(
            inffo, feed: PreparedFeed(Feed(format: .rss20, items: [])),
            report: FetchReport(time: t0, status: 200, permanentRedirect: "https://www.centre-inffo.fr/feed/rss2"))
        XCTAssertEqual(try db.feedState(inffo)?.redirectTo, "https://www.centre-inffo.fr/feed/rss2")
    }

    func testAFailedTransactionLeavesNothingHalfWritten() throws {
        try db.upsertItems([decree(1)], feedURL: inffo, fetchedAt: t0)
        XCTAssertThrowsError(
            try db.writer.write { database in
                _ = try AppDatabase.upsert(
                    database, entries: PreparedFeed.entries([decree(2), decree(3)], tags: nil), feedID: 1, fetchedAt: t0
                )
                throw DatabaseError(resultCode: .SQLITE_ABORT, message: "simulated crash mid-batch")
            })
        XCTAssertEqual(try db.itemCount(), 1)
        XCTAssertEqual(try db.search("2025-2").count, 0)
    }

    func testTheFullTextIndexMatchesTheItemsAfterInsertsAndUpdates() throws {
        _ = try db.upsertItems((1...30).map { decree($0) }, feedURL: inffo, fetchedAt: t0)
        let changed = decree(7, title: "Décret 7 : le texte consolidé")
        _ = try db.upsertItems([changed, decree(31)], feedURL: inffo, fetchedAt: t0 + 60)
        // FTS5's own check against the item table (external content): raises if any row differs.
        try db.writer.write { db in
            try db.execute(sql: "INSERT INTO itemFTS(itemFTS, rank) VALUES ('integrity-check', 1)")
        }
        XCTAssertEqual(try db.search("consolidé").map(\.item.guid), [changed.id])
        XCTAssertEqual(try db.search("décret", limit: 100).count, 31)
    }

    func testAVersion1DatabaseIsUpgradedInPlaceKeepingItsItems() throws {
        let file = dir.file("old/regwatch.sqlite")
        do {
            let pool = try olderStore(at: file, upTo: "v1", feed: inffo, firstSeen: t0)
            try pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO item(feedId, identity, firstSeen, title, contentHash, sortDate)
                        VALUES (1, 'id:a', ?, 'Réforme de la formation : ce qui change', 'h', ?)
                        """, arguments: [t0, t0])
            }
            XCTAssertEqual(try pool.read { try AppDatabase.migrator.appliedMigrations($0) }, ["v1"])
        }
        let upgraded = try AppDatabase.open(at: file)
        XCTAssertEqual(try upgraded.appliedMigrations(), AppDatabase.migrationIdentifiers)
        let item = try XCTUnwrap(try upgraded.items().first)
        XCTAssertEqual(item.title, "Réforme de la formation : ce qui change")
        XCTAssertNotNil(item.storyID, "v3 gives old items a story")
        XCTAssertEqual(try upgraded.search("reforme").map(\.item.id), [item.id])
        XCTAssertEqual(try upgraded.itemsNeedingTags().map(\.id), [item.id])
        XCTAssertEqual(try upgraded.integrityCheck(), ["ok"])
        // New items after the upgrade get fresh story ids.
        let inserted = try upgraded.upsertItems([decree(1)], feedURL: inffo, fetchedAt: t0)
        XCTAssertNotEqual(try upgraded.item(id: inserted.insertedIDs[0])?.storyID, item.storyID)
    }

    func testTwoConnectionsToOneFileWaitForEachOtherInsteadOfFailing() throws {
        let first = try XCTUnwrap(db)
        let second = try AppDatabase.open(at: dir.file("state/regwatch.sqlite"))
        let t0 = self.t0
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let url = FeedURL("https://example.org/feed-\(i)")!
            let target = i % 2 == 0 ? first : second
            for batch in 0..<5 {
                let items = (0..<20).map { Item(id: "\(i)-\(batch)-\($0)", title: "Article \($0)") }
                do {
                    _ = try target.upsertItems(items, feedURL: url, fetchedAt: t0)
                } catch {
                    XCTFail("\(error)")
                }
            }
        }
        XCTAssertEqual(try db.itemCount(), 8 * 5 * 20)
    }
}
