import CCurl
import Foundation

/// One HTTP fetch in flight: its easy handle, the bytes and headers received,
/// and the continuation of the task waiting for it.
///
/// `@unchecked Sendable` because ownership moves, it is never shared: the
/// caller creates it and hands it to the engine through the engine's
/// mutex-protected queue; from then on only the engine thread touches it
/// (libcurl runs the callbacks below on that thread, inside
/// `curl_multi_perform`), until the engine resumes the continuation exactly once.
final class HTTPTransfer: @unchecked Sendable {
    let request: FetchRequest
    /// The host the per-host cap counts this transfer against.
    let hostKey: String
    private let configuration: Fetcher.Configuration
    private var continuation: CheckedContinuation<Result<FetchResponse, TransferError>, Never>?

    private(set) var easy: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    fileprivate var body = Data()
    fileprivate var exceededMaxBytes = false
    /// Statuses of every response head seen, one per hop (1xx interim heads excluded).
    fileprivate var hopStatuses: [Int] = []
    /// Header fields of the latest response head, names lowercased.
    fileprivate var headers: [String: String] = [:]
    /// The `Location` of the latest redirect answer.
    fileprivate var lastLocation: String?
    fileprivate var refusedAddress: String?
    fileprivate var allowPrivateNetworks: Bool { configuration.allowPrivateNetworks }
    fileprivate var maxBytes: Int { configuration.maxBytes }

    init(
        request: FetchRequest, configuration: Fetcher.Configuration,
        continuation: CheckedContinuation<Result<FetchResponse, TransferError>, Never>
    ) {
        self.request = request
        self.configuration = configuration
        self.continuation = continuation
        let host = request.url.host?.lowercased() ?? ""
        self.hostKey = request.url.port.map { "\(host):\($0)" } ?? host
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        if let easy { ccurl_easy_cleanup(easy) }
        ccurl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Frees the easy handle, on the engine thread, once it is out of the multi handle.
    func releaseHandle() {
        if let easy { ccurl_easy_cleanup(easy) }
        easy = nil
    }

    /// Resumes the waiting task; later calls do nothing.
    func resume(with result: Result<FetchResponse, TransferError>) {
        continuation?.resume(returning: result)
        continuation = nil
    }

    /// Creates and configures the easy handle. Returns the failure when libcurl
    /// refused an option (an old libcurl, or a URL it cannot parse).
    func makeHandle(resolve: UnsafeMutablePointer<curl_slist>?) -> TransferError? {
        guard let handle = ccurl_easy_init() else {
            return .other(request.url, curl: nil, duration: .zero, bytes: 0)
        }
        easy = handle
        let context = Unmanaged.passUnretained(self).toOpaque()
        var lines = ["Accept: " + request.accept.headerValue]
        if let etag = request.etag { lines.append("If-None-Match: \(Self.headerSafe(etag))") }
        if let lastModified = request.lastModified {
            lines.append("If-Modified-Since: \(Self.headerSafe(lastModified))")
        }
        headerList = makeSlist(lines)

        var options = EasyOptions(handle)
        options.setHTTP(
            url: request.url, userAgent: configuration.userAgent, headers: headerList, errorBuffer: errorBuffer,
            context: context, body: writeBody, header: readHeader)
        // "" = every encoding this libcurl decodes (gzip, deflate, br, zstd here).
        options.set(CURLOPT_ACCEPT_ENCODING, "")
        options.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        options.set(CURLOPT_FOLLOWLOCATION, 1)
        options.set(CURLOPT_MAXREDIRS, configuration.maxRedirects)
        options.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(configuration.connectTimeout))
        options.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(configuration.timeout))
        options.set(CURLOPT_LOW_SPEED_LIMIT, configuration.lowSpeedLimit)
        options.set(CURLOPT_LOW_SPEED_TIME, max(1, Self.seconds(configuration.lowSpeedTime)))
        // Refuses early when Content-Length announces too much; the write callback
        // enforces the same cap on the decompressed bytes.
        options.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(configuration.maxBytes))
        options.set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        // Wait for a multiplexed HTTP/2 connection instead of opening another one.
        options.set(CURLOPT_PIPEWAIT, 1)
        options.setOpenSocketCallback(openSocket)
        options.set(CURLOPT_OPENSOCKETDATA, pointer: context)
        if let resolve { options.set(CURLOPT_RESOLVE, list: resolve) }
        if let failure = options.failure {
            return .other(request.url, curl: CurlFailure(failure, detail: detail), duration: .zero, bytes: 0)
        }
        return nil
    }

    private var detail: String? {
        let text = String(cString: errorBuffer)
        return text.isEmpty ? nil : text
    }

    /// Builds the outcome once libcurl reports the transfer done.
    func outcome(_ code: CURLcode) -> Result<FetchResponse, TransferError> {
        guard let easy else { return .failure(.cancelled(request.url)) }
        let info = EasyInfo(handle: easy)
        let url = request.url
        let duration = Duration.microseconds(info.offset(CURLINFO_TOTAL_TIME_T))
        let bytes = body.count
        let curl = CurlFailure(code, detail: detail)

        if let refusedAddress, code != CURLE_OK {
            return .failure(.privateAddress(url, address: refusedAddress, curl: curl, duration: duration))
        }
        switch code {
        case CURLE_OK:
            break
        case CURLE_UNSUPPORTED_PROTOCOL:
            if let location = lastLocation, hopStatuses.last.map({ (300..<400).contains($0) }) == true {
                return .failure(.redirectRefused(url, location: location, curl: curl, duration: duration))
            }
            return .failure(.unsupportedScheme(url, curl: curl))
        case CURLE_OPERATION_TIMEDOUT where (detail ?? "").contains("too slow"):
            return .failure(
                .tooSlow(
                    url, bytesPerSecond: configuration.lowSpeedLimit, during: configuration.lowSpeedTime,
                    curl: curl, duration: duration, bytes: bytes))
        case CURLE_OPERATION_TIMEDOUT
        where (detail ?? "").contains("onnection timed out") || (detail ?? "").contains("Connection timeout"):
            return .failure(.connectTimeout(url, limit: configuration.connectTimeout, curl: curl, duration: duration))
        case CURLE_FILESIZE_EXCEEDED:
            return .failure(.tooLarge(url, limit: configuration.maxBytes, curl: curl, duration: duration, bytes: bytes))
        case CURLE_WRITE_ERROR where exceededMaxBytes:
            return .failure(.tooLarge(url, limit: configuration.maxBytes, curl: curl, duration: duration, bytes: bytes))
        case CURLE_TOO_MANY_REDIRECTS:
            return .failure(.tooManyRedirects(url, limit: configuration.maxRedirects, curl: curl, duration: duration))
        default:
            return .failure(
                .curl(code, url: url, curl: curl, timeout: configuration.timeout, duration: duration, bytes: bytes)
                    ?? .other(url, curl: curl, duration: duration, bytes: bytes))
        }

        let status = info.long(CURLINFO_RESPONSE_CODE)
        let finalURL = info.string(CURLINFO_EFFECTIVE_URL).flatMap(URL.init(string:)) ?? url
        let redirects = info.long(CURLINFO_REDIRECT_COUNT)
        guard status == 304 || (200..<300).contains(status) else {
            return .failure(
                .http(
                    url, status: status, retryAfter: HTTPFields.retryAfter(headers["retry-after"]),
                    duration: duration, bytes: bytes))
        }
        let hops = hopStatuses.dropLast()
        let permanent = !hops.isEmpty && hops.allSatisfy { $0 == 301 || $0 == 308 }
        let contentType = info.string(CURLINFO_CONTENT_TYPE) ?? headers["content-type"]
        let notModified = status == 304
        return .success(
            FetchResponse(
                requestedURL: url,
                finalURL: finalURL,
                status: status,
                body: notModified ? Data() : body,
                etag: headers["etag"] ?? (notModified ? request.etag : nil),
                lastModified: headers["last-modified"] ?? (notModified ? request.lastModified : nil),
                contentType: contentType,
                charset: HTTPFields.charset(contentType),
                permanentRedirect: permanent ? finalURL : nil,
                isNotModified: notModified,
                maxAge: HTTPFields.maxAge(headers["cache-control"]),
                expires: headers["expires"].flatMap(HTTPFields.httpDate),
                duration: duration,
                bytes: bytes,
                redirects: redirects
            ))
    }

    /// Validators come from the store, which got them from a server: keep CR/LF
    /// out so a hostile server cannot add request headers through them.
    private static func headerSafe(_ value: String) -> String {
        String(value.unicodeScalars.filter { $0 != "\r" && $0 != "\n" })
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    static func seconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) + (attoseconds > 0 ? 1 : 0)
    }
}

// libcurl callbacks: C function pointers (no captures); the transfer comes back
// through the userdata pointer set next to each callback.

private func transfer(_ context: UnsafeMutableRawPointer?) -> HTTPTransfer {
    Unmanaged<HTTPTransfer>.fromOpaque(context!).takeUnretainedValue()
}

/// Appends decompressed body bytes, and stops the transfer (returning less than
/// given makes libcurl fail with CURLE_WRITE_ERROR) past `maxBytes`: a gzip bomb
/// announces a small Content-Length, so only this count catches it.
private let writeBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    let transfer = transfer(context)
    let length = size * count
    if transfer.body.count + length > transfer.maxBytes {
        transfer.exceededMaxBytes = true
        return 0
    }
    if let data, length > 0 {
        transfer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length)
    }
    return length
}

/// Sees every header line of every hop: a status line starts a new hop, so the
/// statuses of all redirects are known (301/308 permanent vs 302/303/307 not).
private let readHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    let transfer = transfer(context)
    let length = size * count
    guard let data, length > 0 else { return length }
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
        let parts = line.split(separator: " ")
        if parts.count >= 2, let status = Int(parts[1]), !(100..<200).contains(status) {
            transfer.hopStatuses.append(status)
            transfer.headers = [:]
        }
    } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        transfer.headers[name] = value
        if name == "location" { transfer.lastLocation = value }
    }
    return length
}

/// Opens each socket libcurl needs, after checking the address it is about to
/// connect to: the only place that sees the address actually used, whatever the
/// URL, the redirects or the DNS said.
private let openSocket:
    @convention(c) (UnsafeMutableRawPointer?, curlsocktype, UnsafeMutablePointer<curl_sockaddr>?) -> curl_socket_t = {
        context, _, address in
        guard let address else { return -1 }
        let transfer = transfer(context)
        let family = address.pointee.family
        if !transfer.allowPrivateNetworks {
            let offset = MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr)!
            if let refused = PrivateNetwork.refusedAddress(UnsafeRawPointer(address) + offset, family: family) {
                transfer.refusedAddress = refused
                return -1  // CURL_SOCKET_BAD: libcurl tries the next address, then fails to connect
            }
        }
        return socket(family, address.pointee.socktype, address.pointee.protocol)
    }
