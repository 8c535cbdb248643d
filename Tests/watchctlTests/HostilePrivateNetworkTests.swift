import Foundation
import TestSupport
import XCTest

/// `watchctl poll` with the shipped default (`allow_private_networks = false`): every feed
/// whose address is loopback, RFC 1918, link-local (the cloud metadata address), CGNAT, ULA
/// or unspecified is refused before a byte is sent, with an error naming the address and the
/// setting. The check runs on the address libcurl is about to connect to, so a name
/// (`localhost`) is refused as surely as a literal.
final class HostilePrivateNetworkTests: XCTestCase {
    func testEveryPrivateAddressIsRefusedNamingTheAddressAndTheSetting() throws {
        let fixture = try WatchctlFixture(prefix: "regwatch-private")
        defer { fixture.remove() }
        let server = fixture.server
        server.route(path: "/feed.xml", document: Data(HostileFeedTests.healthy.utf8))

        // URL → the address the error must name (nil: any loopback address of the name).
        let cases: [(String, String?)] = [
            (server.url(for: "/feed.xml").absoluteString, "127.0.0.1"),
            ("http://localhost:\(server.port)/feed.xml", nil),
            ("http://[::1]:\(server.port)/feed.xml", "::1"),
            ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
            ("http://10.20.30.40/flux.xml", "10.20.30.40"),
            ("http://172.16.5.4/flux.xml", "172.16.5.4"),
            ("http://192.168.1.1/flux.xml", "192.168.1.1"),
            ("http://100.64.0.7/flux.xml", "100.64.0.7"),
            ("http://0.0.0.0:\(server.port)/feed.xml", "0.0.0.0"),
            ("http://[fd00::1]/flux.xml", "fd00::1"),
            ("http://[fe80::1]/flux.xml", "fe80::1"),
        ]
        var config = "[fetch]\ntimeout = \"10s\"\n"  // allow_private_networks left at its default
        for (url, _) in cases { config += "\n[[feeds]]\nurl = \"\(url)\"\n" }
        try fixture.directory.write(config, to: "feeds.toml")

        let result = try fixture.run(["poll", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try Hostile.Summary(result.stdout)
        XCTAssertEqual(summary.failed, cases.count)
        XCTAssertEqual(summary.newItems, 0)
        for (url, address) in cases {
            let error = try XCTUnwrap(summary.errors[url], "no error for \(url): \(summary.errors)")
            XCTAssertTrue(error.contains("allow_private_networks"), "\(url): \(error)")
            if let address {
                XCTAssertTrue(error.contains("private address \(address)"), "\(url): \(error)")
            } else {
                XCTAssertTrue(
                    error.contains("private address 127.0.0.1") || error.contains("private address ::1"),
                    "\(url): \(error)")
            }
        }
        XCTAssertEqual(server.totalRequests, 0, "not one request reached the loopback server")
    }

    /// A documentation address (TEST-NET-2, not private) added to `lo` for the test: the
    /// "public" host whose redirects are followed.
    private static let publicAddress = "198.51.100.7"

    func testARedirectFromAPublicHostToAPrivateAddressIsRefusedBeforeConnecting() throws {
        try Self.addPublicAddressToLoopback()
        defer { Self.removePublicAddressFromLoopback() }
        let fixture = try WatchctlFixture(prefix: "regwatch-private-redirect")
        defer { fixture.remove() }
        let intranet = fixture.server
        intranet.route(path: "/admin/feed.xml", document: Data(HostileFeedTests.healthy.utf8))
        let publicHost = try LoopbackHTTPServer(bindingTo: Self.publicAddress)
        defer { publicHost.stop() }
        let base = "http://\(Self.publicAddress):\(publicHost.port)"
        publicHost.route(path: "/feed.xml", document: Data(HostileFeedTests.healthy.utf8))
        publicHost.route("/to-loopback") { _ in .redirect(302, to: intranet.url(for: "/admin/feed.xml").absoluteString)
        }
        publicHost.route("/to-metadata") { _ in .redirect(301, to: "http://169.254.169.254/latest/meta-data/") }
        publicHost.route("/hop") { _ in .redirect(302, to: "\(base)/to-loopback") }
        let urls = ["\(base)/feed.xml", "\(base)/to-loopback", "\(base)/to-metadata", "\(base)/hop"]
        var config = "[fetch]\ntimeout = \"10s\"\n"  // allow_private_networks left at its default
        for url in urls { config += "\n[[feeds]]\nurl = \"\(url)\"\n" }
        try fixture.directory.write(config, to: "feeds.toml")

        let result = try fixture.run(["poll", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try Hostile.Summary(result.stdout)
        XCTAssertEqual(summary.ok, 1, "the public host itself is fetched: \(summary.errors)")
        XCTAssertEqual(summary.failed, 3)
        for (url, address) in [(urls[1], "127.0.0.1"), (urls[2], "169.254.169.254"), (urls[3], "127.0.0.1")] {
            let error = try XCTUnwrap(summary.errors[url], "no error for \(url): \(summary.errors)")
            XCTAssertTrue(error.contains("private address \(address)"), "\(url): \(error)")
            XCTAssertTrue(error.contains("allow_private_networks"), "\(url): \(error)")
        }
        XCTAssertEqual(intranet.totalRequests, 0, "the redirect target on loopback was never reached")
        XCTAssertEqual(publicHost.requestCount(path: "/to-loopback"), 2, "asked directly and through /hop")
    }

    /// Adds ``publicAddress`` to `lo` (needs root or CAP_NET_ADMIN, as in CI; skips otherwise).
    private static func addPublicAddressToLoopback() throws {
        let status = Hostile.shell("/usr/sbin/ip addr add \(publicAddress)/32 dev lo")
        // 2: already there (a run that was killed before its cleanup).
        guard status == 0 || status == 2 else {
            throw XCTSkip("cannot add \(publicAddress) to lo (ip exited \(status)): needs root or CAP_NET_ADMIN")
        }
    }

    private static func removePublicAddressFromLoopback() {
        Hostile.shell("/usr/sbin/ip addr del \(publicAddress)/32 dev lo")
    }

    func testTheSameFeedIsFetchedOnceTheSettingAllowsIt() throws {
        let fixture = try WatchctlFixture(prefix: "regwatch-private")
        defer { fixture.remove() }
        fixture.server.route(path: "/feed.xml", document: Data(HostileFeedTests.healthy.utf8))
        try fixture.writeConfig("[[feeds]]\nurl = \"\(fixture.url("/feed.xml"))\"")
        let result = try fixture.run(["poll", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try Hostile.Summary(result.stdout)
        XCTAssertEqual(summary.ok, 1, "\(summary.errors)")
        XCTAssertEqual(summary.newItems, 2)
    }
}
