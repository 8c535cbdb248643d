import RegWatch
import XCTest

final class VersionTests: XCTestCase {
    /// Site operators see this string in their logs: it must say who we are and where to learn more.
    func testUserAgentNamesTheProductVersionAndProjectURL() {
        XCTAssertEqual(
            RegWatchVersion.userAgent,
            "regwatch/\(RegWatchVersion.current) (+\(RegWatchVersion.projectURL))")
    }
}
