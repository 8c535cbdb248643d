import CCurl
import Foundation

/// libcurl's process-wide setup, done once before the first handle (it is not
/// thread-safe itself, so it must not race with handle creation). Swift runs a
/// global's initialiser exactly once, atomically.
let curlGlobalInit: Void = {
    // CURL_GLOBAL_ALL (SSL | WIN32) is a macro expression Swift does not import.
    _ = ccurl_global_init(3)
}()

/// A libcurl failure: its code, and its words (`curl_easy_strerror` plus the
/// transfer's error buffer, which names the host, the timeout or the limit).
struct CurlFailure: Sendable {
    let code: Int
    let message: String

    init(_ code: CURLcode, detail: String?) {
        self.code = Int(code.rawValue)
        let general = String(cString: ccurl_easy_strerror(code))
        if let detail, !detail.isEmpty, detail != general {
            message = "\(code.rawValue) \(general): \(detail)"
        } else {
            message = "\(code.rawValue) \(general)"
        }
    }
}

/// Sets options on an easy handle and remembers the first failure, so a
/// configuration is one straight list of calls with one check at the end.
struct EasyOptions {
    let handle: UnsafeMutableRawPointer
    private(set) var failure: CURLcode?

    init(_ handle: UnsafeMutableRawPointer) {
        self.handle = handle
    }

    private mutating func check(_ code: CURLcode) {
        if code != CURLE_OK && failure == nil { failure = code }
    }

    mutating func set(_ option: CURLoption, _ value: Int) {
        check(ccurl_easy_setopt_long(handle, option, value))
    }

    mutating func set(_ option: CURLoption, _ value: String) {
        // libcurl copies string options (since 7.17), so a temporary C string is enough.
        check(ccurl_easy_setopt_string(handle, option, value))
    }

    mutating func set(_ option: CURLoption, offset value: Int64) {
        check(ccurl_easy_setopt_off_t(handle, option, curl_off_t(value)))
    }

    mutating func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) {
        check(ccurl_easy_setopt_pointer(handle, option, value))
    }

    mutating func set(_ option: CURLoption, list value: UnsafeMutablePointer<curl_slist>?) {
        check(ccurl_easy_setopt_slist(handle, option, value))
    }

    mutating func set(
        _ option: CURLoption,
        callback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int
    ) {
        check(ccurl_easy_setopt_write_callback(handle, option, callback))
    }

    /// What every HTTP(S) transfer of regwatch shares, fetch or outgoing request: the URL,
    /// http and https only, no signals, verified TLS, the User-Agent and header fields, the
    /// error buffer, and the callbacks that collect the body and the header lines of the
    /// response (`context` is handed back to them).
    mutating func setHTTP(
        url: URL, userAgent: String, headers: UnsafeMutablePointer<curl_slist>?,
        errorBuffer: UnsafeMutablePointer<CChar>, context: UnsafeMutableRawPointer,
        body: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int,
        header: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int
    ) {
        set(CURLOPT_URL, url.absoluteString)
        // Transfers run on threads of their own or the multi thread: never interrupted by
        // signals (DNS timeouts use them otherwise).
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_PROTOCOLS_STR, "http,https")
        set(CURLOPT_SSL_VERIFYPEER, 1)
        set(CURLOPT_SSL_VERIFYHOST, 2)
        set(CURLOPT_USERAGENT, userAgent)
        set(CURLOPT_HTTPHEADER, list: headers)
        // Proxy CONNECT answers must not be taken for the response.
        set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        set(CURLOPT_WRITEFUNCTION, callback: body)
        set(CURLOPT_WRITEDATA, pointer: context)
        set(CURLOPT_HEADERFUNCTION, callback: header)
        set(CURLOPT_HEADERDATA, pointer: context)
    }

    mutating func setReadCallback(
        _ callback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int
    ) {
        check(ccurl_easy_setopt_read_callback(handle, callback))
    }

    mutating func setOpenSocketCallback(
        _ callback:
            @convention(c) (UnsafeMutableRawPointer?, curlsocktype, UnsafeMutablePointer<curl_sockaddr>?)
            -> curl_socket_t
    ) {
        check(ccurl_easy_setopt_opensocket_callback(handle, callback))
    }
}

/// Reads from a finished easy handle.
struct EasyInfo {
    let handle: UnsafeMutableRawPointer

    func long(_ info: CURLINFO) -> Int {
        var value = 0
        _ = ccurl_easy_getinfo_long(handle, info, &value)
        return value
    }

    func offset(_ info: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        _ = ccurl_easy_getinfo_off_t(handle, info, &value)
        return Int64(value)
    }

    func string(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard ccurl_easy_getinfo_string(handle, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }
}

/// Builds a `curl_slist` from Swift strings; the caller frees it with `curl_slist_free_all`
/// once no handle uses it.
func makeSlist(_ lines: [String]) -> UnsafeMutablePointer<curl_slist>? {
    var list: UnsafeMutablePointer<curl_slist>?
    for line in lines {
        // curl_slist_append copies the string.
        if let appended = ccurl_slist_append(list, line) { list = appended }
    }
    return list
}
