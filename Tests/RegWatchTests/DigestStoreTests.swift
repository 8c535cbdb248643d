import FeedParser
import Foundation
import RegWatch
import TestSupport
import XCTest

/// The digest wired to a real SQLite store: which items a week holds, what earlier digests
/// exclude, what is recorded.
final class DigestStoreTests: XCTestCase {
    typealias F = DigestFixtures

    func testAWeekHoldsTheItemsFirstSeenInItAndMergesTheRelayedStory() throws {
        let fixture = try DigestStoreFixture()
        defer { fixture.remove() }
        let input = try fixture.database.digestInput(week: F.week, timeZone: F.paris, feeds: fixture.configuration.feeds)
        XCTAssertEqual(input.candidates.count, 14)
        let digest = WeeklyDigest.build(from: input, settings: DigestSettings(fixture.configuration))
        XCTAssertEqual(digest.keptCount, 12)
        let decree = digest.highlights[0]
        XCTAssertEqual(decree.source, "Légifrance")
        XCTAssertEqual(decree.alsoIn, ["Centre Inffo", "Le Quotidien de la formation"])
        XCTAssertEqual(decree.itemIDs.count, 3)
        XCTAssertEqual(decree.topics, [.cpf])
        XCTAssertEqual(input.failingSources.map(\.url), ["https://travail-emploi.gouv.fr/rss.xml", "https://www.cfa-exemple.fr/feed/"])
        XCTAssertEqual(input.failingSources.map(\.error), ["timeout after 30 s", "HTTP 503 Service Unavailable after 3 attempts"])
        XCTAssertEqual(input.counts.feedsPolled, 12)
        XCTAssertEqual(input.counts.itemsSeen, 14)
    }

    func testTheWeekBoundaryIsMondayMidnightInTheConfiguredZone() throws {
        let fixture = try DigestStoreFixture(seed: false)
        defer { fixture.remove() }
        let sunday = DigestCandidate(
            id: 0, shortID: "sun", title: "Publié dimanche soir à Paris", link: "https://www.centre-inffo.fr/a",
            source: "Centre Inffo", published: nil, firstSeen: F.paris(7, 23, 59))
        var monday = sunday
        monday.shortID = "mon"
        monday.title = "Publié lundi à minuit dix à Paris"
        monday.link = "https://www.centre-inffo.fr/b"
        monday.firstSeen = F.paris(8, 0, 10)  // Sunday 23:10 UTC: already the next week in Paris
        try fixture.store(sunday)
        try fixture.store(monday)
        let w49 = try fixture.database.digestInput(week: F.week, timeZone: F.paris, feeds: fixture.configuration.feeds)
        let w50 = try fixture.database.digestInput(week: F.week.next, timeZone: F.paris, feeds: fixture.configuration.feeds)
        XCTAssertEqual(w49.candidates.map(\.title), ["Publié dimanche soir à Paris"])
        XCTAssertEqual(w50.candidates.map(\.title), ["Publié lundi à minuit dix à Paris"])
    }

    func testAStoryCarriedByAnEarlierDigestIsNotRepeated() throws {
        let fixture = try DigestStoreFixture(seed: false)
        defer { fixture.remove() }
        let link = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000052000099"
        let original = DigestCandidate(
            id: 0, shortID: "w48", title: "Arrêté relatif au référentiel national qualité", link: link,
            source: "Légifrance", published: F.paris(27, 9, month: 11), firstSeen: F.paris(27, 10, month: 11))
        var echo = original
        echo.shortID = "w49"
        echo.title = "Qualiopi : l’arrêté est paru"
        echo.source = "Le Quotidien de la formation"
        echo.firstSeen = F.paris(1, 9)  // the following Monday, in week 49
        var fresh = original
        fresh.shortID = "new"
        fresh.title = "Une autre nouvelle de la semaine"
        fresh.link = "https://www.lequotidiendelaformation.fr/autre"
        fresh.source = "Le Quotidien de la formation"
        fresh.firstSeen = F.paris(2, 9)
        try fixture.store(original)
        try fixture.store(echo)
        try fixture.store(fresh)
        let publisher = DigestPublisher(configuration: fixture.configuration, database: fixture.database)

        // Before week 48's digest exists, week 49 still shows the echo.
        let before = try publisher.build(week: F.week, format: .markdown, now: F.sendDate)
        XCTAssertEqual(before.shownEntries.map(\.title).sorted(), ["Qualiopi : l’arrêté est paru", "Une autre nouvelle de la semaine"])

        let w48 = try publisher.build(week: F.week.previous, format: .markdown, now: F.paris(1, 7))
        XCTAssertEqual(w48.shownEntries.map(\.title), ["Arrêté relatif au référentiel national qualité"])
        let after = try publisher.build(week: F.week, format: .markdown, now: F.sendDate)
        XCTAssertEqual(after.shownEntries.map(\.title), ["Une autre nouvelle de la semaine"])
    }

    func testRebuildingAWeekGivesTheSameContentAndRecordsItOnce() throws {
        let fixture = try DigestStoreFixture()
        defer { fixture.remove() }
        let publisher = DigestPublisher(configuration: fixture.configuration, database: fixture.database)
        let first = try publisher.build(week: F.week, format: .markdown, now: F.sendDate)
        let second = try publisher.build(week: F.week, format: .text, now: F.sendDate.addingTimeInterval(3600))
        XCTAssertEqual(first.renderMarkdown(), second.renderMarkdown())
        let stored = try XCTUnwrap(fixture.database.storedDigest(week: F.week))
        XCTAssertEqual(stored.format, "text")
        XCTAssertEqual(stored.builtAt, F.sendDate.addingTimeInterval(3600))
        XCTAssertEqual(Set(stored.itemIDs), Set(first.carriedItemIDs))
        // Shown entries and "Pour aller plus loin" are carried; the decree's relays with it.
        XCTAssertEqual(stored.itemIDs.count, 14)
        XCTAssertNil(stored.sentAt)
    }

    func testMarkingSentHappensOnceAndKeepsTheFirstDate() throws {
        let fixture = try DigestStoreFixture()
        defer { fixture.remove() }
        let publisher = DigestPublisher(configuration: fixture.configuration, database: fixture.database)
        _ = try publisher.build(week: F.week, format: .email, now: F.sendDate)
        XCTAssertTrue(try fixture.database.markDigestSent(week: F.week, at: F.sendDate, to: ["a@example.org", "b@example.org"]))
        XCTAssertFalse(try fixture.database.markDigestSent(week: F.week, at: F.sendDate.addingTimeInterval(60), to: ["c@example.org"]))
        _ = try publisher.build(week: F.week, format: .markdown, now: F.sendDate.addingTimeInterval(120))
        let stored = try XCTUnwrap(fixture.database.storedDigest(week: F.week))
        XCTAssertEqual(stored.sentAt, F.sendDate)
        XCTAssertEqual(stored.sentTo, "a@example.org, b@example.org")
    }

    func testAnEmptyDatabaseGivesTheNothingNewDigest() throws {
        let fixture = try DigestStoreFixture(seed: false)
        defer { fixture.remove() }
        let publisher = DigestPublisher(configuration: fixture.configuration, database: fixture.database)
        let digest = try publisher.build(week: F.week, format: .markdown, now: F.sendDate)
        XCTAssertTrue(digest.isEmpty)
        XCTAssertTrue(digest.renderMarkdown().contains("Rien de nouveau cette semaine."))
    }
}
