import Foundation
import TestSupport
import XCTest

/// feeds.toml missing, unreadable or not text: `watchctl poll` exits 2 with one line naming
/// the file, and touches nothing.
final class FaultConfigTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "regwatch-config-fault")
    }

    override func tearDown() {
        _ = Hostile.shell("chmod -R u+rwx '\(dir.url.path)'")
        dir.remove()
    }

    private func assertOneLineExit2(
        _ result: Watchctl.Result, naming path: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(result.status, 2, result.stderr, file: file, line: line)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr, file: file, line: line)
        XCTAssertTrue(result.stderr.contains(path), "the line names \(path): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
    }

    func testAMissingConfigGivenByOptionExitsTwoNamingIt() throws {
        let path = dir.file("absent/feeds.toml").path
        assertOneLineExit2(try Watchctl.run(["--config", path, "poll"]), naming: path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("absent").path), "nothing was created")
    }

    func testAMissingConfigGivenByTheEnvironmentExitsTwoNamingIt() throws {
        let path = dir.file("ailleurs.toml").path
        assertOneLineExit2(try Watchctl.run(["poll"], environment: ["REGWATCH_CONFIG": path]), naming: path)
    }

    func testAConfigThatIsAFolderExitsTwoNamingIt() throws {
        let path = dir.file("feeds.toml").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        assertOneLineExit2(try Watchctl.run(["--config", path, "poll"]), naming: path)
    }

    func testAnUnreadableConfigExitsTwoNamingIt() throws {
        try XCTSkipIf(getuid() == 0, "root reads a file whatever its mode; the folder case covers unreadable for root")
        let file = try dir.write("[fetch]\nallow_private_networks = true\n", to: "feeds.toml")
        XCTAssertEqual(chmod(file.path, 0), 0)
        assertOneLineExit2(try Watchctl.run(["--config", file.path, "poll"]), naming: file.path)
    }

    func testABinaryConfigExitsTwoNamingIt() throws {
        let file = dir.file("feeds.toml")
        try Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0xFF, 0xFE, 0x00, 0x5B, 0x0A]).write(to: file)
        assertOneLineExit2(try Watchctl.run(["--config", file.path, "poll"]), naming: file.path)
    }
}
