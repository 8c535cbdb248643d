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
    private func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
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
        for (format, name) in [("markdown", "store-2025-W49.md"), ("text", "store-2025-W49.txt"), ("json", "store-2025-W49.json")] {
            let run = try Watchctl.run(
                ["--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--format", format, "--output", "-"])
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
            let run = try Watchctl.run(["--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--format", format])
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
        let run = try Watchctl.run(["--config", fixture.configFile.path, "digest", "--week", "2025-W49", "--format", "email"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("[email]") && run.stderr.contains(fixture.configFile.path), run.stderr)
        XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
    }
}
