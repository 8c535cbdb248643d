import Foundation
import TestSupport
import XCTest

/// `watchctl init [DIR]` for someone with the binary and not the repository: the shipped
/// feeds.toml (the repository's own, built in) written into DIR, valid for `check-config`,
/// never over an existing file without --force; and a config missing at a given path says so
/// and points at `init`.
final class InitCommandTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "watchctl-init")
    }

    override func tearDown() {
        dir.remove()
    }

    /// The repository's feeds.toml, the one source of the shipped list.
    private var shipped: String {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            return try String(contentsOf: root.appendingPathComponent("feeds.toml"), encoding: .utf8)
        }
    }

    func testInitWritesTheShippedSourcesIntoANewFolderThatCheckConfigAccepts() throws {
        let folder = dir.file("veille/équipe formation")
        let result = try Watchctl.run(["init", folder.path], environment: ["LANG": "C.UTF-8"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let file = folder.appendingPathComponent("feeds.toml")
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# Written by `watchctl init`"), text)
        XCTAssertTrue(text.hasSuffix(try shipped), "the repository's feeds.toml, byte for byte after the first line")
        XCTAssertTrue(result.stdout.contains("wrote \(file.path)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("check-config") && result.stdout.contains("poll"), result.stdout)
        XCTAssertTrue(
            result.stdout.contains("--config '\(file.path)'"), "a path with a space is quoted: \(result.stdout)")

        // Valid, and its relative paths land beside it.
        let check = try Watchctl.run(["--config", file.path, "check-config"])
        XCTAssertEqual(check.status, 0, check.stderr + check.stdout)
        let items = try Watchctl.run(["--config", file.path, "items"])
        XCTAssertEqual(items.status, 0, items.stderr)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("state/regwatch.sqlite").path))
    }

    func testInitWithoutAFolderWritesIntoTheCurrentOneInFrenchForAFrenchLocale() throws {
        let result = try Watchctl.run(["init"], environment: ["LANG": "fr_FR.UTF-8"], currentDirectory: dir.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("écrit"), result.stdout)
        XCTAssertFalse(result.stdout.contains("--config"), "the file is found from here: \(result.stdout)")
        let check = try Watchctl.run(["check-config"], currentDirectory: dir.url)
        XCTAssertEqual(check.status, 0, check.stderr + check.stdout)
    }

    func testInitRefusesToReplaceAnExistingFileUnlessForced() throws {
        let mine = try dir.write("# ma veille\n[storage]\ndatabase = \"veille.sqlite\"\n", to: "feeds.toml")
        let refused = try Watchctl.run(["init", dir.url.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertEqual(refused.stdout, "")
        XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.stderr)
        XCTAssertTrue(
            refused.stderr.contains("\(mine.path) already exists") && refused.stderr.contains("--force"), refused.stderr
        )
        XCTAssertEqual(
            try String(contentsOf: mine, encoding: .utf8), "# ma veille\n[storage]\ndatabase = \"veille.sqlite\"\n")

        let forced = try Watchctl.run(["init", dir.url.path, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(try String(contentsOf: mine, encoding: .utf8).hasSuffix(try shipped))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0 != "feeds.toml" }
        XCTAssertEqual(leftovers, [], "no temporary file left behind")

        // A folder that is a file is bad input too.
        let notAFolder = try Watchctl.run(["init", mine.path])
        XCTAssertEqual(notAFolder.status, 2)
        XCTAssertTrue(notAFolder.stderr.contains("\(mine.path) is a file, not a folder"), notAFolder.stderr)
    }

    func testAConfigMissingAtAGivenPathSaysSoAndPointsAtInit() throws {
        let missing = dir.file("ailleurs/feeds.toml")
        let given = try Watchctl.run(["--config", missing.path, "status"])
        XCTAssertEqual(given.status, 2)
        XCTAssertEqual(given.stderr.split(separator: "\n").count, 1, given.stderr)
        XCTAssertTrue(given.stderr.contains("\(missing.path): no such config file at this path"), given.stderr)
        XCTAssertTrue(given.stderr.contains("watchctl init \(missing.deletingLastPathComponent().path)"), given.stderr)
        XCTAssertFalse(given.stderr.contains("pass --config"), "--config was passed: \(given.stderr)")

        let fromEnvironment = try Watchctl.run(["items"], environment: ["REGWATCH_CONFIG": missing.path])
        XCTAssertEqual(fromEnvironment.status, 2)
        XCTAssertTrue(fromEnvironment.stderr.contains("named by $REGWATCH_CONFIG"), fromEnvironment.stderr)
        XCTAssertTrue(fromEnvironment.stderr.contains("watchctl init"), fromEnvironment.stderr)
        XCTAssertFalse(fromEnvironment.stderr.contains("pass --config"), fromEnvironment.stderr)

        // Following the advice works.
        XCTAssertEqual(try Watchctl.run(["init", missing.deletingLastPathComponent().path]).status, 0)
        XCTAssertEqual(try Watchctl.run(["--config", missing.path, "check-config"]).status, 0)
    }
}
