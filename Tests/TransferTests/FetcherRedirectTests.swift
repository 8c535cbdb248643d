import Foundation
import TestSupport
import Transfer
import XCTest

/// Redirects: followed within bounds, only to http(s), permanent ones reported.
final class FetcherRedirectTests: XCTestCase {
    var server: LoopbackHTTPServer!
    var fetcher: Fetcher!

    override func setUp() async throws {
        server = try LoopbackHTTPServer()
        server.route(path: "/feed/", document: Data(centreInffoFeed.utf8))
        fetcher = Fetcher(configuration: .loopback())
    }

    override func tearDown() async throws {
        server.stop()
        fetcher = nil
    }

    func testRedirectChainIsFollowedToTheFeed() async throws {
        server.route("/a") { _ in .redirect(302, to: "/b") }
        server.route("/b") { _ in .redirect(307, to: "/c") }
        server.route("/c") { _ in .redirect(301, to: "/feed/") }
        let response = try await fetcher.fetch(FetchRequest(url: server.url(for: "/a")))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.redirects, 3)
        XCTAssertEqual(response.requestedURL, server.url(for: "/a"))
        XCTAssertEqual(response.finalURL, server.url(for: "/feed/"))
        XCTAssertEqual(response.body, Data(centreInffoFeed.utf8))
        XCTAssertNil(response.permanentRedirect, "a chain with a temporary hop is not permanent")
    }

    func testPermanentRedirectsAreReported() async throws {
        server.route("/rss.php") { _ in .redirect(301, to: "/rss2") }
        server.route("/rss2") { _ in .redirect(308, to: "/feed/") }
        let response = try await fetcher.fetch(FetchRequest(url: server.url(for: "/rss.php")))
        XCTAssertEqual(response.permanentRedirect, server.url(for: "/feed/"))
        XCTAssertEqual(response.redirects, 2)
    }

    func testTemporaryRedirectIsNotReportedPermanent() async throws {
        server.route("/maintenance") { _ in .redirect(302, to: "/feed/") }
        let response = try await fetcher.fetch(FetchRequest(url: server.url(for: "/maintenance")))
        XCTAssertEqual(response.finalURL, server.url(for: "/feed/"))
        XCTAssertEqual(response.redirects, 1)
        XCTAssertNil(response.permanentRedirect)
    }

    func testRedirectLoopStopsAfterFiveHops() async throws {
        server.route("/ping") { _ in .redirect(302, to: "/pong") }
        server.route("/pong") { _ in .redirect(302, to: "/ping") }
        let error = try await fetchError(fetcher, FetchRequest(url: server.url(for: "/ping")))
        XCTAssertEqual(error.kind, .tooManyRedirects)
        XCTAssertEqual(error.nextStep, .fixConfiguration)
        XCTAssertEqual(server.totalRequests, 6, "the first request and five redirects, then stop")
        XCTAssertTrue(error.description.contains("more than 5 redirects"), error.description)
    }

    func testRedirectToFileSchemeIsRefused() async throws {
        server.route("/evil") { _ in .redirect(302, to: "file:///etc/passwd") }
        let error = try await fetchError(fetcher, FetchRequest(url: server.url(for: "/evil")))
        XCTAssertEqual(error.kind, .redirectRefused)
        XCTAssertEqual(error.nextStep, .fixConfiguration)
        XCTAssertTrue(error.description.contains("redirect to file:///etc/passwd refused"), error.description)
        XCTAssertNotNil(error.curlCode)
    }

    func testNonHTTPSchemeIsRefusedBeforeAnyTransfer() async throws {
        let error = try await fetchError(fetcher, FetchRequest(url: URL(string: "ftp://ftp.example.org/feed.xml")!))
        XCTAssertEqual(error.kind, .unsupportedScheme)
        XCTAssertEqual(error.nextStep, .fixConfiguration)
    }
}
