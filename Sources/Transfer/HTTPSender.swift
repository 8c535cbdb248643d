import CCurl
import Foundation

/// One HTTP request that carries something out (a webhook POST, a WebDAV PUT, a Matrix
/// message), as opposed to a feed fetch.
public struct OutgoingRequest: Sendable {
    /// `POST`, `PUT`, `GET`, `MKCOL`, `PROPFIND`…
    public var method: String
    /// An `http` or `https` URL.
    public var url: URL
    /// Header fields, in order (`Content-Type`, `Authorization`…). CR and LF are removed.
    public var headers: [(name: String, value: String)]
    /// The body, sent as is (none when empty).
    public var body: Data
    /// HTTP Basic credentials, when the server wants them.
    public var basicAuth: (user: String, password: String)?

    /// Creates a request.
    public init(
        method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data = Data(),
        basicAuth: (user: String, password: String)? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.basicAuth = basicAuth
    }
}

/// What the server answered, whatever the status: the caller decides what a 401, a 404
/// or a 429 means for its service.
public struct OutgoingResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// Header fields of the response, names lowercased.
    public var headers: [String: String]
    /// The body, capped at ``HTTPSender/Configuration/maxResponseBytes``.
    public var body: Data
    /// `Retry-After`, as a delay, when the server sent one.
    public var retryAfter: Duration? { HTTPFields.retryAfter(headers["retry-after"]) }
}

/// Sends ``OutgoingRequest``s with libcurl: the same TLS verification, proxy handling
/// (`https_proxy`, `no_proxy` from the environment, as for fetching) and timeouts as the
/// fetcher, no redirect followed (a POST must not turn into a GET elsewhere).
///
/// Unlike feed fetching, private addresses are allowed: delivery targets are the team's own
/// servers (a Nextcloud or a Matrix homeserver on the local network), written by whoever
/// administers feeds.toml, not by a feed.
public struct HTTPSender: Sendable {
    /// Limits of one request.
    public struct Configuration: Sendable {
        /// Time allowed to connect. Default 10 s.
        public var connectTimeout: Duration
        /// Time allowed for the whole request. Default 30 s.
        public var timeout: Duration
        /// The most response bytes kept. Default 1 MiB.
        public var maxResponseBytes: Int
        /// The `User-Agent`.
        public var userAgent: String

        /// Limits; each defaults to the documented value.
        public init(
            connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(30), maxResponseBytes: Int = 1 << 20,
            userAgent: String = "regwatch"
        ) {
            self.connectTimeout = connectTimeout
            self.timeout = timeout
            self.maxResponseBytes = maxResponseBytes
            self.userAgent = userAgent
        }
    }

    /// The limits of this sender.
    public let configuration: Configuration

    /// A sender with `configuration`.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Sends `request` and returns the server's answer, whatever its status.
    ///
    /// - Throws: `TransferError` when no answer came: `.dns`, `.connect`, `.tls`, `.timeout`,
    ///   `.unsupportedScheme`, `.other`.
    public func send(_ request: OutgoingRequest) async throws(TransferError) -> OutgoingResponse {
        guard let scheme = request.url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .unsupportedScheme(request.url)
        }
        let job = SendJob(request: request, configuration: configuration)
        _ = curlGlobalInit
        let result: Result<OutgoingResponse, TransferError> = await withCheckedContinuation { continuation in
            // curl_easy_perform blocks: it gets its own thread, not a cooperative one.
            Thread.detachNewThread {
                continuation.resume(returning: job.perform())
            }
        }
        return try result.get()
    }
}

/// One request, run on its own thread.
///
/// `@unchecked Sendable`: created by `send`, then used by exactly one thread (the one running
/// `perform`); the header and body callbacks run on that same thread.
private final class SendJob: @unchecked Sendable {
    let request: OutgoingRequest
    let configuration: HTTPSender.Configuration
    var headers: [String: String] = [:]
    var body = Data()
    var status = 0

    init(request: OutgoingRequest, configuration: HTTPSender.Configuration) {
        self.request = request
        self.configuration = configuration
    }

    func perform() -> Result<OutgoingResponse, TransferError> {
        let url = request.url
        guard let easy = ccurl_easy_init() else { return .failure(.other(url, curl: nil, duration: .zero, bytes: 0)) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        func clean(_ text: String) -> String { text.filter { $0 != "\r" && $0 != "\n" } }
        var lines = request.headers.map { "\(clean($0.name)): \(clean($0.value))" }
        // libcurl would otherwise add "Expect: 100-continue" to large bodies and wait for it.
        lines.append("Expect:")
        let headerList = makeSlist(lines)
        defer {
            ccurl_easy_cleanup(easy)
            ccurl_slist_free_all(headerList)
            errorBuffer.deallocate()
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        var options = EasyOptions(easy)
        options.setHTTP(
            url: url, userAgent: configuration.userAgent, headers: headerList, errorBuffer: errorBuffer,
            context: context,
            body: collectBody, header: collectHeader)
        options.set(CURLOPT_FOLLOWLOCATION, 0)
        options.set(CURLOPT_CONNECTTIMEOUT_MS, HTTPTransfer.milliseconds(configuration.connectTimeout))
        options.set(CURLOPT_TIMEOUT_MS, HTTPTransfer.milliseconds(configuration.timeout))
        if let auth = request.basicAuth {
            options.set(CURLOPT_HTTPAUTH, 1)  // CURLAUTH_BASIC, a macro Swift does not import
            options.set(CURLOPT_USERNAME, auth.user)
            options.set(CURLOPT_PASSWORD, auth.password)
        }
        if !request.body.isEmpty {
            // The size first, then a copy of the bytes: libcurl owns the copy, and binary
            // bodies (with NUL bytes) are sent in full.
            options.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(request.body.count))
            request.body.withUnsafeBytes { bytes in
                options.set(CURLOPT_COPYPOSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: bytes.baseAddress!))
            }
        }
        options.set(CURLOPT_CUSTOMREQUEST, request.method)
        if let failure = options.failure {
            return .failure(.other(url, curl: CurlFailure(failure, detail: nil), duration: .zero, bytes: 0))
        }

        let code = ccurl_easy_perform(easy)
        let info = EasyInfo(handle: easy)
        let duration = Duration.microseconds(info.offset(CURLINFO_TOTAL_TIME_T))
        let detail = String(cString: errorBuffer)
        let curl = CurlFailure(code, detail: detail.isEmpty ? nil : detail)
        switch code {
        case CURLE_OK:
            return .success(OutgoingResponse(status: info.long(CURLINFO_RESPONSE_CODE), headers: headers, body: body))
        case CURLE_WRITE_ERROR where body.count >= configuration.maxResponseBytes:
            // An oversized answer still answered: its status is what matters.
            return .success(OutgoingResponse(status: info.long(CURLINFO_RESPONSE_CODE), headers: headers, body: body))
        default:
            return .failure(
                .curl(code, url: url, curl: curl, timeout: configuration.timeout, duration: duration, bytes: body.count)
                    ?? .other(url, curl: curl, duration: duration, bytes: body.count))
        }
    }
}

private func job(_ context: UnsafeMutableRawPointer?) -> SendJob {
    Unmanaged<SendJob>.fromOpaque(context!).takeUnretainedValue()
}

/// Keeps the response body up to the cap (returning less stops the transfer).
private let collectBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    let job = job(context)
    let length = size * count
    guard let data, length > 0 else { return length }
    let room = job.configuration.maxResponseBytes - job.body.count
    guard room > 0 else { return 0 }
    job.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: min(room, length))
    return room >= length ? length : 0
}

/// Keeps the header fields of the final response (a 100 Continue starts over).
private let collectHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    let job = job(context)
    let length = size * count
    guard let data, length > 0 else { return length }
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
        job.headers = [:]
    } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        job.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return length
}
