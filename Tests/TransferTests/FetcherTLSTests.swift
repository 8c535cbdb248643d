import Foundation
import TestSupport
import Transfer
import XCTest

/// TLS certificates are always verified: an untrusted one is an error, never a fallback.
final class FetcherTLSTests: XCTestCase {
    func testSelfSignedCertificateIsRefused() async throws {
        let server = try LoopbackTLSServer()
        defer { server.stop() }
        let fetcher = Fetcher(configuration: .loopback())
        let url = server.url(for: "/feed.xml")
        let error = try await fetchError(fetcher, FetchRequest(url: url))
        XCTAssertEqual(error.kind, .tls)
        XCTAssertEqual(error.curlCode, 60)  // CURLE_PEER_FAILED_VERIFICATION
        XCTAssertEqual(error.nextStep, .backOff)
        XCTAssertTrue(
            error.description.hasPrefix("\(url.absoluteString): TLS handshake or certificate verification failed"),
            error.description)
    }
}
