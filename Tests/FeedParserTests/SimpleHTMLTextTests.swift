@testable import FeedParser
import Foundation
import XCTest
import TestSupport

/// The byte-level HTML→text pass against libxml2's HTML parser: wherever the fast pass
/// accepts a fragment, its text must be exactly libxml2's (a differential test).
final class SimpleHTMLTextTests: XCTestCase {
    private let converter = HTMLTextConverter()

    /// The fast pass's text, or `nil` when it gives up.
    private func fast(_ html: String) -> String?? {
        var bytes = Array(html.utf8)
        var text = TextAccumulator()
        var stack: [Int] = []
        let accepted = bytes.withUnsafeMutableBufferPointer {
            SimpleHTMLText.convert(UnsafeBufferPointer($0), into: &text, stack: &stack)
        }
        return accepted ? .some(text.result()) : .none
    }

    private func slow(_ html: String) -> String? {
        var bytes = Array(html.utf8)
        return bytes.withUnsafeMutableBufferPointer { converter.parsedPlainText(html: UnsafeBufferPointer($0)) }
    }

    /// Compares both passes on each fragment; returns how many the fast pass accepted.
    @discardableResult
    private func assertAgreement(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line) -> Int {
        var accepted = 0
        var failures = 0
        for html in fragments {
            guard let text = fast(html) else { continue }
            accepted += 1
            let expected = slow(html)
            if text != expected, failures < 5 {
                failures += 1
                XCTFail(
                    "fast \(String(reflecting: text)) ≠ libxml2 \(String(reflecting: expected)) for \(String(reflecting: html))",
                    file: file, line: line)
            }
        }
        return accepted
    }

    func testTypicalFeedMarkupBecomesTextWithoutLibXML2() {
        XCTAssertEqual(
            fast("<p>Le décret&nbsp;: <a href=\"/textes/1\">voir</a></p><p>Deux&#8217;s &eacute;t&eacute;</p>"),
            .some("Le décret : voir\n\nDeux’s été"))
        XCTAssertEqual(fast("<ul><li>Un<li>Deux</ul>Fin<br/>ligne"), .some("Un\nDeux\n\nFin\nligne"))
        XCTAssertEqual(fast("<P CLASS=intro>Majuscules</P>"), .some("Majuscules"))
        XCTAssertEqual(fast("  "), .some(nil))
    }

    func testFastPathGivesUpOnWhatOnlyLibXML2CanDecide() {
        for html in [
            "<!-- commentaire --><p>x</p>", "<script>var a = '<p>';</script>", "<style>p{}</style>x",
            "AT&T", "&inconnu;", "&eacute sans point-virgule", "<p>fin</div>après", "<madeup>x</madeup>",
            "<p class=\"ouvert>x", "a < b", "<![CDATA[x]]>", "<?php ?>", "<body>x</body>", "x\u{1}y", "<br/ >",
        ] {
            XCTAssertTrue(fast(html) == nil, "the fast pass should give up on \(String(reflecting: html))")
        }
    }

    func testFastPathAgreesWithLibXML2OnEveryFixtureFragment() throws {
        var fragments: [String] = []
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixture.directory.path).filter {
            $0.hasSuffix(".xml")
        }
        for name in names {
            let text = String(decoding: try Fixture.data(name), as: UTF8.self)
            // CDATA sections and escaped element contents, both as feeds hand HTML over.
            for part in text.components(separatedBy: "<![CDATA[").dropFirst() {
                if let end = part.range(of: "]]>") { fragments.append(String(part[..<end.lowerBound])) }
            }
            for part in text.components(separatedBy: ">").map({ $0.components(separatedBy: "<").first ?? "" })
            where part.contains("&lt;") {
                fragments.append(
                    part.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&"))
            }
        }
        XCTAssertGreaterThanOrEqual(fragments.count, 15)
        let accepted = assertAgreement(fragments)
        XCTAssertGreaterThan(accepted, fragments.count / 3, "the fast pass should take most fixture fragments")
    }

    func testFastPathAgreesWithLibXML2OnGeneratedFragments() {
        var random = SplitMix64(seed: 1789)
        let tags =
            SimpleHTMLText.names + [
                "script", "style", "select", "option", "madeup", "body", "title", "svg", "template",
            ]
        let texts = [
            "Décret n° 2025-12", "  ", "\n", "Qualiopi", "l'été", "\u{A0}", "œuvre\t", "CPF…", "x", " a b ", ">",
            "&nbsp;", "&eacute;", "&amp;", "&lt;", "&#233;", "&#x2019;", "&#146;", "&#0;", "&rsquo;", "&apos;",
            "&hellip;", "&inconnu;", "&", "&#;", "&Eacute;", "&NBSP;", "<", "<!-- c -->", "]]>",
        ]
        let attributes = [
            "", " href=\"/x\"", " class='a b'", " title=\"a>b\"", " id=x", " data-x = \"1\"", " checked",
            " href=/a/b/", " alt=\"\"", " style=\"color:red\"", " x=\"<p>\"",
        ]
        var fragments: [String] = []
        for _ in 0..<6000 {
            var html = ""
            var open: [String] = []
            for _ in 0..<(1 + random.below(14)) {
                switch random.below(10) {
                case 0, 1, 2:
                    let tag = tags[random.below(tags.count)]
                    let name = random.below(8) == 0 ? tag.uppercased() : tag
                    html += "<\(name)\(attributes[random.below(attributes.count)])\(random.below(12) == 0 ? "/" : "")>"
                    open.append(tag)
                case 3, 4:
                    if random.below(4) == 0 || open.isEmpty {
                        html += "</\(tags[random.below(tags.count)])>"  // stray or crossing end tag
                    } else {
                        html += "</\(open.removeLast())>"
                    }
                default:
                    html += texts[random.below(texts.count)]
                    if random.below(3) == 0 { html += texts[random.below(texts.count)] }
                }
            }
            fragments.append(html)
        }
        let accepted = assertAgreement(fragments)
        XCTAssertGreaterThan(accepted, fragments.count / 5, "the generated set should exercise the fast pass")
    }

    func testConverterOutputIsTheSameWhicheverPathRuns() {
        let html = "<p>Un <b>deux</b></p><!-- c --><ul><li>trois</ul>"
        XCTAssertTrue(fast(html) == nil, "a comment sends the fragment to libxml2")
        XCTAssertEqual(converter.plainText(html: html), "Un deux\n\ntrois")
        XCTAssertEqual(converter.plainText(html: "<p>Un <b>deux</b></p><ul><li>trois</ul>"), "Un deux\n\ntrois")
    }
}
