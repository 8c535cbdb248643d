import Foundation
import RegWatch
import XCTest

/// Feed text in the Markdown digest, rendered by a real CommonMark implementation (Debian's
/// `cmark`, with `--unsafe` so raw HTML would come through if we let it): no link, image,
/// HTML or formatting may come from a feed.
final class DigestMarkdownSafetyTests: XCTestCase {
    typealias F = DigestFixtures
    static let cmark = "/usr/bin/cmark"

    static let hostileTitle = "[click](javascript:alert(1)) <img src=x onerror=alert(1)> **x**"

    private func hostileWeek() -> [DigestCandidate] {
        [
            DigestCandidate(
                id: 1, shortID: "<b>ref</b>", title: Self.hostileTitle, link: "https://www.example.org/ok",
                source: "**Source** <script>alert(1)</script>", sourceWeight: 3, published: F.paris(2, 9),
                firstSeen: F.paris(2, 9),
                summary: """
                    # Titre ![pixel](https://evil.example/p.png) <https://evil.example/autolink> \
                    [ref]: https://evil.example/ref _emphase_ `code` ~~barré~~ | a | b | \
                    &lt;script&gt; &amp; {%youtube abc %} $x$ ==marqué== <!-- commentaire -->
                    """,
                topics: [TopicScore(.cpf, 2)], alsoIn: ["[Relais](https://evil.example/relais)", "*Autre*"]),
            DigestCandidate(
                id: 2, title: "> citation\n- liste\n1. liste numérotée\n\n<div>bloc</div>",
                link: "javascript:alert(document.cookie)", source: "Source 2", published: F.paris(3, 9),
                firstSeen: F.paris(3, 9), summary: "1) Première ligne. - Deuxième\u{202E}txet.",
                topics: [TopicScore(.qualiopi, 2)]),
            DigestCandidate(
                id: 3, title: "Lien à parenthèses", link: "https://www.example.org/a b)(c<d>\"e'f`g\\h",
                source: "Source 3", published: F.paris(4, 9), firstSeen: F.paris(4, 9), summary: "Texte.",
                topics: [TopicScore(.ia, 2)]),
            DigestCandidate(
                id: 4, title: "[ref]", link: "data:text/html,<script>alert(1)</script>", source: "S4",
                published: F.paris(5, 9), firstSeen: F.paris(5, 9), summary: "[ref]: https://evil.example/def"),
            DigestCandidate(
                id: 5, title: "Protocole relatif", link: "//evil.example/x", source: "S5",
                published: F.paris(5, 9), firstSeen: F.paris(5, 9)),
        ]
    }

    private func renderHostile(wordsPerMinute: Int = 230) throws -> (markdown: String, html: String) {
        let input = DigestInput(
            week: F.week, candidates: hostileWeek(),
            failingSources: [
                FailingSource(
                    url: "https://x.example/`feed`<b>", error: "**boom** <i>x</i> [l](http://evil.example)",
                    name: "**boom** <i>x</i> [l](http://evil.example)")
            ])
        let settings = DigestSettings(readingMinutes: 1, wordsPerMinute: wordsPerMinute, timeZone: F.paris)
        let digest = WeeklyDigest.build(from: input, settings: settings)
        let markdown = digest.renderMarkdown()
        let output = try DigestTool.run(Self.cmark, ["--unsafe"], stdin: Data(markdown.utf8))
        XCTAssertEqual(output.status, 0, output.stderr)
        return (markdown, output.stdout)
    }

    private func occurrences(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    func testHostileTitleRendersAsLiteralTextThroughCmark() throws {
        let (markdown, html) = try renderHostile()
        // The title shows verbatim (HTML-escaped by cmark), inside our own link.
        XCTAssertTrue(
            html.contains(
                "<a href=\"https://www.example.org/ok\">[click](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt; **x**</a>"
            ),
            html)
        XCTAssertFalse(html.contains("javascript:alert(1)\""), "no link to javascript:")
        XCTAssertTrue(markdown.contains("\\<img"), markdown)
        XCTAssertFalse(
            markdown.replacingOccurrences(of: "\\<", with: "").contains("<img"), "raw HTML in the Markdown source")
    }

    func testOnlyOurOwnLinksAndFormattingReachTheRenderedHTML() throws {
        let (_, html) = try renderHostile()
        // Links: exactly the two http(s) entries, with the destinations we made.
        let hrefs = html.components(separatedBy: "<a href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        XCTAssertEqual(
            hrefs.sorted(),
            ["https://www.example.org/a%20b%29%28c%3Cd%3E%22e%27f%60g%5Ch", "https://www.example.org/ok"], html)
        for forbidden in [
            "<img", "<script", "<div", "<blockquote", "<ol", "<del", "<table", "<h3", "<!--",
            "raw HTML omitted", "evil.example/autolink\"", "<i>", "<b>",
        ] {
            XCTAssertFalse(html.contains(forbidden), "\(forbidden) in\n\(html)")
        }
        // Formatting: ours only — one <strong> per entry title, one <em> per "aussi relayé" line plus the
        // signature, no <code> (a failing source shows its name and reason, not its URL), one <h1>.
        XCTAssertEqual(occurrences("<strong>", in: html), 5)
        XCTAssertEqual(occurrences("<em>", in: html), 2)
        XCTAssertEqual(occurrences("<code>", in: html), 0)
        XCTAssertEqual(occurrences("<h1>", in: html), 1)
        // Lists: "À retenir", the one topic section left, the failing sources; none from feed text.
        XCTAssertEqual(occurrences("<ul>", in: html), 3)
        XCTAssertFalse(html.contains("<li>liste"))
        // Feed text that looks like syntax shows as itself.
        for literal in [
            "# Titre ![pixel](https://evil.example/p.png)", "_emphase_ `code` ~~barré~~ | a | b |",
            "&amp;lt;script&amp;gt; &amp;amp; {%youtube abc %} $x$ ==marqué== &lt;!-- commentaire --&gt;",
            "**Source** &lt;script&gt;alert(1)&lt;/script&gt;", "*Autre*, [Relais](https://evil.example/relais)",
            "&gt; citation - liste 1. liste numérotée &lt;div&gt;bloc&lt;/div&gt;", "1) Première ligne.",
            "[ref]: https://evil.example/def", "**boom** &lt;i&gt;x&lt;/i&gt; [l](http://evil.example)",
        ] {
            XCTAssertTrue(html.contains(literal), "missing literal \(literal) in\n\(html)")
        }
        // A right-to-left override cannot reorder what the team reads.
        XCTAssertFalse(html.contains("\u{202E}"))
    }

    func testNonHTTPLinksAreShownAsTextNotLinked() throws {
        let (markdown, html) = try renderHostile()
        // Our links are the only unescaped "](": none of them leads to another scheme.
        let ours = markdown.replacingOccurrences(of: "\\]", with: "")
        XCTAssertFalse(ours.contains("](javascript"))
        XCTAssertFalse(ours.contains("](data:"))
        XCTAssertFalse(ours.contains("](//evil"))
        XCTAssertEqual(ours.components(separatedBy: "](").count - 1, 2)
        XCTAssertTrue(html.contains("<strong>&gt; citation"), html)
        XCTAssertTrue(html.contains("<strong>[ref]</strong>"), html)
        XCTAssertTrue(html.contains("<strong>Protocole relatif</strong>"), html)
    }

    func testHostileTitlesInPourAllerPlusLoinAreEscapedToo() throws {
        // A 100-word budget pushes entries to the titles-only list.
        let (_, html) = try renderHostile(wordsPerMinute: 100)
        XCTAssertTrue(html.contains("Pour aller plus loin"))
        XCTAssertFalse(html.contains("<img"))
        XCTAssertFalse(html.contains("javascript:alert(1)\""))
        XCTAssertFalse(html.contains("<div"))
    }

    func testGoldenMarkdownRendersWithCmarkIntoTheExpectedStructure() throws {
        let digest = WeeklyDigest.build(from: F.input, settings: F.settings())
        let html = try DigestTool.run(Self.cmark, ["--unsafe"], stdin: Data(digest.renderMarkdown().utf8)).stdout
        XCTAssertEqual(occurrences("<h1>", in: html), 1)
        XCTAssertEqual(occurrences("<h2>", in: html), 1 + digest.sections.count + 1 + 1)
        let links =
            digest.shownEntries.filter { $0.link?.hasPrefix("http") == true }.count
            + digest.more.filter { $0.link?.hasPrefix("http") == true }.count
        XCTAssertEqual(occurrences("<a href=", in: html), links)
        XCTAssertTrue(html.contains("Formation &amp; emploi : 3 chiffres *clés* [étude] &lt;2025&gt;"), html)
    }
}

/// The escaping keeps only what opens syntax: French punctuation pastes without backslashes.
final class DigestMarkdownPlainTextTests: XCTestCase {
    typealias F = DigestFixtures

    func testCommonPunctuationIsNotEscapedAndStillRendersAsItself() throws {
        let title = "Nouveau ! CPF | France compétences #2 : + 20 % = R&D, 100 $ ^^ {ok}"
        let input = DigestInput(
            week: F.week,
            candidates: [
                DigestCandidate(
                    id: 1, title: title, link: "https://www.example.org/a", source: "Centre Inffo",
                    published: F.paris(2, 9),
                    firstSeen: F.paris(2, 9), summary: "Question ? Réponse ! Voir #3 & suivants.",
                    topics: [TopicScore(.cpf, 2)])
            ])
        let markdown = WeeklyDigest.build(from: input, settings: F.settings()).renderMarkdown()
        XCTAssertTrue(markdown.contains("[\(title)](https://www.example.org/a)"), markdown)
        XCTAssertTrue(markdown.contains("Question ? Réponse ! Voir #3 & suivants."), markdown)
        let html = try DigestTool.run("/usr/bin/cmark", [], stdin: Data(markdown.utf8)).stdout
        XCTAssertTrue(html.contains("Nouveau ! CPF | France compétences #2 : + 20 % = R&amp;D, 100 $ ^^ {ok}"), html)
    }

    func testWhatOpensSyntaxIsStillEscaped() {
        let cases = [
            ("&amp; et &#38; mais R&D", "\\&amp; et \\&#38; mais R&D"),
            ("{%youtube x %} ==marqué== a=b", "\\{%youtube x %} \\==marqué\\== a=b"),
            ("# Titre", "\\# Titre"),
            ("> cité", "\\> cité"),
            ("+ item", "\\+ item"),
            ("**gras** _x_ `c` [l](u) <b> ~~s~~", "\\*\\*gras\\*\\* \\_x\\_ \\`c\\` \\[l\\](u) \\<b> \\~\\~s\\~\\~"),
        ]
        for (summary, escaped) in cases {
            let input = DigestInput(
                week: F.week,
                candidates: [
                    DigestCandidate(
                        id: 1, title: "Titre", link: nil, source: "S", published: F.paris(2, 9),
                        firstSeen: F.paris(2, 9),
                        summary: summary, topics: [TopicScore(.cpf, 2)])
                ])
            let markdown = WeeklyDigest.build(from: input, settings: F.settings()).renderMarkdown()
            XCTAssertTrue(markdown.contains("\n  " + escaped + "\n"), "\(summary) →\n\(markdown)")
        }
    }
}
