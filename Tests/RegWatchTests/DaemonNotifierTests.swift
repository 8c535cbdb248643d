#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import RegWatch
import TestSupport
import XCTest

/// The sd_notify protocol, spoken to a real datagram socket as systemd would hold it.
final class DaemonNotifierTests: XCTestCase {
    private var folder: TemporaryDirectory!

    override func setUpWithError() throws {
        folder = try TemporaryDirectory(prefix: "regwatch-notify")
    }

    override func tearDown() {
        folder.remove()
    }

    func testReadyAndStatusArriveInOneDatagramOnAPathSocket() throws {
        let socket = try NotifySocket(path: folder.file("notify.sock").path)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.environmentValue])

        try notifier.notify(.ready, .status("42 feeds, 3 failing, next poll 10:42"))

        let datagram = socket.waitFor(timeout: 5) { _ in true }
        XCTAssertEqual(datagram, "READY=1\nSTATUS=42 feeds, 3 failing, next poll 10:42\n")
    }

    func testAbstractSocketNamesStartingWithAtAreReached() throws {
        let name = "regwatch-test-\(UUID().uuidString.prefix(8))"
        let socket = try NotifySocket(abstractName: name)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@" + name])

        try notifier.notify(.watchdog)
        try notifier.notify(.stopping)

        XCTAssertNotNil(socket.waitFor(timeout: 5) { $0 == "STOPPING=1\n" })
        XCTAssertEqual(socket.datagrams, ["WATCHDOG=1\n", "STOPPING=1\n"])
    }

    func testAStatusWithANewlineStaysOneAssignment() throws {
        let socket = try NotifySocket(path: folder.file("notify.sock").path)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.environmentValue])

        try notifier.notify(.status("feeds.toml:3: bad\nREADY=1"))

        XCTAssertEqual(socket.waitFor(timeout: 5) { _ in true }, "STATUS=feeds.toml:3: bad READY=1\n")
    }

    func testWithoutNotifySocketNothingIsSentAndNoWatchdogIsDue() throws {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"])

        XCTAssertFalse(notifier.isEnabled)
        XCTAssertNil(notifier.watchdogInterval)
        XCTAssertNoThrow(try notifier.notify(.ready))
    }

    func testWatchdogIsPingedAtHalfItsTimeout() {
        let notifier = SystemdNotifier(
            environment: ["NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "30000000"])

        XCTAssertEqual(notifier.watchdogInterval, .seconds(15))
    }

    func testAWatchdogMeantForAnotherProcessIsIgnored() {
        let notifier = SystemdNotifier(
            environment: ["NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"],
            processID: 4242)

        XCTAssertNil(notifier.watchdogInterval)
    }

    func testAReceiverThatStoppedReadingCostsDroppedMessagesNeverABlockedSender() throws {
        // A bound socket that nobody reads: its queue fills after net.unix.max_dgram_qlen datagrams.
        let path = folder.file("deaf.sock").path
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        XCTAssertEqual(bound, 0)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path])

        var dropped = 0
        for _ in 0..<2000 {
            do { try notifier.notify(.watchdog) } catch { dropped += 1 }
        }

        XCTAssertGreaterThan(dropped, 0, "the queue filled and the sender went on")
    }

    func testASocketNobodyListensOnIsAnErrorNamingIt() throws {
        let missing = folder.file("nobody.sock").path
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": missing])

        XCTAssertThrowsError(try notifier.notify(.ready)) { error in
            let description = String(describing: error)
            XCTAssertTrue(description.contains(missing), description)
            XCTAssertFalse(description.contains("\n"))
        }
    }
}
