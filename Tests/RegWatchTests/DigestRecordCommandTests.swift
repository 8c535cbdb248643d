import FeedParser
import Foundation
import RegWatch
import TestSupport
import XCTest

/// What `watchctl digest` records, end to end: previews leave no trace, weeks that cannot
/// hold news are refused, a sent week is reproduced as sent, a rebuild is a second version.
final class DigestRecordCommandTests: XCTestCase {
    typealias F = DigestFixtures

    func testAPreviewToStdoutOrAFileElsewhereRecordsNothing() throws {
        let fixture = try DigestStoreFixture()
        defer { fixture.remove() }
        let stdout = try Watchctl.run([
            "--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--output", "-",
        ])
        XCTAssertEqual(stdout.status, 0, stdout.stderr)
        let elsewhere = fixture.folder.url.appendingPathComponent("apercu.md").path
        let file = try Watchctl.run([
            "--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--output", elsewhere,
        ])
        XCTAssertEqual(file.status, 0, file.stderr)
        XCTAssertTrue(file.stdout.contains("preview"), file.stdout)
        XCTAssertNil(try fixture.database.storedDigest(week: F.week))
        let status = try Watchctl.run(
            ["--config", fixture.configFile.path, "status"], environment: ["LC_ALL": "fr_FR.UTF-8"])
        XCTAssertTrue(status.stdout.contains("Dernier digest : aucun"), status.stdout)

        // Written to output_dir: produced, recorded, and named by status.
        let produced = try Watchctl.run(["--config", fixture.configFile.path, "digest", "--week", "2025-W49"])
        XCTAssertEqual(produced.status, 0, produced.stderr)
        XCTAssertEqual(try fixture.database.storedDigest(week: F.week)?.version, 1)
        let after = try Watchctl.run(
            ["--config", fixture.configFile.path, "status"], environment: ["LC_ALL": "fr_FR.UTF-8"])
        XCTAssertTrue(after.stdout.contains("Dernier digest : 2025-W49"), after.stdout)
    }

    func testWeeksInTheFutureOrBeforeAnyDataAreRefusedWithOneLineAndRecordNothing() throws {
        let fixture = try DigestStoreFixture()
        defer { fixture.remove() }
        let zone = TimeZone(identifier: "Europe/Paris")!
        let nextWeek = ISOWeek.containing(Date(), in: zone).next
        for week in ["0001-W01", "9999-W01", "9999-W52", nextWeek.description, "2024-W10"] {
            for extra in [[], ["--output", "-"], ["--format", "json"]] {
                let run = try Watchctl.run(["--config", fixture.configFile.path, "digest", "--week", week] + extra)
                XCTAssertEqual(run.status, 2, "\(week) \(extra): \(run.stderr)")
                XCTAssertEqual(run.stdout, "", week)
                XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
                XCTAssertTrue(run.stderr.contains("week \(week)"), run.stderr)
            }
        }
        XCTAssertTrue(try fixture.database.digestVersions(week: ISOWeek(parsing: "0001-W01")).isEmpty)
        XCTAssertTrue(try fixture.database.digestVersions(week: ISOWeek(parsing: "9999-W52")).isEmpty)
    }

    func testASentWeekIsReproducedAsSentAndARebuildIsRecordedBesideIt() throws {
        let server = try LoopbackSMTPServer()
        defer { server.stop() }
        let fixture = try DigestStoreFixture(smtpURL: server.url.absoluteString)
        defer { fixture.remove() }
        let config = fixture.configFile.path
        let sent = try Watchctl.run(["--config", config, "digest", "--week", "2025-W49", "--send", "--output", "-"])
        XCTAssertEqual(sent.status, 0, sent.stderr)
        let sentMarkdown = sent.stdout

        // Polled after the send: a Qualiopi item published on Sunday of week 49.
        try fixture.store(
            DigestCandidate(
                id: 0, shortID: "late", title: "Qualiopi : le guide de lecture mis à jour dimanche",
                link: "https://www.centre-inffo.fr/guide-v9", source: "Centre Inffo", published: F.paris(7, 22),
                firstSeen: F.paris(8, 9), topics: [TopicScore(.qualiopi, 4)]))
        let again = try Watchctl.run(["--config", config, "digest", "--week", "2025-W49", "--output", "-"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stdout, sentMarkdown, "what was sent is what a later build shows")
        XCTAssertFalse(again.stdout.contains("guide de lecture"))
        let email = try Watchctl.run([
            "--config", config, "digest", "--week", "2025-W49", "--format", "email", "--output", "-",
        ])
        XCTAssertEqual(
            email.stdout.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .newlines),
            String(decoding: server.messages()[0].data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
                .trimmingCharacters(in: .newlines))

        let rebuilt = try Watchctl.run(["--config", config, "digest", "--week", "2025-W49", "--rebuild"])
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        let file = try String(contentsOf: fixture.folder.file("digests/regwatch-2025-W49.md"), encoding: .utf8)
        XCTAssertTrue(file.contains("guide de lecture"), file)
        let versions = try fixture.database.digestVersions(week: F.week)
        XCTAssertEqual(versions.map(\.version), [1, 2])
        XCTAssertNotNil(versions[0].sentAt)
        XCTAssertNotNil(versions[0].supersededAt)
        XCTAssertNil(versions[1].sentAt)

        // The audit shows both: the sent version (superseded) and the rebuild.
        let audit = try Watchctl.run([
            "--config", config, "audit", "--from", "2020-01-01", "--format", "markdown", "--output", "-",
        ])
        XCTAssertEqual(audit.status, 0, audit.stderr)
        let rows = audit.stdout.split(separator: "\n").filter { $0.hasPrefix("| 2025-W49") }
        XCTAssertEqual(rows.count, 2, audit.stdout)
        XCTAssertTrue(rows[0].contains("remplacée le") && rows[0].contains("equipe@example.org"), String(rows[0]))
        XCTAssertTrue(rows[1].contains("version 2 (refaite)") && rows[1].contains("non envoyée"), String(rows[1]))
    }

    func testAPreviewOfTheCurrentWeekAgesFollowUpsAtNowNotAtTheWeeksEnd() throws {
        let fixture = try DigestStoreFixture()
        defer { fixture.remove() }
        let publisher = DigestPublisher(configuration: fixture.configuration, database: fixture.database)
        // Item of week 49, decided on Wednesday 10 December (week 50), previewed that evening.
        let decree = try XCTUnwrap(fixture.database.items().first { $0.title?.hasPrefix("Décret") == true }?.id)
        try fixture.database.recordFollow(itemID: decree, state: .toAct, owner: "Claire", note: nil, at: F.paris(10, 9))
        let preview = try publisher.prepare(week: F.week.next, now: F.paris(10, 18))
        guard case .fresh(let digest) = preview.edition else { return XCTFail("a week not sent is built") }
        XCTAssertEqual(digest.followUps.map(\.ageDays), [0])
        XCTAssertTrue(digest.renderMarkdown().contains("à exploiter depuis aujourd’hui"), digest.renderMarkdown())
        // At the end of the week (Monday 15 December, 00:00), it has waited four whole days.
        let later = try publisher.prepare(week: F.week.next, now: F.paris(16, 9))
        guard case .fresh(let endOfWeek) = later.edition else { return XCTFail("a week not sent is built") }
        XCTAssertEqual(endOfWeek.followUps.map(\.ageDays), [4])
    }

    func testDeliverWithNoTargetWritesTheFileAndSucceeds() throws {
        let fixture = try DigestStoreFixture(smtpURL: nil)
        defer { fixture.remove() }
        let run = try Watchctl.run(["--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--deliver"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("no delivery target configured"), run.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.folder.file("digests/regwatch-2025-W49.md").path))
        XCTAssertEqual(try fixture.database.storedDigest(week: F.week)?.version, 1)
        let json = try Watchctl.run([
            "--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--deliver", "--json",
        ])
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertEqual(
            (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Any])?.count, 0, json.stdout)
    }

    func testDeliverSendsOncePerWeekAndTargetAndReportsEachTarget() throws {
        let server = try LoopbackSMTPServer()
        defer { server.stop() }
        let fixture = try DigestStoreFixture(smtpURL: server.url.absoluteString)
        defer { fixture.remove() }
        let config = fixture.configFile.path
        let first = try Watchctl.run(["--config", config, "digest", "--week", "2025-W49", "--deliver", "--json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let results = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(results.map { $0["name"] as? String }, ["email"])
        XCTAssertEqual(results.map { $0["type"] as? String }, ["email"])
        XCTAssertEqual(results.map { $0["status"] as? String }, ["delivered"])
        XCTAssertTrue(results[0]["error"] is NSNull)
        XCTAssertEqual(server.messages().count, 1)

        let second = try Watchctl.run(["--config", config, "digest", "--week", "2025-W49", "--deliver"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("email: already delivered"), second.stdout)
        XCTAssertEqual(server.messages().count, 1, "nothing posted twice")

        let forced = try Watchctl.run(["--config", config, "digest", "--week", "2025-W49", "--deliver", "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(server.messages().count, 2)

        let unknown = try Watchctl.run([
            "--config", config, "digest", "--week", "2025-W49", "--deliver", "--to", "slack",
        ])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("configured: email"), unknown.stderr)

        let status = try Watchctl.run(["--config", config, "status", "--json"])
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let deliveries = try XCTUnwrap(document["deliveries"] as? [[String: Any]])
        XCTAssertEqual(deliveries.map { $0["target"] as? String }, ["email"])
        XCTAssertEqual(deliveries.map { $0["week"] as? String }, ["2025-W49"])
    }

    func testAFailingTargetExits1AndIsTriedAgainNextRun() throws {
        let refusing = try LoopbackSMTPServer(mode: .refuseRecipients)
        let fixture = try DigestStoreFixture(smtpURL: refusing.url.absoluteString)
        defer { fixture.remove() }
        let failed = try Watchctl.run([
            "--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--deliver",
        ])
        refusing.stop()
        XCTAssertEqual(failed.status, 1, failed.stderr)
        XCTAssertTrue(failed.stdout.contains("email: failed"), failed.stdout)
        XCTAssertNil(try fixture.database.delivery(week: F.week, target: "email"))

        let server = try LoopbackSMTPServer()
        defer { server.stop() }
        let config = try String(contentsOf: fixture.configFile, encoding: .utf8)
            .replacingOccurrences(of: refusing.url.absoluteString, with: server.url.absoluteString)
        try Data(config.utf8).write(to: fixture.configFile)
        let retried = try Watchctl.run([
            "--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--deliver",
        ])
        XCTAssertEqual(retried.status, 0, retried.stderr)
        XCTAssertEqual(server.messages().count, 1)
        XCTAssertNotNil(try fixture.database.delivery(week: F.week, target: "email"))
    }

    func testTheWeeklyTimerRunsDeliver() throws {
        let unit = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("systemd/regwatch-digest.service"), encoding: .utf8)
        let exec = try XCTUnwrap(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        XCTAssertTrue(exec.hasSuffix(" digest --deliver"), String(exec))
    }
}
