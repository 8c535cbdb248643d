import Foundation
import RegWatch
import XCTest

/// The email digest read back by a real MIME parser: Python's `email` package (policy
/// `default`, the strict modern one), run as `/usr/bin/python3`.
final class DigestEmailTests: XCTestCase {
    typealias F = DigestFixtures
    static let python = "/usr/bin/python3"

    /// Parses the message and reports what a mail client would see, as JSON.
    static let parser = #"""
        import sys, json, email
        from email import policy
        raw = sys.stdin.buffer.read()
        msg = email.message_from_bytes(raw, policy=policy.default)
        def walk(part):
            return {
                "type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "cte": part.get("Content-Transfer-Encoding"),
                "defects": [type(d).__name__ for d in part.defects],
                "content": part.get_content() if not part.is_multipart() else None,
                "parts": [walk(p) for p in part.iter_parts()] if part.is_multipart() else [],
            }
        out = walk(msg)
        out["headers"] = {k: str(v) for k, v in msg.items()}
        out["header_names"] = [k for k, _ in msg.items()]
        out["raw_headers"] = raw.split(b"\r\n\r\n")[0].decode("ascii")
        out["to"] = [a.addr_spec for a in msg["To"].addresses]
        out["from"] = [a.addr_spec for a in msg["From"].addresses]
        print(json.dumps(out))
        """#

    struct Parsed: Decodable {
        var type: String
        var charset: String?
        var cte: String?
        var defects: [String]
        var content: String?
        var parts: [Parsed]
        var headers: [String: String]?
        var header_names: [String]?
        var raw_headers: String?
        var to: [String]?
        var from: [String]?
    }

    private func parse(_ message: String) throws -> Parsed {
        let output = try DigestTool.run(Self.python, ["-c", Self.parser], stdin: Data(message.utf8))
        XCTAssertEqual(output.status, 0, output.stderr)
        return try JSONDecoder().decode(Parsed.self, from: Data(output.stdout.utf8))
    }

    private var digest: WeeklyDigest { WeeklyDigest.build(from: F.input, settings: F.settings()) }

    func testEmailParsesIntoTextAndHTMLAlternatives() throws {
        let message = digest.renderEmail(envelope: F.envelope)
        let parsed = try parse(message)
        XCTAssertEqual(parsed.type, "multipart/alternative")
        XCTAssertEqual(parsed.defects, [])
        XCTAssertEqual(parsed.parts.map(\.type), ["text/plain", "text/html"])
        XCTAssertEqual(parsed.parts.map(\.charset), ["utf-8", "utf-8"])
        XCTAssertEqual(parsed.parts.map(\.cte), ["quoted-printable", "quoted-printable"])
        XCTAssertEqual(parsed.parts.flatMap(\.defects), [])
        // The decoded text part is exactly the text rendering (CRLF being the wire form of its line ends).
        XCTAssertEqual(parsed.parts[0].content?.replacingOccurrences(of: "\r\n", with: "\n"), digest.renderText())
        let html = parsed.parts[1].content ?? ""
        XCTAssertTrue(html.contains("<h2 style="), html)
        XCTAssertTrue(html.contains("Décret n° 2025-1234"))
        XCTAssertTrue(html.contains("Formation &amp; emploi : 3 chiffres *clés* [étude] &lt;2025&gt;"))
    }

    func testHeadersCarryTheSubjectInFrenchAndTheEnvelope() throws {
        let parsed = try parse(digest.renderEmail(envelope: F.envelope))
        let headers = parsed.headers ?? [:]
        XCTAssertEqual(
            headers["Subject"],
            "Veille réglementaire — Semaine 2025-W49 : Décret n° 2025-1234 du 2 décembre 2025 relatif à la mobilisation du…"
        )
        XCTAssertEqual(parsed.from, ["veille@example.org"])
        XCTAssertEqual(parsed.to, ["equipe@example.org", "direction@example.org"])
        XCTAssertEqual(headers["Date"], "Mon, 08 Dec 2025 07:00:00 +0100")
        XCTAssertEqual(headers["MIME-Version"], "1.0")
        XCTAssertTrue(headers["Message-ID"]?.hasPrefix("<regwatch.2025-W49.") == true)
        XCTAssertTrue(headers["Message-ID"]?.hasSuffix("@example.org>") == true)
        // On the wire the subject is RFC 2047 encoded-words, each at most 75 characters.
        let raw = parsed.raw_headers ?? ""
        XCTAssertTrue(raw.contains("Subject: =?UTF-8?Q?"), raw)
        let words = raw.components(separatedBy: "=?UTF-8?Q?").dropFirst().map {
            "=?UTF-8?Q?" + $0.components(separatedBy: "?=")[0] + "?="
        }
        XCTAssertGreaterThan(words.count, 1)
        XCTAssertTrue(words.allSatisfy { $0.count <= 75 }, "\(words)")
    }

    func testEveryLineIsCRLFTerminatedAsciiAndAtMost76CharactersInTheBody() throws {
        let message = digest.renderEmail(envelope: F.envelope)
        XCTAssertTrue(message.hasSuffix("\r\n"))
        XCTAssertFalse(message.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "bare LF")
        XCTAssertFalse(message.replacingOccurrences(of: "\r\n", with: "").contains("\r"), "bare CR")
        XCTAssertTrue(message.utf8.allSatisfy { $0 < 0x80 }, "8-bit byte in a 7-bit message")
        let body = message.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        for line in body.components(separatedBy: "\r\n") {
            XCTAssertLessThanOrEqual(line.count, 76, line)
            XCTAssertFalse(line == ".", "a lone dot would end an SMTP DATA or a sendmail input")
        }
    }

    func testCRLFInATitleNeverReachesAHeader() throws {
        var candidates = F.candidates
        candidates[0].title = "Décret CPF\r\nBcc: victime@example.com\r\nX-Injected: oui\n\nCorps injecté"
        candidates[0].sourceWeight = 5
        let digest = WeeklyDigest.build(
            from: DigestInput(week: F.week, candidates: candidates, failingSources: F.failingSources, counts: F.counts),
            settings: F.settings())
        let envelope = DigestEnvelope(
            from: "veille@example.org\r\nBcc: from@evil.example", to: ["equipe@example.org\nCc: to@evil.example"],
            date: F.sendDate)
        let message = digest.renderEmail(envelope: envelope)
        let parsed = try parse(message)
        let names = parsed.header_names ?? []
        XCTAssertFalse(names.contains("Bcc"), "\(names)")
        XCTAssertFalse(names.contains("Cc"), "\(names)")
        XCTAssertFalse(names.contains("X-Injected"), "\(names)")
        XCTAssertEqual(
            names,
            [
                "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Content-Language",
                "Auto-Submitted",
            ])
        XCTAssertEqual(parsed.parts.map(\.type), ["text/plain", "text/html"])
        XCTAssertEqual(parsed.defects, [])
        XCTAssertTrue(
            parsed.headers?["Subject"]?.contains("Décret CPF Bcc: victime@example.com X-Injected: oui Corps") == true,
            parsed.headers?["Subject"] ?? "")
    }

    func testABareFromAddressGetsTheDigestTitleAsDisplayName() throws {
        let envelope = DigestEnvelope(from: "veille@example.org", to: ["equipe@example.org"], date: F.sendDate)
        let parsed = try parse(digest.renderEmail(envelope: envelope))
        XCTAssertEqual(parsed.headers?["From"], "Veille réglementaire <veille@example.org>")
        XCTAssertEqual(parsed.from, ["veille@example.org"])
    }

    func testEnglishSubjectAndLanguage() throws {
        let english = WeeklyDigest.build(from: F.input, settings: F.settings(.en))
        let parsed = try parse(english.renderEmail(envelope: F.envelope))
        XCTAssertTrue(parsed.headers?["Subject"]?.hasPrefix("Regulatory watch — Week 2025-W49: Décret") == true)
        XCTAssertEqual(parsed.headers?["Content-Language"], "en")
        XCTAssertTrue(parsed.parts[0].content?.contains("Key points") == true)
    }

    func testHTMLPartHasNoRemoteContentNoStyleSheetAndOnlyHTTPLinks() throws {
        let parsed = try parse(digest.renderEmail(envelope: F.envelope))
        let html = parsed.parts[1].content ?? ""
        for forbidden in ["<img", "<link", "<style", "<script", "src=", "url(", "@import", "href=\"ftp:", "<iframe"] {
            XCTAssertFalse(html.contains(forbidden), forbidden)
        }
        let hrefs = html.components(separatedBy: "href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        XCTAssertFalse(hrefs.isEmpty)
        XCTAssertTrue(hrefs.allSatisfy { $0.hasPrefix("https://") || $0.hasPrefix("http://") }, "\(hrefs)")
        XCTAssertTrue(
            hrefs.contains(
                "https://dares.travail-emploi.gouv.fr/publication/formation-emploi-chiffres-cles?utm=x&amp;y=%281%29")
                || hrefs.contains(
                    "https://dares.travail-emploi.gouv.fr/publication/formation-emploi-chiffres-cles?utm=x&y=%281%29"),
            "\(hrefs)")
    }
}
