@testable import FeedParser
import Foundation
import XCTest

/// `SourceText` hands element text to libxml2 as CDATA sections (libxml2 reads those in blocks,
/// and text that is not plain ASCII one character at a time). The promise: libxml2 reports
/// exactly the events, text and errors it reports for the same document rewritten in place
/// only. Checked on every fixture and on generated documents, well-formed and broken.
final class ElementTextAsCDATATests: XCTestCase {
    /// Records SAX events; adjacent text events are merged (their split is libxml2's business).
    private final class Recorder: XMLStreamHandler {
        var events: [String] = []
        private var text = ""

        func startElement(namespace: String?, prefix: String?, name: String, attributes: [XMLAttribute]) {
            flushText()
            let list = attributes.map { "\($0.prefix ?? ""):\($0.name)=\($0.value)" }.joined(separator: " ")
            events.append("<\(prefix ?? ""):\(name) {\(namespace ?? "")} \(list)>")
        }

        func endElement() {
            flushText()
            events.append("</>")
        }

        func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
            text += String(decoding: bytes, as: UTF8.self)
        }

        func flushText() {
            if !text.isEmpty { events.append("text " + text.debugDescription) }
            text = ""
        }
    }

    /// The events libxml2 reports for `document`, with or without CDATA wrapping.
    private func events(_ document: [UInt8], wrapsText: Bool, charset: String? = nil) -> [String] {
        let recorder = Recorder()
        var errors = 0
        document.withUnsafeBufferPointer { bytes in
            let (encoding, bom) = SourceEncoding.detect(bytes, httpCharset: charset)
            let stream = XMLStream(handler: recorder, libxml2Encoding: nil)
            var source = SourceText { stream.push($0) }
            source.wrapsText = wrapsText
            source.run(UnsafeBufferPointer(rebasing: bytes[bom...]), encoding: encoding)
            stream.finish()
            errors = stream.errorCount
        }
        recorder.flushText()
        return recorder.events + ["errors: \(errors)"]
    }

    /// The rewritten bytes libxml2 is given.
    private func rewritten(_ text: String) -> String {
        var output: [UInt8] = []
        var source = SourceText { output.append(contentsOf: $0) }
        Array(text.utf8).withUnsafeBufferPointer { source.run($0, encoding: .utf8) }
        return String(decoding: output, as: UTF8.self)
    }

    private func assertSameEvents(_ document: [UInt8], charset: String? = nil, _ label: @autoclosure () -> String,
                                  file: StaticString = #filePath, line: UInt = #line) {
        let wrapped = events(document, wrapsText: true, charset: charset)
        let inPlace = events(document, wrapsText: false, charset: charset)
        XCTAssertEqual(wrapped, inPlace, label(), file: file, line: line)
    }

    func testTextWithAccentsOrReferencesBecomesOneSectionOfItsCharacters() {
        XCTAssertEqual(rewritten("<r><t>L&apos;été &amp; l&eacute;gislation &#8217;</t></r>"),
                       "<r><t><![CDATA[L'été & législation ’]]></t></r>")
        XCTAssertEqual(rewritten("<r>&lt;p&gt;Texte&lt;/p&gt;</r>"), "<r><![CDATA[<p>Texte</p>]]></r>")
        // Unknown names and stray ampersands stay literal text; CR LF and CR become LF.
        XCTAssertEqual(rewritten("<r>AT&T &foo; é\r\nsuite\rfin</r>"), "<r><![CDATA[AT&T &foo; é\nsuite\nfin]]></r>")
    }

    func testPlainASCIITextAndMarkupAreLeftAsTheyAre() {
        let document = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss SYSTEM \"x.dtd\">\n<rss v='2'><a href=\"/x?a=1&amp;b=é\">Plain text</a>\n<b/><!-- é --></rss>\n"
        XCTAssertEqual(rewritten(document), document.replacingOccurrences(of: "&amp;", with: "&#38;"))
    }

    func testABracketInTextOrFromAReferenceNeverEndsASectionEarly() {
        XCTAssertEqual(rewritten("<r>é ]]> ok</r>"), "<r>é ]]> ok</r>", "literal brackets: rewritten in place")
        XCTAssertEqual(rewritten("<r>é &#93;&#93;&gt;</r>"), "<r><![CDATA[é ]]>&#93;<![CDATA[]]>&#93;<![CDATA[>]]></r>")
        assertSameEvents(Array("<r>é &#93;&#93;&gt; [x] ]]&gt;</r>".utf8), "brackets")
    }

    func testTextOutsideTheRootElementIsNotWrapped() {
        XCTAssertEqual(rewritten("é<r/>é"), "é<r/>é")
    }

    func testFromTheFirstUnrecognisedConstructOnTextIsRewrittenInPlace() {
        XCTAssertEqual(rewritten("<r>é<a b>é</a>é</r>"), "<r><![CDATA[é]]><a b>é</a>é</r>")
        XCTAssertEqual(rewritten("<r>é < é</r>"), "<r><![CDATA[é ]]>< é</r>")
        XCTAssertEqual(rewritten("<!DOCTYPE r [<!ENTITY x \"y\">]><r>é</r>"), "<!DOCTYPE r [<!ENTITY x \"y\">]><r>é</r>")
    }

    func testEveryFixtureGivesTheSameEvents() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixture.directory.path)
            .filter { $0.hasSuffix(".xml") || $0.hasSuffix(".opml") }
        XCTAssertGreaterThan(names.count, 10)
        for name in names {
            assertSameEvents(Array(try Fixture.data(name)), name)
        }
    }

    /// A small deterministic generator (the same sequence on every run).
    private struct Random {
        var state: UInt64
        mutating func below(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
    }

    func testGeneratedDocumentsGiveTheSameEvents() {
        var random = Random(state: 2026)
        let pieces: [String] = [
            "Formation", " ", "\n", "\t", "é", "l'été à Paris", "œuvre", "«\u{A0}CPF\u{A0}»", "😀", "&amp;", "&lt;p&gt;",
            "&eacute;", "&nbsp;", "&rsquo;", "&#233;", "&#xE9;", "&#146;", "&#0;", "&#93;", "&#x5d;", "&rbrack;",
            "&foo;", "&", "AT&T", "&#", "&#x;", "&amp", "\r\n", "\r", "\u{1}", "\u{7F}", "]", "]]>", "]]&gt;", ">",
            "'", "\"", "<", "< ", "<1", "<!-- é & -->", "<![CDATA[é &amp; ]]>", "<?pi é?>", "<!x>",
        ]
        let texts = pieces.map { Array($0.utf8) } + [[0xE9], [0x92], [0xC3], [0xFF], [0xEF, 0xBF, 0xBE], [0xED, 0xA0, 0x80]]
        let names = ["item", "title", "description", "content:encoded", "dc:date", "a", "p"]
        let attributes = [
            "", " href=\"/x\"", " a='1' b=\"2\"", " v=\"&amp;é\"", " v = \"x\"", " v=\"<\"", " v", " v=x", " é=\"1\"",
        ]
        for round in 0..<3000 {
            var document: [UInt8] = []
            if random.below(3) == 0 { document += Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8) }
            if random.below(8) == 0 { document += Array("<!DOCTYPE rss SYSTEM \"rss.dtd\">".utf8) }
            document += Array("<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"c\">".utf8)
            var open: [String] = []
            for _ in 0..<(1 + random.below(30)) {
                switch random.below(6) {
                case 0, 1:
                    let name = names[random.below(names.count)]
                    let attribute = random.below(4) == 0 ? attributes[random.below(attributes.count)] : ""
                    if random.below(6) == 0 {
                        document += Array("<\(name)\(attribute)/>".utf8)
                    } else {
                        document += Array("<\(name)\(attribute)>".utf8)
                        open.append(name)
                    }
                case 2:
                    if let name = random.below(8) == 0 ? names[random.below(names.count)] : open.popLast() {
                        document += Array("</\(name)>".utf8)
                    }
                default:
                    for _ in 0..<(1 + random.below(6)) { document += texts[random.below(texts.count)] }
                }
            }
            while let name = open.popLast(), random.below(10) != 0 { document += Array("</\(name)>".utf8) }
            if random.below(2) == 0 { document += Array("</rss>".utf8) }
            if random.below(6) == 0 { document += Array("\nété".utf8) }
            assertSameEvents(document, "round \(round): \(String(decoding: document, as: UTF8.self).debugDescription)")
            if random.below(4) == 0 {
                assertSameEvents(document, charset: "windows-1252", "round \(round) as windows-1252")
            }
        }
    }

    func testTextAcrossTheBlockBoundaryGivesTheSameEvents() {
        // Blocks of 64 KiB go to libxml2: put a wrapped run and its references astride the first boundary.
        for shift in stride(from: 0, to: 40, by: 3) {
            let lead = "<r><a>" + String(repeating: "é", count: (65_536 - shift) / 2) + "</a><b>"
            let document = lead + "x &amp; é &#93; \r\n fin</b><c>" + String(repeating: "à", count: 70_000) + "</c></r>"
            assertSameEvents(Array(document.utf8), "shift \(shift)")
        }
    }
}
