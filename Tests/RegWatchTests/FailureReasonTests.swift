import RegWatch
import XCTest

/// A stored fetch error becomes a reason the digest and the audit can word for a reader.
final class FailureReasonTests: XCTestCase {
    func testStoredFetchErrorsAreClassifiedByWhatWentWrong() {
        let cases: [(String, Int?, Bool, FailureReason)] = [
            (
                "cannot resolve host www.cfa.fr (curl: Couldn't resolve host name) — check the host name", nil, false,
                .unknownHost
            ),
            (
                "cannot connect to www.cfa.fr (curl: Couldn't connect to server) — the server is down", nil, false,
                .unreachable
            ),
            ("timed out after 30 s ([fetch] timeout) — the server is too slow", nil, false, .unreachable),
            (
                "TLS handshake or certificate verification failed (curl: SSL peer certificate) — …", nil, false,
                .certificate
            ),
            ("HTTP 404 Not Found — check the feed URL", 404, false, .http(404)),
            ("HTTP 503 Service Unavailable after 3 attempts", nil, false, .http(503)),
            ("HTTP 410 Gone — the source is gone for good; the feed is disabled", 410, true, .gone),
            ("not an RSS, Atom, RDF or JSON feed: the document is an HTML page", 200, false, .notAFeed),
            ("malformed feed: no element could be read", 200, false, .unreadable),
            ("body exceeds 10 MiB (max_bytes) — raise [fetch] max_bytes or drop this feed", nil, false, .tooLarge),
            (
                "refused to connect to private address 10.0.0.1 — set [fetch] allow_private_networks", nil, false,
                .refused
            ),
            (
                "the page layout changed: items matched nothing, 3 last time — check the selector", 200, false,
                .layoutChanged
            ),
            ("something nobody foresaw", nil, false, .other),
        ]
        for (error, status, gone, expected) in cases {
            XCTAssertEqual(FailureReason(error: error, status: status, gone: gone), expected, error)
        }
    }

    func testAnHTMLPageAnswering200IsNotAFeedRatherThanAnHTTPFailure() {
        let reason = FailureReason(error: "not an RSS, Atom, RDF or JSON feed: <html> root", status: 200, gone: false)
        XCTAssertEqual(reason, .notAFeed)
        XCTAssertEqual(reason.code, "not_a_feed")
    }
}
