@testable import FeedParser
import Foundation
import XCTest

/// `SourceText` sends element text past libxml2 through a `TextChannel`, leaving libxml2 a
/// marker in its place. The promise: the handler gets exactly the events, text and errors
/// (first message and line included) it gets when libxml2 reads the whole document. Checked on
/// every fixture and on generated documents, well-formed and broken.
final class ElementTextChannelTests: XCTestCase {
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

    /// The events the handler gets for `document`, with or without the channel.
    private func events(_ document: [UInt8], sendsText: Bool, charset: String? = nil) -> [String] {
        let recorder = Recorder()
        var errors = ""
        document.withUnsafeBufferPointer { bytes in
            let (encoding, bom) = SourceEncoding.detect(bytes, httpCharset: charset)
            let stream = XMLStream(handler: recorder, libxml2Encoding: nil)
            stream.parse(UnsafeBufferPointer(rebasing: bytes[bom...]), encoding: encoding, sendsText: sendsText)
            errors = "errors: \(stream.errorCount), first: \(stream.firstError ?? "none")"
        }
        recorder.flushText()
        return recorder.events + [errors]
    }

    /// The bytes libxml2 is given, each marker shown as `{the text it stands for}`.
    private func rewritten(_ text: String) -> String { rewritten(Array(text.utf8)) }

    private func rewritten(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        let channel = TextChannel()
        var source = SourceText(channel: channel) { output.append(contentsOf: $0) }
        bytes.withUnsafeBufferPointer { source.run($0, encoding: .utf8) }
        var shown = String(decoding: output, as: UTF8.self)
        while let start = shown.range(of: "<?regwatch-text "), let end = shown[start.upperBound...].range(of: "?>") {
            let id = Int(shown[start.upperBound...].prefix { $0.isNumber })!
            var text = ""
            channel.receive(id) { text = String(decoding: $0, as: UTF8.self) }
            shown.replaceSubrange(start.lowerBound..<end.upperBound, with: "{\(text)}")
        }
        return shown
    }

    private func assertSameEvents(
        _ document: [UInt8], charset: String? = nil, _ label: @autoclosure () -> String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let sent = events(document, sendsText: true, charset: charset)
        let inLibXML2 = events(document, sendsText: false, charset: charset)
        XCTAssertEqual(sent, inLibXML2, label(), file: file, line: line)
    }

    func testTextWithAccentsOrReferencesGoesPastLibXML2AsItsCharacters() {
        XCTAssertEqual(
            rewritten("<r><t>L&apos;été &amp; l&eacute;gislation &#8217;</t></r>"),
            "<r><t>{L'été & législation ’}</t></r>")
        XCTAssertEqual(rewritten("<r>&lt;p&gt;Texte&lt;/p&gt;</r>"), "<r>{<p>Texte</p>}</r>")
        // Unknown names and stray ampersands stay literal text; CR LF and CR become LF.
        XCTAssertEqual(rewritten("<r>AT&T &foo; é\r\nsuite\rfin</r>"), "<r>{AT&T &foo; é\nsuite\nfin}</r>")
    }

    func testCDATASectionsGoPastLibXML2AsTheyAre() {
        // Carriage returns stay (libxml2 2.9 keeps them in CDATA); a bad byte is repaired as anywhere.
        XCTAssertEqual(rewritten("<r><![CDATA[<p>a &amp; b\r\n</p>]]></r>"), "<r>{<p>a &amp; b\r\n</p>}</r>")
        let document = Array("<r><![CDATA[caf".utf8) + [0xE9] + Array("]]></r>".utf8)
        XCTAssertEqual(rewritten(document), "<r>{café}</r>")
        assertSameEvents(document, "a Latin-1 byte in a section")
        // A control byte: libxml2 rejects the section, so it is left to libxml2.
        XCTAssertEqual(rewritten("<r><![CDATA[a\u{1}b]]></r>"), "<r><![CDATA[a\u{1}b]]></r>")
    }

    func testTheMarkersKeepLibXML2sLineNumbers() {
        let document = "<r><t>é\n\n\n</t><![CDATA[\n\n]]>\n<a></b></r>"
        XCTAssertEqual(
            events(Array(document.utf8), sendsText: true).last, events(Array(document.utf8), sendsText: false).last)
        XCTAssertTrue(events(Array(document.utf8), sendsText: true).last!.contains("line 7"))
    }

    func testADocumentsOwnMarkerLookalikeIsLeftToLibXML2() {
        let document = "<r>é<?regwatch-text 0?>é</r>"
        XCTAssertEqual(rewritten(document), "<r>{é}{}é</r>", "its marker id is spent: it stands for nothing")
        assertSameEvents(Array(document.utf8), "lookalike")
    }

    func testPlainASCIITextAndMarkupAreLeftAsTheyAre() {
        let document =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE rss SYSTEM \"x.dtd\">\n<rss v='2'><a href=\"/x?a=1&amp;b=é\">Plain text</a>\n<b/><!-- é --></rss>\n"
        XCTAssertEqual(rewritten(document), document.replacingOccurrences(of: "&amp;", with: "&#38;"))
    }

    func testTextHoldingTheEndOfACDATASectionIsLeftToLibXML2() {
        XCTAssertEqual(rewritten("<r>é ]]> ok</r>"), "<r>é ]]> ok</r>", "libxml2 reports an error on it")
        XCTAssertEqual(rewritten("<r>é &#93;&#93;&gt; [x]</r>"), "<r>{é ]]> [x]}</r>")
        assertSameEvents(Array("<r>é &#93;&#93;&gt; [x] ]]&gt;</r>".utf8), "brackets")
        assertSameEvents(Array("<r>é ]]> ok</r>".utf8), "a literal end of section")
    }

    func testTextOutsideTheRootElementIsNotWrapped() {
        XCTAssertEqual(rewritten("é<r/>é"), "é<r/>é")
    }

    func testFromTheFirstUnrecognisedConstructOnTextIsRewrittenInPlace() {
        XCTAssertEqual(rewritten("<r>é<a b>é</a>é</r>"), "<r>{é}<a b>é</a>é</r>")
        XCTAssertEqual(rewritten("<r>é < é</r>"), "<r>{é }< é</r>")
        XCTAssertEqual(
            rewritten("<!DOCTYPE r [<!ENTITY x \"y\">]><r>é</r>"), "<!DOCTYPE r [<!ENTITY x \"y\">]><r>é</r>")
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
        let texts =
            pieces.map { Array($0.utf8) } + [[0xE9], [0x92], [0xC3], [0xFF], [0xEF, 0xBF, 0xBE], [0xED, 0xA0, 0x80]]
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

    func testTextGoesOutInBlocksAndTheChannelStaysSmall() {
        // libxml2 stand-in: reads every marker of a block as the block arrives.
        let paragraph = "Formation continue à Paris, l'été"
        let document =
            "<rss>" + String(repeating: "<p>\(paragraph)</p><![CDATA[\(paragraph)]]>", count: 20_000) + "</rss>"
        let channel = TextChannel()
        var blocks: [Int] = []
        var largestPending = 0
        var text = 0
        var source = SourceText(channel: channel) { block in
            blocks.append(block.count)
            largestPending = max(largestPending, channel.pendingBytes)
            let shown = String(decoding: block, as: UTF8.self)
            var rest = shown[...]
            while let start = rest.range(of: "<?regwatch-text ") {
                rest = rest[start.upperBound...]
                channel.receive(Int(rest.prefix { $0.isNumber })!) { text += $0.count }
            }
        }
        Array(document.utf8).withUnsafeBufferPointer { source.run($0, encoding: .utf8) }
        XCTAssertEqual(text, 40_000 * paragraph.utf8.count, "every text reaches the handler")
        XCTAssertGreaterThan(blocks.count, 10)
        XCTAssertLessThanOrEqual(blocks.max() ?? 0, 2 * 65_536 + 64, "blocks stay bounded by the block size")
        XCTAssertLessThanOrEqual(largestPending, 2 * 65_536 + 64, "so does the text waiting in the channel")
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
