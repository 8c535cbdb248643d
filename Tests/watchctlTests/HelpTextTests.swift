import Foundation
import TestSupport
import XCTest

/// `--help` reads as prose: each paragraph wraps at the terminal's width, never at a line
/// break written in the middle of a sentence.
final class HelpTextTests: XCTestCase {
    static let subcommands = [
        "parse", "fetch", "add-feed", "remove-feed", "list-feeds", "import-opml", "export-opml", "poll", "status",
        "items",
        "search", "tag", "retag", "digest", "follow", "audit", "check-config", "daemon", "init",
    ]

    func testEveryProseParagraphIsOneLineOnAWideTerminal() throws {
        for command in [[]] + Self.subcommands.map({ [$0] }) {
            let result = try Watchctl.run(command + ["--help"], environment: ["COLUMNS": "1000"])
            XCTAssertEqual(result.status, 0, "\(command)")
            let discussion = result.stdout.components(separatedBy: "\nUSAGE:").first ?? ""
            let lines = discussion.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (index, line) in lines.enumerated().dropLast() {
                let next = lines[index + 1]
                // Two prose lines in a row (not indented, not a list item, not introducing a
                // block): a sentence cut by a hard line break.
                let prose = { (text: String) in
                    !text.isEmpty && !text.hasPrefix(" ") && !text.hasPrefix("-") && !text.hasPrefix("•")
                        && !text.hasPrefix("OVERVIEW:")
                }
                if prose(line), prose(next), !line.hasSuffix(":") {
                    XCTFail("watchctl \(command.joined()) --help breaks a paragraph:\n\(line)\n\(next)")
                }
            }
        }
    }
}
