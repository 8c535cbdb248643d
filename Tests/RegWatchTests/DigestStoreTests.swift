import FeedParser
import Foundation
import RegWatch
import TestSupport
import XCTest

/// The digest wired to a real SQLite store: which items a week holds, what earlier digests
/// exclude, what is recorded.
final class DigestStoreTests: XCTestCase {
    typealias F = DigestFixtures

    func testAWeekHoldsTheItemsPublishedInItAndMergesTheRelayedStory() throws {
        let fixture = try DigestStoreFixture()
        defer { fixture.remove() }
        let input = try fixture.database.digestInput(
            week: F.week, timeZone: F.paris, feeds: fixture.configuration.feeds)
        // 14 items first seen in the week; the archive published on 20 November is not its news.
        XCTAssertEqual(input.candidates.count, 13)
        XCTAssertFalse(input.candidates.contains { $0.title.hasPrefix("Archives") })
        XCTAssertEqual(input.counts.olderFound, 1)
        let digest = WeeklyDigest.build(from: input, settings: DigestSettings(fixture.configuration))
        XCTAssertEqual(digest.keptCount, 11)
        let decree = digest.highlights[0]
        XCTAssertEqual(decree.source, "Légifrance")
        XCTAssertEqual(decree.alsoIn, ["Centre Inffo", "Le Quotidien de la formation"])
        XCTAssertEqual(decree.itemIDs.count, 3)
        XCTAssertEqual(decree.topics, [.cpf])
        XCTAssertEqual(
            input.failingSources.map(\.url),
            ["https://travail-emploi.gouv.fr/rss.xml", "https://www.cfa-exemple.fr/feed/"])
        XCTAssertEqual(
            input.failingSources.map(\.error), ["timeout after 30 s", "HTTP 503 Service Unavailable after 3 attempts"])
        XCTAssertEqual(input.failingSources.map(\.reason), [.unreachable, .http(503)])
        XCTAssertEqual(input.counts.feedsPolled, 12)
        XCTAssertEqual(input.counts.itemsSeen, 14)
        XCTAssertEqual(input.counts.sources, 12)
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
        let w50 = try fixture.database.digestInput(
            week: F.week.next, timeZone: F.paris, feeds: fixture.configuration.feeds)
        XCTAssertEqual(w49.candidates.map(\.title), ["Publié dimanche soir à Paris"])
        XCTAssertEqual(w50.candidates.map(\.title), ["Publié lundi à minuit dix à Paris"])
    }

    func testAStoryCarriedByAnEarlierDigestIsNotRepeated() throws {
        let fixture = try DigestStoreFixture(seed: false)
        defer { fixture.remove() }
        let link = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000052000099"
        // Both feeds were already watched: Le Quotidien's relay, published on Monday of week
        // 49, is news of week 49 and of the same story as Légifrance's text of week 48.
        try fixture.watch("Légifrance", since: F.paris(20, 9, month: 11))
        try fixture.watch("Le Quotidien de la formation", since: F.paris(20, 9, month: 11))
        let original = DigestCandidate(
            id: 0, shortID: "w48", title: "Arrêté relatif au référentiel national qualité", link: link,
            source: "Légifrance", published: F.paris(27, 9, month: 11), firstSeen: F.paris(27, 10, month: 11))
        var echo = original
        echo.shortID = "w49"
        echo.title = "Qualiopi : l’arrêté est paru"
        echo.source = "Le Quotidien de la formation"
        echo.published = F.paris(1, 8)
        echo.firstSeen = F.paris(1, 9)
        var fresh = original
        fresh.shortID = "new"
        fresh.title = "Une autre nouvelle de la semaine"
        fresh.link = "https://www.lequotidiendelaformation.fr/autre"
        fresh.source = "Le Quotidien de la formation"
        fresh.published = F.paris(2, 9)
        fresh.firstSeen = F.paris(2, 9)
        try fixture.store(original)
        try fixture.store(echo)
        try fixture.store(fresh)
        let publisher = DigestPublisher(configuration: fixture.configuration, database: fixture.database)

        // Before week 48's digest was produced, week 49 still shows the echo.
        let before = try fixture.digest(F.week, publisher: publisher)
        XCTAssertEqual(
            before.shownEntries.map(\.title).sorted(),
            ["Qualiopi : l’arrêté est paru", "Une autre nouvelle de la semaine"])

        let w48 = try fixture.digest(F.week.previous, publisher: publisher)
        XCTAssertEqual(w48.shownEntries.map(\.title), ["Arrêté relatif au référentiel national qualité"])
        try publisher.record(PreparedDigest.fresh(w48), format: .markdown, now: F.paris(1, 7))
        let after = try fixture.digest(F.week, publisher: publisher)
        XCTAssertEqual(after.shownEntries.map(\.title), ["Une autre nouvelle de la semaine"])
    }

    func testAWeekShowsWhatWasPublishedInItNotWhatTheFirstPollFound() throws {
        let fixture = try DigestStoreFixture(seed: false)
        defer { fixture.remove() }
        // A new installation: the first poll, on Sunday 7 December, finds a back catalogue
        // going back a year, this week's news and one undated item.
        var items: [DigestCandidate] = []
        for (index, month) in [1, 3, 6, 9, 11].enumerated() {
            items.append(
                DigestCandidate(
                    id: 0, shortID: "old\(index)", title: "Archive \(index) : réforme de l’apprentissage",
                    link: "https://www.centre-inffo.fr/archive-\(index)", source: "Centre Inffo",
                    published: F.paris(10, 9, month: month), firstSeen: F.paris(7, 20)))
        }
        items.append(
            DigestCandidate(
                id: 0, shortID: "wk", title: "CPF : le décret de la semaine", link: "https://www.centre-inffo.fr/cpf",
                source: "Centre Inffo", published: F.paris(3, 9), firstSeen: F.paris(7, 20)))
        items.append(
            DigestCandidate(
                id: 0, shortID: "undated", title: "Sans date : page d’accueil",
                link: "https://www.centre-inffo.fr/accueil",
                source: "Centre Inffo", published: nil, firstSeen: F.paris(7, 20)))
        for item in items { try fixture.store(item) }

        let input = try fixture.database.digestInput(
            week: F.week, timeZone: F.paris, feeds: fixture.configuration.feeds)
        XCTAssertEqual(
            input.candidates.map(\.title).sorted(), ["CPF : le décret de la semaine", "Sans date : page d’accueil"])
        XCTAssertEqual(input.counts.olderFound, 5)
        XCTAssertEqual(input.counts.itemsSeen, 7)
        let digest = WeeklyDigest.build(from: input, settings: DigestSettings(fixture.configuration))
        XCTAssertTrue(
            digest.renderMarkdown().contains(
                "5 articles plus anciens trouvés à la première lecture de nouvelles sources, non repris."),
            digest.renderMarkdown())
        // Each old item belongs to the week it was published in.
        let january = try fixture.database.digestInput(
            week: ISOWeek.containing(F.paris(10, 9, month: 1), in: F.paris), timeZone: F.paris,
            feeds: fixture.configuration.feeds)
        XCTAssertEqual(january.candidates.map(\.title), ["Archive 0 : réforme de l’apprentissage"])
    }

    func testALateArrivalFromAWatchedFeedJoinsTheNextWeekUnlessItsWeekCarriedIt() throws {
        let fixture = try DigestStoreFixture(seed: false)
        defer { fixture.remove() }
        try fixture.watch("Légifrance", since: F.paris(1, 9, month: 11))
        // Published on Sunday night of week 48, first polled on Monday of week 49.
        let late = DigestCandidate(
            id: 0, shortID: "late", title: "Arrêté publié dimanche soir", link: "https://www.legifrance.gouv.fr/late",
            source: "Légifrance", published: F.paris(30, 23, month: 11), firstSeen: F.paris(1, 8))
        try fixture.store(late)
        let publisher = DigestPublisher(configuration: fixture.configuration, database: fixture.database)
        XCTAssertEqual(
            try fixture.digest(F.week, publisher: publisher).shownEntries.map(\.title), ["Arrêté publié dimanche soir"])
        XCTAssertEqual(
            try fixture.digest(F.week.previous, publisher: publisher).shownEntries.map(\.title),
            ["Arrêté publié dimanche soir"])
        // Once week 48's digest carried it, week 49 does not repeat it.
        try publisher.record(
            PreparedDigest.fresh(try fixture.digest(F.week.previous, publisher: publisher)), format: .markdown,
            now: F.paris(1, 9))
        XCTAssertEqual(try fixture.digest(F.week, publisher: publisher).shownEntries.map(\.title), [])
    }

    func testAFeedDatingAnItemInTheFutureIsPlacedWhenFirstSeen() throws {
        let fixture = try DigestStoreFixture(seed: false)
        defer { fixture.remove() }
        try fixture.store(
            DigestCandidate(
                id: 0, shortID: "future", title: "Agenda : salon de janvier", link: "https://www.centre-inffo.fr/salon",
                source: "Centre Inffo", published: F.paris(15, 9, month: 1, year: 2026), firstSeen: F.paris(3, 9)))
        let input = try fixture.database.digestInput(
            week: F.week, timeZone: F.paris, feeds: fixture.configuration.feeds)
        XCTAssertEqual(input.candidates.map(\.title), ["Agenda : salon de janvier"])
    }

    func testRebuildingAWeekGivesTheSameContentAndRecordsItOnce() throws {
        let fixture = try DigestStoreFixture()
        defer { fixture.remove() }
        let publisher = DigestPublisher(configuration: fixture.configuration, database: fixture.database)
        let first = try publisher.prepare(week: F.week, now: F.sendDate)
        try publisher.record(first, format: .markdown, now: F.sendDate)
        let second = try publisher.prepare(week: F.week, now: F.sendDate.addingTimeInterval(3600))
        try publisher.record(second, format: .text, now: F.sendDate.addingTimeInterval(3600))
        XCTAssertEqual(
            try publisher.render(first, as: .markdown, now: F.sendDate),
            try publisher.render(second, as: .markdown, now: F.sendDate))
        let stored = try XCTUnwrap(fixture.database.storedDigest(week: F.week))
        XCTAssertEqual(stored.format, "text")
        XCTAssertEqual(stored.version, 1)
        XCTAssertEqual(stored.builtAt, F.sendDate.addingTimeInterval(3600))
        guard case .fresh(let digest) = first.edition else { return XCTFail("a week never sent is built fresh") }
        XCTAssertEqual(Set(stored.itemIDs), Set(digest.carriedItemIDs))
        // Shown entries and "Pour aller plus loin" are carried; the decree's relays with it.
        XCTAssertEqual(stored.itemIDs.count, 13)
        XCTAssertNil(stored.sentAt)
        XCTAssertEqual(try fixture.database.digestVersions(week: F.week).count, 1)
    }

    func testAPreviewRecordsNothing() throws {
        let fixture = try DigestStoreFixture()
        defer { fixture.remove() }
        let publisher = DigestPublisher(configuration: fixture.configuration, database: fixture.database)
        let prepared = try publisher.prepare(week: F.week, now: F.sendDate)
        let elsewhere = fixture.folder.url.appendingPathComponent("apercu.md")
        XCTAssertNil(
            try publisher.write(
                prepared, format: .markdown, text: try publisher.render(prepared, as: .markdown, now: F.sendDate),
                to: elsewhere,
                now: F.sendDate))
        XCTAssertNil(try fixture.database.storedDigest(week: F.week))
        let inFolder = publisher.defaultFile(for: F.week, format: .markdown)
        XCTAssertNotNil(try publisher.write(prepared, format: .markdown, text: "x", to: inFolder, now: F.sendDate))
        XCTAssertEqual(try fixture.database.storedDigest(week: F.week)?.version, 1)
    }

    func testASentWeekIsKeptAsSentAndARebuildIsANewVersionBesideIt() throws {
        let fixture = try DigestStoreFixture()
        defer { fixture.remove() }
        let publisher = DigestPublisher(configuration: fixture.configuration, database: fixture.database)
        let prepared = try publisher.prepare(week: F.week, now: F.sendDate)
        let sentMarkdown = try publisher.render(prepared, as: .markdown, now: F.sendDate)
        try publisher.keep(prepared, email: "Subject: sent\r\n\r\nbody\r\n", now: F.sendDate, sentTo: ["a@example.org"])

        // News polled afterwards does not change what was sent.
        try fixture.store(
            DigestCandidate(
                id: 0, shortID: "later", title: "Qualiopi : publié dimanche, relevé après l’envoi",
                link: "https://www.centre-inffo.fr/later", source: "Centre Inffo", published: F.paris(7, 22),
                firstSeen: F.paris(8, 9), topics: [TopicScore(.qualiopi, 3)]))
        let again = try publisher.prepare(week: F.week, now: F.paris(8, 12))
        XCTAssertTrue(again.isKept)
        XCTAssertEqual(try publisher.render(again, as: .markdown, now: F.paris(8, 12)), sentMarkdown)
        XCTAssertEqual(try publisher.render(again, as: .email, now: F.paris(8, 12)), "Subject: sent\r\n\r\nbody\r\n")

        // --rebuild: a new version with the late item, the sent one kept and marked superseded.
        let rebuilt = try publisher.prepare(week: F.week, now: F.paris(8, 12), rebuild: true)
        XCTAssertFalse(rebuilt.isKept)
        XCTAssertTrue(
            try publisher.render(rebuilt, as: .markdown, now: F.paris(8, 12)).contains("relevé après l’envoi"))
        try publisher.record(rebuilt, format: .markdown, now: F.paris(8, 12))
        let versions = try fixture.database.digestVersions(week: F.week)
        XCTAssertEqual(versions.map(\.version), [1, 2])
        XCTAssertEqual(versions[0].sentAt, F.sendDate)
        XCTAssertEqual(versions[0].supersededAt, F.paris(8, 12))
        XCTAssertEqual(versions[0].renditions?.markdown, sentMarkdown)
        XCTAssertNil(versions[1].sentAt)
        XCTAssertNil(versions[1].supersededAt)
        XCTAssertEqual(try fixture.database.storedDigest(week: F.week)?.version, 2)
    }

    func testWeeksThatHaveNotBegunOrEndedBeforeAnyDataAreRefused() throws {
        let fixture = try DigestStoreFixture()
        defer { fixture.remove() }
        let publisher = DigestPublisher(configuration: fixture.configuration, database: fixture.database)
        for week in ["2025-W51", "9999-W52", "9999-W01", "0001-W01", "2024-W49"] {
            XCTAssertThrowsError(try publisher.prepare(week: ISOWeek(parsing: week), now: F.sendDate), week) { error in
                XCTAssertEqual((error as? any ActionableError)?.kind, .badInput, week)
                XCTAssertTrue(String(describing: error).hasPrefix("week \(week) "), String(describing: error))
            }
        }
        // The current week (a preview of the week so far) and the one that just ended are fine.
        XCTAssertNoThrow(try publisher.prepare(week: F.week.next, now: F.sendDate))
        XCTAssertNoThrow(try publisher.prepare(week: F.week, now: F.sendDate))
    }

    func testAnEmptyDatabaseGivesTheNothingNewDigest() throws {
        let fixture = try DigestStoreFixture(seed: false)
        defer { fixture.remove() }
        let publisher = DigestPublisher(configuration: fixture.configuration, database: fixture.database)
        let digest = try fixture.digest(F.week, publisher: publisher)
        XCTAssertTrue(digest.isEmpty)
        XCTAssertTrue(digest.renderMarkdown().contains("Rien de nouveau cette semaine."))
    }
}
