import Foundation
import RegWatch
import TestSupport
import XCTest

/// `AppDatabase.auditReport` over a fixed database: what the record holds, and its
/// Markdown, HTML and JSON renderings byte for byte against Fixtures/audit/ (regenerate with
/// `REGWATCH_UPDATE_GOLDEN=1 swift test --filter AuditReportTests`, then review the diff).
final class AuditReportTests: XCTestCase {
    typealias F = DigestFixtures
    private var fixture: AuditFixture!

    override func setUpWithError() throws {
        fixture = try AuditFixture()
    }

    override func tearDown() {
        fixture?.remove()
    }

    func testMarkdownMatchesGolden() throws {
        try FollowGolden.assertMatches(
            fixture.report().renderMarkdown(labels: fixture.labels), "audit", "audit-2025-12.md")
    }

    func testHTMLMatchesGolden() throws {
        try FollowGolden.assertMatches(
            fixture.report().renderHTML(labels: fixture.labels), "audit", "audit-2025-12.html")
    }

    func testJSONMatchesGolden() throws {
        try FollowGolden.assertMatches(fixture.report().renderJSON(), "audit", "audit-2025-12.json")
    }

    func testItemsActedOnAreGroupedByTopicThenMonthWithTheirHistoryUpToTheEnd() throws {
        let report = try fixture.report()
        XCTAssertEqual(report.groups.map(\.label), ["CPF", "Qualiopi", "IA", "Neurodiversité", "Autres"])
        XCTAssertEqual(report.groups.map { $0.months.map(\.month) }, Array(repeating: ["2025-12"], count: 5))
        let cpf = report.groups[0].months[0].items
        XCTAssertEqual(cpf.count, 1)
        XCTAssertEqual(cpf[0].history.map(\.state), [.toRead, .toAct, .done])
        XCTAssertEqual(cpf[0].owner, "Claire Martin")
        // "Audit de surveillance" is Qualiopi first (1.6) then CPF: listed once, under Qualiopi.
        XCTAssertEqual(
            report.groups[1].months[0].items.map(\.title).sorted(),
            [
                "Audit de surveillance Qualiopi : les 5 non-conformités les plus fréquentes",
                "Qualiopi : le référentiel national qualité évolue au 1er janvier 2026",
            ])
        // The January "done" is after the period: the Agefiph item is still "à exploiter" in it.
        let neuro = report.groups[3].months[0].items[0]
        XCTAssertEqual(neuro.state, .toAct)
        XCTAssertEqual(neuro.history.count, 1)
        // Decided only in November: outside December's record.
        XCTAssertFalse(report.actedItems.contains { $0.title.hasPrefix("Apprentissage") })
        XCTAssertEqual(report.decisionCount, 8, "the January decision is outside the period")
    }

    func testTheWholeHistoryAppearsWhenThePeriodCoversIt() throws {
        let report = try fixture.report(from: nil, to: "2026-01-31")
        XCTAssertTrue(report.actedItems.contains { $0.title.hasPrefix("Apprentissage") })
        XCTAssertEqual(report.actedItems.first { $0.title.hasPrefix("Neurodiversité") }?.state, .done)
        XCTAssertEqual(report.groups.first { $0.label == "Neurodiversité" }?.months.map(\.month), ["2025-12"])
    }

    func testSourcesCarryTopicsFollowedTimeAndFailingPeriodsFromTheFetchLog() throws {
        let report = try fixture.report()
        let dares = try XCTUnwrap(report.sources.first { $0.name == "Dares" })
        XCTAssertEqual(dares.failingPeriods.count, 1)
        XCTAssertEqual(dares.failingPeriods.first?.start, F.paris(10, 8))
        XCTAssertEqual(dares.failingPeriods.first?.end, F.paris(10, 11), "recovered at the next successful fetch")
        XCTAssertEqual(dares.failingPeriods.first?.attempts, 3)
        XCTAssertEqual(dares.failingPeriods.first?.lastError, "HTTP 503 Service Unavailable")
        XCTAssertEqual(dares.fetches, 5)
        XCTAssertEqual(dares.failedFetches, 3)
        XCTAssertEqual(dares.followedSince, F.paris(7, 19))
        XCTAssertEqual(dares.followedDays, 24)
        let down = try XCTUnwrap(report.sources.first { $0.url == "https://www.cfa-exemple.fr/feed/" })
        XCTAssertEqual(down.failingPeriods.count, 1)
        XCTAssertNil(down.failingPeriods[0].end, "still failing at the end of the period")
        let legifrance = try XCTUnwrap(report.sources.first { $0.name == "Légifrance" })
        XCTAssertEqual(legifrance.topics, [.cpf], "topics its items were tagged with, none being configured")
        XCTAssertEqual(report.sources.count, 12)
    }

    func testDigestsShowWhenBuiltSentAndToWhom() throws {
        let digests = try fixture.report().digests
        XCTAssertEqual(digests.map(\.week), ["2025-W49", "2025-W50"])
        XCTAssertEqual(digests[0].sentAt, F.paris(8, 7, 1))
        XCTAssertEqual(digests[0].sentTo, "equipe@example.org, direction@example.org")
        XCTAssertEqual(digests[0].items, 12)
        XCTAssertNil(digests[1].sentAt)
    }

    func testHTMLIsSelfContainedAndEscapesEveryFeedText() throws {
        let html = try fixture.report().renderHTML(labels: fixture.labels)
        // Every tag the page holds: none loads or links anything, none comes from a feed.
        let tags = html.matches(of: /<[A-Za-z][^>]*>/).map { String($0.output).lowercased() }
        XCTAssertFalse(tags.isEmpty)
        for tag in tags {
            for forbidden in [
                "<script", "<link", "<img", "<iframe", "<object", "<embed", "<a ", "<b>", "<i>", "src=", "href=",
            ] {
                XCTAssertFalse(tag.hasPrefix(forbidden) || tag.contains(" " + forbidden), "\(tag) in the audit HTML")
            }
        }
        let css = html[html.range(of: "<style>")!.upperBound..<html.range(of: "</style>")!.lowerBound]
        XCTAssertFalse(css.contains("url(") || css.contains("@import") || css.contains("http"), String(css))
        XCTAssertTrue(html.contains("Décret &lt;b&gt;urgent&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("Inès &lt;b&gt;Roy&lt;/b&gt;"))
        XCTAssertTrue(html.contains("https://www.digiformag.com/ia?x=&lt;b&gt;&quot;onmouseover=&quot;alert(1)"))
        // No http(s) address outside text: every one sits in escaped character data.
        for range in html.ranges(of: "https://") {
            let before = html[html.startIndex..<range.lowerBound].last
            XCTAssertNotEqual(before, "\"", "an address used as an attribute value")
        }
    }

    func testMarkdownEscapesFeedTextAndLinksOnlyHTTP() throws {
        let markdown = try fixture.report().renderMarkdown(labels: fixture.labels)
        XCTAssertNil(markdown.range(of: #"[^\\]<b>"#, options: .regularExpression), "feed markup shows escaped")
        XCTAssertNil(
            markdown.range(of: #"[^\\]\]\(javascript:"#, options: .regularExpression),
            "an unescaped link to javascript:")
        XCTAssertTrue(markdown.contains("Décret \\<b>urgent\\<"), markdown)
    }

    func testDatesMustBeDaysAndInOrder() {
        for (from, to) in [
            ("2025-13-01", "2025-12-31"), ("01/12/2025", "2025-12-31"), ("2025-12-01", "2025-02-30"),
            ("2025-12-1", nil),
        ] {
            XCTAssertThrowsError(try AuditPeriod(from: from, to: to, timeZone: F.paris, now: AuditFixture.now)) {
                error in
                let error = error as! AuditInputError
                XCTAssertEqual(error.kind, .badInput)
                XCTAssertTrue(error.description.contains("YYYY-MM-DD"), error.description)
            }
        }
        XCTAssertThrowsError(
            try AuditPeriod(from: "2025-12-31", to: "2025-12-01", timeZone: F.paris, now: AuditFixture.now)
        ) {
            XCTAssertTrue(String(describing: $0).contains("after"), String(describing: $0))
        }
        let period = try? AuditPeriod(from: "2025-12-01", to: "2025-12-31", timeZone: F.paris, now: AuditFixture.now)
        XCTAssertEqual(period?.start, F.paris(1, 0))
        XCTAssertEqual(period?.end, F.paris(1, 0, month: 1, year: 2026))
        XCTAssertEqual(
            try? AuditPeriod(from: nil, to: nil, timeZone: F.paris, now: AuditFixture.now).lastDay, "2026-01-05")
    }
}

/// The audit's list of sources as an auditor reads it: names in natural order, sources disabled
/// in feeds.toml and never read listed apart, one date form.
final class AuditSourceListTests: XCTestCase {
    func testSourcesSortNaturallyAndDisabledOnesAreListedApart() throws {
        let folder = try TemporaryDirectory(prefix: "regwatch-audit-sources")
        defer { folder.remove() }
        var toml = "[storage]\ndatabase = \"state/regwatch.sqlite\"\n"
        for number in [30, 9, 100] {
            toml += "\n[[feeds]]\nurl = \"https://source\(number).example.org/feed\"\ntitle = \"Source \(number)\"\n"
        }
        toml += "\n[[feeds]]\nurl = \"https://plus-tard.example.org/feed\"\ntitle = \"Plus tard\"\nenabled = false\n"
        let configuration = try Configuration.load(from: try folder.write(toml, to: "feeds.toml"))
        let database = try AppDatabase.open(at: configuration.storage.database)
        let start = DigestFixtures.paris(1, 9)
        for number in [30, 9, 100] {
            try database.recordFetchFailure(
                FeedURL("https://source\(number).example.org/feed")!, report: FetchReport(time: start, status: nil),
                error: "https://source\(number).example.org/feed: cannot resolve host source\(number).example.org "
                    + "(curl: Couldn't resolve host name) — check the host name in the URL (or the machine's DNS)")
        }
        let report = try database.auditReport(
            period: try AuditPeriod(
                from: "2025-12-01", to: "2025-12-31", timeZone: DigestFixtures.paris, now: DigestFixtures.paris(31, 12)),
            configuration: configuration, generatedAt: DigestFixtures.paris(31, 12))
        XCTAssertEqual(report.watchedSources.map(\.name), ["Source 9", "Source 30", "Source 100"])
        XCTAssertEqual(report.disabledSources.map(\.name), ["Plus tard"])

        let markdown = report.renderMarkdown(labels: [:])
        XCTAssertFalse(markdown.contains("| Plus tard"), markdown)
        XCTAssertTrue(
            markdown.contains("Désactivées dans feeds.toml, jamais relevées (hors veille) : Plus tard."), markdown)
        XCTAssertTrue(
            markdown.contains("4 sources suivies") == false && markdown.contains("3 sources suivies"), markdown)
        // The failure reads as a reason, not as libcurl's words; dates in one form.
        XCTAssertTrue(markdown.contains("1 tentative : adresse du site introuvable"), markdown)
        XCTAssertFalse(markdown.contains("curl"), markdown)
        XCTAssertTrue(markdown.contains("Période : du 01/12/2025 au 31/12/2025"), markdown)
        XCTAssertNil(markdown.range(of: #"\d{4}-\d{2}-\d{2}"#, options: .regularExpression), markdown)
    }
}

/// Failing runs as SQLite finds them in the fetch log.
final class AuditFailingRunTests: XCTestCase {
    typealias F = DigestFixtures

    func testRunsEndAtTheNextSuccessAndKeepTheirLastErrorAndOverlapTheirPeriod() throws {
        let folder = try TemporaryDirectory(prefix: "regwatch-audit-runs")
        defer { folder.remove() }
        let configuration = try Configuration.load(
            from: try folder.write(
                "[storage]\ndatabase = \"state/regwatch.sqlite\"\n\n[[feeds]]\nurl = \"https://source.example.org/feed\"\n",
                to: "feeds.toml"))
        let database = try AppDatabase.open(at: configuration.storage.database)
        let url = FeedURL("https://source.example.org/feed")!
        func fail(_ day: Int, _ hour: Int, _ error: String, month: Int = 12) throws {
            try database.recordFetchFailure(
                url, report: FetchReport(time: F.paris(day, hour, month: month), status: nil), error: error)
        }
        // A run that ended before the period, one across its start, one still open.
        try fail(20, 8, "HTTP 500 Internal Server Error", month: 11)
        try database.recordFetchNotModified(url, report: FetchReport(time: F.paris(20, 9, month: 11), status: 304))
        try fail(30, 22, "timed out after 30 s", month: 11)
        try fail(1, 8, "HTTP 502 Bad Gateway")
        try fail(1, 9, "HTTP 503 Service Unavailable")
        try database.recordFetchNotModified(url, report: FetchReport(time: F.paris(1, 10), status: 304))
        try fail(5, 8, "cannot resolve host source.example.org")
        let period = try AuditPeriod(from: "2025-12-01", to: "2025-12-31", timeZone: F.paris, now: F.paris(31, 12))
        let input = try database.auditInput(period: period)
        XCTAssertEqual(input.failingRuns.map(\.start), [F.paris(30, 22, month: 11), F.paris(5, 8)])
        XCTAssertEqual(input.failingRuns.map(\.end), [F.paris(1, 10), nil])
        XCTAssertEqual(input.failingRuns.map(\.attempts), [3, 1])
        XCTAssertEqual(
            input.failingRuns.map(\.lastError),
            ["HTTP 503 Service Unavailable", "cannot resolve host source.example.org"])
        XCTAssertEqual(input.feeds.map(\.fetches), [4])
        XCTAssertEqual(input.feeds.map(\.failedFetches), [3])
    }
}
