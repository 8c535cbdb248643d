import CCurl
import Foundation

/// Sends a ready-made RFC 5322 message over SMTP with libcurl.
///
/// `smtp://` upgrades with STARTTLS when the server offers it (and goes on in
/// clear text when it does not: a local relay such as 127.0.0.1:25 often does
/// not); `smtps://` is TLS from the first byte. Certificates are always
/// verified. `MAIL FROM` once, `RCPT TO` for each recipient, `AUTH` when a
/// password is given; a single refused recipient fails the whole send.
///
/// ```swift
/// try await MailSender().send(message: eml, from: "veille@example.org", to: ["equipe@example.org"],
///                             server: URL(string: "smtp://127.0.0.1:25")!, username: nil, password: nil)
/// ```
public struct MailSender: Sendable {
    /// Time limits of one send.
    public struct Configuration: Sendable {
        /// Time allowed to connect (DNS, TCP, TLS). Default 10 s.
        public var connectTimeout: Duration
        /// Time allowed for the whole conversation. Default 60 s.
        public var timeout: Duration

        /// Limits; each defaults to the documented value.
        public init(connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(60)) {
            self.connectTimeout = connectTimeout
            self.timeout = timeout
        }
    }

    /// The limits of this sender.
    public let configuration: Configuration

    /// A sender with `configuration`.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Sends `message` to every address of `to`.
    ///
    /// - Parameters:
    ///   - message: the complete message, headers and body, lines ending in CRLF.
    ///   - from: the envelope sender (`MAIL FROM`), such as `veille@example.org`.
    ///   - to: the envelope recipients (`RCPT TO`), at least one.
    ///   - server: `smtp://host[:port]` or `smtps://host[:port]`.
    ///   - username: the login; defaults to the user part of `server`, if any.
    ///   - password: when given, the client logs in (AUTH) before sending.
    /// - Throws: `TransferError` (`.mailRefused` with the SMTP reply code, `.authentication`,
    ///   `.connect`, `.tls`, `.timeout`, `.invalidAddress`, `.unsupportedScheme`…).
    public func send(
        message: Data, from: String, to recipients: [String], server: URL, username: String?, password: String?
    ) async throws(TransferError) {
        guard let scheme = server.scheme?.lowercased(), scheme == "smtp" || scheme == "smtps" else {
            throw .unsupportedScheme(server)
        }
        // An address with CR, LF or angle brackets would let text inject SMTP commands.
        for address in [from] + recipients where !Self.isSafe(address) {
            throw .invalidAddress(server, address: address)
        }
        guard !recipients.isEmpty else { throw .invalidAddress(server, address: "") }
        let job = MailJob(
            message: message, from: from, recipients: recipients, server: server,
            username: username ?? server.user, password: password, configuration: configuration)
        _ = curlGlobalInit
        let result: Result<Void, TransferError> = await withCheckedContinuation { continuation in
            // curl_easy_perform blocks: it gets its own thread, not a cooperative one.
            Thread.detachNewThread {
                continuation.resume(returning: job.perform())
            }
        }
        try result.get()
    }

    private static func isSafe(_ address: String) -> Bool {
        !address.isEmpty
            && !address.unicodeScalars.contains {
                $0 == "\r" || $0 == "\n" || $0 == "<" || $0 == ">" || $0 == "\0"
            }
    }
}

/// One SMTP conversation, run on its own thread.
///
/// `@unchecked Sendable`: created by `send`, then used by exactly one thread
/// (the one running `perform`); the read callback runs on that same thread.
private final class MailJob: @unchecked Sendable {
    let message: Data
    let from: String
    let recipients: [String]
    let server: URL
    let username: String?
    let password: String?
    let configuration: MailSender.Configuration
    var offset = 0

    init(
        message: Data, from: String, recipients: [String], server: URL, username: String?, password: String?,
        configuration: MailSender.Configuration
    ) {
        self.message = message
        self.from = from
        self.recipients = recipients
        self.server = server
        self.username = username
        self.password = password
        self.configuration = configuration
    }

    func perform() -> Result<Void, TransferError> {
        guard let easy = ccurl_easy_init() else {
            return .failure(.other(server, curl: nil, duration: .zero, bytes: 0))
        }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        let recipientList = makeSlist(recipients.map { "<\($0)>" })
        defer {
            ccurl_easy_cleanup(easy)
            ccurl_slist_free_all(recipientList)
            errorBuffer.deallocate()
        }
        let context = Unmanaged.passUnretained(self).toOpaque()

        var options = EasyOptions(easy)
        options.set(CURLOPT_URL, server.absoluteString)
        options.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        options.set(CURLOPT_NOSIGNAL, 1)
        options.set(CURLOPT_CONNECTTIMEOUT_MS, HTTPTransfer.milliseconds(configuration.connectTimeout))
        options.set(CURLOPT_TIMEOUT_MS, HTTPTransfer.milliseconds(configuration.timeout))
        options.set(CURLOPT_SSL_VERIFYPEER, 1)
        options.set(CURLOPT_SSL_VERIFYHOST, 2)
        if server.scheme?.lowercased() == "smtp" {
            // STARTTLS when offered, clear text otherwise (smtps:// is TLS anyway).
            options.set(CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue))
        }
        options.set(CURLOPT_MAIL_FROM, "<\(from)>")
        options.set(CURLOPT_MAIL_RCPT, list: recipientList)
        if let password {
            if let username { options.set(CURLOPT_USERNAME, username) }
            options.set(CURLOPT_PASSWORD, password)
        }
        options.set(CURLOPT_UPLOAD, 1)
        options.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(message.count))
        options.setReadCallback(readMessage)
        options.set(CURLOPT_READDATA, pointer: context)
        options.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        if let failure = options.failure {
            return .failure(.other(server, curl: CurlFailure(failure, detail: nil), duration: .zero, bytes: 0))
        }

        let code = ccurl_easy_perform(easy)
        let info = EasyInfo(handle: easy)
        let duration = Duration.microseconds(info.offset(CURLINFO_TOTAL_TIME_T))
        let reply = info.long(CURLINFO_RESPONSE_CODE)
        let detail = String(cString: errorBuffer)
        let curl = CurlFailure(code, detail: detail.isEmpty ? nil : detail)
        switch code {
        case CURLE_OK:
            return .success(())
        case CURLE_LOGIN_DENIED:
            return .failure(.authentication(server, curl: curl, reply: reply == 0 ? nil : reply, duration: duration))
        default:
            let failure = TransferError.curl(
                code, url: server, curl: curl, timeout: configuration.timeout, duration: duration, bytes: 0)
            // libcurl reports a refused sender, recipient or message as a failed send or receive
            // (or a code of its own): the server's reply says it was a refusal.
            if reply >= 400, failure == nil || failure?.kind == .interrupted {
                return .failure(.mailRefused(server, reply: reply, curl: curl, duration: duration))
            }
            return .failure(
                failure ?? .other(server, curl: curl, status: reply == 0 ? nil : reply, duration: duration, bytes: 0))
        }
    }
}

/// Hands libcurl the next slice of the message.
private let readMessage: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    buffer, size, count, context in
    let job = Unmanaged<MailJob>.fromOpaque(context!).takeUnretainedValue()
    let length = min(size * count, job.message.count - job.offset)
    guard let buffer, length > 0 else { return 0 }
    job.message.withUnsafeBytes { bytes in
        let start = bytes.baseAddress!.advanced(by: job.offset)
        UnsafeMutableRawPointer(buffer).copyMemory(from: start, byteCount: length)
    }
    job.offset += length
    return length
}
