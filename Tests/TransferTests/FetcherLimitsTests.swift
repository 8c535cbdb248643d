import Foundation
import TestSupport
import Transfer
import XCTest

/// Slow, huge, broken and unreachable servers end in a bounded, typed failure.
final class FetcherLimitsTests: XCTestCase {
    func testTricklingServerIsDroppedByTheLowSpeedLimit() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/slow.xml") { _ in
            .init(
                status: 200, headers: ["Content-Type": "application/rss+xml"],
                body: Data(repeating: 0x20, count: 100_000), trickle: .init(bytes: 10, every: .milliseconds(100)))
        }
        let fetcher = Fetcher(configuration: .loopback(lowSpeedLimit: 1000, lowSpeedTime: .seconds(1)))
        let error = try await fetchError(fetcher, FetchRequest(url: server.url(for: "/slow.xml")))
        XCTAssertEqual(error.kind, .timeout)
        XCTAssertEqual(error.curlCode, 28)
        XCTAssertEqual(error.nextStep, .backOff)
        XCTAssertGreaterThan(error.bytes, 0)
        XCTAssertLessThan(error.bytes, 100_000)
        XCTAssertTrue(error.description.contains("too slow: under 1000 bytes/s for 1 s"), error.description)
    }

    func testServerThatNeverAnswersHitsTheTotalTimeout() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/stuck") { _ in .init(status: 200, body: Data("late".utf8), delay: .seconds(600)) }
        let fetcher = Fetcher(configuration: .loopback(timeout: .milliseconds(500)))
        let error = try await fetchError(fetcher, FetchRequest(url: server.url(for: "/stuck")))
        XCTAssertEqual(error.kind, .timeout)
        XCTAssertTrue(error.description.contains("timed out after 500 ms ([fetch] timeout)"), error.description)
    }

    func testAnnouncedOversizedBodyIsRefused() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/huge.xml") { _ in .init(status: 200, body: Data(repeating: 0x41, count: 5000)) }
        let fetcher = Fetcher(configuration: .loopback(maxBytes: 1024))
        let url = server.url(for: "/huge.xml")
        let error = try await fetchError(fetcher, FetchRequest(url: url))
        XCTAssertEqual(error.kind, .tooLarge)
        XCTAssertLessThanOrEqual(error.bytes, 1024)
        XCTAssertEqual(
            error.description,
            "\(url.absoluteString): body exceeds 1 KiB (max_bytes) — raise [fetch] max_bytes or drop this feed")
    }

    func testUnannouncedOversizedBodyIsCutAtMaxBytes() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        // No Content-Length: the body runs until the server closes, as old servers do.
        let head = Data("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n".utf8)
        server.route("/endless.xml") { _ in .raw(head + Data(repeating: 0x41, count: 200_000)) }
        let fetcher = Fetcher(configuration: .loopback(maxBytes: 50_000))
        let error = try await fetchError(fetcher, FetchRequest(url: server.url(for: "/endless.xml")))
        XCTAssertEqual(error.kind, .tooLarge)
        XCTAssertLessThanOrEqual(error.bytes, 50_000)
    }

    func testConnectionResetMidBodyIsInterrupted() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/reset.xml") { _ in
            .init(status: 200, body: Data(repeating: 0x41, count: 10_000), cut: .reset(afterBodyBytes: 1000))
        }
        server.route("/truncated.xml") { _ in
            .init(status: 200, body: Data(repeating: 0x41, count: 10_000), cut: .close(afterBodyBytes: 1000))
        }
        let fetcher = Fetcher(configuration: .loopback())
        let reset = try await fetchError(fetcher, FetchRequest(url: server.url(for: "/reset.xml")))
        XCTAssertEqual(reset.kind, .interrupted)
        XCTAssertEqual(reset.nextStep, .retry)
        let truncated = try await fetchError(fetcher, FetchRequest(url: server.url(for: "/truncated.xml")))
        XCTAssertEqual(truncated.kind, .interrupted)
        XCTAssertEqual(truncated.curlCode, 18)  // CURLE_PARTIAL_FILE
    }

    func testConnectionRefusedIsAConnectError() async throws {
        let server = try LoopbackHTTPServer()
        let url = server.url(for: "/feed.xml")
        server.stop()  // the port is now closed
        let fetcher = Fetcher(configuration: .loopback())
        let error = try await fetchError(fetcher, FetchRequest(url: url))
        XCTAssertEqual(error.kind, .connect)
        XCTAssertEqual(error.curlCode, 7)
        XCTAssertEqual(error.nextStep, .backOff)
        XCTAssertTrue(
            error.description.hasPrefix("\(url.absoluteString): cannot connect to 127.0.0.1:"), error.description)
    }

    func testUnresolvableNameIsADNSError() async throws {
        let fetcher = Fetcher(configuration: .loopback())
        let url = URL(string: "http://feed.invalid/rss.xml")!
        let error = try await fetchError(fetcher, FetchRequest(url: url))
        XCTAssertEqual(error.kind, .dns)
        XCTAssertEqual(error.curlCode, 6)
        XCTAssertTrue(
            error.description.hasPrefix("http://feed.invalid/rss.xml: cannot resolve host feed.invalid"),
            error.description)
    }
}
