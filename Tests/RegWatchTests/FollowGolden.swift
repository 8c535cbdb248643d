import Foundation
import XCTest

/// Golden-file comparison shared by the follow-up and audit tests: `REGWATCH_UPDATE_GOLDEN=1`
/// rewrites the file instead of comparing (then review the diff); a mismatch names the first
/// differing line.
enum FollowGolden {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func assertMatches(
        _ actual: String, _ folder: String, _ name: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let directory = fixtures.appendingPathComponent(folder, isDirectory: true)
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["REGWATCH_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail(
                "missing golden file \(folder)/\(name); run with REGWATCH_UPDATE_GOLDEN=1 to create it", file: file,
                line: line)
            return
        }
        guard actual != expected else { return }
        let got = actual.components(separatedBy: "\n")
        let want = expected.components(separatedBy: "\n")
        let first = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }
        let where_ =
            first.map {
                "line \($0.offset + 1):\n  got      \($0.element.0.debugDescription)\n  expected \($0.element.1.debugDescription)"
            }
            ?? "length \(got.count) lines vs \(want.count)"
        XCTFail("\(folder)/\(name) differs from the golden file at \(where_)", file: file, line: line)
    }
}
