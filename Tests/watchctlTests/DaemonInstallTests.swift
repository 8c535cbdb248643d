import Foundation
import TestSupport
import XCTest

/// `make install` / `make uninstall` into a staging folder (`DESTDIR`), as a packager or an
/// administrator would run them, with the real Makefile, units and shipped feeds.toml.
final class DaemonInstallTests: XCTestCase {
    private var root: TemporaryDirectory!

    /// The package folder: three levels above this file (Tests/watchctlTests/…).
    private let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    override func setUpWithError() throws {
        root = try TemporaryDirectory(prefix: "regwatch-install")
    }

    override func tearDown() {
        root.remove()
    }

    private func make(_ target: String, prefix: String = "/usr/local") throws -> ChildProcess.Result {
        try ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "make", "--no-print-directory", "-C", packageRoot.path, target, "DESTDIR=\(root.url.path)",
                "PREFIX=\(prefix)", "BIN=\(Watchctl.executable.path)", "INSTALL_DEPS=",
            ])
    }

    func testInstallPutsTheBinaryTheUnitsAndAConfigPointingAtVarLib() throws {
        let result = try make("install")
        XCTAssertEqual(result.status, 0, result.stderr)

        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: root.file("usr/local/bin/watchctl").path))
        for unit in ["regwatch.service", "regwatch-digest.service", "regwatch-digest.timer"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: root.file("etc/systemd/system/\(unit)").path), unit)
        }
        let config = root.file("etc/regwatch/feeds.toml")
        let checked = try Watchctl.run(["--config", config.path, "check-config"])
        XCTAssertEqual(checked.status, 0, checked.stderr)
        XCTAssertTrue(checked.stdout.contains("database /var/lib/regwatch/regwatch.sqlite"), checked.stdout)
        let text = try String(contentsOf: config, encoding: .utf8)
        XCTAssertTrue(text.contains("output_dir = \"/var/lib/regwatch/digests\""), text)
    }

    func testTheUnitsRunTheBinaryWherePrefixPutIt() throws {
        XCTAssertEqual(try make("install", prefix: "/opt/regwatch").status, 0)

        let service = try String(contentsOf: root.file("etc/systemd/system/regwatch.service"), encoding: .utf8)
        XCTAssertTrue(
            service.contains("ExecStart=/opt/regwatch/bin/watchctl --config /etc/regwatch/feeds.toml daemon"), service)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.file("opt/regwatch/bin/watchctl").path))
    }

    func testAnExistingConfigIsNeverOverwritten() throws {
        XCTAssertEqual(try make("install").status, 0)
        let config = root.file("etc/regwatch/feeds.toml")
        let edited = try String(contentsOf: config, encoding: .utf8) + "\n# notre veille, nos sources\n"
        try Data(edited.utf8).write(to: config)

        let again = try make("install")

        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("keeping the existing"), again.stdout)
        XCTAssertEqual(try String(contentsOf: config, encoding: .utf8), edited)
    }

    func testUninstallRemovesTheBinaryAndUnitsButKeepsTheConfig() throws {
        XCTAssertEqual(try make("install").status, 0)

        let result = try make("uninstall")

        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.file("usr/local/bin/watchctl").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.file("etc/systemd/system/regwatch.service").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.file("etc/regwatch/feeds.toml").path))
    }
}
