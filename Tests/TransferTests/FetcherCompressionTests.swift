import Foundation
import TestSupport
import Transfer
import XCTest

/// Compressed bodies are decoded, and the cap applies to the decoded size.
final class FetcherCompressionTests: XCTestCase {
    func testGzipBodyIsDecompressed() async throws {
        let feed = Data(centreInffoFeed.utf8)
        let gzipped = try filter(feed, through: "/usr/bin/gzip", ["-c", "-n", "-9"])
        XCTAssertNotEqual(gzipped, feed)
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/feed.xml") { _ in
            .init(
                status: 200, headers: ["Content-Type": "application/rss+xml", "Content-Encoding": "gzip"],
                body: gzipped)
        }
        let fetcher = Fetcher(configuration: .loopback())
        let response = try await fetcher.fetch(FetchRequest(url: server.url(for: "/feed.xml")))
        XCTAssertEqual(response.body, feed)
        XCTAssertEqual(response.bytes, feed.count)
    }

    func testBrotliBodyIsDecompressed() async throws {
        try XCTSkipUnless(LibcurlInfo.current.contentEncodings.contains("br"), "this libcurl has no brotli")
        let feed = Data(centreInffoFeed.utf8)
        // Debian's `brotli` package (installed by .ci/run) makes the fixture bytes.
        let compressed = try filter(feed, through: "/usr/bin/brotli", ["-c"])
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/feed.xml") { request in
            guard request.header("Accept-Encoding")?.contains("br") == true else {
                return .init(status: 406, text: "br expected\n")
            }
            return .init(
                status: 200, headers: ["Content-Type": "application/rss+xml", "Content-Encoding": "br"],
                body: compressed)
        }
        let fetcher = Fetcher(configuration: .loopback())
        let response = try await fetcher.fetch(FetchRequest(url: server.url(for: "/feed.xml")))
        XCTAssertEqual(response.body, feed)
    }

    func testGzipBombStopsAtMaxBytes() async throws {
        // 64 MiB of zeros gzip to about 64 KiB: the Content-Length looks harmless.
        let bomb = try filter(Data(count: 64 << 20), through: "/usr/bin/gzip", ["-c", "-n", "-1"])
        XCTAssertLessThan(bomb.count, 1 << 20)
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/bomb.xml") { _ in
            .init(
                status: 200, headers: ["Content-Type": "application/rss+xml", "Content-Encoding": "gzip"],
                body: bomb)
        }
        let fetcher = Fetcher(configuration: .loopback())
        let url = server.url(for: "/bomb.xml")
        let error = try await fetchError(fetcher, FetchRequest(url: url))
        XCTAssertEqual(error.kind, .tooLarge)
        XCTAssertEqual(error.nextStep, .fixConfiguration)
        XCTAssertLessThanOrEqual(error.bytes, 10 << 20)
        XCTAssertEqual(
            error.description,
            "\(url.absoluteString): body exceeds 10 MiB (max_bytes) — raise [fetch] max_bytes or drop this feed")
    }
}
