import Foundation
import TestSupport
import Transfer
import XCTest

/// No easy handle, multi handle or socket outlives its use.
final class FetcherResourceTests: XCTestCase {
    private func openDescriptors() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
    }

    func testFileDescriptorsStayFlatAcrossManyFetchers() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route(path: "/feed.xml", document: Data(centreInffoFeed.utf8))
        server.route("/gone") { _ in .init(status: 410) }
        server.route("/cut") { _ in .init(status: 200, body: Data(count: 4000), cut: .reset(afterBodyBytes: 100)) }

        func round() async throws {
            let fetcher = Fetcher(configuration: .loopback(concurrency: 4, perHost: 4))
            let requests =
                (0..<8).map { FetchRequest(url: server.url(for: "/feed.xml?n=\($0)")) }
                + [
                    FetchRequest(url: server.url(for: "/gone")), FetchRequest(url: server.url(for: "/cut")),
                    FetchRequest(url: URL(string: "http://feed.invalid/")!),
                ]
            await fetcher.fetchAll(requests) { _, _ in }
            let single = try await fetcher.fetch(FetchRequest(url: server.url(for: "/feed.xml")))
            XCTAssertEqual(single.status, 200)
        }

        // Warm up: libcurl's one-time setup (OpenSSL, the resolver) opens what it keeps.
        try await round()
        server.waitUntilNoConnections()
        let before = try openDescriptors()
        for _ in 0..<30 { try await round() }
        server.waitUntilNoConnections()
        let after = try openDescriptors()
        // A leak would grow with the rounds (30 fetchers, 360 transfers); the slack
        // covers descriptors other parts of the process open and close meanwhile
        // (an earlier test's pipes being released, a resolver thread's socket).
        XCTAssertLessThanOrEqual(after, before + 3, "descriptors before: \(before), after 30 fetchers: \(after)")
        XCTAssertEqual(server.totalRequests, 31 * 11)  // every request but feed.invalid's reached the server
    }

    func testFileDescriptorsStayFlatOnOneLongLivedFetcher() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route(path: "/feed.xml", document: Data(centreInffoFeed.utf8))
        let fetcher = Fetcher(configuration: .loopback(concurrency: 4, perHost: 2))
        for _ in 0..<20 { _ = try await fetcher.fetch(FetchRequest(url: server.url(for: "/feed.xml"))) }
        let before = try openDescriptors()
        for _ in 0..<200 { _ = try await fetcher.fetch(FetchRequest(url: server.url(for: "/feed.xml"))) }
        XCTAssertLessThanOrEqual(try openDescriptors(), before + 3)
    }
}
