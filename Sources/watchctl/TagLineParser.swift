import Foundation

/// Reads one stdin line of `watchctl tag`, `{"id": …, "title": …, "summary": …, "content": …}`,
/// straight from its bytes.
///
/// Foundation's `JSONDecoder` was a fifth of the time of tagging 100 000 lines
/// (docs/performance.md); this reader does only what the line format needs. It is strict:
/// anything it does not expect (another value type for a known key, bad escapes, invalid
/// UTF-8, trailing bytes) returns `nil`, and the caller falls back to `JSONDecoder`, which
/// gives the same result or names the bad line.
struct TagLineParser {
    /// A string value of the line, unescaped and valid UTF-8: `count` bytes at `start` in the
    /// input, or, for a string with escapes, in the chunk's `unescaped` bytes.
    struct Text {
        var start: Int
        var count: Int
        var isUnescaped: Bool
    }

    /// The fields the tagger reads.
    struct Line {
        var id: TagInput.ID = .null
        var title: Text?
        var summary: Text?
        var content: Text?
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index: Int
    private let end: Int
    /// Where strings with escapes are written unescaped; owned by the caller, shared by the
    /// lines of a chunk.
    private var unescaped: [UInt8] = []

    /// Parses `bytes[range]`, writing the strings that have escapes to `unescaped`.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, unescaped: inout [UInt8]) -> Line? {
        var parser = TagLineParser(bytes: bytes, index: range.lowerBound, end: range.upperBound)
        swap(&parser.unescaped, &unescaped)
        let line = parser.object()
        swap(&parser.unescaped, &unescaped)
        return line
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, index: Int, end: Int) {
        self.bytes = bytes
        self.index = index
        self.end = end
    }

    private mutating func object() -> Line? {
        var input = Line()
        skipSpace()
        guard consume(UInt8(ascii: "{")) else { return nil }
        skipSpace()
        if consume(UInt8(ascii: "}")) { return finish(input) }
        while true {
            skipSpace()
            guard let key = rawString() else { return nil }
            skipSpace()
            guard consume(UInt8(ascii: ":")) else { return nil }
            skipSpace()
            switch key {
            case .known(let field):
                guard index < end else { return nil }
                if bytes[index] == UInt8(ascii: "n") {
                    guard literal("null") else { return nil }
                    switch field {
                    case .id: input.id = .null
                    case .title: input.title = nil
                    case .summary: input.summary = nil
                    case .content: input.content = nil
                    }
                } else if field == .id {
                    if bytes[index] == UInt8(ascii: "\"") {
                        guard let text = string() else { return nil }
                        input.id = .string(text)
                    } else {
                        guard let number = number() else { return nil }
                        input.id = .number(number)
                    }
                } else {
                    guard let text = text() else { return nil }
                    switch field {
                    case .title: input.title = text
                    case .summary: input.summary = text
                    case .content: input.content = text
                    case .id: break
                    }
                }
            case .other:
                guard skipValue(depth: 0) else { return nil }
            }
            skipSpace()
            if consume(UInt8(ascii: ",")) { continue }
            guard consume(UInt8(ascii: "}")) else { return nil }
            return finish(input)
        }
    }

    private mutating func finish(_ input: Line) -> Line? {
        skipSpace()
        return index == end ? input : nil
    }

    private enum Field { case id, title, summary, content }
    private enum Key {
        case known(Field)
        case other
    }

    /// A key, compared as bytes: only the four known ones matter, none has escapes.
    private mutating func rawString() -> Key? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < end, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") { return nil }  // an escaped key: JSONDecoder reads it
            index += 1
        }
        guard index < end else { return nil }
        let key = UnsafeBufferPointer(rebasing: bytes[start..<index])
        index += 1
        func equals(_ text: StaticString) -> Bool {
            key.count == text.utf8CodeUnitCount && memcmp(key.baseAddress!, text.utf8Start, key.count) == 0
        }
        if key.isEmpty { return .other }
        if equals("id") { return .known(.id) }
        if equals("title") { return .known(.title) }
        if equals("summary") { return .known(.summary) }
        if equals("content") { return .known(.content) }
        return .other
    }

    /// A string value as a `String` (the id).
    private mutating func string() -> String? {
        guard let text = text() else { return nil }
        if text.isUnescaped {
            return unescaped.withUnsafeBufferPointer {
                String(decoding: UnsafeBufferPointer(rebasing: $0[text.start..<text.start + text.count]), as: UTF8.self)
            }
        }
        return String(
            decoding: UnsafeBufferPointer(rebasing: bytes[text.start..<text.start + text.count]), as: UTF8.self)
    }

    /// A string value, unescaped, valid UTF-8 (checked, as `String(validating:)` would).
    ///
    /// One pass: plain ASCII eight bytes at a time, each other UTF-8 sequence checked where it
    /// stands (``UTF8Check``), rather than a scan for the quote then a validation.
    private mutating func text() -> Text? {
        guard consume(UInt8(ascii: "\"")), let base = bytes.baseAddress else { return nil }
        let start = index
        while index < end {
            if index + 8 <= end, !UTF8Check.needsALook(UTF8Check.load(base + index)) {
                index += 8
                continue
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return Text(start: start, count: index - 1 - start, isUnescaped: false)
            }
            // The bytes before the escape are checked again with the unescaped rest.
            if byte == UInt8(ascii: "\\") { return escapedText(from: start) }
            if byte < 0x20 { return nil }
            if byte < 0x80 {
                index += 1
                continue
            }
            guard let length = UTF8Check.sequenceLength(base, at: index, end: end) else { return nil }
            index += length
        }
        return nil
    }

    private static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        (try? UTF8Span(validating: bytes.span)) != nil
    }

    private mutating func escapedText(from start: Int) -> Text? {
        let first = unescaped.count
        unescaped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        guard let base = bytes.baseAddress else { return nil }
        while index < end {
            // The bytes up to the next quote, backslash or control character, appended at once:
            // a content's paragraphs ("\n\n") sent every byte after the first escape through
            // an append of its own. (UTF-8 is checked once the string ends.)
            var run = index
            while run < end {
                if run + 8 <= end, !UTF8Check.needsALook(UTF8Check.load(base + run)) {
                    run += 8
                    continue
                }
                let byte = bytes[run]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                run += 1
            }
            if run > index {
                unescaped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<run]))
                index = run
                continue
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                let valid = unescaped.withUnsafeBufferPointer {
                    Self.isValidUTF8(UnsafeBufferPointer(rebasing: $0[first...]))
                }
                return valid ? Text(start: first, count: unescaped.count - first, isUnescaped: true) : nil
            }
            if byte < 0x20 { return nil }
            guard byte == UInt8(ascii: "\\") else {
                unescaped.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < end else { return nil }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(escape)
            case UInt8(ascii: "b"): unescaped.append(0x08)
            case UInt8(ascii: "f"): unescaped.append(0x0C)
            case UInt8(ascii: "n"): unescaped.append(0x0A)
            case UInt8(ascii: "r"): unescaped.append(0x0D)
            case UInt8(ascii: "t"): unescaped.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return nil }
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by its low half.
                    guard index + 1 < end, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    else { return nil }
                    index += 2
                    guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    return nil
                }
                guard let unicode = Unicode.Scalar(scalar) else { return nil }
                unescaped.append(contentsOf: String(Character(unicode)).utf8)
            default: return nil
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= end else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// A number id, as `TagInput.ID` writes it: an integer as it is, anything else through
    /// `Double` (what the `JSONDecoder` path does).
    private mutating func number() -> String? {
        let start = index
        if index < end, bytes[index] == UInt8(ascii: "-") { index += 1 }
        var isInteger = true
        while index < end {
            let byte = bytes[index]
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                index += 1
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            {
                isInteger = false
                index += 1
            } else {
                break
            }
        }
        guard index > start else { return nil }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let integer = Int64(text), !(text.hasPrefix("-0") || (text.hasPrefix("0") && text.count > 1)) {
            return String(integer)
        }
        return nil  // decimals, exponents and odd integers: JSONDecoder decides
    }

    /// Skips any JSON value of a key the tagger does not read.
    private mutating func skipValue(depth: Int) -> Bool {
        guard depth < 64, index < end else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return text() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = bytes[index] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            let isObject = close == UInt8(ascii: "}")
            index += 1
            skipSpace()
            if consume(close) { return true }
            while true {
                skipSpace()
                if isObject {
                    guard text() != nil else { return false }
                    skipSpace()
                    guard consume(UInt8(ascii: ":")) else { return false }
                    skipSpace()
                }
                guard skipValue(depth: depth + 1) else { return false }
                skipSpace()
                if consume(UInt8(ascii: ",")) { continue }
                return consume(close)
            }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default:
            let start = index
            while index < end, !Self.isDelimiter(bytes[index]) { index += 1 }
            return index > start
                && Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) != nil
        }
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte == 0x20
            || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard index + length <= end, memcmp(bytes.baseAddress! + index, word.utf8Start, length) == 0 else {
            return false
        }
        index += length
        return true
    }

    @inline(__always)
    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < end, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    @inline(__always)
    private mutating func skipSpace() {
        while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D || bytes[index] == 0x0A
        {
            index += 1
        }
    }
}
