import Foundation

/// A loopback server written in Python, run as a child process in a folder of its own:
/// started, waited for until it prints `PORT n`, stopped by pid, its folder removed with it.
/// Shared by the SMTP, TLS, Synapse and WebDAV servers.
final class PythonServerProcess: @unchecked Sendable {
    // @unchecked: `process` is set once in init and only read afterwards
    // (isRunning/terminate/waitUntilExit are safe from any thread).

    /// The interpreter with Debian's python3-aiosmtpd: not a pyenv shim on PATH.
    static let python = "/usr/bin/python3"

    /// Unblocks SIGTERM: a child spawned from a test's dispatch thread inherits
    /// that thread's blocked signal mask, and would then ignore `stop()`.
    static let prologue = """
        import signal
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

        """

    let port: Int
    /// The server's folder (its script, log, and whatever `arguments` put there).
    let folder: TemporaryDirectory
    private let process: Process

    /// Makes a folder (`prefix`), lets `arguments` prepare it and give the command line, writes
    /// `script` there and runs it (under `interpreter`, Debian's python3 by default), and waits
    /// for its `PORT n` line. The folder is removed if anything fails, and by ``stop()``.
    init(
        script: String, name: String, folderPrefix: String, interpreter: String = python,
        arguments: (TemporaryDirectory) throws -> [String]
    ) throws {
        let folder = try TemporaryDirectory(prefix: folderPrefix)
        do {
            let (process, port) = try Self.start(
                script: script, arguments: arguments(folder), folder: folder, name: name, interpreter: interpreter)
            self.process = process
            self.port = port
            self.folder = folder
        } catch {
            folder.remove()
            throw error
        }
    }

    private static func start(
        script: String, arguments: [String], folder: TemporaryDirectory, name: String, interpreter: String
    ) throws -> (Process, Int) {
        let path = try folder.write(Self.prologue + script, to: "\(name).py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = [path.path] + arguments
        let stdout = Pipe()
        // A file, not a pipe: a chatty server must never block on a full pipe nobody reads.
        let log = folder.file("\(name).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: log)
        do {
            try process.run()
        } catch {
            throw LoopbackServerError(description: "cannot run \(interpreter): \(error)")
        }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }  // EOF: the script died
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let reason = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw LoopbackServerError(description: "\(name) did not start: \(reason)")
        }
        return (process, port)
    }

    /// SIGTERM, then SIGKILL if it lingers; returns once the process is gone and its folder
    /// removed.
    func stop() {
        defer { folder.remove() }
        guard process.isRunning else { return }
        process.terminate()
        // Cleanup, not a timed assertion: give SIGTERM five seconds, then SIGKILL.
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A self-signed certificate for 127.0.0.1 made by the `openssl` command;
    /// returns (certificate, key) paths in `folder`.
    static func selfSignedCertificate(in folder: TemporaryDirectory) throws -> (cert: URL, key: URL) {
        let cert = folder.file("cert.pem")
        let key = folder.file("key.pem")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key.path, "-out", cert.path, "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else {
            throw LoopbackServerError(description: "openssl req exited \(openssl.terminationStatus)")
        }
        return (cert, key)
    }
}

/// A TLS server on 127.0.0.1 with a self-signed certificate that answers any
/// HTTP request with `200 ok`: what a client that verifies certificates must refuse.
public final class LoopbackTLSServer: Sendable {
    /// The port it listens on.
    public var port: Int { server.port }
    /// `https://127.0.0.1:PORT/path`.
    public func url(for path: String) -> URL { URL(string: "https://127.0.0.1:\(port)\(path)")! }

    private let server: PythonServerProcess

    /// Generates a certificate (openssl) and starts the server (python3's ssl).
    public init() throws {
        server = try PythonServerProcess(script: Self.script, name: "tls-server", folderPrefix: "regwatch-tls") {
            let (cert, key) = try PythonServerProcess.selfSignedCertificate(in: $0)
            return [cert.path, key.path]
        }
    }

    deinit { stop() }

    /// Stops the server and deletes its certificate.
    public func stop() { server.stop() }

    private static let script = #"""
        import socket, ssl, sys
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        print("PORT %d" % listener.getsockname()[1], flush=True)
        while True:
            client, _ = listener.accept()
            try:
                tls = context.wrap_socket(client, server_side=True)
                tls.recv(65536)
                tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                tls.close()
            except Exception:
                client.close()
        """#
}
