import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real HTTP/1.1 server on 127.0.0.1, on an ephemeral port, for tests.
///
/// Written on POSIX sockets (one thread per connection) rather than on a server
/// framework, because the tests need to misbehave on purpose: trickle a body,
/// cut or reset a connection mid-body, wait before answering, send raw bytes.
/// Connections are kept alive (HTTP/1.1 default) so connection reuse is real.
///
/// ```swift
/// let server = try LoopbackHTTPServer()
/// defer { server.stop() }
/// server.route("/feed.xml") { request in
///     .init(status: 200, headers: ["Content-Type": "application/rss+xml"], body: rss)
/// }
/// let url = server.url(for: "/feed.xml")
/// ```
///
/// The server counts what happened (requests per path, current and peak
/// concurrent in-flight requests, overall, per path and per `Host`), and records
/// every request so tests can check the headers a client sent.
public final class LoopbackHTTPServer: Sendable {
    /// One parsed request, as a route handler and the request log see it.
    public struct Request: Sendable {
        /// The method, such as `GET` or `HEAD`.
        public let method: String
        /// The request target as sent: path and query.
        public let target: String
        /// The path, without the query.
        public let path: String
        /// The query string after `?`, if any.
        public let query: String?
        /// The header fields in the order sent, names as sent.
        public let headers: [Header]
        /// The request body (read when `Content-Length` is given).
        public let body: Data
        /// Which accepted connection carried the request, counting from 1.
        public let connection: Int

        /// The value of the first header named `name`, compared case-insensitively.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }

        /// The `Host` header without its port, lowercased.
        public var hostName: String? {
            header("Host").map(LoopbackHTTPServer.hostName(of:))
        }
    }

    /// One header field.
    public struct Header: Sendable, Equatable {
        /// The field name, as sent.
        public let name: String
        /// The field value, trimmed.
        public let value: String

        /// A header field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// What a route answers, and how badly it behaves while answering.
    public struct Response: Sendable {
        /// The status code.
        public var status: Int
        /// Header fields to send. `Content-Length` is added from `body` unless given
        /// (or unless `Transfer-Encoding` is given).
        public var headers: [String: String]
        /// The body bytes, sent as they are (give pre-compressed bytes with a
        /// `Content-Encoding` header to test decoding).
        public var body: Data
        /// How long to wait before sending anything. Default: none.
        public var delay: Duration
        /// Send the body slowly: `bytes` at a time, waiting `interval` between writes.
        public var trickle: Trickle?
        /// Stop mid-body: after so many body bytes, close or reset the connection.
        public var cut: Cut?
        /// When set, these bytes are written instead of a status line, headers and
        /// body, and the connection is then closed.
        public var raw: Data?
        /// How many times `body` is sent back to back (default 1), so a test can serve
        /// hundreds of megabytes without holding them: `Content-Length` is the total,
        /// or with a `Transfer-Encoding: chunked` header each copy is one chunk.
        /// Ignored with `trickle` or `cut`.
        public var repetitions = 1

        /// Sends the body slowly.
        public struct Trickle: Sendable {
            /// Bytes per write.
            public var bytes: Int
            /// Pause between writes.
            public var interval: Duration

            /// `bytes` per write, `interval` between writes.
            public init(bytes: Int, every interval: Duration) {
                self.bytes = bytes
                self.interval = interval
            }
        }

        /// How a response is broken off.
        public enum Cut: Sendable {
            /// Close the connection cleanly (FIN) after that many body bytes.
            case close(afterBodyBytes: Int)
            /// Reset the connection (RST, via `SO_LINGER` 0) after that many body bytes.
            case reset(afterBodyBytes: Int)
        }

        /// A response with the given status, headers and body.
        public init(
            status: Int = 200,
            headers: [String: String] = [:],
            body: Data = Data(),
            delay: Duration = .zero,
            trickle: Trickle? = nil,
            cut: Cut? = nil
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
            self.trickle = trickle
            self.cut = cut
            self.raw = nil
        }

        /// A response with a UTF-8 text body.
        public init(status: Int = 200, headers: [String: String] = [:], text: String) {
            self.init(status: status, headers: headers, body: Data(text.utf8))
        }

        /// Raw bytes written as they are, then the connection is closed.
        public static func raw(_ bytes: Data, delay: Duration = .zero) -> Response {
            var response = Response(status: 0, delay: delay)
            response.raw = bytes
            return response
        }

        /// A redirect to `location` with the given status (301, 302, 303, 307, 308).
        public static func redirect(_ status: Int, to location: String) -> Response {
            Response(status: status, headers: ["Location": location])
        }

        /// Answers `request` for a document with validators: `304 Not Modified`
        /// when the request's `If-None-Match` matches `etag` (or, without
        /// `If-None-Match`, when `If-Modified-Since` is not older than
        /// `lastModified`), else `200` with the body.
        public static func conditional(
            _ request: Request,
            body: Data,
            contentType: String,
            etag: String?,
            lastModified: Date?,
            extraHeaders: [String: String] = [:]
        ) -> Response {
            var headers = extraHeaders
            if let etag { headers["ETag"] = etag }
            if let lastModified { headers["Last-Modified"] = LoopbackHTTPServer.httpDate(lastModified) }
            if let inm = request.header("If-None-Match") {
                let tags = inm.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if let etag, tags.contains(etag) || tags.contains("W/" + etag) || tags.contains("*") {
                    return Response(status: 304, headers: headers)
                }
            } else if let ims = request.header("If-Modified-Since"),
                let since = LoopbackHTTPServer.parseHTTPDate(ims), let lastModified,
                lastModified.timeIntervalSince1970.rounded(.down) <= since.timeIntervalSince1970
            {
                return Response(status: 304, headers: headers)
            }
            headers["Content-Type"] = contentType
            return Response(status: 200, headers: headers, body: body)
        }
    }

    /// A route handler: runs on the connection's thread, once per request.
    public typealias Handler = @Sendable (Request) -> Response

    /// The port the server listens on (127.0.0.1).
    public var port: Int { core.port }

    private let core: Core

    /// Starts a server on 127.0.0.1 on a port the system picks.
    ///
    /// - Throws: `LoopbackServerError` when the socket cannot be created or bound.
    public init() throws {
        core = try Core(address: "127.0.0.1")
        core.start()
    }

    /// Starts a server on another IPv4 address of this machine (one a test added to `lo`, to
    /// stand for a public host), on a port the system picks; ``url(for:)`` still names 127.0.0.1.
    public init(bindingTo address: String) throws {
        core = try Core(address: address)
        core.start()
    }

    deinit {
        core.stop()
    }

    /// Stops accepting, breaks every open connection, waits for the connection
    /// threads to finish and closes the listening socket. Safe to call twice.
    public func stop() {
        core.stop()
    }

    /// `http://127.0.0.1:PORT/path`.
    public func url(for path: String) -> URL {
        let slash = path.hasPrefix("/") ? "" : "/"
        return URL(string: "http://127.0.0.1:\(port)\(slash)\(path)")!
    }

    /// `http://HOST:PORT/path`, for clients told to resolve `host` to 127.0.0.1
    /// (so the server sees several `Host` values on one socket).
    public func url(for path: String, host: String) -> URL {
        let slash = path.hasPrefix("/") ? "" : "/"
        return URL(string: "http://\(host):\(port)\(slash)\(path)")!
    }

    // MARK: Routes

    /// Answers requests for exactly `path` (query ignored) with `handler`.
    /// A later route for the same path replaces the earlier one.
    public func route(_ path: String, handler: @escaping Handler) {
        core.state.withLock { $0.routes[path] = handler }
    }

    /// Answers every path no route matches (default: 404).
    public func fallback(_ handler: @escaping Handler) {
        core.state.withLock { $0.fallback = handler }
    }

    /// Serves `document` at `path` with an ETag (a hash of the bytes) and
    /// `Last-Modified`, answering conditional GETs with 304.
    public func route(
        path: String,
        document: Data,
        contentType: String = "application/rss+xml; charset=utf-8",
        lastModified: Date = Date(timeIntervalSince1970: 1_764_748_800)
    ) {
        let etag = Self.etag(for: document)
        route(path) { request in
            .conditional(
                request, body: document, contentType: contentType, etag: etag, lastModified: lastModified)
        }
    }

    /// Serves the file at `file` at `path`, read on each request, with an ETag
    /// (a hash of its bytes) and `Last-Modified` (its modification time);
    /// conditional GETs get 304. A missing file gives 404.
    public func route(path: String, file: URL, contentType: String? = nil) {
        let type = contentType ?? Self.contentType(forExtension: file.pathExtension)
        route(path) { request in
            Self.serveFile(file, request: request, contentType: type)
        }
    }

    /// Serves `files` (path → bytes) with validators and conditional GET, as
    /// `route(path:document:)` does for each.
    public func serve(files: [String: Data], contentType: String = "application/rss+xml; charset=utf-8") {
        for (path, data) in files {
            route(path: path, document: data, contentType: contentType)
        }
    }

    /// Serves the files under `directory` at `prefix` + their relative path,
    /// with validators and conditional GET. Files are looked up per request, so
    /// tests may change them while the server runs.
    public func serve(directory: URL, at prefix: String = "/") {
        let base = prefix.hasSuffix("/") ? prefix : prefix + "/"
        let previous = core.state.withLock { $0.fallback }
        fallback { request in
            guard request.path.hasPrefix(base) else {
                return previous?(request) ?? Response(status: 404, text: "not found\n")
            }
            let relative = String(request.path.dropFirst(base.count))
            guard !relative.split(separator: "/").contains(".."), !relative.isEmpty else {
                return Response(status: 404, text: "not found\n")
            }
            let file = directory.appendingPathComponent(relative)
            return Self.serveFile(
                file, request: request, contentType: Self.contentType(forExtension: file.pathExtension))
        }
    }

    // MARK: Counters

    /// Requests received since start (or `resetCounters()`).
    public var totalRequests: Int { core.state.withLock { $0.total } }

    /// Requests received for `path`.
    public func requestCount(path: String) -> Int {
        core.state.withLock { $0.perPath[path, default: 0] }
    }

    /// Requests currently being answered.
    public var inFlight: Int { core.state.withLock { $0.inFlight } }

    /// The most requests ever answered at the same time.
    public var peakInFlight: Int { core.state.withLock { $0.peak } }

    /// The most requests for `path` ever answered at the same time.
    public func peakInFlight(path: String) -> Int {
        core.state.withLock { $0.peakPerPath[path, default: 0] }
    }

    /// The most requests with `Host` name `host` (port ignored) ever answered at the same time.
    public func peakInFlight(host: String) -> Int {
        core.state.withLock { $0.peakPerHost[host.lowercased(), default: 0] }
    }

    /// The highest per-`Host` peak over every host seen.
    public var peakInFlightPerHost: Int {
        core.state.withLock { $0.peakPerHost.values.max() ?? 0 }
    }

    /// TCP connections accepted since start (or `resetCounters()`): fewer
    /// connections than requests means keep-alive worked.
    public var connectionsAccepted: Int { core.state.withLock { $0.accepted } }

    /// Connections open right now on the server side.
    public var openConnections: Int { core.state.withLock { $0.connections.count } }

    /// Every request received for `path`, oldest first.
    public func requests(path: String) -> [Request] {
        core.state.withLock { $0.log.filter { $0.path == path } }
    }

    /// Every request received, oldest first.
    public var allRequests: [Request] { core.state.withLock { $0.log } }

    /// Zeroes the counters and the request log (routes stay).
    public func resetCounters() {
        core.state.withLock {
            $0.total = 0
            $0.perPath = [:]
            $0.peak = $0.inFlight
            $0.peakPerPath = [:]
            $0.peakPerHost = [:]
            $0.accepted = 0
            $0.log = []
        }
    }

    /// Blocks until every connection the server has accepted is closed (by the
    /// client, or by a cut/raw response). Use it before counting file descriptors.
    public func waitUntilNoConnections() {
        core.connectionThreads.wait()
    }

    // MARK: Helpers

    /// An HTTP-date (RFC 9110, IMF-fixdate), such as `Wed, 03 Dec 2025 08:00:00 GMT`.
    public static func httpDate(_ date: Date) -> String {
        httpDateFormatter().string(from: date)
    }

    /// Parses an IMF-fixdate; nil when it is not one.
    public static func parseHTTPDate(_ text: String) -> Date? {
        httpDateFormatter().date(from: text.trimmingCharacters(in: .whitespaces))
    }

    /// A strong ETag derived from the bytes (FNV-1a 64), quoted.
    public static func etag(for data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return "\"" + String(hash, radix: 16) + "-" + String(data.count) + "\""
    }

    private static func httpDateFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }

    fileprivate static func hostName(of host: String) -> String {
        var name = host.lowercased()
        if name.hasPrefix("[") {
            if let end = name.firstIndex(of: "]") { name = String(name[...end]) }
        } else if let colon = name.lastIndex(of: ":") {
            name = String(name[..<colon])
        }
        return name
    }

    private static func contentType(forExtension ext: String) -> String {
        switch ext.lowercased() {
        case "xml", "rss": return "application/rss+xml; charset=utf-8"
        case "atom": return "application/atom+xml; charset=utf-8"
        case "json": return "application/feed+json; charset=utf-8"
        case "html", "htm": return "text/html; charset=utf-8"
        case "txt": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }

    private static func serveFile(_ file: URL, request: Request, contentType: String) -> Response {
        guard let data = try? Data(contentsOf: file) else {
            return Response(status: 404, text: "not found\n")
        }
        let modified =
            (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate]) as? Date
        return .conditional(
            request, body: data, contentType: contentType, etag: etag(for: data), lastModified: modified)
    }
}

/// Why a loopback server could not start.
public struct LoopbackServerError: Error, CustomStringConvertible {
    /// What failed, with errno's words.
    public let description: String

    /// An error saying `description`.
    public init(description: String) {
        self.description = description
    }
}

// MARK: - The socket machinery

private final class Core: Sendable {
    struct State {
        var routes: [String: LoopbackHTTPServer.Handler] = [:]
        var fallback: LoopbackHTTPServer.Handler?
        var stopping = false
        var connections: Set<Int32> = []
        var accepted = 0
        var total = 0
        var perPath: [String: Int] = [:]
        var inFlight = 0
        var peak = 0
        var inFlightPerPath: [String: Int] = [:]
        var peakPerPath: [String: Int] = [:]
        var inFlightPerHost: [String: Int] = [:]
        var peakPerHost: [String: Int] = [:]
        var log: [LoopbackHTTPServer.Request] = []
    }

    let state = Mutex(State())
    let listener: Int32
    let port: Int
    /// Closing the write end wakes every `poll` waiting on the read end: the
    /// accept loop, delays and trickles all stop at once on `stop()`.
    let wakeRead: Int32
    let wakeWrite: Int32
    let acceptThread = DispatchGroup()
    let connectionThreads = DispatchGroup()

    init(address text: String) throws {
        var binary = in_addr()
        guard inet_pton(AF_INET, text, &binary) == 1 else {
            throw LoopbackServerError(description: "\(text) is not an IPv4 address")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackServerError(description: "socket: \(Core.errnoText())") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr = binary
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 256) == 0 else {
            let error = Core.errnoText()
            close(fd)
            throw LoopbackServerError(description: "bind/listen on \(text): \(error)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            close(fd)
            throw LoopbackServerError(description: "pipe: \(Core.errnoText())")
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    func start() {
        acceptThread.enter()
        Thread.detachNewThread { [self] in
            acceptLoop()
            acceptThread.leave()
        }
    }

    func stop() {
        let first = state.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.stopping = true
            // Under the lock, so a connection thread cannot close (and the
            // system reuse) an fd between this list and the shutdown.
            for fd in state.connections { shutdown(fd, Int32(SHUT_RDWR)) }
            return true
        }
        guard first else { return }
        close(wakeWrite)
        acceptThread.wait()
        connectionThreads.wait()
        close(listener)
        close(wakeRead)
    }

    private func acceptLoop() {
        while true {
            var fds = [
                pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, -1)
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 || fds[1].revents != 0 { return }
            let client = accept(listener, nil, nil)
            if client < 0 { continue }
            var yes: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let accepted = state.withLock { state -> Int? in
                if state.stopping { return nil }
                state.connections.insert(client)
                state.accepted += 1
                return state.accepted
            }
            guard let number = accepted else {
                close(client)
                return
            }
            connectionThreads.enter()
            Thread.detachNewThread { [self] in
                serve(connection: client, number: number)
                state.withLock { _ = $0.connections.remove(client) }
                close(client)
                connectionThreads.leave()
            }
        }
    }

    /// Waits `duration`, or less if the server stops. Returns false when stopping.
    private func pause(_ duration: Duration) -> Bool {
        let (seconds, attoseconds) = duration.components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        if milliseconds <= 0 { return !state.withLock { $0.stopping } }
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        return poll(&fds, 1, milliseconds) == 0
    }

    private func send(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { buffer -> Bool in
            guard var pointer = buffer.baseAddress else { return true }
            var remaining = buffer.count
            while remaining > 0 {
                // MSG_NOSIGNAL: a client that went away must not SIGPIPE the test process.
                let sent = Glibc.send(fd, pointer, remaining, Int32(MSG_NOSIGNAL))
                if sent < 0 && errno == EINTR { continue }
                if sent <= 0 { return false }
                pointer += sent
                remaining -= sent
            }
            return true
        }
    }

    private func serve(connection fd: Int32, number: Int) {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        let separator = Data("\r\n\r\n".utf8)

        func receive() -> Bool {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count < 0 && errno == EINTR { return true }
            if count <= 0 { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }

        while true {
            // Read one request head.
            var headEnd = buffer.range(of: separator)
            while headEnd == nil {
                guard buffer.count < 65536, receive() else { return }
                headEnd = buffer.range(of: separator)
            }
            guard let end = headEnd else { return }
            let head = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
            buffer.removeSubrange(buffer.startIndex..<end.upperBound)
            guard let parsed = parse(head: head, connection: number) else {
                _ = send(fd, Data("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
                return
            }
            var request = parsed
            let bodyLength = Int(request.header("Content-Length") ?? "0") ?? 0
            while buffer.count < bodyLength {
                guard receive() else { return }
            }
            if bodyLength > 0 {
                let body = buffer.prefix(bodyLength)
                buffer.removeFirst(bodyLength)
                request = LoopbackHTTPServer.Request(
                    method: request.method, target: request.target, path: request.path,
                    query: request.query, headers: request.headers, body: Data(body),
                    connection: number)
            }

            let host = request.hostName ?? ""
            let handler = state.withLock { state -> LoopbackHTTPServer.Handler? in
                state.total += 1
                state.perPath[request.path, default: 0] += 1
                state.log.append(request)
                state.inFlight += 1
                state.peak = max(state.peak, state.inFlight)
                state.inFlightPerPath[request.path, default: 0] += 1
                state.peakPerPath[request.path] = max(
                    state.peakPerPath[request.path, default: 0], state.inFlightPerPath[request.path]!)
                state.inFlightPerHost[host, default: 0] += 1
                state.peakPerHost[host] = max(state.peakPerHost[host, default: 0], state.inFlightPerHost[host]!)
                return state.routes[request.path] ?? state.fallback
            }
            var finished = false
            // The request leaves the in-flight count just before its last bytes are
            // written, so the server never counts more than the client has in flight.
            func finish() {
                guard !finished else { return }
                finished = true
                state.withLock { state in
                    state.inFlight -= 1
                    state.inFlightPerPath[request.path, default: 1] -= 1
                    state.inFlightPerHost[host, default: 1] -= 1
                }
            }
            defer { finish() }

            let response = handler?(request) ?? LoopbackHTTPServer.Response(status: 404, text: "not found\n")
            guard pause(response.delay) else { return }

            if let raw = response.raw {
                finish()
                _ = send(fd, raw)
                return
            }
            let keepAlive =
                request.header("Connection")?.lowercased() != "close"
                && response.headers.keys.first { $0.lowercased() == "connection" }
                    .map { response.headers[$0]!.lowercased() != "close" } ?? true
            let noBody =
                request.method == "HEAD" || response.status == 304 || response.status == 204
                || (100..<200).contains(response.status)
            var statusAndHeaders = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
            let names = Set(response.headers.keys.map { $0.lowercased() })
            for (name, value) in response.headers.sorted(by: { $0.key < $1.key }) {
                statusAndHeaders += "\(name): \(value)\r\n"
            }
            if !names.contains("content-length") && !names.contains("transfer-encoding")
                && response.status != 304 && response.status != 204
            {
                statusAndHeaders += "Content-Length: \(response.body.count * max(1, response.repetitions))\r\n"
            }
            if !keepAlive && !names.contains("connection") { statusAndHeaders += "Connection: close\r\n" }
            statusAndHeaders += "\r\n"
            let body = noBody ? Data() : response.body

            if response.repetitions > 1 && response.trickle == nil && response.cut == nil && !noBody {
                let chunked = response.headers.contains {
                    $0.key.lowercased() == "transfer-encoding" && $0.value.lowercased().contains("chunked")
                }
                guard send(fd, Data(statusAndHeaders.utf8)) else { return }
                let copy =
                    chunked
                    ? Data((String(body.count, radix: 16) + "\r\n").utf8) + body + Data("\r\n".utf8) : body
                for _ in 0..<response.repetitions {
                    guard send(fd, copy) else { return }  // the client hung up: stop generating
                }
                finish()
                if chunked { guard send(fd, Data("0\r\n\r\n".utf8)) else { return } }
            } else if response.trickle == nil && response.cut == nil {
                finish()
                guard send(fd, Data(statusAndHeaders.utf8) + body) else { return }
            } else {
                guard send(fd, Data(statusAndHeaders.utf8)) else { return }
                let limit: Int
                switch response.cut {
                case .close(let after)?, .reset(let after)?: limit = min(after, body.count)
                case nil: limit = body.count
                }
                let step = max(1, response.trickle?.bytes ?? limit)
                var offset = 0
                while offset < limit {
                    let next = min(limit, offset + step)
                    if next == limit && response.cut == nil { finish() }
                    guard send(fd, body.subdata(in: offset..<next)) else { return }
                    offset = next
                    if offset < limit, let trickle = response.trickle {
                        guard pause(trickle.interval) else { return }
                    }
                }
                switch response.cut {
                case .close?:
                    finish()
                    shutdown(fd, Int32(SHUT_RDWR))
                    return
                case .reset?:
                    finish()
                    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                    setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                    return  // the caller's close() now sends RST
                case nil:
                    break
                }
            }
            if !keepAlive { return }
        }
    }

    private func parse(head: String, connection: Int) -> LoopbackHTTPServer.Request? {
        var lines = head.components(separatedBy: "\r\n")
        guard !lines.isEmpty else { return nil }
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else { return nil }
        var headers: [LoopbackHTTPServer.Header] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            headers.append(
                .init(
                    name: String(line[..<colon]),
                    value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let target = String(requestLine[1])
        var path = target
        var query: String?
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        }
        return LoopbackHTTPServer.Request(
            method: String(requestLine[0]), target: target, path: path, query: query,
            headers: headers, body: Data(), connection: connection)
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
