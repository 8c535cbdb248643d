import Foundation
import Synchronization
import TestSupport
import Transfer
import XCTest

/// Throughput of the fetcher against the curl command line on the same loopback
/// server, side by side in one run. A benchmark, not a test: it runs only with
/// REGWATCH_BENCH=1 (see docs/performance.md, "Transfer"), and prints its figures.
final class FetcherBenchmark: XCTestCase {
    func testFetcherThroughputAgainstCurlCommandLine() async throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["REGWATCH_BENCH"] == "1", "set REGWATCH_BENCH=1")
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        // A 40 KiB feed: the size of a busy French news feed's last 50 items.
        var feed = Data(centreInffoFeed.utf8)
        while feed.count < 40 << 10 { feed += Data(centreInffoFeed.utf8) }
        let body = feed
        server.fallback { _ in .init(status: 200, headers: ["Content-Type": "application/rss+xml"], body: body) }
        let hosts = (1...50).map { "source\($0).test" }
        let count = 2000
        let urls = (0..<count).map { server.url(for: "/feed\($0).xml", host: hosts[$0 % hosts.count]) }

        var fetcherRuns: [Double] = []
        var curlRuns: [Double] = []
        for _ in 0..<3 {
            let fetcher = Fetcher(
                configuration: .loopback(
                    concurrency: 16, perHost: 2,
                    resolve: hosts.map { .init(host: $0, port: server.port, address: "127.0.0.1") }))
            let ok = Mutex(0)
            let start = ContinuousClock.now
            await fetcher.fetchAll(urls.map { FetchRequest(url: $0) }) { _, result in
                if case .success = result { ok.withLock { $0 += 1 } }
            }
            fetcherRuns.append(Self.seconds(ContinuousClock.now - start))
            XCTAssertEqual(ok.withLock { $0 }, count)

            curlRuns.append(try Self.curl(urls: urls, hosts: hosts, port: server.port))
        }
        let fetcherBest = fetcherRuns.min()!
        let curlBest = curlRuns.min()!
        let line = String(
            format:
                "BENCH transfer: %d fetches of %d KiB, concurrency 16: Fetcher %.2f s (%.0f/s), curl --parallel %.2f s (%.0f/s), ratio Fetcher/curl %.2f\n",
            count, body.count >> 10, fetcherBest, Double(count) / fetcherBest, curlBest, Double(count) / curlBest,
            fetcherBest / curlBest)
        FileHandle.standardError.write(Data(line.utf8))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// `curl --parallel --parallel-max 16` over the same URLs; returns the wall time.
    private static func curl(urls: [URL], hosts: [String], port: Int) throws -> Double {
        let folder = try TemporaryDirectory(prefix: "regwatch-bench")
        defer { folder.remove() }
        var config = ""
        for host in hosts { config += "resolve = \"\(host):\(port):127.0.0.1\"\n" }
        for url in urls { config += "url = \"\(url.absoluteString)\"\noutput = \"/dev/null\"\n" }
        let file = try folder.write(config, to: "curl.conf")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["--silent", "--compressed", "--parallel", "--parallel-max", "16", "-K", file.path]
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = seconds(ContinuousClock.now - start)
        guard process.terminationStatus == 0 else {
            throw LoopbackServerError(description: "curl exited \(process.terminationStatus)")
        }
        return elapsed
    }
}
