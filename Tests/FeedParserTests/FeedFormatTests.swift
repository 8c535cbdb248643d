import FeedParser
import XCTest

final class FeedFormatTests: XCTestCase {
    /// The `format` strings are part of the `watchctl parse` JSON contract in docs/cli.md.
    func testFormatNamesAreThoseOfTheParseContract() {
        XCTAssertEqual(
            FeedFormat.allCases.map(\.rawValue),
            // The last two are never given for a feed: "html" is a page read with --kind page
            // (docs/cli.md, "Source kinds"), "change" the source format of a change watch.
            ["rss0.9x", "rss1.0", "rss2.0", "atom0.3", "atom1.0", "jsonfeed1.1", "html", "change"])
    }
}
