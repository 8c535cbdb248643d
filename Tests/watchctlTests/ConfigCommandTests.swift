import Foundation
import TestSupport
import XCTest

/// `check-config`, `remove-feed` and the `--config` lookup, run as the real binary.
final class ConfigCommandTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "watchctl-config")
    }

    override func tearDown() {
        dir.remove()
    }

    func testCheckConfigPrintsASummaryAndExitsZeroForAValidFile() throws {
        let file = try dir.write(
            "[[feeds]]\nurl = \"https://sydologie.com/feed\"\n[[feeds]]\nurl = \"https://www.cnil.fr/fr/rss.xml\"\nenabled = false\n",
            to: "feeds.toml")
        let result = try Watchctl.run(["--config", file.path, "check-config"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("OK — 2 feeds (1 disabled), 4 topics"), result.stdout)
        XCTAssertTrue(result.stdout.contains(dir.file("state/regwatch.sqlite").standardizedFileURL.path), result.stdout)
        XCTAssertEqual(result.stderr, "")
    }

    func testCheckConfigPrintsEveryProblemOnItsOwnLineAndExitsTwo() throws {
        let file = try dir.write(
            "[fetch]\nconcurency = 4\n\n[[feeds]]\nurl = \"htp://x\"\n", to: "feeds.toml")
        let result = try Watchctl.run(["check-config", "--config", file.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(
            result.stderr,
            """
            watchctl: \(file.path):2: [fetch] concurency: unknown key (did you mean concurrency?)
            watchctl: \(file.path):5: [[feeds]] url: "htp://x" is not an http(s) URL

            """)
    }

    func testTheConfigIsFoundThroughTheEnvironmentThenTheWorkingDirectory() throws {
        try dir.write("[[feeds]]\nurl = \"https://sydologie.com/feed\"\n", to: "feeds.toml")
        let env = try dir.write("", to: "env/feeds.toml")
        let viaEnv = try Watchctl.run(
            ["check-config"], environment: ["REGWATCH_CONFIG": env.path], currentDirectory: dir.url)
        XCTAssertEqual(viaEnv.status, 0, viaEnv.stderr)
        XCTAssertTrue(viaEnv.stdout.contains("0 feeds"), viaEnv.stdout)
        let viaCwd = try Watchctl.run(["check-config"], currentDirectory: dir.url)
        XCTAssertEqual(viaCwd.status, 0, viaCwd.stderr)
        XCTAssertTrue(viaCwd.stdout.contains("1 feeds"), viaCwd.stdout)
    }

    func testAMissingConfigIsOneLineAndExitTwo() throws {
        let result = try Watchctl.run(["--config", dir.file("absent.toml").path, "check-config"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("absent.toml: no such config file"), result.stderr)
    }

    func testRemoveFeedEditsTheFileAndRefusesAnUnknownURL() throws {
        let file = try dir.write(
            "# mes sources\n[[feeds]]\nurl = \"https://sydologie.com/feed\"\n\n# la CNIL\n[[feeds]]\nurl = \"https://www.cnil.fr/fr/rss.xml\"\n",
            to: "feeds.toml")
        let removed = try Watchctl.run(["--config", file.path, "remove-feed", "https://sydologie.com/feed/"])
        XCTAssertEqual(removed.status, 0, removed.stderr)
        XCTAssertEqual(
            String(decoding: try Data(contentsOf: file), as: UTF8.self),
            "# mes sources\n\n# la CNIL\n[[feeds]]\nurl = \"https://www.cnil.fr/fr/rss.xml\"\n")
        let again = try Watchctl.run(["--config", file.path, "remove-feed", "https://sydologie.com/feed"])
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("no [[feeds]] table has url https://sydologie.com/feed"), again.stderr)
        let bad = try Watchctl.run(["--config", file.path, "remove-feed", "sydologie.com"])
        XCTAssertEqual(bad.status, 2)
    }
}
