import Foundation
import Synchronization
import TestSupport
import Transfer
import XCTest

/// Many transfers at once, within the caps, reusing connections.
final class FetcherConcurrencyTests: XCTestCase {
    func testTwoHundredTransfersNeverExceedConcurrencyOrPerHostCaps() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let feed = Data(centreInffoFeed.utf8)
        // Each answer waits a little, so transfers overlap and the caps are put to work.
        server.fallback { _ in .init(status: 200, body: feed, delay: .milliseconds(20)) }
        // Twenty host names, all pinned to the loopback server: per-host caps need several hosts.
        let hosts = (1...20).map { "source\($0).test" }
        let fetcher = Fetcher(
            configuration: .loopback(
                concurrency: 16, perHost: 2,
                resolve: hosts.map { .init(host: $0, port: server.port, address: "127.0.0.1") }))
        let requests = (0..<200).map { index in
            FetchRequest(url: server.url(for: "/feed\(index).xml", host: hosts[index % hosts.count]))
        }
        let outcomes = Mutex<[URL: Int]>([:])
        await fetcher.fetchAll(requests) { request, result in
            let status = (try? result.get().status) ?? -1
            outcomes.withLock { $0[request.url] = status }
        }

        XCTAssertEqual(outcomes.withLock { $0.count }, 200)
        XCTAssertEqual(outcomes.withLock { Set($0.values) }, [200])
        XCTAssertEqual(server.totalRequests, 200)
        XCTAssertLessThanOrEqual(server.peakInFlight, 16)
        XCTAssertLessThanOrEqual(server.peakInFlightPerHost, 2)
        for host in hosts { XCTAssertLessThanOrEqual(server.peakInFlight(host: host), 2, host) }
        // The caps are not trivially met: transfers to different hosts did overlap.
        XCTAssertGreaterThan(server.peakInFlight, 2)
        // Keep-alive: far fewer connections than requests.
        XCTAssertLessThan(server.connectionsAccepted, 200)
    }

    func testOneHostIsServedTwoAtATime() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.fallback { _ in .init(status: 200, body: Data("ok".utf8), delay: .milliseconds(10)) }
        let fetcher = Fetcher(configuration: .loopback(concurrency: 16, perHost: 2))
        let requests = (0..<30).map { FetchRequest(url: server.url(for: "/f\($0)")) }
        let count = Mutex(0)
        await fetcher.fetchAll(requests) { _, result in
            if case .success = result { count.withLock { $0 += 1 } }
        }
        XCTAssertEqual(count.withLock { $0 }, 30)
        XCTAssertLessThanOrEqual(server.peakInFlight, 2)
        XCTAssertLessThanOrEqual(server.connectionsAccepted, 2)
    }

    func testMaxPendingHoldsRequestsBackWhileResultsAreHandled() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let arrivals = Mutex<[String]>([])
        server.fallback { request in
            arrivals.withLock { $0.append(request.hostName ?? "?") }
            return .init(status: 200, body: Data("ok".utf8))
        }
        let hosts = ["a.test", "b.test", "c.test"]
        let fetcher = Fetcher(
            configuration: .loopback(
                concurrency: 16, perHost: 2,
                resolve: hosts.map { .init(host: $0, port: server.port, address: "127.0.0.1") }))
        // Listed host by host, as a feeds.toml often is.
        let requests = hosts.flatMap { host in (0..<4).map { FetchRequest(url: server.url(for: "/f\($0)", host: host)) }
        }
        let handled = Mutex(0)
        let overshoot = Mutex<[Int]>([])
        await fetcher.fetchAll(requests, maxPending: 3) { _, _ in
            try? await Task.sleep(for: .milliseconds(30))  // a consumer slower than the network
            let received = server.totalRequests
            handled.withLock { done in
                if received > done + 3 { overshoot.withLock { $0.append(received - done) } }
                done += 1
            }
        }
        XCTAssertEqual(handled.withLock { $0 }, 12)
        XCTAssertEqual(server.totalRequests, 12)
        XCTAssertEqual(overshoot.withLock { $0 }, [], "never more than 3 requests between submission and handled")
        // The first window holds one request of each host, not three of the first host.
        XCTAssertEqual(Set(arrivals.withLock { Array($0.prefix(3)) }), Set(hosts))
    }

    func testCancellingTheTaskCancelsTheTransfer() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/stuck") { _ in .init(status: 200, body: Data("late".utf8), delay: .seconds(600)) }
        let fetcher = Fetcher(configuration: .loopback())
        let task = Task { await fetcher.result(for: FetchRequest(url: server.url(for: "/stuck"))) }
        while server.inFlight == 0 { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        guard case .failure(let error) = await task.value else { return XCTFail("expected cancellation") }
        XCTAssertEqual(error.kind, .cancelled)
    }
}
