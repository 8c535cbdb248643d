import Transfer
import XCTest

final class LibcurlInfoTests: XCTestCase {
    /// Debian's libcurl4-openssl build decodes gzip; the fetcher relies on at least that.
    func testLinkedLibcurlDecodesGzip() {
        XCTAssertTrue(LibcurlInfo.current.contentEncodings.contains("gzip"))
        XCTAssertFalse(LibcurlInfo.current.version.isEmpty)
    }
}
