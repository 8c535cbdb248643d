/// Well-formed UTF-8 (The Unicode Standard, table 3-7), checked sequence by sequence while
/// ``TagLineParser`` scans a string value: what `UTF8Span(validating:)` accepts, without a
/// second pass over the bytes.
enum UTF8Check {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `pointer`, the first in the low byte.
    @inline(__always)
    static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// Some byte of `word` is not plain ASCII text of a JSON string: a quote, a backslash, a
    /// control character or a byte of a longer UTF-8 sequence. Never false when one is (the
    /// "has a byte below n" bit trick is exact), sometimes true when none is.
    @inline(__always)
    static func needsALook(_ word: UInt64) -> Bool {
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let control = (word &- ones &* 0x20) & ~word
        let isQuote = (quote &- ones) & ~quote
        let isBackslash = (backslash &- ones) & ~backslash
        return (control | isQuote | isBackslash | word) & highs != 0
    }

    /// The length of the well-formed sequence that starts at `index` with a byte ≥ 0x80 and
    /// ends before `end`, or `nil`: a lone continuation byte, an overlong form, a surrogate,
    /// a scalar above U+10FFFF or a sequence cut short.
    static func sequenceLength(_ base: UnsafePointer<UInt8>, at index: Int, end: Int) -> Int? {
        let lead = base[index]
        let length: Int
        // The second byte's range depends on the lead; later ones are any continuation byte.
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: return nil
        }
        guard index + length <= end else { return nil }
        let second = base[index + 1]
        guard second >= low, second <= high else { return nil }
        for offset in 2..<length where base[index + offset] & 0xC0 != 0x80 { return nil }
        return length
    }
}
