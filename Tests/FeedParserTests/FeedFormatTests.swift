import FeedParser
import XCTest

final class FeedFormatTests: XCTestCase {
    /// The `format` strings are part of the `watchctl parse` JSON contract in docs/cli.md.
    func testFormatNamesAreThoseOfTheParseContract() {
        XCTAssertEqual(
            FeedFormat.allCases.map(\.rawValue),
            ["rss0.9x", "rss1.0", "rss2.0", "atom0.3", "atom1.0", "jsonfeed1.1"])
    }
}
