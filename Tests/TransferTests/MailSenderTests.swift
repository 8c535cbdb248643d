import Foundation
import TestSupport
import Transfer
import XCTest

/// SMTP sending through libcurl, against aiosmtpd on 127.0.0.1.
final class MailSenderTests: XCTestCase {
    /// A digest email as the Digest module writes it: CRLF lines, RFC 2047 subject, QP body,
    /// and a line starting with a dot, which SMTP must carry intact (dot-stuffing).
    let message = Data(
        ([
            "From: Veille OF <veille@example.org>",
            "To: equipe@example.org, direction@example.org",
            "Subject: =?UTF-8?Q?Veille_r=C3=A9glementaire_=E2=80=94_semaine_49?=",
            "Date: Mon, 08 Dec 2025 07:00:00 +0100",
            "Message-ID: <regwatch-2025-W49@example.org>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "=C3=80 retenir cette semaine : le reste =C3=A0 charge CPF.",
            ".une ligne qui commence par un point",
            "",
        ].joined(separator: "\r\n")).utf8)

    func testMessageIsReceivedByEveryRecipient() async throws {
        let server = try LoopbackSMTPServer()
        defer { server.stop() }
        let recipients = ["equipe@example.org", "direction@example.org", "referent-handicap@example.org"]
        try await MailSender().send(
            message: message, from: "veille@example.org", to: recipients, server: server.url,
            username: nil, password: nil)
        let received = server.messages()
        XCTAssertEqual(received.count, 1)
        XCTAssertEqual(received.first?.from, "veille@example.org")
        XCTAssertEqual(received.first?.recipients, recipients)
        XCTAssertEqual(received.first?.data, message)
        XCTAssertEqual(received.first?.authenticated, false)
    }

    func testRefusedRecipientFailsTheSend() async throws {
        let server = try LoopbackSMTPServer(mode: .refuseRecipients)
        defer { server.stop() }
        do {
            try await MailSender().send(
                message: message, from: "veille@example.org", to: ["inconnu@example.org"], server: server.url,
                username: nil, password: nil)
            XCTFail("the send should fail")
        } catch {
            XCTAssertEqual(error.kind, .mailRefused)
            XCTAssertEqual(error.status, 550)
            XCTAssertEqual(error.nextStep, .fixConfiguration)
            XCTAssertTrue(
                error.description.hasPrefix("\(server.url.absoluteString): SMTP server refused"), error.description)
        }
        XCTAssertEqual(server.messages(), [])
    }

    func testRefusedMessageFailsTheSend() async throws {
        let server = try LoopbackSMTPServer(mode: .refuseMessage)
        defer { server.stop() }
        do {
            try await MailSender().send(
                message: message, from: "veille@example.org", to: ["equipe@example.org"], server: server.url,
                username: nil, password: nil)
            XCTFail("the send should fail")
        } catch {
            XCTAssertEqual(error.kind, .mailRefused)
            XCTAssertEqual(error.status, 554)
        }
        XCTAssertEqual(server.messages(), [])
    }

    func testLoginIsUsedWhenAPasswordIsGiven() async throws {
        let server = try LoopbackSMTPServer(login: (user: "veille", password: "s3cret"))
        defer { server.stop() }
        try await MailSender().send(
            message: message, from: "veille@example.org", to: ["equipe@example.org"], server: server.url,
            username: "veille", password: "s3cret")
        XCTAssertEqual(server.messages().map(\.authenticated), [true])

        do {
            try await MailSender().send(
                message: message, from: "veille@example.org", to: ["equipe@example.org"], server: server.url,
                username: "veille", password: "wrong")
            XCTFail("a wrong password should fail")
        } catch {
            XCTAssertEqual(error.kind, .authentication)
            XCTAssertEqual(error.nextStep, .fixConfiguration)
        }
        XCTAssertEqual(server.messages().count, 1)
    }

    func testStartTLSIsUsedWhenOfferedAndItsCertificateVerified() async throws {
        // The server offers STARTTLS with a self-signed certificate: the sender must
        // upgrade (not go on in clear text) and then refuse the certificate.
        let server = try LoopbackSMTPServer(startTLS: true)
        defer { server.stop() }
        do {
            try await MailSender().send(
                message: message, from: "veille@example.org", to: ["equipe@example.org"], server: server.url,
                username: nil, password: nil)
            XCTFail("the send should fail")
        } catch {
            XCTAssertEqual(error.kind, .tls)
            XCTAssertEqual(error.curlCode, 60)  // CURLE_PEER_FAILED_VERIFICATION
        }
        XCTAssertEqual(server.messages(), [])
    }

    func testUnreachableServerIsAConnectError() async throws {
        let server = try LoopbackSMTPServer()
        let url = server.url
        server.stop()
        do {
            try await MailSender().send(
                message: message, from: "veille@example.org", to: ["equipe@example.org"], server: url,
                username: nil, password: nil)
            XCTFail("the send should fail")
        } catch {
            XCTAssertEqual(error.kind, .connect)
            XCTAssertEqual(error.nextStep, .backOff)
        }
    }

    func testAddressWithLineBreakIsRefusedBeforeConnecting() async throws {
        let server = try LoopbackSMTPServer()
        defer { server.stop() }
        do {
            try await MailSender().send(
                message: message, from: "veille@example.org", to: ["equipe@example.org>\r\nRCPT TO:<spam@evil.test"],
                server: server.url, username: nil, password: nil)
            XCTFail("the send should fail")
        } catch {
            XCTAssertEqual(error.kind, .invalidAddress)
        }
        XCTAssertEqual(server.messages(), [])
    }

    func testNonSMTPSchemeIsRefused() async throws {
        do {
            try await MailSender().send(
                message: message, from: "veille@example.org", to: ["equipe@example.org"],
                server: URL(string: "http://127.0.0.1:25")!, username: nil, password: nil)
            XCTFail("the send should fail")
        } catch {
            XCTAssertEqual(error.kind, .unsupportedScheme)
        }
    }
}
