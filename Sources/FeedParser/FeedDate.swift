import Foundation

/// Feed dates as they are really written, turned into UTC instants.
///
/// Two families are understood, by a hand-written scanner (no `DateFormatter`, no locale):
/// - RFC 822 / RFC 1123 and their real-world variants: optional weekday, 2-digit years, no
///   seconds, zone names (`GMT`, `UT`, `EST`, `CEST`, military letters), numeric offsets
///   (`+0100`, `+01:00`), English or French day and month names (`mar., 02 déc. 2025 10:00:00 +0100`),
///   and the `Tue Dec 02 10:00:00 CET 2025` order of `ctime`.
/// - RFC 3339 / ISO 8601 / W3CDTF: `2025-12-03`, `2025-12-03T08:00Z`, fractions, `Z` or an
///   offset, a space instead of `T`, the basic form `20251203T080000Z`.
///
/// A date without a zone is taken as UTC. Anything else gives `nil`: never "now", never a guess.
public enum FeedDate {
    /// Parses a feed date; `nil` when the text is not a date this scanner understands.
    ///
    /// ```swift
    /// FeedDate.parse("mar., 02 déc. 2025 10:00:00 +0100") // 2025-12-02T09:00:00Z
    /// ```
    public static func parse(_ text: String) -> Date? {
        // Most feeds write RFC 822 exactly as RFC 2822 says; that shape is read in place
        // (no arrays), anything else by the general scanner below.
        if let canonical = text.utf8.withContiguousStorageIfAvailable(parseCanonicalRFC822), let date = canonical {
            return date
        }
        var bytes = Array(text.utf8)
        // Trim ASCII whitespace and NBSP (C2 A0) around the value.
        while let last = bytes.last, isSpace(last) { bytes.removeLast() }
        var start = 0
        while start < bytes.count, isSpace(bytes[start]) { start += 1 }
        if start > 0 { bytes.removeFirst(start) }
        guard !bytes.isEmpty, bytes.count < 128 else { return nil }
        if bytes.count >= 4, isDigit(bytes[0]), isDigit(bytes[1]), isDigit(bytes[2]), isDigit(bytes[3]) {
            if let date = parseISO(bytes) { return date }
        }
        return parseRFC822(bytes)
    }

    // MARK: Arithmetic

    static func makeDate(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
        fraction: Double, offset: Int
    ) -> Date? {
        guard year >= 1, year <= 9999, (1...12).contains(month), day >= 1,
            day <= daysIn(month: month, year: year),
            (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        if hour == 24, minute != 0 || second != 0 { return nil }
        let days = GregorianDays.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: Bytes

    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    static func isSpace(_ c: UInt8) -> Bool {
        c == 32 || c == 9 || c == 10 || c == 13 || c == 0xA0 || c == 0xC2
    }
    /// ASCII letters and the UTF-8 bytes of accented letters (é, û, ...).
    static func isLetter(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xC3
    }
    static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }

    /// Lowercase ASCII with the French accented letters folded to their base letter.
    static func fold(_ word: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(word.count)
        var i = 0
        while i < word.count {
            let c = word[i]
            if c == 0xC3, i + 1 < word.count {
                let n = word[i + 1]
                switch n {
                case 0xA0...0xA5, 0x80...0x85: out.append(UInt8(ascii: "a"))
                case 0xA7, 0x87: out.append(UInt8(ascii: "c"))
                case 0xA8...0xAB, 0x88...0x8B: out.append(UInt8(ascii: "e"))
                case 0xAC...0xAF, 0x8C...0x8F: out.append(UInt8(ascii: "i"))
                case 0xB2...0xB6, 0x92...0x96: out.append(UInt8(ascii: "o"))
                case 0xB9...0xBC, 0x99...0x9C: out.append(UInt8(ascii: "u"))
                default: out.append(n)
                }
                i += 2
            } else {
                out.append(lower(c))
                i += 1
            }
        }
        return out
    }
}
