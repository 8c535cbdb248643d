import CCurl
import Foundation

extension TransferError {
    /// The failure a libcurl code means for any transfer (a fetch, an outgoing request, a
    /// mail): the host not resolved, no connection, the total timeout, TLS, a connection broken
    /// mid-transfer, a broken compressed body. `nil` for `CURLE_OK` and for a code whose meaning
    /// depends on the transfer (a refused redirect, a size limit, an SMTP refusal): the caller
    /// words those before asking, and calls anything left ``other(_:curl:status:duration:bytes:)``.
    static func curl(
        _ code: CURLcode, url: URL, curl: CurlFailure, timeout: Duration, duration: Duration, bytes: Int
    ) -> TransferError? {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .dns(url, host: url.host ?? "", curl: curl, duration: duration)
        case CURLE_COULDNT_CONNECT:
            let host = url.host.map { host in url.port.map { "\(host):\($0)" } ?? host } ?? ""
            return .connect(url, host: host, curl: curl, duration: duration)
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(url, limit: timeout, curl: curl, duration: duration, bytes: bytes)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CLIENTCERT,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED:
            return .tls(url, curl: curl, duration: duration)
        case CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_HTTP2,
            CURLE_HTTP2_STREAM:
            return .interrupted(url, curl: curl, duration: duration, bytes: bytes)
        case CURLE_BAD_CONTENT_ENCODING:
            return .badEncoding(url, curl: curl, duration: duration, bytes: bytes)
        default:
            return nil
        }
    }
}
