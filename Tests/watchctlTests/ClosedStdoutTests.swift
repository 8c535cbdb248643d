import Foundation
import TestSupport
import XCTest

/// A reader that stops early (`watchctl items --json | head -c 5`) closes stdout: every
/// command then ends quietly with status 0, as Unix tools do, instead of crashing on EPIPE.
final class ClosedStdoutTests: XCTestCase {
    private var server: LoopbackHTTPServer!
    private var dir: TemporaryDirectory!
    private var config: URL!

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
        server = try LoopbackHTTPServer()
        dir = try TemporaryDirectory(prefix: "watchctl-closed-stdout")
        server.route(path: "/inffo.xml", document: Data(Self.bigFeed().utf8))
        config = try dir.write(
            """
            [fetch]
            allow_private_networks = true   # the test server is on 127.0.0.1

            [[feeds]]
            url = "\(server.url(for: "/inffo.xml").absoluteString)"
            """, to: "feeds.toml")
        let poll = try Watchctl.run(["--config", config.path, "poll"])
        XCTAssertEqual(poll.status, 0, poll.stderr)
        let follow = try Watchctl.run(["--config", config.path, "follow", "1", "--state", "a-exploiter"])
        XCTAssertEqual(follow.status, 0, follow.stderr)
    }

    override func tearDown() {
        server.stop()
        dir.remove()
    }

    /// Runs watchctl with a stdout whose reading end is already closed: every write fails with EPIPE.
    private func runWithClosedStdout(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = Watchctl.executable
        process.arguments = ["--config", config.path] + arguments
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
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = [
            "-c", "\"$0\" --config \"$1\" items --json | head -c 5; echo \" ${PIPESTATUS[0]}\"",
            Watchctl.executable.path, config.path,
        ]
        let out = Pipe()
        let err = Pipe()
        shell.standardOutput = out
        shell.standardError = err
        try shell.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        XCTAssertEqual(output, "[\n  { 0\n")
        XCTAssertEqual(errors, "")
    }
}
