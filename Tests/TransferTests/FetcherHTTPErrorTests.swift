import Foundation
import TestSupport
import Transfer
import XCTest

/// HTTP error statuses become typed errors that say what to do next.
final class FetcherHTTPErrorTests: XCTestCase {
    func testNotFoundAsksToFixTheURL() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let fetcher = Fetcher(configuration: .loopback())
        let url = server.url(for: "/flux-supprime.xml")
        let error = try await fetchError(fetcher, FetchRequest(url: url))
        XCTAssertEqual(error.kind, .http(status: 404))
        XCTAssertEqual(error.status, 404)
        XCTAssertEqual(error.nextStep, .fixConfiguration)
        XCTAssertEqual(error.description, "\(url.absoluteString): HTTP 404 Not Found — check the feed URL")
    }

    func testGoneDisablesTheFeed() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/ancien-flux") { _ in .init(status: 410, text: "Gone") }
        let fetcher = Fetcher(configuration: .loopback())
        let error = try await fetchError(fetcher, FetchRequest(url: server.url(for: "/ancien-flux")))
        XCTAssertEqual(error.kind, .http(status: 410))
        XCTAssertEqual(error.nextStep, .disable)
    }

    func testTooManyRequestsHonoursRetryAfterSeconds() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/feed") { _ in .init(status: 429, headers: ["Retry-After": "120"], text: "slow down") }
        let fetcher = Fetcher(configuration: .loopback())
        let error = try await fetchError(fetcher, FetchRequest(url: server.url(for: "/feed")))
        XCTAssertEqual(error.kind, .http(status: 429))
        XCTAssertEqual(error.retryAfter, .seconds(120))
        XCTAssertEqual(error.nextStep, .retryAfter(.seconds(120)))
        XCTAssertTrue(error.description.hasSuffix("HTTP 429 Too Many Requests — retry after 120 s"), error.description)
    }

    func testServiceUnavailableHonoursRetryAfterDate() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let later = LoopbackHTTPServer.httpDate(Date().addingTimeInterval(3600))
        server.route("/feed") { _ in .init(status: 503, headers: ["Retry-After": later], text: "maintenance") }
        let fetcher = Fetcher(configuration: .loopback())
        let error = try await fetchError(fetcher, FetchRequest(url: server.url(for: "/feed")))
        XCTAssertEqual(error.kind, .http(status: 503))
        let delay = try XCTUnwrap(error.retryAfter)
        // The date has one-second resolution and the clock moved while the test ran.
        XCTAssertTrue(delay > .seconds(3500) && delay <= .seconds(3601), "\(delay)")
    }

    func testServerErrorWithoutRetryAfterBacksOff() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/feed") { _ in .init(status: 500, text: "Fatal error: Allowed memory size exhausted") }
        let fetcher = Fetcher(configuration: .loopback())
        let error = try await fetchError(fetcher, FetchRequest(url: server.url(for: "/feed")))
        XCTAssertEqual(error.kind, .http(status: 500))
        XCTAssertNil(error.retryAfter)
        XCTAssertEqual(error.nextStep, .backOff)
    }
}
