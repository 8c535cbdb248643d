#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Tells systemd how the daemon is doing, through the datagram socket named by `$NOTIFY_SOCKET`.
///
/// This is the `sd_notify(3)` protocol written with plain POSIX sockets, so the daemon needs no
/// libsystemd: each call sends one datagram of `KEY=value` lines. When `NOTIFY_SOCKET` is unset
/// (run by hand, or by a unit that is not `Type=notify`) every call is a no-op.
///
/// ```swift
/// let notifier = SystemdNotifier()
/// try notifier.notify(.ready, .status("42 feeds, 3 failing, next poll 10:42"))
/// ```
public struct SystemdNotifier: Sendable {
    /// One assignment of the protocol.
    public enum Message: Sendable, Equatable {
        /// `READY=1`: start-up is over; `systemctl start` returns.
        case ready
        /// `RELOADING=1`: a reload started; send `.ready` when it is over.
        case reloading
        /// `STOPPING=1`: shutdown started.
        case stopping
        /// `WATCHDOG=1`: the service is alive; resets the `WatchdogSec=` timer.
        case watchdog
        /// `STATUS=…`: one line that `systemctl status` shows.
        case status(String)

        /// The line sent on the wire. A status is kept on one line: a newline would start a new assignment.
        var line: String {
            switch self {
            case .ready: "READY=1"
            case .reloading: "RELOADING=1"
            case .stopping: "STOPPING=1"
            case .watchdog: "WATCHDOG=1"
            case .status(let text):
                "STATUS=" + text.split(whereSeparator: \.isNewline).joined(separator: " ")
            }
        }
    }

    /// The socket address from `$NOTIFY_SOCKET`: a path, or an abstract name when it starts with `@`.
    /// `nil` when systemd did not ask for notifications.
    public let socketAddress: String?

    /// How often to send `.watchdog`: half of `$WATCHDOG_USEC`, as `sd_watchdog_enabled(3)` advises;
    /// `nil` when no watchdog is set, or when `$WATCHDOG_PID` names another process.
    public let watchdogInterval: Duration?

    /// Whether messages go anywhere.
    public var isEnabled: Bool { socketAddress != nil }

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    ///
    /// - Parameters:
    ///   - environment: the process environment (a test passes its own).
    ///   - processID: this process's id, compared with `WATCHDOG_PID`.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        processID: Int32 = getpid()
    ) {
        let socket = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketAddress = socket
        let watchdogIsOurs = environment["WATCHDOG_PID"].map { Int32($0) == processID } ?? true
        if socket != nil, watchdogIsOurs,
            let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0
        {
            watchdogInterval = .microseconds(usec / 2)
        } else {
            watchdogInterval = nil
        }
    }

    /// Sends `messages` in one datagram. Does nothing when `$NOTIFY_SOCKET` is unset.
    ///
    /// - Throws: `NotifyError` when the socket cannot be reached (systemd gone, a path too long).
    public func notify(_ messages: Message...) throws(NotifyError) {
        try notify(messages)
    }

    /// Sends `messages` in one datagram. Does nothing when `$NOTIFY_SOCKET` is unset.
    ///
    /// - Throws: `NotifyError` when the socket cannot be reached (systemd gone, a path too long).
    public func notify(_ messages: [Message]) throws(NotifyError) {
        guard let socketAddress, !messages.isEmpty else { return }
        let payload = messages.map(\.line).joined(separator: "\n") + "\n"
        try Self.send(Array(payload.utf8), to: socketAddress)
    }

    private static func send(_ payload: [UInt8], to address: String) throws(NotifyError) {
        var name = Array(address.utf8)
        let isAbstract = name.first == UInt8(ascii: "@")
        if isAbstract { name[0] = 0 }  // Linux abstract namespace: a leading NUL, no file
        guard name.first == UInt8(ascii: "/") || isAbstract else {
            throw NotifyError(address: address, reason: "not an absolute path nor an @abstract name")
        }

        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: storage.sun_path)
        guard name.count < capacity else {
            throw NotifyError(address: address, reason: "longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &storage.sun_path) { bytes in
            bytes.copyBytes(from: name)
        }
        // An abstract name is exactly its bytes; a path also counts its terminating NUL.
        let length = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + name.count + (isAbstract ? 0 : 1)

        // MSG_DONTWAIT: a receiver that stopped reading (its queue holds net.unix.max_dgram_qlen
        // datagrams) must cost us a lost notification, never a blocked thread — a blocked watchdog
        // ping would otherwise hold a cooperative thread and, with it, the shutdown.
        #if canImport(Glibc)
            let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            let flags = Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)
        #else
            let descriptor = socket(AF_UNIX, SOCK_DGRAM, 0)
            let flags = Int32(MSG_DONTWAIT)
        #endif
        guard descriptor >= 0 else {
            throw NotifyError(address: address, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }

        let sent = payload.withUnsafeBytes { bytes in
            withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    sendto(descriptor, bytes.baseAddress, bytes.count, flags, socketAddress, socklen_t(length))
                }
            }
        }
        guard sent == payload.count else {
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK {
                throw NotifyError(address: address, reason: "the receiver's queue is full, notification dropped")
            }
            throw NotifyError(address: address, reason: String(cString: strerror(code)))
        }
    }
}

/// A notification that could not be sent to systemd.
public struct NotifyError: ActionableError {
    /// The `$NOTIFY_SOCKET` value.
    public let address: String
    /// What went wrong, in the words of the C library.
    public let reason: String

    /// A runtime failure: the service manager, not the input, is at fault.
    public var kind: FailureKind { .runtime }

    /// One line: the English of ``wording`` (RegWatch/Messages/).
    public var description: String { wording.english }
}
