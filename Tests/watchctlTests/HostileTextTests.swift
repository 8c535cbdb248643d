import Foundation
import TestSupport
import XCTest

/// Hostile text end to end: feeds served on 127.0.0.1 carry Markdown, HTML, javascript:
/// links, CR/LF with header names, RTL overrides and control characters in titles, summaries
/// and feed titles; `watchctl poll` stores them, `watchctl digest` renders them. The Markdown,
/// rendered by Debian's `cmark --unsafe`, keeps the structure of a benign digest and carries no
/// link, image or HTML from a feed; the email, parsed by Python's `email` package, has exactly
/// the headers of a benign one.
final class HostileTextTests: XCTestCase {
    static let injectedHeading = "Titre injecté"

    /// RSS: HTML, Markdown and javascript: in titles, CDATA summaries and the channel title.
    static let hostileRSS = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>**Source** &lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(2))</title>
        <link>https://www.example.org/</link>
        <item><title># \(injectedHeading) [clic](javascript:alert(1)) ![pixel](https://evil.example/p.png) Qualiopi</title>
        <link>https://www.example.org/qualiopi-audit</link><guid>h-1</guid>
        <description><![CDATA[<script>alert(1)</script><img src=x onerror=alert(1)> Audit Qualiopi : <a href="javascript:alert(3)">voir</a>
        <iframe src="https://evil.example/"></iframe> | a | b |
        ---
        [ref]: https://evil.example/ref]]></description></item>
        <item><title>&lt;b&gt;CPF&lt;/b&gt; &lt;a href="https://evil.example/"&gt;compte personnel de formation&lt;/a&gt; &lt;!-- --&gt;</title>
        <link>javascript:alert(document.cookie)</link><guid>h-2</guid>
        <description>&lt;div&gt;&lt;form action="https://evil.example/"&gt;&lt;/form&gt;&lt;/div&gt; ```code``` &gt; citation</description></item>
        </channel></rss>
        """

    /// JSON Feed: what XML cannot carry (C0 controls, ESC sequences) plus CR/LF and bidi overrides.
    static let hostileJSON = """
        {"version": "https://jsonfeed.org/version/1.1", "title": "Flux\\r\\nBcc: victime@example.org\\u202e",
         "home_page_url": "https://www.example.net/",
         "items": [
          {"id": "j-1", "url": "https://www.example.net/ia",
           "title": "IA générative\\r\\nBcc: victime@example.org\\r\\nSubject: piège\\u0007\\u001b[31m rouge\\u202e\\u2066",
           "content_text": "Intelligence artificielle\\u0000 et formation\\r\\n\\r\\n# \(injectedHeading)\\r\\n- puce\\u200f\\u202d fin",
           "date_published": "\(isoNow)"},
          {"id": "j-2", "url": "https://www.example.net/cpf?a=1&b=<x>",
           "title": "CPF\\u2028ligne\\u2029paragraphe\\u0085NEL\\u000bVT\\u000cFF",
           "content_text": "Le compte personnel de formation.\\u001b]8;;https://evil.example\\u0007lien\\u001b]8;;\\u0007",
           "date_published": "\(isoNow)"}
         ]}
        """

    static let benignRSS = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Source sage</title><link>https://www.example.org/</link>
        <item><title>Qualiopi audit de surveillance</title><link>https://www.example.org/q</link><guid>b-1</guid>
        <description>Audit Qualiopi : voir.</description></item>
        <item><title>CPF compte personnel de formation</title><link>https://www.example.org/c</link><guid>b-2</guid>
        <description>Citation.</description></item>
        </channel></rss>
        """

    static let benignJSON = """
        {"version": "https://jsonfeed.org/version/1.1", "title": "Flux sage", "home_page_url": "https://www.example.net/",
         "items": [
          {"id": "k-1", "url": "https://www.example.net/ia", "title": "IA générative rouge",
           "content_text": "Intelligence artificielle et formation.", "date_published": "\(isoNow)"},
          {"id": "k-2", "url": "https://www.example.net/cpf", "title": "CPF ligne paragraphe",
           "content_text": "Le compte personnel de formation.", "date_published": "\(isoNow)"}
         ]}
        """

    static var isoNow: String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date())
    }

    private var fixture: WatchctlFixture!

    override func setUpWithError() throws {
        fixture = try WatchctlFixture(prefix: "regwatch-hostile-text")
        let server = fixture.server
        server.route(path: "/hostile.xml", document: Data(Self.hostileRSS.utf8))
        server.route(path: "/hostile.json", document: Data(Self.hostileJSON.utf8), contentType: "application/feed+json")
        server.route(path: "/benign.xml", document: Data(Self.benignRSS.utf8))
        server.route(path: "/benign.json", document: Data(Self.benignJSON.utf8), contentType: "application/feed+json")
    }

    override func tearDown() {
        fixture.remove()
    }

    /// Polls the two feeds into a fresh state folder and renders this week's digest.
    private func digest(_ kind: String, format: String) throws -> String {
        let config = try fixture.writeConfig(
            """
            [storage]
            database = "\(kind)/regwatch.sqlite"

            [digest]
            output_dir = "\(kind)/digests"
            reading_minutes = 60

            [email]
            from = "veille@example.org"
            to = ["equipe@example.org"]
            smtp_url = "smtp://127.0.0.1:25"

            [[feeds]]
            url = "\(fixture.url("/\(kind).xml"))"

            [[feeds]]
            url = "\(fixture.url("/\(kind).json"))"
            """, to: "\(kind).toml")
        let poll = try fixture.run(["poll", "--json"], config: config)
        XCTAssertEqual(poll.status, 0, poll.stderr)
        let summary = try Hostile.Summary(poll.stdout)
        XCTAssertEqual(summary.newItems, 4, "\(kind): \(summary.errors)")
        let result = try fixture.run(
            ["digest", "--week", FaultDiskTests.currentWeek(), "--format", format, "--output", "-"], config: config)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout
    }

    private func tool(_ path: String, _ arguments: [String], stdin: String) throws -> String {
        let run = try ChildProcess.run(URL(fileURLWithPath: path), arguments, stdin: Data(stdin.utf8))
        XCTAssertEqual(run.status, 0, "\(path) failed")
        return run.stdout
    }

    /// The block structure of rendered HTML: its opening tags in order, attributes dropped.
    private func structure(_ html: String) -> [String] {
        let regex = try! NSRegularExpression(
            pattern: "<(h[1-6]|p|ul|ol|li|blockquote|pre|hr|table|a|img|strong|em|code)[ >/]")
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map {
            String(html[Range($0.range(at: 1), in: html)!])
        }
    }

    func testHostileMarkdownDigestHasTheStructureOfABenignOneAndNoFeedMarkup() throws {
        let hostile = try digest("hostile", format: "markdown")
        let benign = try digest("benign", format: "markdown")
        let hostileHTML = try tool("/usr/bin/cmark", ["--unsafe"], stdin: hostile)
        let benignHTML = try tool("/usr/bin/cmark", ["--unsafe"], stdin: benign)

        // Links are compared apart: the hostile javascript: link is dropped, so one title has none.
        XCTAssertEqual(
            structure(hostileHTML).filter { $0 != "a" }, structure(benignHTML).filter { $0 != "a" },
            "feed text changed the digest's structure:\n\(hostile)")
        for needle in ["<script", "<img", "<iframe", "<form", "<b>", "<div", "<!--"] {
            XCTAssertFalse(hostileHTML.lowercased().contains(needle), "\(needle) came through:\n\(hostile)")
        }
        // Every link is one of the items' own http(s) links (percent-encoded), none from feed text.
        let allowed: Set = [
            "https://www.example.org/qualiopi-audit", "https://www.example.net/ia",
            "https://www.example.net/cpf?a=1&amp;b=%3Cx%3E",
        ]
        let attribute = try NSRegularExpression(pattern: "(?:href|src)=\"([^\"]*)\"")
        let targets = attribute.matches(in: hostileHTML, range: NSRange(hostileHTML.startIndex..., in: hostileHTML)).map
        {
            String(hostileHTML[Range($0.range(at: 1), in: hostileHTML)!])
        }
        XCTAssertEqual(Set(targets), allowed, hostileHTML)
        XCTAssertFalse(
            hostileHTML.contains("<h1>\(Self.injectedHeading)") || hostileHTML.contains("<h2>\(Self.injectedHeading)"))
        for scalar in hostile.unicodeScalars {
            let v = scalar.value
            XCTAssertFalse(v < 0x20 && v != 0x0A, "control U+\(String(v, radix: 16)) in the Markdown")
            XCTAssertFalse(
                [
                    0x7F, 0x85, 0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                    0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F,
                ].contains(v),
                "U+\(String(v, radix: 16)) in the Markdown")
        }
    }

    func testHostileEmailDigestHasExactlyTheHeadersOfABenignOne() throws {
        let hostile = try digest("hostile", format: "email")
        let benign = try digest("benign", format: "email")
        let script = """
            import sys, email, email.policy
            m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
            assert not m.defects, m.defects
            print("\\n".join(sorted(k.lower() for k in m.keys())))
            print("subject-lines=%d" % len(str(m["subject"]).splitlines()))
            print("bcc=%s" % m["bcc"])
            print("parts=%s" % ",".join(p.get_content_type() for p in m.walk()))
            """
        let hostileHeaders = try tool("/usr/bin/python3", ["-c", script], stdin: hostile)
        let benignHeaders = try tool("/usr/bin/python3", ["-c", script], stdin: benign)
        XCTAssertEqual(hostileHeaders, benignHeaders)
        XCTAssertTrue(hostileHeaders.contains("bcc=None"), hostileHeaders)
        XCTAssertTrue(hostileHeaders.contains("subject-lines=1"), hostileHeaders)
        let head = hostile.components(separatedBy: "\r\n\r\n").first ?? hostile
        XCTAssertFalse(head.lowercased().contains("victime@"), "a feed's text reached the header block:\n\(head)")
    }
}
