import Foundation
import RegWatch
import TestSupport
import XCTest

/// `watchctl digest` as a user runs it: the real binary, a real feeds.toml and SQLite file,
/// a real SMTP server on 127.0.0.1 for `--send`.
final class DigestCommandTests: XCTestCase {
    typealias F = DigestFixtures

    private func golden(_ name: String) throws -> String {
        try String(contentsOf: DigestGoldenTests.goldenFolder.appendingPathComponent(name), encoding: .utf8)
    }

    /// Compares with a golden file (or writes it with REGWATCH_UPDATE_GOLDEN=1).
    private func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let url = DigestGoldenTests.goldenFolder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["REGWATCH_UPDATE_GOLDEN"] == "1" {
            try Data(actual.utf8).write(to: url)
            return
        }
        XCTAssertEqual(actual, try golden(name), "differs from \(name)", file: file, line: line)
    }

    /// The date and Message-ID of an email are those of the run: masked for comparison.
    private func maskRunDate(_ email: String) -> String {
        email.split(separator: "\r\n", omittingEmptySubsequences: false).map { line in
            if line.hasPrefix("Date: ") { return "Date: (run date)" }
            if line.hasPrefix("Message-ID: ") { return "Message-ID: (run id)" }
            return String(line)
        }.joined(separator: "\r\n")
    }

    func testEveryFormatFromAFixedDatabaseMatchesItsGoldenFile() throws {
        let fixture = try DigestStoreFixture()
        defer { fixture.remove() }
        for (format, name) in [
            ("markdown", "store-2025-W49.md"), ("text", "store-2025-W49.txt"), ("json", "store-2025-W49.json"),
        ] {
            let run = try Watchctl.run(
                [
                    "--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--format", format, "--output",
                    "-",
                ])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(run.stderr, "")
            try assertGolden(run.stdout, name)
        }
        let email = try Watchctl.run(
            ["--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--format", "email", "--output", "-"])
        XCTAssertEqual(email.status, 0, email.stderr)
        try assertGolden(maskRunDate(email.stdout), "store-2025-W49.eml")
    }

    func testWithoutOutputTheFileGoesToOutputDirUnderTheWeeksName() throws {
        let fixture = try DigestStoreFixture()
        defer { fixture.remove() }
        for (format, ext) in [("markdown", "md"), ("text", "txt"), ("email", "eml"), ("json", "json")] {
            let run = try Watchctl.run([
                "--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--format", format,
            ])
            XCTAssertEqual(run.status, 0, run.stderr)
            let file = fixture.folder.file("digests/regwatch-2025-W49.\(ext)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: file.path), run.stdout)
            XCTAssertTrue(run.stdout.contains(file.path), run.stdout)
        }
        let markdown = try String(contentsOf: fixture.folder.file("digests/regwatch-2025-W49.md"), encoding: .utf8)
        XCTAssertTrue(markdown.hasPrefix("# Veille réglementaire — Semaine 2025-W49\n"))
        // --output FILE writes exactly there, relative to the working directory.
        let run = try Watchctl.run(
            ["--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--output", "lundi.md"],
            currentDirectory: fixture.folder.url)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try String(contentsOf: fixture.folder.file("lundi.md"), encoding: .utf8), markdown)
    }

    func testADefaultWeekIsTheOneThatJustEnded() throws {
        let fixture = try DigestStoreFixture(seed: false)
        defer { fixture.remove() }
        let run = try Watchctl.run(["--config", fixture.configFile.path, "digest", "--format", "json", "--output", "-"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let expected = ISOWeek.lastCompleted(now: Date(), in: F.paris)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["week"] as? String, expected.description)
        XCTAssertEqual((object?["items"] as? [Any])?.count, 0)
    }

    func testABadWeekIsBadInputExit2WithOneLine() throws {
        let fixture = try DigestStoreFixture(seed: false)
        defer { fixture.remove() }
        let run = try Watchctl.run(["--config", fixture.configFile.path, "digest", "--week", "2025-W60"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("2025-W60"), run.stderr)
        XCTAssertEqual(run.stdout, "")
    }

    func testTheEmailFormatWithoutAnEmailSectionIsBadInput() throws {
        let fixture = try DigestStoreFixture(smtpURL: nil, seed: false)
        defer { fixture.remove() }
        let run = try Watchctl.run(["--config", fixture.configFile.path, "digest", "--format", "email"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("[email]") && run.stderr.contains(fixture.configFile.path), run.stderr)
        XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
    }

    func testSendDeliversToEveryRecipientAndMarksTheWeekSent() throws {
        let server = try LoopbackSMTPServer()
        defer { server.stop() }
        let fixture = try DigestStoreFixture(smtpURL: server.url.absoluteString)
        defer { fixture.remove() }
        let run = try Watchctl.run(["--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--send"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let messages = server.messages()
        XCTAssertEqual(messages.count, 1)
        XCTAssertEqual(messages.first?.from, "veille@example.org")
        XCTAssertEqual(messages.first?.recipients, ["equipe@example.org", "direction@example.org"])
        // What was sent is the .eml kept in output_dir.
        let eml = try Data(contentsOf: fixture.folder.file("digests/regwatch-2025-W49.eml"))
        XCTAssertTrue(
            String(decoding: messages[0].data, as: UTF8.self).contains("Subject: =?UTF-8?Q?Veille_r=C3=A9glementaire"))
        XCTAssertEqual(
            String(decoding: messages[0].data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
                .trimmingCharacters(in: .newlines),
            String(decoding: eml, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(
                in: .newlines))
        let stored = try XCTUnwrap(fixture.database.storedDigest(week: F.week))
        XCTAssertNotNil(stored.sentAt)
        XCTAssertEqual(stored.sentTo, "equipe@example.org, direction@example.org")
    }

    func testARefusedSendExits1KeepsTheEmlAndLeavesTheWeekUnsentUntilALaterSuccess() throws {
        let refusing = try LoopbackSMTPServer(mode: .refuseRecipients)
        let fixture = try DigestStoreFixture(smtpURL: refusing.url.absoluteString)
        defer { fixture.remove() }
        let failed = try Watchctl.run(["--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--send"])
        refusing.stop()
        XCTAssertEqual(failed.status, 1, failed.stderr)
        XCTAssertEqual(failed.stderr.split(separator: "\n").count, 1, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("regwatch-2025-W49.eml"), failed.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.folder.file("digests/regwatch-2025-W49.eml").path))
        XCTAssertNil(try fixture.database.storedDigest(week: F.week)?.sentAt)

        // The same week, sent later to a server that accepts: marked once.
        let server = try LoopbackSMTPServer()
        defer { server.stop() }
        let config = try String(contentsOf: fixture.configFile, encoding: .utf8)
            .replacingOccurrences(of: refusing.url.absoluteString, with: server.url.absoluteString)
        try Data(config.utf8).write(to: fixture.configFile)
        let sent = try Watchctl.run(["--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--send"])
        XCTAssertEqual(sent.status, 0, sent.stderr)
        XCTAssertEqual(server.messages().count, 1)
        let firstSent = try XCTUnwrap(fixture.database.storedDigest(week: F.week)?.sentAt)
        let again = try Watchctl.run(["--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--send"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try fixture.database.storedDigest(week: F.week)?.sentAt, firstSent)
    }

    func testSendLogsInWithThePasswordFromTheEnvironment() throws {
        let server = try LoopbackSMTPServer(login: (user: "veille", password: "mot-de-passe"))
        defer { server.stop() }
        let fixture = try DigestStoreFixture(smtpURL: "smtp://veille@127.0.0.1:\(server.port)")
        defer { fixture.remove() }
        let run = try Watchctl.run(
            ["--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--send"],
            environment: ["REGWATCH_SMTP_PASSWORD": "mot-de-passe"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(server.messages().map(\.authenticated), [true])
        XCTAssertFalse(run.stdout.contains("mot-de-passe") || run.stderr.contains("mot-de-passe"))
    }
}
