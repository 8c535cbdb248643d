#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import Synchronization
import TestSupport
import XCTest

/// `watchctl daemon` as systemd runs it: a child process against real feeds on a loopback
/// HTTP server, a real SQLite file, a real notification socket and real signals. Every wait
/// is on an event (a request counter, a log line, a datagram, the exit) with a deadline.
final class DaemonTests: XCTestCase {
    private var fixture: WatchctlFixture!
    private let travailIsUp = Switch(true)

    override func setUpWithError() throws {
        fixture = try WatchctlFixture(prefix: "regwatch-daemon")
        let up = travailIsUp
        fixture.server.route("/travail/rss.xml") { _ in
            guard up.isOn else { return .init(status: 503, text: "Service indisponible") }
            return .init(
                status: 200, headers: ["Content-Type": "application/rss+xml; charset=utf-8"], text: Fixtures.travail)
        }
        fixture.server.route("/centre-inffo/feed") { _ in
            .init(
                status: 200, headers: ["Content-Type": "application/rss+xml; charset=utf-8"], text: Fixtures.centreInffo
            )
        }
    }

    override func tearDown() {
        fixture.remove()
    }

    private var travail: URL { fixture.server.url(for: "/travail/rss.xml") }
    private var centreInffo: URL { fixture.server.url(for: "/centre-inffo/feed") }
    private var database: URL { fixture.file("state/regwatch.sqlite") }

    @discardableResult
    private func writeConfig(_ feeds: [URL], brokenLine: String? = nil) throws -> URL {
        var fetch = "default_interval = \"2s\"\ntimeout = \"5s\""
        if let brokenLine { fetch += "\n" + brokenLine }
        var text =
            "# feeds.toml for the daemon tests: a short interval, loopback allowed.\n"
            + "[storage]\ndatabase = \"state/regwatch.sqlite\"\n\n" + WatchctlFixture.feedsFile(fetch: fetch)
        for feed in feeds {
            text += "\n[[feeds]]\nurl = \"\(feed.absoluteString)\"\n"
        }
        // Write beside and rename, as add-feed does: the daemon never reads half a file.
        let temporary = try fixture.directory.write(text, to: "feeds.toml.tmp")
        XCTAssertEqual(rename(temporary.path, fixture.file("feeds.toml").path), 0)
        return fixture.file("feeds.toml")
    }

    private func startDaemon(
        _ config: URL, extra: [String] = [], environment: [String: String] = [:], log: String = "daemon.log"
    ) throws -> DaemonProcess {
        try DaemonProcess(config: config, extra: extra, environment: environment, logFile: fixture.file(log))
    }

    // MARK: - Done means (issue 7)

    func testAFrenchDaemonTellsSystemdInFrench() throws {
        let socket = try NotifySocket(path: fixture.file("notify.sock").path)
        let config = try writeConfig([travail])
        let daemon = try startDaemon(
            config, environment: ["NOTIFY_SOCKET": socket.environmentValue, "LANG": "fr_FR.UTF-8"])

        let status = socket.waitFor(timeout: 15) { $0.hasPrefix("STATUS=1 flux, 0 en échec, prochaine lecture ") }
        XCTAssertNotNil(status, "datagrams: \(socket.datagrams)")
        daemon.send(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0, "log:\n\(daemon.log)")
    }

    func testItPollsTellsSystemdAndExitsCleanlyOnSIGTERM() throws {
        let socket = try NotifySocket(path: fixture.file("notify.sock").path)
        let config = try writeConfig([travail])
        let daemon = try startDaemon(
            config, environment: ["NOTIFY_SOCKET": socket.environmentValue, "WATCHDOG_USEC": "400000"])

        XCTAssertNotNil(socket.waitFor(timeout: 15) { $0.contains("READY=1") }, "log:\n\(daemon.log)")
        XCTAssertNotNil(socket.waitFor(timeout: 15) { $0 == "WATCHDOG=1\n" }, "pinged at half WATCHDOG_USEC")
        XCTAssertTrue(
            waitUntil(timeout: 15) { self.fixture.server.requestCount(path: "/travail/rss.xml") >= 2 },
            "polled again after its 2 s interval; log:\n\(daemon.log)")
        let status = socket.waitFor(timeout: 15) { $0.hasPrefix("STATUS=1 feed, 0 failing, next poll ") }
        XCTAssertNotNil(status, "datagrams: \(socket.datagrams)")

        daemon.send(SIGTERM)

        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0, "log:\n\(daemon.log)")
        XCTAssertNotNil(socket.waitFor(timeout: 1) { $0.contains("STOPPING=1") })
        XCTAssertEqual(try sqlite3(database, "PRAGMA integrity_check"), "ok")
        XCTAssertEqual(try sqlite3(database, "SELECT count(*) FROM item"), "3")
        XCTAssertFalse(daemon.log.contains("\u{1B}["), "no colour when stderr is not a terminal")
    }

    func testAFeedAddedToTheFileWhileItRunsIsPolledWithoutARestart() throws {
        let config = try writeConfig([travail])
        let daemon = try startDaemon(config)
        XCTAssertTrue(waitUntil(timeout: 15) { self.fixture.server.requestCount(path: "/travail/rss.xml") >= 1 })

        // The team adds a source with the real command while the daemon runs.
        let added = try fixture.run(["add-feed", centreInffo.absoluteString])
        XCTAssertEqual(added.status, 0, added.stderr)

        XCTAssertTrue(
            waitUntil(timeout: 15) { self.fixture.server.requestCount(path: "/centre-inffo/feed") >= 1 },
            "log:\n\(daemon.log)")
        XCTAssertTrue(daemon.process.isRunning)
        XCTAssertTrue(daemon.waitForLog("configuration reloaded", "config.trigger=\"file change\""), daemon.log)
    }

    func testABrokenEditIsLoggedWithItsLineAndTheOldConfigKeptThenSIGHUPReloads() throws {
        let config = try writeConfig([travail])
        let daemon = try startDaemon(config)
        XCTAssertTrue(waitUntil(timeout: 15) { self.fixture.server.requestCount(path: "/travail/rss.xml") >= 1 })

        // Line 9 of the file: a misspelt key in [fetch].
        try writeConfig([travail, centreInffo], brokenLine: "concurency = 4")

        XCTAssertTrue(daemon.waitForLog("configuration rejected", "feeds.toml:9:"), daemon.log)
        let before = fixture.server.requestCount(path: "/travail/rss.xml")
        XCTAssertTrue(
            waitUntil(timeout: 15) { self.fixture.server.requestCount(path: "/travail/rss.xml") > before },
            "still polling with the previous config; log:\n\(daemon.log)")
        XCTAssertEqual(fixture.server.requestCount(path: "/centre-inffo/feed"), 0, "the broken file was not used")

        daemon.send(SIGHUP)

        XCTAssertTrue(daemon.waitForLog("reload requested by SIGHUP"), daemon.log)
        XCTAssertTrue(
            waitUntil(timeout: 15) {
                daemon.log.components(separatedBy: "configuration rejected").count - 1 == 2
            }, "SIGHUP re-reads the broken file and rejects it again; log:\n\(daemon.log)")
        try writeConfig([travail, centreInffo])
        XCTAssertTrue(
            waitUntil(timeout: 15) { self.fixture.server.requestCount(path: "/centre-inffo/feed") >= 1 },
            "log:\n\(daemon.log)")
        XCTAssertTrue(daemon.process.isRunning)
    }

    func testSIGHUPReloadsAnUnchangedFile() throws {
        let config = try writeConfig([travail])
        let daemon = try startDaemon(config)
        XCTAssertTrue(waitUntil(timeout: 15) { self.fixture.server.requestCount(path: "/travail/rss.xml") >= 1 })

        daemon.send(SIGHUP)

        XCTAssertTrue(daemon.waitForLog("configuration reloaded", "config.trigger=SIGHUP"), daemon.log)
        XCTAssertTrue(daemon.process.isRunning)
    }

    func testItBacksOffFromAServerThatIsDownAndRecoversWhenItComesBack() throws {
        let socket = try NotifySocket(path: fixture.file("notify.sock").path)
        let config = try writeConfig([travail, centreInffo])
        let daemon = try startDaemon(config, environment: ["NOTIFY_SOCKET": socket.environmentValue])
        XCTAssertTrue(waitUntil(timeout: 15) { self.fixture.server.requestCount(path: "/travail/rss.xml") >= 1 })

        XCTAssertNotNil(socket.waitFor(timeout: 15) { $0.contains("2 feeds, 0 failing") }, "\(socket.datagrams)")
        let mark = socket.datagrams.count
        travailIsUp.set(false)
        XCTAssertNotNil(
            socket.waitFor(since: mark, timeout: 15) { $0.contains("2 feeds, 1 failing") }, "\(socket.datagrams)")
        let failedAt = fixture.server.requestCount(path: "/travail/rss.xml")

        // While it is down, the failing feed waits longer after each failure (2 s, 4 s, 8 s… from
        // its 2 s interval, PollSchedule) while the healthy one keeps its 2 s pace.
        let healthyAt = fixture.server.requestCount(path: "/centre-inffo/feed")
        XCTAssertTrue(
            waitUntil(timeout: 40) { self.fixture.server.requestCount(path: "/centre-inffo/feed") >= healthyAt + 6 })
        let retriesWhileDown = fixture.server.requestCount(path: "/travail/rss.xml") - failedAt
        XCTAssertLessThanOrEqual(retriesWhileDown, 3, "backing off: fewer attempts than the healthy feed's 6")

        let downAt = fixture.server.requestCount(path: "/travail/rss.xml")
        travailIsUp.set(true)
        XCTAssertNotNil(
            socket.waitFor(since: mark, timeout: 60) { $0.contains("2 feeds, 0 failing") }, "\(socket.datagrams)")
        XCTAssertEqual(fixture.server.requestCount(path: "/travail/rss.xml"), downAt + 1, "one retry brought it back")
        daemon.send(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0)
    }

    func testSIGTERMAbandonsATransferInFlightAndStillExitsZeroWithinTenSeconds() throws {
        fixture.server.route("/lent/rss.xml") { _ in
            .init(
                status: 200, headers: ["Content-Type": "application/rss+xml"], body: Data(Fixtures.travail.utf8),
                delay: .seconds(40))
        }
        let config = try writeConfig([centreInffo, fixture.server.url(for: "/lent/rss.xml")])
        let daemon = try startDaemon(config)
        XCTAssertTrue(waitUntil(timeout: 15) { self.fixture.server.requestCount(path: "/centre-inffo/feed") >= 1 })
        // The fast feed is finished only once it is committed, not when the server saw its request.
        XCTAssertTrue(waitUntil(timeout: 15) { (try? sqlite3(self.database, "SELECT count(*) FROM item")) == "2" })
        XCTAssertTrue(waitUntil(timeout: 15) { self.fixture.server.inFlight >= 1 }, "the slow transfer is in flight")

        daemon.send(SIGTERM)

        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0, "log:\n\(daemon.log)")
        XCTAssertEqual(try sqlite3(database, "PRAGMA integrity_check"), "ok")
        XCTAssertEqual(try sqlite3(database, "SELECT count(*) FROM item"), "2", "the finished feed was committed")
    }

    func testASecondDaemonOnTheSameStateIsRefused() throws {
        let socket = try NotifySocket(path: fixture.file("notify.sock").path)
        let config = try writeConfig([travail])
        let first = try startDaemon(config, environment: ["NOTIFY_SOCKET": socket.environmentValue])
        XCTAssertNotNil(socket.waitFor(timeout: 15) { $0.contains("READY=1") }, first.log)

        let second = try fixture.run(["daemon"])

        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(
            second.stderr.contains(
                "another regwatch daemon (pid \(first.pid)) holds \(fixture.file("state/daemon.lock").path)"),
            second.stderr)
        XCTAssertTrue(first.process.isRunning)
    }

    func testAnInvalidConfigStopsTheDaemonBeforeItStartsWithExitTwo() throws {
        try writeConfig([travail], brokenLine: "concurency = 4")

        let result = try fixture.run(["daemon"])

        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("feeds.toml:9:"), result.stderr)
    }

    func testTheLogLevelComesFromTheOptionOrTheEnvironment() throws {
        let config = try writeConfig([travail])
        let quiet = try startDaemon(config, environment: ["REGWATCH_LOG_LEVEL": "warning"], log: "quiet.log")
        XCTAssertTrue(waitUntil(timeout: 15) { self.fixture.server.requestCount(path: "/travail/rss.xml") >= 2 })
        quiet.send(SIGTERM)
        XCTAssertEqual(quiet.waitForExit(timeout: 10), 0)
        XCTAssertFalse(quiet.log.contains("regwatch daemon started"), quiet.log)

        let verbose = try startDaemon(
            config, extra: ["--log-level", "notice"], environment: ["REGWATCH_LOG_LEVEL": "warning"], log: "verbose.log"
        )
        XCTAssertTrue(verbose.waitForLog("notice", "regwatch daemon started"), verbose.log)
        verbose.send(SIGTERM)
        XCTAssertEqual(verbose.waitForExit(timeout: 10), 0)
    }
}

extension DaemonTests {
    func testUnderSystemdEachLogLineCarriesItsJournalPriority() throws {
        let config = try writeConfig([travail])
        let logFile = fixture.file("journal.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        var info = stat()
        XCTAssertEqual(stat(logFile.path, &info), 0)
        // What systemd sets when stderr is connected to the journal: DEVICE:INODE of that stream.
        let stream = "\(info.st_dev):\(info.st_ino)"

        let daemon = try startDaemon(config, environment: ["JOURNAL_STREAM": stream], log: "journal.log")

        XCTAssertTrue(daemon.waitForLog("<5>regwatch: regwatch daemon started"), daemon.log)
        daemon.send(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 0)
        let lines = daemon.log.split(separator: "\n")
        XCTAssertTrue(lines.allSatisfy { $0.first == "<" }, daemon.log)
    }
}

/// A flag the server's handler thread reads and the test flips.
final class Switch: Sendable {
    private let state: Mutex<Bool>

    init(_ on: Bool) {
        state = Mutex(on)
    }

    var isOn: Bool { state.withLock { $0 } }

    func set(_ on: Bool) {
        state.withLock { $0 = on }
    }
}

/// Feeds shaped like the real French sources the watch follows.
enum Fixtures {
    static let travail = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel>
        <title>Ministère du Travail et de l'Emploi — Actualités</title>
        <link>https://travail-emploi.gouv.fr/actualites</link>
        <description>Les dernières actualités du ministère</description>
        <language>fr</language>
        <item>
        <title>Qualiopi : le référentiel national qualité évolue au 1er janvier</title>
        <link>https://travail-emploi.gouv.fr/qualiopi-referentiel-national-qualite-2027</link>
        <guid isPermaLink="true">https://travail-emploi.gouv.fr/qualiopi-referentiel-national-qualite-2027</guid>
        <pubDate>Mon, 23 Nov 2026 09:00:00 +0100</pubDate>
        <dc:creator>DGEFP</dc:creator>
        <description>Les organismes de formation certifi&eacute;s devront d&eacute;montrer le suivi des indicateurs 22 et 26.</description>
        </item>
        <item>
        <title>Compte personnel de formation : la participation forfaitaire revalorisée</title>
        <link>https://travail-emploi.gouv.fr/cpf-participation-forfaitaire-2027</link>
        <guid isPermaLink="true">https://travail-emploi.gouv.fr/cpf-participation-forfaitaire-2027</guid>
        <pubDate>Thu, 19 Nov 2026 14:30:00 +0100</pubDate>
        <description><![CDATA[<p>Le reste à charge du titulaire du <strong>CPF</strong> est fixé par décret.</p>]]></description>
        </item>
        <item>
        <title>Apprentissage : les niveaux de prise en charge des contrats</title>
        <link>https://travail-emploi.gouv.fr/apprentissage-npec</link>
        <guid isPermaLink="true">https://travail-emploi.gouv.fr/apprentissage-npec</guid>
        <pubDate>Tue, 17 Nov 2026 10:00:00 +0100</pubDate>
        <description>France compétences publie les nouveaux NPEC applicables aux CFA.</description>
        </item>
        </channel>
        </rss>
        """

    static let centreInffo = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
        <channel>
        <title>Centre Inffo</title>
        <link>https://www.centre-inffo.fr</link>
        <description>L'actualité de la formation professionnelle</description>
        <item>
        <title>IA générative : quels usages dans les CFA ?</title>
        <link>https://www.centre-inffo.fr/site-droit-formation/ia-generative-cfa</link>
        <guid isPermaLink="false">centre-inffo-48213</guid>
        <pubDate>Wed, 25 Nov 2026 08:15:00 +0100</pubDate>
        <content:encoded><![CDATA[<p>Retour d'exp&eacute;rience de trois CFA sur l'intelligence artificielle en formation.</p>]]></content:encoded>
        </item>
        <item>
        <title>Neurodiversité : accueillir les apprenants TDAH en formation</title>
        <link>https://www.centre-inffo.fr/site-droit-formation/neurodiversite-tdah</link>
        <guid isPermaLink="false">centre-inffo-48190</guid>
        <pubDate>Mon, 23 Nov 2026 11:00:00 +0100</pubDate>
        <description>Le référent handicap au cœur de l'accessibilité des parcours.</description>
        </item>
        </channel>
        </rss>
        """
}
