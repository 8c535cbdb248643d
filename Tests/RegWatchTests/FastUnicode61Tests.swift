import Foundation
import GRDB
import GRDBSQLite
import TestSupport
import XCTest

@testable import RegWatch

/// `regwatch_unicode61` (CSQLiteConnection), which the full-text index's tokenizer wraps in
/// place of `unicode61`, gives exactly `unicode61`'s tokens at exactly its offsets, for every
/// character its table holds and for texts it hands to `unicode61` (other scripts, combining
/// marks, bytes that are not UTF-8), on a store's connection to a real SQLite file.
final class FastUnicode61Tests: XCTestCase {
    /// One token as a tokenizer reports it: folded bytes, start and end offsets in the text.
    private struct Token: Equatable, CustomStringConvertible {
        let bytes: [UInt8]
        let start: Int32
        let end: Int32
        var description: String { "\(String(decoding: bytes, as: UTF8.self))@\(start)..<\(end)" }
    }

    private var dir: TemporaryDirectory!
    private var store: AppDatabase!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory(prefix: "regwatch-unicode61")
        store = try AppDatabase.open(at: dir.file("regwatch.sqlite"))
    }

    override func tearDown() {
        store = nil
        dir = nil
    }

    /// The tokens of `text` as a document, by `unicode61 remove_diacritics 2` or by `name` with those arguments.
    private func tokens(_ text: [UInt8], by name: String, _ db: Database) throws -> [Token] {
        let tokenizer = try db.makeTokenizer(FTS5TokenizerDescriptor(components: [name, "remove_diacritics", "2"]))
        var found: [Token] = []
        let code = withUnsafeMutablePointer(to: &found) { foundPointer in
            text.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    tokenizer.tokenize(
                        context: UnsafeMutableRawPointer(foundPointer), tokenization: .document,
                        pText: chars.baseAddress, nText: CInt(chars.count),
                        tokenCallback: { context, _, token, count, start, end in
                            let found = context!.assumingMemoryBound(to: [Token].self)
                            let bytes =
                                token.map { Array(UnsafeRawBufferPointer(start: $0, count: Int(count))) } ?? []
                            found.pointee.append(Token(bytes: bytes, start: start, end: end))
                            return SQLITE_OK
                        })
                }
            }
        }
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
        return found
    }

    private func assertSameTokens(_ texts: [[UInt8]], file: StaticString = #filePath, line: UInt = #line) throws {
        try store.writer.read { db in
            for text in texts {
                let expected = try tokens(text, by: "unicode61", db)
                let actual = try tokens(text, by: SearchTokenizer.fastUnicode61, db)
                XCTAssertEqual(actual, expected, "text \(text.map { String($0, radix: 16) })", file: file, line: line)
            }
        }
    }

    private func utf8(_ scalar: Unicode.Scalar) -> [UInt8] { Array(String(Character(scalar)).utf8) }

    func testEveryCharacterOfTheTableTokenizesAsUnicode61Does() throws {
        let scalars = (0..<0x250).compactMap(Unicode.Scalar.init) + (0x2000..<0x2070).compactMap(Unicode.Scalar.init)
        var texts: [[UInt8]] = []
        for scalar in scalars {
            let character = utf8(scalar)
            // Alone, starting and ending a word, inside one, doubled, between separators.
            texts.append(character)
            texts.append(character + Array("ab".utf8))
            texts.append(Array("Ab".utf8) + character)
            texts.append(Array("mot".utf8) + character + Array("Mot".utf8))
            texts.append(character + character + Array(" x".utf8))
            texts.append(Array("é ".utf8) + character + Array(", É".utf8))
        }
        try assertSameTokens(texts)
    }

    func testFrenchTextTokenizesAsUnicode61Does() throws {
        let texts = [
            "Référentiel national qualité : l’indicateur 23 — veille légale et réglementaire…",
            "« Œuvrer pour l’inclusion » : neurodiversité, TDAH, troubles « dys » ; CPF à 100 €.",
            "ÉTÉ 2026 : l'arrêté du 3 décembre modifie l'article L. 6316-1 (Qualiopi).",
            "Ça coûte 1 500 € — soit 15 % de plus ; ÀÉÈÊËÎÏÔÙÛÜŸÇ àéèêëîïôùûüÿç æÆ œŒ ß",
            "<p>Formation<br/>continue&nbsp;: <a href=\"https://example.fr/a?b=c\">lien</a></p>",
            "", " ", "a", "\u{00A0}\u{202F}\u{2009}mot\u{2019}s",
        ]
        try assertSameTokens(texts.map { Array($0.utf8) })
    }

    func testTextsOutsideTheTableAreUnicode61sOwn() throws {
        let texts: [[UInt8]] = [
            Array("e\u{0301}te\u{0301} cafe\u{0301}".utf8),  // combining accents
            Array("Ελληνικά русский 日本語 😀 Ǻ ȸ ɐ".utf8),
            Array("Straße ﬁn ＡＢＣ".utf8),
            [0x61, 0x80, 0x62],  // a stray continuation byte
            [0x61, 0xC3],  // a two-byte character cut short
            [0x61, 0xC3, 0xA9, 0xA9, 0x62],  // é followed by a stray continuation byte
            [0xC0, 0x80, 0x61],  // an overlong NUL
            [0x61, 0xE2, 0x80],  // a three-byte character cut short
            [0xE2, 0x81, 0xB0, 0x61],  // U+2070, past the table's punctuation
            [0xFF, 0xFE, 0x61, 0x00, 0x62],
            [0x61, 0x00, 0x62, 0xC3, 0xA9],  // a NUL between words
        ]
        try assertSameTokens(texts)
    }

    func testRandomTextsTokenizeAsUnicode61Does() throws {
        // A deterministic mix of ASCII, Latin letters, punctuation, other scripts and bad bytes.
        let pieces: [[UInt8]] =
            (0x20..<0x7F).map { [UInt8($0)] }
            + [0x00, 0x09, 0x0A].map { [$0] }
            + (0xA0..<0x250).compactMap(Unicode.Scalar.init).map(utf8)
            + (0x2000..<0x2070).compactMap(Unicode.Scalar.init).map(utf8)
            + ["\u{0301}", "\u{0327}", "α", "ж", "日", "😀", "\u{FEFF}", "ﬁ"].map { Array($0.utf8) }
            + [[0x80], [0xC3], [0xE2, 0x80], [0xFF]]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(truncatingIfNeeded: state >> 1)
        }
        let letters = Array("aeiouEIsrtn ".utf8)
        var texts: [[UInt8]] = []
        for _ in 0..<4_000 {
            var text: [UInt8] = []
            for _ in 0..<(1 + next() % 40) {
                // Mostly letters, as in a text; the rest from every piece.
                text += next() % 3 == 0 ? pieces[next() % pieces.count] : [letters[next() % letters.count]]
            }
            texts.append(text)
        }
        try assertSameTokens(texts)
    }
}
