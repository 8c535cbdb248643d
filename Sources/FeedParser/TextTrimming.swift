import Foundation

/// Whitespace trimming with Foundation's exact results, without Foundation's cost in the
/// common case: ASCII whitespace is trimmed on the bytes, and Foundation is asked only when a
/// non-ASCII character is left at either end (it may be a Unicode space, `U+00A0`, `U+2028`).
enum Trim {
    /// `String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)`.
    static func whitespacesAndNewlines(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var start = 0
        var end = bytes.count
        while start < end, isASCIIWhitespaceOrNewline(bytes[start]) { start += 1 }
        while end > start, isASCIIWhitespaceOrNewline(bytes[end - 1]) { end -= 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        guard start < end, bytes[start] < 0x80, bytes[end - 1] < 0x80 else {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }

    /// `text.trimmingCharacters(in: .whitespacesAndNewlines)`.
    static func whitespacesAndNewlines(_ text: String) -> String {
        var text = text
        return text.withUTF8 { whitespacesAndNewlines($0) }
    }

    /// `text.trimmingCharacters(in: .whitespaces)` (spaces and tabs, not line breaks).
    static func whitespaces(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        if first != 0x20, first != 0x09, first < 0x80, last != 0x20, last != 0x09, last < 0x80 { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// U+0009–U+000D and U+0020: the ASCII members of `CharacterSet.whitespacesAndNewlines`.
    @inline(__always)
    static func isASCIIWhitespaceOrNewline(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
}

extension String {
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, same result, mostly without Foundation.
    func trimmingWhitespacesAndNewlines() -> String { Trim.whitespacesAndNewlines(self) }

    /// `trimmingCharacters(in: .whitespaces)`, same result, mostly without Foundation.
    func trimmingWhitespaces() -> String { Trim.whitespaces(self) }
}
