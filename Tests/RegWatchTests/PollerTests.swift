import FeedParser
import Logging
import Foundation
import RegWatch
import Synchronization
import TestSupport
import XCTest

/// One poll through the real path: loopback HTTP server → libcurl → libxml2 → SQLite file.
final class PollerTests: LoopbackStoreTestCase {
    static func rss(title: String = "Centre Inffo", items: [(guid: String, title: String, summary: String)]) -> Data {
        let entries = items.map { item in
            """
            <item><title>\(item.title)</title><link>https://www.centre-inffo.fr/actu/\(item.guid)</link>
            <guid>https://www.centre-inffo.fr/actu/\(item.guid)</guid>
            <pubDate>Tue, 02 Dec 2025 10:00:00 +0100</pubDate><description>\(item.summary)</description></item>
            """
        }.joined()
        return Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>\(title)</title><link>https://www.centre-inffo.fr/</link>
            \(entries)</channel></rss>
            """.utf8)
    }

    static let twoItems = rss(items: [
        (
            "cpf-decret", "Décret du 3 décembre : la participation forfaitaire du CPF",
            "Le compte personnel de formation évolue."
        ),
        ("audit-qualiopi", "Audit de surveillance Qualiopi : ce qui change", "Les organismes certifiés Qualiopi."),
    ])

    func configuration(_ paths: [String], topics: [String: [TopicID]] = [:]) -> Configuration {
        Configuration(
            storage: .init(database: directory.file("state/regwatch.sqlite")),
            fetch: .init(allowPrivateNetworks: true),
            feeds: paths.map { path in
                FeedEntry(url: FeedURL(server.url(for: path).absoluteString)!, topics: topics[path] ?? [])
            })
    }

    func poll(_ configuration: Configuration, at now: Date = Date()) async throws -> PollSummary {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical  // failures are asserted on, not logged
        return try await Poller(configuration: configuration, database: database, logger: quiet, now: { now })
            .poll(configuration.feeds)
    }

    func testFirstPollStoresItemsAndSecondPollIsAConditionalGetThatAddsNothing() async throws {
        server.route(path: "/feed.xml", document: Self.twoItems)
        let config = configuration(["/feed.xml"])

        let first = try await poll(config)
        XCTAssertEqual(first, PollSummary(feeds: 1, ok: 1, notModified: 0, failed: 0, newItems: 2, errors: []))

        let second = try await poll(config)
        XCTAssertEqual(second.notModified, 1)
        XCTAssertEqual(second.newItems, 0)
        XCTAssertNotNil(server.requests(path: "/feed.xml").last?.header("If-None-Match"))
        XCTAssertEqual(try database.itemCount(), 2)
    }

    func testSameContentServedAgainWithoutValidatorsAddsNothing() async throws {
        server.route("/feed.xml") { _ in .init(headers: ["Content-Type": "application/rss+xml"], body: Self.twoItems) }
        let config = configuration(["/feed.xml"])
        _ = try await poll(config)
        let again = try await poll(config)
        XCTAssertEqual(again.ok, 1)
        XCTAssertEqual(again.newItems, 0)
        XCTAssertEqual(try database.itemCount(), 2)
    }

    func testAFailingFeedIsReportedAndTheOthersAreStored() async throws {
        server.route(path: "/good.xml", document: Self.twoItems)
        server.route("/broken") { _ in .init(status: 500, text: "Internal Server Error") }
        server.route("/html") { _ in
            .init(headers: ["Content-Type": "text/html"], text: "<html><body>Maintenance</body></html>")
        }
        let summary = try await poll(configuration(["/good.xml", "/broken", "/html"]))
        XCTAssertEqual(summary.ok, 1)
        XCTAssertEqual(summary.failed, 2)
        XCTAssertEqual(summary.newItems, 2)
        XCTAssertEqual(
            Set(summary.errors.map(\.url)),
            [server.url(for: "/broken").absoluteString, server.url(for: "/html").absoluteString])
        let broken = try XCTUnwrap(database.feedState(FeedURL(server.url(for: "/broken").absoluteString)!))
        XCTAssertEqual(broken.errorStreak, 1)
        XCTAssertEqual(broken.lastStatus, 500)
    }

    func testFailuresBackOffAndASuccessClearsTheStreak() async throws {
        let now = Date(timeIntervalSince1970: 1_764_000_000)
        let up = Mutex(false)
        server.route("/flaky.xml") { _ in
            up.withLock { $0 }
                ? .init(headers: ["Content-Type": "application/rss+xml"], body: Self.twoItems)
                : .init(status: 503, text: "down")
        }
        let config = configuration(["/flaky.xml"])
        let url = FeedURL(server.url(for: "/flaky.xml").absoluteString)!
        _ = try await poll(config, at: now)
        let firstDelay = try XCTUnwrap(database.feedState(url)?.nextDue).timeIntervalSince(now)
        _ = try await poll(config, at: now)
        let secondDelay = try XCTUnwrap(database.feedState(url)?.nextDue).timeIntervalSince(now)
        XCTAssertEqual(try database.feedState(url)?.errorStreak, 2)
        XCTAssertGreaterThan(secondDelay, firstDelay * 1.5, "the second failure waits about twice as long")

        up.withLock { $0 = true }
        _ = try await poll(config, at: now)
        let state = try XCTUnwrap(database.feedState(url))
        XCTAssertEqual(state.errorStreak, 0)
        XCTAssertEqual(state.nextDue!.timeIntervalSince(now), 3600, accuracy: 361)
    }

    func testRetryAfterPushesTheNextPollOut() async throws {
        let now = Date(timeIntervalSince1970: 1_764_000_000)
        server.route("/busy.xml") { _ in .init(status: 429, headers: ["Retry-After": "7200"], text: "slow down") }
        _ = try await poll(configuration(["/busy.xml"]), at: now)
        let state = try XCTUnwrap(database.feedState(FeedURL(server.url(for: "/busy.xml").absoluteString)!))
        XCTAssertGreaterThanOrEqual(state.nextDue!.timeIntervalSince(now), 7200)
    }

    func testMaxAgeLongerThanTheIntervalIsAFloorForTheNextPoll() async throws {
        let now = Date(timeIntervalSince1970: 1_764_000_000)
        server.route("/cached.xml") { _ in
            .init(
                headers: ["Content-Type": "application/rss+xml", "Cache-Control": "public, max-age=10800"],
                body: Self.twoItems)
        }
        _ = try await poll(configuration(["/cached.xml"]), at: now)
        let state = try XCTUnwrap(database.feedState(FeedURL(server.url(for: "/cached.xml").absoluteString)!))
        XCTAssertGreaterThanOrEqual(state.nextDue!.timeIntervalSince(now), 10800)
    }

    func testGoneFeedIsDisabled() async throws {
        server.route("/gone.xml") { _ in .init(status: 410, text: "Gone") }
        let summary = try await poll(configuration(["/gone.xml"]))
        XCTAssertEqual(summary.failed, 1)
        XCTAssertEqual(try database.feedState(FeedURL(server.url(for: "/gone.xml").absoluteString)!)?.disabled, true)
    }

    func testPermanentRedirectIsRememberedAndFetchedDirectlyNextTime() async throws {
        server.route("/old.xml") { _ in .redirect(301, to: "/new.xml") }
        server.route(path: "/new.xml", document: Self.twoItems)
        let config = configuration(["/old.xml"])
        _ = try await poll(config)
        let state = try XCTUnwrap(database.feedState(FeedURL(server.url(for: "/old.xml").absoluteString)!))
        XCTAssertEqual(state.redirectTo, server.url(for: "/new.xml").absoluteString)

        _ = try await poll(config)
        XCTAssertEqual(server.requestCount(path: "/old.xml"), 1, "the second poll goes straight to the new URL")
        XCTAssertEqual(server.requestCount(path: "/new.xml"), 2)
    }

    func testNewItemsAreTaggedWithTheirTopicsAndMatchedTerms() async throws {
        server.route(path: "/feed.xml", document: Self.twoItems)
        _ = try await poll(configuration(["/feed.xml"]))
        let cpf = try database.items(topic: .cpf)
        XCTAssertEqual(cpf.map(\.title), ["Décret du 3 décembre : la participation forfaitaire du CPF"])
        let tags = try database.tags(itemID: cpf[0].id)
        XCTAssertEqual(tags.first?.id, .cpf)
        XCTAssertFalse(tags.first?.matches.isEmpty ?? true)
        XCTAssertEqual(try database.items(topic: .qualiopi).count, 1)
        XCTAssertTrue(try database.itemsNeedingTags().isEmpty)
    }

    func testAFeedsDeclaredTopicsBoostTheScoreOfThoseTopics() async throws {
        server.route(path: "/plain.xml", document: Self.twoItems)
        server.route(
            path: "/qualite.xml",
            document: Self.rss(
                title: "Qualité",
                items: [
                    ("autre", "Audit de surveillance Qualiopi : ce qui change", "Les organismes certifiés Qualiopi.")
                ]))
        _ = try await poll(configuration(["/plain.xml", "/qualite.xml"], topics: ["/qualite.xml": [.qualiopi]]))
        let scores = try database.items(topic: .qualiopi).map {
            try database.tags(itemID: $0.id).first { $0.id == .qualiopi }!.score
        }
        XCTAssertEqual(scores.count, 2)
        XCTAssertEqual(scores.max()! / scores.min()!, Retagger.feedTopicBoost, accuracy: 0.02)
    }

    func testAnItemWhoseTextChangesIsUpdatedInPlaceAndRetagged() async throws {
        let version = Mutex(0)
        server.route("/feed.xml") { _ in
            let body =
                version.withLock { $0 } == 0
                ? Self.rss(items: [("x", "Réforme de la formation", "Un texte sans sujet précis.")])
                : Self.rss(items: [
                    ("x", "Réforme de la formation", "L'intelligence artificielle générative arrive en CFA.")
                ])
            return .init(headers: ["Content-Type": "application/rss+xml"], body: body)
        }
        let config = configuration(["/feed.xml"])
        _ = try await poll(config)
        XCTAssertTrue(try database.items(topic: .ia).isEmpty)
        version.withLock { $0 = 1 }
        let second = try await poll(config)
        XCTAssertEqual(second.newItems, 0)
        XCTAssertEqual(try database.itemCount(), 1)
        XCTAssertEqual(try database.items(topic: .ia).count, 1, "the changed text was tagged again")
    }

    func testItemsAFeedDropsAreKept() async throws {
        let dropped = Mutex(false)
        server.route("/feed.xml") { _ in
            let body =
                dropped.withLock { $0 }
                ? Self.rss(items: [("b", "Deuxième", "…")])
                : Self.rss(items: [("a", "Premier", "…"), ("b", "Deuxième", "…")])
            return .init(headers: ["Content-Type": "application/rss+xml"], body: body)
        }
        let config = configuration(["/feed.xml"])
        _ = try await poll(config)
        dropped.withLock { $0 = true }
        _ = try await poll(config)
        XCTAssertEqual(try database.itemCount(), 2)
    }
}
