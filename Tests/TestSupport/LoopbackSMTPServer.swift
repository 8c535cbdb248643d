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
public final class LoopbackSMTPServer: Sendable {
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
    public var port: Int { server.port }
    /// `smtp://127.0.0.1:PORT`.
    public var url: URL { URL(string: "smtp://127.0.0.1:\(port)")! }

    private let server: PythonServerProcess

    /// Starts the server and waits until it listens.
    ///
    /// - Parameters:
    ///   - mode: accept, or refuse recipients or messages.
    ///   - login: when given, AUTH (PLAIN/LOGIN, allowed without TLS) is required with this user and password.
    ///   - startTLS: when true, the server offers STARTTLS with a self-signed certificate
    ///     (made by `openssl`), which a verifying client must refuse.
    /// - Throws: `LoopbackServerError` when Python or aiosmtpd is missing or the server does not start.
    public init(
        mode: Mode = .accept, login: (user: String, password: String)? = nil, startTLS: Bool = false
    ) throws {
        server = try PythonServerProcess(script: Self.script, name: "smtp-server", folderPrefix: "regwatch-smtp") {
            folder in
            let inbox = folder.file("inbox")
            try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
            var arguments = [inbox.path, mode.rawValue]
            if startTLS {
                let (cert, key) = try PythonServerProcess.selfSignedCertificate(in: folder)
                arguments += ["--tls", cert.path, key.path]
            }
            if let login { arguments += [login.user, login.password] }
            return arguments
        }
    }

    deinit {
        stop()
    }

    /// Stops the server (SIGTERM to its pid, SIGKILL if it lingers) and deletes its folder.
    public func stop() { server.stop() }

    /// Every message accepted so far, oldest first.
    public func messages() -> [Message] {
        let inbox = server.folder.file("inbox")
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
        import asyncio, base64, json, os, ssl, sys
        from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

        arguments = sys.argv[1:]
        inbox, mode = arguments[0], arguments[1]
        arguments = arguments[2:]
        tls_context = None
        if arguments[:1] == ["--tls"]:
            tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            tls_context.load_cert_chain(arguments[1], arguments[2])
            arguments = arguments[3:]
        login = (arguments[0], arguments[1]) if len(arguments) >= 2 else None

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
                       "auth_required": login is not None, "tls_context": tls_context}
            server = await loop.create_server(lambda: SMTP(Handler(), **options), "127.0.0.1", 0)
            print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
            await server.serve_forever()

        asyncio.run(main())
        """#
}
