import Foundation
import Synchronization

/// Fetches feeds over HTTP(S) with libcurl, many at once, politely and within bounds.
///
/// One thread owns a libcurl multi handle and drives every transfer; callers
/// just `await`. Caps hold for the fetcher's lifetime: at most `concurrency`
/// transfers in flight, at most `perHost` per host (connections are reused,
/// HTTP/2 multiplexed where offered).
///
/// ```swift
/// let fetcher = Fetcher(configuration: .init(userAgent: RegWatchVersion.userAgent))
/// let response = try await fetcher.fetch(FetchRequest(url: url, etag: etag))
/// if response.isNotModified { return }   // nothing to parse
/// ```
public final class Fetcher: Sendable {
    /// Limits and identity of a fetcher. Every default is the one documented in feeds.toml's `[fetch]`.
    public struct Configuration: Sendable {
        /// Transfers in flight at once (`[fetch] concurrency`). Default 16.
        public var concurrency: Int
        /// Transfers in flight per host name and port (`[fetch] per_host`). Default 2.
        public var perHost: Int
        /// Time allowed to connect (DNS, TCP, TLS). Default 10 s.
        public var connectTimeout: Duration
        /// Time allowed for the whole transfer (`[fetch] timeout`). Default 30 s.
        public var timeout: Duration
        /// A transfer slower than this many bytes per second for `lowSpeedTime` is dropped. Default 100.
        public var lowSpeedLimit: Int
        /// See `lowSpeedLimit` (whole seconds; rounded up). Default 15 s.
        public var lowSpeedTime: Duration
        /// The most body bytes accepted, after decompression (`[fetch] max_bytes`). Default 10 MiB.
        public var maxBytes: Int
        /// The most redirects followed. Default 5.
        public var maxRedirects: Int
        /// Whether loopback, RFC 1918, link-local, CGNAT, ULA and unspecified
        /// addresses may be connected to (`[fetch] allow_private_networks`). Default false.
        ///
        /// The check applies to the address each socket connects to. Behind a proxy
        /// (`http_proxy`, `https_proxy`, `all_proxy`) that is the proxy's address: a proxy
        /// on a private network then needs this set to true, and the feeds' own
        /// addresses are the proxy's to police.
        public var allowPrivateNetworks: Bool
        /// The `User-Agent` header. Default `regwatch/0.1.0 (+https://github.com/regwatch/regwatch)`;
        /// the application passes `RegWatchVersion.userAgent`.
        public var userAgent: String
        /// Host names pinned to addresses, as curl's `--resolve` does (tests and
        /// benchmarks use it to give one loopback server many host names). Default none.
        public var resolve: [HostResolution]

        /// A configuration; every parameter defaults to the documented value.
        public init(
            concurrency: Int = 16,
            perHost: Int = 2,
            connectTimeout: Duration = .seconds(10),
            timeout: Duration = .seconds(30),
            lowSpeedLimit: Int = 100,
            lowSpeedTime: Duration = .seconds(15),
            maxBytes: Int = 10 * 1024 * 1024,
            maxRedirects: Int = 5,
            allowPrivateNetworks: Bool = false,
            userAgent: String = "regwatch/0.1.0 (+https://github.com/regwatch/regwatch)",
            resolve: [HostResolution] = []
        ) {
            self.concurrency = max(1, concurrency)
            self.perHost = max(1, perHost)
            self.connectTimeout = connectTimeout
            self.timeout = timeout
            self.lowSpeedLimit = lowSpeedLimit
            self.lowSpeedTime = lowSpeedTime
            self.maxBytes = maxBytes
            self.maxRedirects = maxRedirects
            self.allowPrivateNetworks = allowPrivateNetworks
            self.userAgent = userAgent
            self.resolve = resolve
        }
    }

    /// A host name and port pinned to an address (curl's `CURLOPT_RESOLVE`).
    public struct HostResolution: Sendable, Hashable {
        /// The host name as written in URLs.
        public var host: String
        /// The port as written in URLs (80 and 443 when implicit).
        public var port: Int
        /// The IPv4 or IPv6 address to connect to instead of asking DNS.
        public var address: String

        /// `host:port` resolves to `address`.
        public init(host: String, port: Int, address: String) {
            self.host = host
            self.port = port
            self.address = address
        }
    }

    /// The configuration this fetcher was made with.
    public let configuration: Configuration
    private let engine: CurlEngine

    /// Starts a fetcher (and its transfer thread) with `configuration`.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        engine = CurlEngine(configuration: configuration)
    }

    deinit {
        // Aborts what is left, frees every handle and connection, and waits for
        // the thread, so a dropped fetcher leaves no descriptor behind.
        engine.shutdown()
    }

    /// Fetches one URL: follows redirects, sends the validators, decompresses.
    ///
    /// - Returns: the response of a 2xx or 304 answer.
    /// - Throws: `TransferError` for every other outcome, HTTP 4xx/5xx included.
    public func fetch(_ request: FetchRequest) async throws(TransferError) -> FetchResponse {
        try await result(for: request).get()
    }

    /// Fetches one URL and returns its outcome as a value (what batch callers store).
    public func result(for request: FetchRequest) async -> Result<FetchResponse, TransferError> {
        guard let scheme = request.url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return .failure(.unsupportedScheme(request.url))
        }
        let box = TransferBox()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let transfer = HTTPTransfer(
                    request: request, configuration: configuration, continuation: continuation)
                box.set(transfer)
                engine.submit(transfer)
                // A task cancelled before the transfer existed ran onCancel already.
                if Task.isCancelled { engine.cancel(transfer) }
            }
        } onCancel: {
            if let transfer = box.get() { engine.cancel(transfer) }
        }
    }

    /// Fetches every request concurrently within the caps, calling `onResult`
    /// as each one completes (in completion order), and returns when all are done.
    ///
    /// ```swift
    /// await fetcher.fetchAll(requests, maxPending: 32) { request, result in
    ///     await store.record(request.url, result)
    /// }
    /// ```
    ///
    /// - Parameter maxPending: at most this many requests between their submission and the end
    ///   of their `onResult`: when `onResult` is slower than the network (a store writing
    ///   what was fetched), responses wait on the server rather than in memory.
    public func fetchAll(
        _ requests: [FetchRequest],
        maxPending: Int = .max,
        onResult: @escaping @Sendable (FetchRequest, Result<FetchResponse, TransferError>) async -> Void
    ) async {
        // With a window, submit host by host in turn: a window filled with one host's requests
        // would wait on its per-host cap while other hosts sit idle.
        let ordered = maxPending < requests.count ? Self.interleavedByHost(requests) : requests
        await withTaskGroup(of: Void.self) { group in
            var next = ordered.makeIterator()
            func submit(_ request: FetchRequest) {
                group.addTask {
                    let result = await self.result(for: request)
                    await onResult(request, result)
                }
            }
            for _ in 0..<max(1, maxPending) {
                guard let request = next.next() else { break }
                submit(request)
            }
            while await group.next() != nil {
                if let request = next.next() { submit(request) }
            }
        }
    }

    /// `requests` reordered round-robin over their hosts (first request of each host, then
    /// the second of each, …), each host's own order kept.
    static func interleavedByHost(_ requests: [FetchRequest]) -> [FetchRequest] {
        var queues: [[FetchRequest]] = []
        var queueOfHost: [String: Int] = [:]
        for request in requests {
            let host = request.url.host?.lowercased() ?? ""
            if let index = queueOfHost[host] {
                queues[index].append(request)
            } else {
                queueOfHost[host] = queues.count
                queues.append([request])
            }
        }
        var ordered: [FetchRequest] = []
        ordered.reserveCapacity(requests.count)
        var round = 0
        while ordered.count < requests.count {
            for queue in queues where round < queue.count { ordered.append(queue[round]) }
            round += 1
        }
        return ordered
    }
}

/// Hands the transfer created inside the continuation closure to the
/// cancellation handler, which may run on another thread at any time.
private final class TransferBox: Sendable {
    private let transfer = Mutex<HTTPTransfer?>(nil)
    func set(_ value: HTTPTransfer) { transfer.withLock { $0 = value } }
    func get() -> HTTPTransfer? { transfer.withLock { $0 } }
}
