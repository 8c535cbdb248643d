#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A datagram socket bound by a test, standing where systemd's `$NOTIFY_SOCKET` would be.
///
/// It is a real `AF_UNIX` `SOCK_DGRAM` socket: what the daemon sends is exactly what systemd would
/// receive. Pass `environmentValue` as `NOTIFY_SOCKET` to the code under test.
public final class NotifySocket: @unchecked Sendable {
    // @unchecked: `descriptor` is immutable and closed only in deinit; `received` is guarded by `lock`.
    private let descriptor: Int32
    private let lock = NSLock()
    private var received: [String] = []

    /// The value to put in `NOTIFY_SOCKET`: the path, or `@name` for an abstract socket.
    public let environmentValue: String

    /// Binds a socket at `path`, or in the abstract namespace as `@abstractName` when `path` is nil.
    public init(path: String? = nil, abstractName: String? = nil) throws {
        precondition(path != nil || abstractName != nil, "a path or an abstract name")
        #if canImport(Glibc)
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        descriptor = socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var name: [UInt8]
        if let path {
            unlink(path)
            name = Array(path.utf8)
            environmentValue = path
        } else {
            name = [0] + Array(abstractName!.utf8)
            environmentValue = "@" + abstractName!
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: name) }
        let length = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + name.count + (path != nil ? 1 : 0)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(length)) }
        }
        guard status == 0 else {
            let code = errno
            close(descriptor)
            throw POSIXError(.init(rawValue: code) ?? .EIO)
        }
    }

    deinit {
        close(descriptor)
    }

    /// Every datagram received so far, oldest first.
    public var datagrams: [String] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Reads datagrams until one satisfies `predicate` or `timeout` passes; returns that datagram.
    ///
    /// Every datagram read on the way is kept in `datagrams`.
    public func waitFor(timeout: TimeInterval = 10, _ predicate: (String) -> Bool) -> String? {
        if let earlier = datagrams.first(where: predicate) { return earlier }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
            guard poll(&descriptorSet, 1, milliseconds) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { continue }
            let datagram = String(decoding: buffer[..<count], as: UTF8.self)
            lock.lock()
            received.append(datagram)
            lock.unlock()
            if predicate(datagram) { return datagram }
        }
        return nil
    }
}
