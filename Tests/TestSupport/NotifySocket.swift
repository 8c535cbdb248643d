#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// A datagram socket bound by a test, standing where systemd's `$NOTIFY_SOCKET` would be.
///
/// It is a real `AF_UNIX` `SOCK_DGRAM` socket: what the daemon sends is exactly what systemd would
/// receive. Like systemd, it reads continuously (on its own thread), so a sender never finds the
/// queue full. Pass `environmentValue` as `NOTIFY_SOCKET` to the code under test.
public final class NotifySocket: Sendable {
    private let reader: Reader

    /// The value to put in `NOTIFY_SOCKET`: the path, or `@name` for an abstract socket.
    public let environmentValue: String

    /// Binds a socket at `path`, or in the abstract namespace as `@abstractName` when `path` is nil.
    public init(path: String? = nil, abstractName: String? = nil) throws {
        precondition(path != nil || abstractName != nil, "a path or an abstract name")
        #if canImport(Glibc)
            let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
            let descriptor = socket(AF_UNIX, SOCK_DGRAM, 0)
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
        reader = Reader(descriptor: descriptor)
        let reader = reader
        Thread.detachNewThread { reader.run() }
    }

    deinit {
        reader.stop()
    }

    /// Every datagram received so far, oldest first.
    public var datagrams: [String] {
        reader.snapshot()
    }

    /// Waits until a datagram satisfies `predicate` or `timeout` passes; returns that datagram.
    ///
    /// - Parameter since: how many of the earlier datagrams to skip (`datagrams.count` before
    ///   an action, to wait for what the action caused).
    public func waitFor(since: Int = 0, timeout: TimeInterval = 10, _ predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let found = datagrams.dropFirst(since).first(where: predicate) { return found }
            usleep(10_000)
        } while Date() < deadline
        return datagrams.dropFirst(since).first(where: predicate)
    }

    /// The receiving thread and what it received; shared with the thread, so the socket object
    /// itself can be released while the thread finishes.
    private final class Reader: @unchecked Sendable {
        // @unchecked: `received` and `stopped` are only touched under `lock`; `descriptor` is
        // immutable and closed by the reading thread itself once it has stopped.
        private let lock = NSLock()
        private var received: [String] = []
        private var stopped = false
        private let descriptor: Int32

        init(descriptor: Int32) {
            self.descriptor = descriptor
        }

        func run() {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                lock.lock()
                let done = stopped
                lock.unlock()
                if done { break }
                var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&descriptorSet, 1, 50) > 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { continue }
                let datagram = String(decoding: buffer[..<count], as: UTF8.self)
                lock.lock()
                received.append(datagram)
                lock.unlock()
            }
            close(descriptor)
        }

        func stop() {
            lock.lock()
            stopped = true
            lock.unlock()
        }

        func snapshot() -> [String] {
            lock.lock()
            defer { lock.unlock() }
            return received
        }
    }
}
