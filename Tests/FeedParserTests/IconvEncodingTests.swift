import FeedParser
import Foundation
import XCTest

/// Feeds in encodings the parser has no table for (ISO-2022-JP, KOI8-R…) are converted to
/// UTF-8 by iconv before libxml2 sees them: a byte invalid in the encoding becomes U+FFFD
/// and the rest of the feed is still read (libxml2's own conversion stopped the whole parse
/// at the first such byte, losing every later item).
final class IconvEncodingTests: XCTestCase {
    /// `研修のお知らせ` in ISO-2022-JP (escape sequences into and out of JIS X 0208).
    private let japaneseTitle: [UInt8] = [
        27, 36, 66, 56, 38, 61, 36, 36, 78, 36, 42, 67, 78, 36, 105, 36, 59, 27, 40, 66,
    ]

    private func feed(declaring encoding: String, channelTitle: [UInt8], itemTitles: [[UInt8]]) -> Data {
        var bytes = Data("<?xml version=\"1.0\" encoding=\"\(encoding)\"?>\n<rss version=\"2.0\"><channel><title>".utf8)
        bytes.append(contentsOf: channelTitle)
        bytes.append(contentsOf: Data("</title><link>https://www.jil.example/</link>\n".utf8))
        for (number, title) in itemTitles.enumerated() {
            bytes.append(contentsOf: Data("<item><guid>jil-\(number + 1)</guid><title>".utf8))
            bytes.append(contentsOf: title)
            bytes.append(contentsOf: Data("</title></item>\n".utf8))
        }
        bytes.append(contentsOf: Data("</channel></rss>\n".utf8))
        return bytes
    }

    func testISO2022JPFeedIsDecoded() throws {
        let parsed = try FeedParser().parse(
            feed(declaring: "ISO-2022-JP", channelTitle: Array("JIL".utf8), itemTitles: [japaneseTitle]))
        XCTAssertEqual(parsed.title, "JIL")
        XCTAssertEqual(parsed.items.map(\.title), ["研修のお知らせ"])
    }

    func testBytesInvalidInISO2022JPBecomeReplacementCharactersAndLaterItemsAreKept() throws {
        let parsed = try FeedParser().parse(
            feed(
                declaring: "ISO-2022-JP", channelTitle: Array("a".utf8) + [0xFF, 0xFF],
                itemTitles: [Array("avant ".utf8) + [0xFF] + Array(" apres".utf8), japaneseTitle, Array("x".utf8)]))
        XCTAssertEqual(parsed.title, "a\u{FFFD}\u{FFFD}")
        XCTAssertEqual(parsed.items.map(\.id), ["jil-1", "jil-2", "jil-3"])
        XCTAssertEqual(parsed.items.map(\.title), ["avant \u{FFFD} apres", "研修のお知らせ", "x"])
    }

    func testKOI8RFeedNamedByTheHTTPCharsetIsDecoded() throws {
        let koi8Title: [UInt8] = [230, 207, 210, 205, 193, 195, 201, 209]  // Формация
        let parsed = try FeedParser().parse(
            feed(declaring: "UTF-8", channelTitle: koi8Title, itemTitles: [koi8Title]), charset: "koi8-r")
        XCTAssertEqual(parsed.title, "Формация")
        XCTAssertEqual(parsed.items.map(\.title), ["Формация"])
    }

    func testAnOPMLFileInISO2022JPIsDecodedToo() throws {
        var bytes = Data("<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?>\n<opml version=\"2.0\"><head><title>".utf8)
        bytes.append(contentsOf: japaneseTitle)
        bytes.append(contentsOf: Data("</title></head><body><outline type=\"rss\" text=\"".utf8))
        bytes.append(contentsOf: japaneseTitle)
        bytes.append(contentsOf: Data("\" xmlUrl=\"https://www.jil.example/rss.xml\"/></body></opml>\n".utf8))
        let document = try OPMLDocument.parse(bytes)
        XCTAssertEqual(document.title, "研修のお知らせ")
        XCTAssertEqual(document.outlines.map(\.url), ["https://www.jil.example/rss.xml"])
        XCTAssertEqual(document.outlines.map(\.title), ["研修のお知らせ"])
    }
}
