import Foundation
import TestSupport
import XCTest

/// A reader that stops early (`watchctl items --json | head -c 5`) closes stdout: every
/// command then ends quietly with status 0, as Unix tools do, instead of crashing on EPIPE.
final class ClosedStdoutTests: XCTestCase {
    private var fixture: WatchctlFixture!

    /// A feed of 400 items: `items --json` writes well over a pipe's 64 KiB buffer.
    static func bigFeed() -> String {
        var rss = #"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Centre Inffo</title>"#
        for index in 0..<400 {
            rss += """
                <item><title>Qualiopi : indicateur \(index) du référentiel national qualité</title>
                <link>https://www.centre-inffo.fr/actu/\(index)</link><guid>inffo-\(index)</guid>
                <pubDate>Tue, 02 Dec 2025 10:00:00 +0100</pubDate>
                <description>Les organismes certifiés ont douze mois pour s'y conformer, précise le texte \(index).</description></item>
                """
        }
        return rss + "</channel></rss>"
    }

    override func setUpWithError() throws {
        fixture = try WatchctlFixture(prefix: "watchctl-closed-stdout")
        fixture.server.route(path: "/inffo.xml", document: Data(Self.bigFeed().utf8))
        try fixture.writeConfig("[[feeds]]\nurl = \"\(fixture.url("/inffo.xml"))\"")
        let poll = try fixture.run(["poll"])
        XCTAssertEqual(poll.status, 0, poll.stderr)
        let follow = try fixture.run(["follow", "1", "--state", "a-exploiter"])
        XCTAssertEqual(follow.status, 0, follow.stderr)
    }

    override func tearDown() {
        fixture.remove()
    }

    /// Runs watchctl with a stdout whose reading end is already closed: every write fails with EPIPE.
    private func runWithClosedStdout(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = Watchctl.executable
        process.arguments = ["--config", fixture.config.path] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try out.fileHandleForReading.close()
        try process.run()
        try out.fileHandleForWriting.close()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errData, as: UTF8.self))
    }

    func testEveryPrintingCommandEndsQuietlyWhenStdoutIsClosed() throws {
        let commands: [[String]] = [
            ["items", "--json"], ["items"], ["status", "--json"], ["status"], ["follow", "--list", "--json"],
            ["follow", "--list"], ["search", "qualiopi", "--json"], ["list-feeds", "--json"], ["export-opml"],
            ["digest", "--week", "2025-W49", "--output", "-"], ["audit", "--from", "2025-01-01", "--output", "-"],
            ["tag", "Qualiopi : le référentiel national qualité évolue", "--json"],
        ]
        for command in commands {
            let run = try runWithClosedStdout(command)
            XCTAssertEqual(run.status, 0, "\(command): \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("Fatal error"), "\(command): \(run.stderr)")
            XCTAssertEqual(run.stderr, "", "\(command)")
        }
    }

    func testItemsJSONPipedIntoHeadExitsZero() throws {
        let shell = try ChildProcess.run(
            URL(fileURLWithPath: "/bin/bash"),
            [
                "-c", "\"$0\" --config \"$1\" items --json | head -c 5; echo \" ${PIPESTATUS[0]}\"",
                Watchctl.executable.path, fixture.config.path,
            ])
        XCTAssertEqual(shell.stdout, "[\n  { 0\n")
        XCTAssertEqual(shell.stderr, "")
    }
}
