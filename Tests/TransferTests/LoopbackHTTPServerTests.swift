import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The test server other suites build on: checked here with a bare socket
/// client, so a fault in the server cannot hide behind a fault in the fetcher.
final class LoopbackHTTPServerTests: XCTestCase {
    func testServesRouteAndCountsRequestsPerPath() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/feed.xml") { request in
            .init(
                status: 200, headers: ["Content-Type": "application/rss+xml"], text: "<rss>\(request.query ?? "")</rss>"
            )
        }
        let client = try RawClient(port: server.port)
        defer { client.close() }
        let reply = try client.exchange("GET /feed.xml?x=1 HTTP/1.1\r\nHost: a.test\r\nUser-Agent: t/1\r\n\r\n")
        XCTAssertTrue(reply.hasPrefix("HTTP/1.1 200 OK\r\n"), reply)
        XCTAssertTrue(reply.hasSuffix("\r\n\r\n<rss>x=1</rss>"), reply)
        let missing = try client.exchange("GET /nope HTTP/1.1\r\nHost: a.test\r\n\r\n")
        XCTAssertTrue(missing.hasPrefix("HTTP/1.1 404 Not Found\r\n"), missing)
        XCTAssertEqual(server.requestCount(path: "/feed.xml"), 1)
        XCTAssertEqual(server.requestCount(path: "/nope"), 1)
        XCTAssertEqual(server.totalRequests, 2)
        XCTAssertEqual(server.requests(path: "/feed.xml").first?.header("user-agent"), "t/1")
        XCTAssertEqual(server.requests(path: "/feed.xml").first?.hostName, "a.test")
    }

    func testKeepAliveServesSeveralRequestsOnOneConnection() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/a") { _ in .init(text: "a") }
        let client = try RawClient(port: server.port)
        defer { client.close() }
        for _ in 0..<3 {
            let reply = try client.exchange("GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
            XCTAssertTrue(reply.hasSuffix("\r\n\r\na"), reply)
        }
        XCTAssertEqual(server.connectionsAccepted, 1)
        XCTAssertEqual(server.requestCount(path: "/a"), 3)
        XCTAssertEqual(Set(server.allRequests.map(\.connection)), [1])
    }

    func testDocumentRouteAnswersConditionalGetWith304() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let document = Data("<rss version=\"2.0\"><channel><title>Centre Inffo</title></channel></rss>".utf8)
        let modified = Date(timeIntervalSince1970: 1_764_748_800)
        server.route(path: "/feed.xml", document: document, lastModified: modified)
        let etag = LoopbackHTTPServer.etag(for: document)
        let client = try RawClient(port: server.port)
        defer { client.close() }

        let first = try client.exchange("GET /feed.xml HTTP/1.1\r\nHost: h\r\n\r\n")
        XCTAssertTrue(first.hasPrefix("HTTP/1.1 200 OK"), first)
        XCTAssertTrue(first.contains("ETag: \(etag)\r\n"), first)
        XCTAssertTrue(first.contains("Last-Modified: Wed, 03 Dec 2025 08:00:00 GMT\r\n"), first)

        let byETag = try client.exchange("GET /feed.xml HTTP/1.1\r\nHost: h\r\nIf-None-Match: \(etag)\r\n\r\n")
        XCTAssertTrue(byETag.hasPrefix("HTTP/1.1 304 Not Modified"), byETag)
        let byDate = try client.exchange(
            "GET /feed.xml HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: Wed, 03 Dec 2025 08:00:00 GMT\r\n\r\n")
        XCTAssertTrue(byDate.hasPrefix("HTTP/1.1 304 Not Modified"), byDate)
        let stale = try client.exchange("GET /feed.xml HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"old\"\r\n\r\n")
        XCTAssertTrue(stale.hasPrefix("HTTP/1.1 200 OK"), stale)
    }

    func testDirectoryIsServedWithValidators() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("<feed xmlns=\"http://www.w3.org/2005/Atom\"/>", to: "sites/a.atom")
        server.serve(directory: folder.url, at: "/feeds")
        let client = try RawClient(port: server.port)
        defer { client.close() }
        let reply = try client.exchange("GET /feeds/sites/a.atom HTTP/1.1\r\nHost: h\r\n\r\n")
        XCTAssertTrue(reply.contains("Content-Type: application/atom+xml; charset=utf-8\r\n"), reply)
        XCTAssertTrue(reply.contains("ETag: \""), reply)
        let escape = try client.exchange("GET /feeds/../etc/passwd HTTP/1.1\r\nHost: h\r\n\r\n")
        XCTAssertTrue(escape.hasPrefix("HTTP/1.1 404"), escape)
    }

    func testCutResponseClosesMidBody() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route("/cut") { _ in
            .init(body: Data(repeating: 65, count: 1000), cut: .close(afterBodyBytes: 10))
        }
        let client = try RawClient(port: server.port)
        defer { client.close() }
        try client.write("GET /cut HTTP/1.1\r\nHost: h\r\n\r\n")
        let reply = client.readToEnd()
        XCTAssertTrue(reply.contains("Content-Length: 1000\r\n"), reply)
        XCTAssertTrue(reply.hasSuffix("\r\n\r\n" + String(repeating: "A", count: 10)), reply)
    }

    func testStopClosesEveryConnection() throws {
        let server = try LoopbackHTTPServer()
        server.route("/slow") { _ in .init(text: "late", delay: .seconds(600)) }
        let client = try RawClient(port: server.port)
        defer { client.close() }
        try client.write("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n")
        while server.inFlight == 0 { usleep(1000) }
        server.stop()  // must not wait for the delay
        XCTAssertEqual(client.readToEnd(), "")
        XCTAssertEqual(server.openConnections, 0)
    }
}

extension LoopbackHTTPServer.Response {
    fileprivate init(text: String, delay: Duration) {
        self.init(body: Data(text.utf8), delay: delay)
    }
}

/// A bare HTTP/1.1 client over a socket: writes bytes, reads one response framed
/// by Content-Length.
private final class RawClient {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr = in_addr(s_addr: UInt32(0x7f00_0001).bigEndian)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 { throw LoopbackServerError(description: "connect failed") }
    }

    func write(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
            throw LoopbackServerError(description: "send failed")
        }
    }

    func readToEnd() -> String {
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count <= 0 { break }
            data += chunk[0..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }

    func exchange(_ request: String) throws -> String {
        try write(request)
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let text = String(decoding: data, as: UTF8.self)
            if let end = text.range(of: "\r\n\r\n") {
                let head = text[..<end.lowerBound]
                let length =
                    head.split(separator: "\r\n")
                    .first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                let bodyBytes = data.count - Array(text[..<end.upperBound].utf8).count
                if bodyBytes >= length { return text }
            }
            let count = recv(fd, &chunk, chunk.count, 0)
            if count <= 0 { return text }
            data += chunk[0..<count]
        }
    }

    func close() {
        Glibc.close(fd)
    }
}
