import Foundation

/// A real SMTP server on 127.0.0.1 for tests: Debian's `python3-aiosmtpd`, run
/// as a child process and stopped by pid.
///
/// Every message it accepts is written to a folder as one JSON file (envelope
/// sender, recipients, raw bytes), which `messages()` reads back. It can be
/// told to refuse recipients (550) or the message itself (554), and to require
/// a login.
///
/// ```swift
/// let smtp = try LoopbackSMTPServer()
/// defer { smtp.stop() }
/// try await sender.send(message: eml, from: "veille@example.org", to: ["equipe@example.org"],
///                       server: smtp.url, username: nil, password: nil)
/// XCTAssertEqual(smtp.messages().first?.recipients, ["equipe@example.org"])
/// ```
public final class LoopbackSMTPServer: @unchecked Sendable {
    // @unchecked: `process` is set once in init and only read afterwards
    // (terminate/wait are thread-safe on Process); the other stored properties are lets.

    /// How the server treats what it is sent.
    public enum Mode: String, Sendable {
        /// Accept every recipient and message.
        case accept
        /// Answer every `RCPT TO` with `550 5.1.1`.
        case refuseRecipients = "rcpt"
        /// Accept recipients, answer `DATA` with `554 5.7.1`.
        case refuseMessage = "data"
    }

    /// One message as the server received it.
    public struct Message: Sendable, Equatable {
        /// The envelope sender (`MAIL FROM`).
        public let from: String
        /// The envelope recipients (`RCPT TO`), in order.
        public let recipients: [String]
        /// The message bytes as received (dot-stuffing undone).
        public let data: Data
        /// Whether the client logged in (AUTH) before sending.
        public let authenticated: Bool
    }

    /// The port the server listens on.
    public let port: Int
    /// `smtp://127.0.0.1:PORT`.
    public var url: URL { URL(string: "smtp://127.0.0.1:\(port)")! }

    private let process: Process
    private let folder: TemporaryDirectory

    /// The Python interpreter that has aiosmtpd: Debian's, not a pyenv on PATH.
    public static let python = "/usr/bin/python3"

    /// Starts the server and waits until it listens.
    ///
    /// - Parameters:
    ///   - mode: accept, or refuse recipients or messages.
    ///   - login: when given, AUTH (PLAIN/LOGIN, allowed without TLS) is required with this user and password.
    /// - Throws: `LoopbackServerError` when Python or aiosmtpd is missing or the server does not start.
    public init(mode: Mode = .accept, login: (user: String, password: String)? = nil) throws {
        folder = try TemporaryDirectory(prefix: "regwatch-smtp")
        let script = try folder.write(Self.script, to: "server.py")
        let inbox = folder.file("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)

        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        var arguments = [script.path, inbox.path, mode.rawValue]
        if let login { arguments += [login.user, login.password] }
        process.arguments = arguments
        let stdout = Pipe()
        // A file, not a pipe: a chatty server must never block on a full pipe nobody reads.
        let log = folder.file("stderr.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let stderr = try FileHandle(forWritingTo: log)
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            folder.remove()
            throw LoopbackServerError(description: "cannot run \(Self.python): \(error)")
        }
        // The script prints "PORT n" once it listens; EOF first means it died.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            process.waitUntilExit()
            let reason = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            folder.remove()
            throw LoopbackServerError(
                description: "aiosmtpd did not start (is python3-aiosmtpd installed?): \(reason)")
        }
        self.port = port
    }

    deinit {
        stop()
    }

    /// Stops the server (SIGTERM to its pid, SIGKILL if it lingers) and deletes its folder.
    public func stop() {
        if process.isRunning {
            process.terminate()
            // Cleanup, not a timed assertion: give SIGTERM five seconds, then SIGKILL.
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        folder.remove()
    }

    /// Every message accepted so far, oldest first.
    public func messages() -> [Message] {
        let inbox = folder.file("inbox")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: inbox.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
            guard let data = try? Data(contentsOf: inbox.appendingPathComponent(name)),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let from = object["from"] as? String,
                let recipients = object["to"] as? [String],
                let body = (object["data"] as? String).flatMap({ Data(base64Encoded: $0) })
            else { return nil }
            return Message(
                from: from, recipients: recipients, data: body,
                authenticated: object["authenticated"] as? Bool ?? false)
        }
    }

    private static let script = #"""
        import asyncio, base64, json, os, signal, sys
        from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

        # Spawned from a test's dispatch thread, this process inherits its blocked
        # signal mask (SIGTERM included): unblock, so stop() can end it.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

        inbox, mode = sys.argv[1], sys.argv[2]
        login = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else None

        class Handler:
            count = 0

            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if mode == "rcpt":
                    return "550 5.1.1 <%s>: Recipient address rejected" % address
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                if mode == "data":
                    return "554 5.7.1 Message refused by policy"
                Handler.count += 1
                record = {
                    "from": envelope.mail_from,
                    "to": envelope.rcpt_tos,
                    "data": base64.b64encode(envelope.original_content).decode("ascii"),
                    "authenticated": bool(session.authenticated),
                }
                path = os.path.join(inbox, "msg-%05d.json" % Handler.count)
                with open(path + ".tmp", "w") as f:
                    json.dump(record, f)
                os.replace(path + ".tmp", path)  # readers never see half a file
                return "250 OK: queued"

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (login is not None and isinstance(auth_data, LoginPassword)
                  and auth_data.login.decode() == login[0] and auth_data.password.decode() == login[1])
            return AuthResult(success=ok, handled=False)

        async def main():
            loop = asyncio.get_running_loop()
            options = {"auth_require_tls": False, "authenticator": authenticator,
                       "auth_required": login is not None}
            server = await loop.create_server(lambda: SMTP(Handler(), **options), "127.0.0.1", 0)
            print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
            await server.serve_forever()

        asyncio.run(main())
        """#
}
