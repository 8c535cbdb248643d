import TestSupport
import XCTest

/// The exit-status contract of docs/cli.md: 0 success, 1 runtime failure, 2 bad usage,
/// one line on stderr naming what is wrong.
final class ExitStatusTests: XCTestCase {
    func testVersionPrintsTheVersionAndExitsZero() throws {
        let result = try Watchctl.run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.hasPrefix("0."), "stdout: \(result.stdout)")
    }

    func testUnknownSubcommandExitsTwoWithAMessageOnStderr() throws {
        let result = try Watchctl.run(["no-such-command"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.contains("no-such-command"), "stderr: \(result.stderr)")
    }
}
