import Foundation
import TestSupport
import Transfer
import XCTest

/// Conditional GET: validators go out, come back, and a 304 costs no body.
final class FetcherConditionalGetTests: XCTestCase {
    func testConditionalGetSendsETagAndGets304() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let feed = Data(centreInffoFeed.utf8)
        server.route(path: "/actualites.xml", document: feed)
        let fetcher = Fetcher(configuration: .loopback())
        let url = server.url(for: "/actualites.xml")

        let first = try await fetcher.fetch(FetchRequest(url: url))
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(first.body, feed)
        XCTAssertEqual(first.etag, LoopbackHTTPServer.etag(for: feed))
        XCTAssertFalse(first.isNotModified)

        let second = try await fetcher.fetch(FetchRequest(url: url, etag: first.etag))
        XCTAssertEqual(second.status, 304)
        XCTAssertTrue(second.isNotModified)
        XCTAssertEqual(second.body, Data())
        XCTAssertEqual(second.etag, first.etag)
        let sent = server.requests(path: "/actualites.xml")
        XCTAssertNil(sent[0].header("If-None-Match"))
        XCTAssertEqual(sent[1].header("If-None-Match"), first.etag)
    }

    func testConditionalGetSendsLastModifiedAndGets304() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let feed = Data(centreInffoFeed.utf8)
        // A server with Last-Modified only (no ETag), as many CMSs send.
        server.route("/rss") { request in
            var response = LoopbackHTTPServer.Response.conditional(
                request, body: feed, contentType: "application/rss+xml; charset=UTF-8", etag: nil,
                lastModified: Date(timeIntervalSince1970: 1_764_748_800))
            response.headers["Cache-Control"] = "public, max-age=1800"
            return response
        }
        let fetcher = Fetcher(configuration: .loopback())
        let url = server.url(for: "/rss")

        let first = try await fetcher.fetch(FetchRequest(url: url))
        XCTAssertEqual(first.status, 200)
        XCTAssertNil(first.etag)
        XCTAssertEqual(first.lastModified, "Wed, 03 Dec 2025 08:00:00 GMT")
        XCTAssertEqual(first.maxAge, .seconds(1800))

        let second = try await fetcher.fetch(FetchRequest(url: url, lastModified: first.lastModified))
        XCTAssertTrue(second.isNotModified)
        XCTAssertEqual(second.lastModified, first.lastModified)
        XCTAssertEqual(server.requests(path: "/rss")[1].header("If-Modified-Since"), first.lastModified)
        XCTAssertNil(server.requests(path: "/rss")[1].header("If-None-Match"))
    }

    func testRequestCarriesUserAgentAndAcceptEncoding() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route(path: "/feed", document: Data(centreInffoFeed.utf8))
        let fetcher = Fetcher(configuration: .loopback())
        _ = try await fetcher.fetch(FetchRequest(url: server.url(for: "/feed")))
        let request = try XCTUnwrap(server.requests(path: "/feed").first)
        XCTAssertEqual(request.header("User-Agent"), "regwatch/0.1.0 (+https://github.com/regwatch/regwatch)")
        let encodings = try XCTUnwrap(request.header("Accept-Encoding"))
        for encoding in LibcurlInfo.current.contentEncodings {
            XCTAssertTrue(encodings.contains(encoding), "\(encoding) missing from \(encodings)")
        }
        XCTAssertTrue(request.header("Accept")?.contains("application/rss+xml") == true)
    }

    func testResponseCarriesCharsetAndFreshnessHints() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let latin1 = Data(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Minist\u{E8}re</title></channel></rss>".utf8)
        server.route("/latin1") { _ in
            .init(
                status: 200,
                headers: [
                    "Content-Type": "text/xml; charset=\"ISO-8859-1\"",
                    "Expires": "Wed, 03 Dec 2025 09:00:00 GMT",
                ], body: latin1)
        }
        let fetcher = Fetcher(configuration: .loopback())
        let response = try await fetcher.fetch(FetchRequest(url: server.url(for: "/latin1")))
        XCTAssertEqual(response.charset, "iso-8859-1")
        XCTAssertEqual(response.contentType, "text/xml; charset=\"ISO-8859-1\"")
        XCTAssertEqual(response.expires, Date(timeIntervalSince1970: 1_764_752_400))
        XCTAssertNil(response.maxAge)
        XCTAssertEqual(response.bytes, latin1.count)
        XCTAssertEqual(response.redirects, 0)
        XCTAssertNil(response.permanentRedirect)
        XCTAssertEqual(response.finalURL, server.url(for: "/latin1"))
    }

    func testHostileValidatorCannotInjectARequestHeader() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route(path: "/feed", document: Data(centreInffoFeed.utf8))
        let fetcher = Fetcher(configuration: .loopback())
        _ = try await fetcher.fetch(FetchRequest(url: server.url(for: "/feed"), etag: "\"x\"\r\nX-Injected: 1"))
        let request = try XCTUnwrap(server.requests(path: "/feed").first)
        XCTAssertNil(request.header("X-Injected"))
        XCTAssertEqual(request.header("If-None-Match"), "\"x\"X-Injected: 1")
    }
}
