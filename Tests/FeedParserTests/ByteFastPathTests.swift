@testable import FeedParser
import Foundation
import XCTest

/// The word-at-a-time and run-skipping loops (whitespace collapsing in `TextAccumulator`, valid
/// UTF-8 runs in `SourceText`) against plain byte-by-byte references, on generated text where
/// spaces, accents, no-break spaces and bad bytes fall at every offset of an 8-byte word.
final class ByteFastPathTests: XCTestCase {
    /// A small deterministic generator (the same sequence on every run).
    private struct Random {
        var state: UInt64
        mutating func below(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
    }

    /// Collapsing by the definition: the words (runs without space, tab, line feed, carriage
    /// return, form feed or no-break space) joined by one space.
    private func collapsed(_ text: String) -> String? {
        let spaces: Set<UInt32> = [0x20, 0x0A, 0x09, 0x0D, 0x0C, 0xA0]
        var words: [String] = []
        var word = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if spaces.contains(scalar.value) {
                if !word.isEmpty { words.append(String(word)); word = String.UnicodeScalarView() }
            } else {
                word.append(scalar)
            }
        }
        if !word.isEmpty { words.append(String(word)) }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    func testWhitespaceCollapsingAgreesWithItsDefinitionAtEveryOffset() {
        var random = Random(state: 2025)
        let pieces = [
            "a", "formation", "l'été", "œuvre", "CPF", " ", " ", " ", "  ", "   ", "\n", "\t", "\r\n", "\u{0C}",
            "\u{A0}", " \u{A0} ", "«", "»", "°", "é", "…", "\u{1}", "x y", "Décret n° 2025-12", "\u{1F600}",
        ]
        for _ in 0..<4000 {
            var parts: [String] = []
            for _ in 0..<(1 + random.below(12)) {
                var text = ""
                for _ in 0..<(random.below(10)) { text += pieces[random.below(pieces.count)] }
                parts.append(text)
            }
            var accumulator = TextAccumulator()
            for part in parts {
                var part = part
                part.withUTF8 { accumulator.append($0) }
            }
            XCTAssertEqual(accumulator.result(), collapsed(parts.joined()), "\(parts)")
        }
    }

    func testLongRunsOfWordsAreCopiedWhole() {
        let sentence = "Le référentiel national qualité s'applique aux organismes de formation depuis 2022."
        var accumulator = TextAccumulator()
        accumulator.append("  \(sentence)  \n\t\(sentence)\u{A0}")
        XCTAssertEqual(accumulator.result(), "\(sentence) \(sentence)")
    }

    /// What `SourceText` must give for UTF-8 input without `&` or `<`: valid characters kept,
    /// any other byte read as windows-1252, forbidden control bytes turned into spaces.
    private func repaired(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        bytes.withUnsafeBufferPointer { b in
            while i < b.count {
                let c = b[i]
                if c < 0x80 {
                    out.append(c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D ? 0x20 : c)
                    i += 1
                } else if let length = SourceText.validUTF8Length(b, at: i) {
                    out.append(contentsOf: b[i..<(i + length)])
                    i += length
                } else {
                    let scalar = Unicode.Scalar(SourceText.windows1252[Int(c) - 0x80])!
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    i += 1
                }
            }
        }
        return out
    }

    func testSourceTextKeepsValidUTF8RunsAndRepairsEveryOtherByte() {
        var random = Random(state: 1789)
        let pieces: [[UInt8]] = [
            Array("formation".utf8), Array(" ".utf8), Array("é".utf8), Array("€".utf8), Array("😀".utf8),
            Array("l'été à Paris".utf8), [0xE9], [0x92], [0xC3], [0xE2, 0x82], [0xEF, 0xBF, 0xBE], [0xED, 0xA0, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0x0A], [0x09], [0x01], [0x7F], [0xC2, 0xA0], [0xFF],
        ]
        for _ in 0..<3000 {
            var input: [UInt8] = []
            for _ in 0..<(1 + random.below(40)) { input += pieces[random.below(pieces.count)] }
            var output: [UInt8] = []
            var source = SourceText { output.append(contentsOf: $0) }
            input.withUnsafeBufferPointer { source.run($0, encoding: .utf8) }
            XCTAssertEqual(output, repaired(input), "\(input)")
        }
    }
}

extension ByteFastPathTests {
    /// The in-place rewriting alone (element text as CDATA is `ElementTextAsCDATATests`'s).
    private func rewritten(_ text: String) -> String {
        var output: [UInt8] = []
        var source = SourceText { output.append(contentsOf: $0) }
        Array(text.utf8).withUnsafeBufferPointer { source.run($0, encoding: .utf8) }
        return String(decoding: output, as: UTF8.self)
    }

    func testSectionsAreFoundWhereverTheirLessThanSignFallsInAWord() {
        // The word loop stops at '!' and looks back for '<': try every offset of "<!" in a word.
        for pad in 0..<17 {
            let lead = String(repeating: "a", count: pad)
            XCTAssertEqual(
                rewritten(lead + "<t><![CDATA[a &eacute; <b> & ]]></t>"), lead + "<t><![CDATA[a &eacute; <b> & ]]></t>")
            XCTAssertEqual(rewritten(lead + "<!-- &foo; & --><p>&eacute;</p>"), lead + "<!-- &foo; & --><p>&#233;</p>")
            XCTAssertEqual(
                rewritten(lead + "<!DOCTYPE rss><r>Oui ! &amp; non !</r>"),
                lead + "<!DOCTYPE rss><r>Oui ! &#38; non !</r>")
            XCTAssertEqual(rewritten(lead + "é<![CDATA[&amp;]]>!<!x"), lead + "é<![CDATA[&amp;]]>!<!x")
            XCTAssertEqual(rewritten(lead + "<![CDATA[\u{1}\u{2}]]>&"), lead + "<![CDATA[\u{1}\u{2}]]>&#38;")
        }
    }

    func testSectionsAcrossTheBlockBoundaryAreKeptWhole() {
        // Blocks of 64 KiB go to libxml2: put "<![CDATA[" astride every offset of the first boundary.
        for shift in 0..<24 {
            let lead = "<r>" + String(repeating: "é", count: (65_536 - shift) / 2) + "x"
            let document = lead + "<![CDATA[a &amp; <b>]]>&eacute;<!-- & --></r>"
            XCTAssertEqual(rewritten(document), lead + "<![CDATA[a &amp; <b>]]>&#233;<!-- & --></r>", "shift \(shift)")
        }
    }

    func testALongSingleLineDocumentStillGoesOutInBlocks() {
        let document = "<rss>" + String(repeating: "<p>Formation continue à Paris</p>", count: 30_000) + "</rss>"
        var blocks: [Int] = []
        var output: [UInt8] = []
        var source = SourceText {
            blocks.append($0.count); output.append(contentsOf: $0)
        }
        Array(document.utf8).withUnsafeBufferPointer { source.run($0, encoding: .utf8) }
        XCTAssertEqual(String(decoding: output, as: UTF8.self), document)
        XCTAssertGreaterThan(blocks.count, 10)
        XCTAssertLessThanOrEqual(blocks.max() ?? 0, 2 * 65_536 + 64, "memory stays bounded by the block size")
    }
}

/// The HTML entity table in front of libxml2's linear `htmlEntityLookup`.
final class HTMLEntityTableTests: XCTestCase {
    private func bytes<T>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        Array(name.utf8).withUnsafeBufferPointer(body)
    }

    func testEveryEntityOfLibXML2sTableIsInTheDictionaryWithItsValue() {
        // libxml2's whole table, entry by entry, through every code point of the BMP.
        let all = HTMLEntities.libxml2Entries(in: [0..<0x10000])
        XCTAssertGreaterThan(all.count, 250)
        XCTAssertEqual(all.count, HTMLEntities.libxml2Entries(in: HTMLEntities.html4Ranges).count)
        for entry in all {
            let name = String(decoding: entry.name, as: UTF8.self)
            let key = entry.name.withUnsafeBufferPointer { HTMLEntities.packed($0) }
            XCTAssertEqual(
                HTMLEntities.html4Values[key ?? 0], entry.value, "\(name) is answered without libxml2's search")
            XCTAssertEqual(bytes(name) { HTMLEntities.html4($0) }, bytes(name) { HTMLEntities.libxml2Lookup($0) }, name)
        }
    }

    func testNamesOutsideTheTableAreNotFoundAndCaseMatters() {
        XCTAssertEqual(bytes("eacute") { HTMLEntities.html4($0) }, 0xE9)
        XCTAssertEqual(bytes("Eacute") { HTMLEntities.html4($0) }, 0xC9)
        XCTAssertEqual(bytes("thetasym") { HTMLEntities.html4($0) }, 0x3D1)
        for name in ["EACUTE", "inconnu", "eacutee", "e", "nbspnbspnbsp", "hellip2", "eacut"] {
            XCTAssertNil(bytes(name) { HTMLEntities.html4($0) }, name)
            XCTAssertNil(bytes(name) { HTMLEntities.libxml2Lookup($0) }, name)
        }
        XCTAssertEqual(HTMLEntities.lookup("apos"), [0x27])  // HTML5, from the list beside
        XCTAssertEqual(HTMLEntities.lookup("nbsp"), [0xA0])
    }
}
