import Foundation
import RegWatch
import XCTest

/// The audit HTML printed to PDF by a real headless browser (Debian's `chromium`), as a team
/// does before an audit. Skipped where chromium is not installed (it is not in .ci/run: see
/// docs/operations.md, "Before an audit", for the same check by hand).
final class AuditBrowserTests: XCTestCase {
    static let chromium = "/usr/bin/chromium"

    func testChromiumPrintsTheAuditPageToAPDF() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.chromium) else {
            throw XCTSkip("\(Self.chromium) is not installed (apt-get install chromium)")
        }
        let fixture = try AuditFixture()
        defer { fixture.remove() }
        let folder = fixture.store.folder
        let page = folder.file("audit.html")
        let pdf = folder.file("audit.pdf")
        try Data(fixture.report().renderHTML(labels: fixture.labels).utf8).write(to: page)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--user-data-dir=\(folder.file("profile").path)",
            "--print-to-pdf=\(pdf.path)", "--no-pdf-header-footer", page.path,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = folder.file("home").path
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()

        XCTAssertEqual(process.terminationStatus, 0)
        let data = try Data(contentsOf: pdf)
        XCTAssertGreaterThan(data.count, 10_000)
        XCTAssertEqual(String(decoding: data.prefix(5), as: UTF8.self), "%PDF-")
        XCTAssertTrue(String(decoding: data.suffix(1024), as: UTF8.self).contains("%%EOF"))
    }
}
