import Foundation
import TestSupport
@testable import Transfer
import XCTest

/// Feeds cannot reach loopback, the LAN or metadata services unless allowed.
final class PrivateNetworkTests: XCTestCase {
    func testLoopbackIsRefusedUnlessPrivateNetworksAreAllowed() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route(path: "/feed.xml", document: Data(centreInffoFeed.utf8))
        let url = server.url(for: "/feed.xml")

        let guarded = Fetcher(configuration: .init(connectTimeout: .seconds(5), timeout: .seconds(10)))
        let error = try await fetchError(guarded, FetchRequest(url: url))
        XCTAssertEqual(error.kind, .privateAddress)
        XCTAssertEqual(error.nextStep, .fixConfiguration)
        XCTAssertTrue(
            error.description.hasPrefix(
                "\(url.absoluteString): refused to connect to private address 127.0.0.1"), error.description)
        XCTAssertTrue(error.description.hasSuffix("set [fetch] allow_private_networks = true to allow it"))
        XCTAssertEqual(server.totalRequests, 0, "not one byte reached the server")

        let allowed = Fetcher(configuration: .loopback())
        let response = try await allowed.fetch(FetchRequest(url: url))
        XCTAssertEqual(response.status, 200)
    }

    func testPublicLookingNameResolvingToLoopbackIsRefused() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.route(path: "/feed.xml", document: Data(centreInffoFeed.utf8))
        // As a hostile DNS answer would: a public-looking name that resolves to 127.0.0.1.
        let fetcher = Fetcher(
            configuration: .init(
                resolve: [.init(host: "www.education.gouv.fr", port: server.port, address: "127.0.0.1")]))
        let url = server.url(for: "/feed.xml", host: "www.education.gouv.fr")
        let error = try await fetchError(fetcher, FetchRequest(url: url))
        XCTAssertEqual(error.kind, .privateAddress)
        XCTAssertEqual(server.totalRequests, 0)
    }

    func testAddressClassification() {
        func v4(_ text: String) -> UInt32 {
            text.split(separator: ".").reduce(UInt32(0)) { $0 << 8 | UInt32($1)! }
        }
        for address in [
            "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.10",
            "169.254.169.254", "100.64.0.1", "100.127.255.254", "0.0.0.0",
        ] {
            XCTAssertTrue(PrivateNetwork.isPrivate(ipv4: v4(address)), address)
        }
        for address in ["8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "185.24.184.1", "1.1.1.1"] {
            XCTAssertFalse(PrivateNetwork.isPrivate(ipv4: v4(address)), address)
        }
        func v6(_ text: String) -> [UInt8] {
            var address = in6_addr()
            XCTAssertEqual(inet_pton(AF_INET6, text, &address), 1, text)
            return withUnsafeBytes(of: address) { Array($0) }
        }
        for address in [
            "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
        ] {
            XCTAssertTrue(PrivateNetwork.isPrivate(ipv6: v6(address)), address)
        }
        for address in ["2001:41d0:8:e8ad::1", "2a00:1450:4007::200e", "::ffff:8.8.8.8", "ff02::1"] {
            XCTAssertFalse(PrivateNetwork.isPrivate(ipv6: v6(address)), address)
        }
    }
}
