import Foundation
import TestSupport
import XCTest

/// The disk fills up during a poll and during a digest; the database's filesystem turns
/// read-only. Each gives a clear one-line error, the database stays sound
/// (`PRAGMA integrity_check` by Debian's sqlite3) and nothing committed before is lost.
///
/// As root (CI and this machine) the state folder is a real tmpfs of a few hundred KiB;
/// elsewhere the child runs with RLIMIT_FSIZE (SIGXFSZ ignored), which fails writes the same way.
final class FaultDiskTests: XCTestCase {
    private var fixture: WatchctlFixture!
    private var tmpfs: Hostile.TinyFilesystem?
    private var database: URL { fixture.file("state/regwatch.sqlite") }

    override func setUpWithError() throws {
        fixture = try WatchctlFixture(prefix: "regwatch-disk")
        fixture.server.route(path: "/sain.xml", document: Data(HostileFeedTests.healthy.utf8))
        // 1 500 items of ~1 KiB: with the full-text index several times the 1 MiB disk.
        var big = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Volumineux</title>"
        let paragraph = String(repeating: "Le compte personnel de formation finance une action certifiée. ", count: 16)
        for n in 0..<1_500 {
            big +=
                "<item><title>Arrêté \(n) relatif à l'apprentissage</title><guid>gros-\(n)</guid>"
                + "<description>\(n) \(paragraph)</description></item>\n"
        }
        big += "</channel></rss>"
        fixture.server.route(path: "/volumineux.xml", document: Data(big.utf8))
    }

    override func tearDown() {
        tmpfs?.unmount()
        fixture.remove()
    }

    @discardableResult
    private func writeConfig(feeds: [String]) throws -> URL {
        var tables = """
            [storage]
            database = "state/regwatch.sqlite"

            [digest]
            output_dir = "state/digests"

            """
        for path in feeds { tables += "\n[[feeds]]\nurl = \"\(fixture.url(path))\"\n" }
        return try fixture.writeConfig(tables)
    }

    /// Runs watchctl with writes limited: on the tmpfs when mounted, else by RLIMIT_FSIZE.
    private func runOnSmallDisk(_ arguments: [String], fallbackBlocks: Int) throws -> Hostile.MeasuredRun {
        if tmpfs != nil {
            return try Hostile.runShell(
                ([Watchctl.executable.path] + arguments).map { "'\($0)'" }.joined(separator: " "))
        }
        return try Hostile.runLimited(arguments, fileSizeBlocks: fallbackBlocks)
    }

    private func databaseSizeBlocks() throws -> Int {
        let size = try FileManager.default.attributesOfItem(atPath: database.path)[.size] as? Int ?? 0
        return size / 512
    }

    func testDiskFullDuringAPollFailsThatFeedAndKeepsEverythingCommitted() throws {
        tmpfs = Hostile.TinyFilesystem.mount(at: fixture.file("state"), kibibytes: 1_024)
        let config = try writeConfig(feeds: ["/sain.xml"])
        let first = try fixture.run(["poll", "--json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try Hostile.sqlite(database, "SELECT count(*) FROM item"), "2")

        _ = try writeConfig(feeds: ["/sain.xml", "/volumineux.xml"])
        let full = try runOnSmallDisk(
            ["--config", config.path, "poll", "--json"], fallbackBlocks: try databaseSizeBlocks() + 400)
        // Either the feed fails (per-feed store error) or the poll stops with one line: never a crash.
        XCTAssertTrue(full.status == 0 || full.status == 1, "status \(full.status): \(full.stderr)")
        if full.status == 0 {
            let summary = try Hostile.Summary(full.stdout)
            let error = try XCTUnwrap(summary.errors[fixture.url("/volumineux.xml")], full.stdout)
            XCTAssertTrue(
                error.lowercased().contains("full") || error.contains("disk") || error.contains("disque")
                    || error.contains("large") || error.contains("write"), error)
            XCTAssertFalse(error.contains("\n"))
            print("disk full during a poll: \(error)")
        } else {
            print("disk full during a poll: \(full.stderr)")
            XCTAssertEqual(full.stderr.split(separator: "\n").count, 1, full.stderr)
        }
        XCTAssertEqual(try Hostile.sqlite(database, "PRAGMA integrity_check"), "ok")
        XCTAssertEqual(
            try Hostile.sqlite(database, "SELECT count(*) FROM item WHERE guid LIKE '%sain-%'"), "2",
            "items committed before the disk filled are still there")
        let partial = Int(try Hostile.sqlite(database, "SELECT count(*) FROM item WHERE guid LIKE '%gros-%'")) ?? -1
        XCTAssertTrue(partial == 0 || partial == 1_500, "a feed is stored whole or not at all, found \(partial)")

        // Room again: the next poll stores the big feed whole.
        if let tmpfs {
            XCTAssertEqual(Hostile.shell("mount -o remount,size=65536k '\(tmpfs.mountPoint.path)'"), 0)
        }
        let again = try fixture.run(["poll", "--json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try Hostile.sqlite(database, "SELECT count(*) FROM item WHERE guid LIKE '%gros-%'"), "1500")
        XCTAssertEqual(try Hostile.sqlite(database, "PRAGMA integrity_check"), "ok")
    }

    func testDiskFullDuringADigestFailsWithOneLineAndLeavesNoPartialFile() throws {
        tmpfs = Hostile.TinyFilesystem.mount(at: fixture.file("state"), kibibytes: 2_048)
        let config = try writeConfig(feeds: ["/sain.xml"])
        let poll = try fixture.run(["poll"])
        XCTAssertEqual(poll.status, 0, poll.stderr)
        let week = Self.currentWeek()
        let before = try Hostile.sqlite(database, "SELECT count(*) FROM item")

        tmpfs?.fill()
        let digest = try runOnSmallDisk(["--config", config.path, "digest", "--week", week], fallbackBlocks: 1)
        XCTAssertEqual(digest.status, 1, "stdout: \(digest.stdout) stderr: \(digest.stderr)")
        XCTAssertEqual(digest.stderr.split(separator: "\n").count, 1, digest.stderr)
        print("disk full during a digest: \(digest.stderr)")
        XCTAssertEqual(try Hostile.sqlite(database, "PRAGMA integrity_check"), "ok")
        XCTAssertEqual(try Hostile.sqlite(database, "SELECT count(*) FROM item"), before)
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: fixture.file("state/digests").path)) ?? []
        for name in leftovers {
            let size =
                (try? FileManager.default.attributesOfItem(atPath: fixture.file("state/digests/\(name)").path)[.size]
                    as? Int) ?? 0
            XCTAssertTrue(
                name.hasSuffix(".md") && size > 0, "a partial or temporary file was left: \(name) (\(size) bytes)")
        }
    }

    func testAReadOnlyDatabaseGivesOneClearLine() throws {
        tmpfs = Hostile.TinyFilesystem.mount(at: fixture.file("state"), kibibytes: 4_096)
        try writeConfig(feeds: ["/sain.xml"])
        let poll = try fixture.run(["poll"])
        XCTAssertEqual(poll.status, 0, poll.stderr)
        if let tmpfs {
            XCTAssertTrue(tmpfs.makeReadOnly())
        } else {
            XCTAssertEqual(
                Hostile.shell("chmod 0444 '\(database.path)' && chmod 0555 '\(fixture.file("state").path)'"), 0)
        }
        defer { _ = Hostile.shell("chmod -R u+w '\(fixture.file("state").path)'") }
        fixture.server.route(
            path: "/sain.xml",
            document: Data(HostileFeedTests.healthy.replacingOccurrences(of: "sain-", with: "neuf-").utf8))
        let result = try fixture.run(["poll"])
        XCTAssertEqual(result.status, 1, "stdout: \(result.stdout) stderr: \(result.stderr)")
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("regwatch.sqlite"), "the line names the database: \(result.stderr)")
        // sqlite3 itself cannot open a WAL database read-only without its -shm: read it as immutable.
        XCTAssertEqual(try Hostile.sqlite(database, "PRAGMA integrity_check", immutable: true), "ok")
        print("read-only database: \(result.stderr)")
    }

    /// `2025-W49` for today in Europe/Paris.
    static func currentWeek() -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: Date())
        return String(format: "%04d-W%02d", parts.yearForWeekOfYear!, parts.weekOfYear!)
    }
}
