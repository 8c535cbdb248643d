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

    // MARK: ISO 8601 / RFC 3339 / W3CDTF

    private static func parseISO(_ b: [UInt8]) -> Date? {
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var value = 0
            for k in i..<(i + count) {
                guard isDigit(b[k]) else { return nil }
                value = value * 10 + Int(b[k] - 48)
            }
            i += count
            return value
        }
        guard let year = digits(4) else { return nil }
        var month = 1, day = 1
        let basic: Bool
        if i < b.count, b[i] == UInt8(ascii: "-") {
            basic = false
            i += 1
            guard let m = digits(2) else { return nil }
            month = m
            if i < b.count, b[i] == UInt8(ascii: "-") {
                i += 1
                guard let d = digits(2) else { return nil }
                day = d
            }
        } else if i + 4 <= b.count, let m = digits(2), let d = digits(2) {
            basic = true
            month = m
            day = d
        } else if i == b.count {
            basic = false
        } else {
            return nil
        }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offset = 0
        if i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ") {
            i += 1
            while i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
            guard let h = digits(2) else { return nil }
            hour = h
            if i < b.count, b[i] == UInt8(ascii: ":") { i += 1 }
            guard let mi = digits(2) else { return nil }
            minute = mi
            if i < b.count, b[i] == UInt8(ascii: ":") || (basic && isDigit(b[i])) {
                if b[i] == UInt8(ascii: ":") { i += 1 }
                guard let s = digits(2) else { return nil }
                second = s
                if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                    i += 1
                    var scale = 0.1
                    let fractionStart = i
                    while i < b.count, isDigit(b[i]) {
                        fraction += Double(b[i] - 48) * scale
                        scale /= 10
                        i += 1
                    }
                    if i == fractionStart { return nil }
                }
            }
            while i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
            if i < b.count {
                switch b[i] {
                case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                    i += 1
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                    i += 1
                    guard let oh = digits(2) else { return nil }
                    var om = 0
                    if i < b.count, b[i] == UInt8(ascii: ":") { i += 1 }
                    if i < b.count { guard let m = digits(2) else { return nil }; om = m }
                    guard oh <= 23, om <= 59 else { return nil }
                    offset = sign * (oh * 3600 + om * 60)
                default:
                    // A zone name after the time ("2025-12-03 08:00:00 GMT").
                    guard let zone = zoneOffset(Array(b[i...])) else { return nil }
                    offset = zone
                    i = b.count
                }
            }
        }
        guard i == b.count else { return nil }
        return makeDate(
            year: year, month: month, day: day, hour: hour, minute: minute,
            second: second, fraction: fraction, offset: offset)
    }

    // MARK: RFC 822 and the wild

    private enum Token {
        case word([UInt8])
        case number(Int, digits: Int)
        case time(Int, Int, Int)
        case offset(Int)
    }

    private static func parseRFC822(_ b: [UInt8]) -> Date? {
        var tokens: [Token] = []
        var i = 0
        while i < b.count {
            let c = b[i]
            if isDigit(c) {
                var j = i
                var value = 0
                while j < b.count, isDigit(b[j]) {
                    value = value &* 10 &+ Int(b[j] - 48)
                    j += 1
                }
                let count = j - i
                if j < b.count,
                    b[j] == UInt8(ascii: ":")
                        || ((b[j] == UInt8(ascii: "h") || b[j] == UInt8(ascii: "H")) && count <= 2
                            && j + 2 < b.count + 1 && j + 1 < b.count && isDigit(b[j + 1]))
                {
                    // hh:mm[:ss[.fff]] (or the French 10h00)
                    guard count <= 2 else { return nil }
                    var parts = [value]
                    while j < b.count,
                        b[j] == UInt8(ascii: ":") || b[j] == UInt8(ascii: "h") || b[j] == UInt8(ascii: "H"),
                        parts.count < 3
                    {
                        j += 1
                        var part = 0, n = 0
                        while j < b.count, isDigit(b[j]), n < 2 {
                            part = part * 10 + Int(b[j] - 48)
                            j += 1
                            n += 1
                        }
                        guard n > 0 else { return nil }
                        parts.append(part)
                    }
                    if j < b.count, b[j] == UInt8(ascii: ".") || b[j] == UInt8(ascii: ",") {
                        // Fractions of a second: dropped (feeds never need them).
                        j += 1
                        while j < b.count, isDigit(b[j]) { j += 1 }
                    }
                    tokens.append(.time(parts[0], parts[1], parts.count > 2 ? parts[2] : 0))
                } else {
                    guard count <= 4 else { return nil }
                    tokens.append(.number(value, digits: count))
                }
                i = j
            } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                let sawTime = tokens.contains { if case .time = $0 { return true } else { return false } }
                if c == UInt8(ascii: "-") && !sawTime {
                    i += 1  // "03-Dec-2025": a separator, not an offset
                    continue
                }
                var j = i + 1
                var value = 0, count = 0
                while j < b.count, isDigit(b[j]) || (b[j] == UInt8(ascii: ":") && count == 2) {
                    if b[j] != UInt8(ascii: ":") {
                        // Wrapping: a run of 20+ digits after a sign overflowed and trapped
                        // (found by FuzzFeedDate); `count` rejects such a run below anyway.
                        value = value &* 10 &+ Int(b[j] - 48)
                        count += 1
                    }
                    j += 1
                }
                let sign = c == UInt8(ascii: "-") ? -1 : 1
                switch count {
                case 0:
                    break  // a lone dash between fields ("02-Dec-2025")
                case 1, 2:
                    guard value <= 23 else { return nil }
                    tokens.append(.offset(sign * value * 3600))
                case 4:
                    guard value / 100 <= 23, value % 100 <= 59 else { return nil }
                    tokens.append(.offset(sign * ((value / 100) * 3600 + (value % 100) * 60)))
                default:
                    // "-2025" style: a dash separating a number ("02-12-2025" is not RFC 822).
                    return nil
                }
                i = j
            } else if isLetter(c) {
                var j = i
                var word: [UInt8] = []
                while j < b.count,
                    isLetter(b[j]) || (b[j] >= 0x80 && b[j] <= 0xBF && !word.isEmpty && word.last! >= 0xC3)
                {
                    word.append(lower(b[j]))
                    j += 1
                }
                tokens.append(.word(word))
                i = j
            } else {
                // Separators: spaces, commas, dots, slashes, parentheses.
                i += 1
            }
        }

        var monthCandidates: [(index: Int, month: Int)] = []
        for (index, token) in tokens.enumerated() {
            if case .word(let word) = token, let month = monthNumber(word) {
                monthCandidates.append((index, month))
            }
        }
        guard !monthCandidates.isEmpty else { return nil }
        // "mar., 02 déc." : the French "mar" (mardi) in weekday position is not March.
        let monthToken = monthCandidates.count > 1 ? monthCandidates[1] : monthCandidates[0]
        let month = monthToken.month

        var numbers: [(value: Int, digits: Int)] = []
        var time: (Int, Int, Int)?
        var offset: Int?
        var pm: Bool?
        var zoneWordSeen = false
        for (index, token) in tokens.enumerated() where index != monthToken.index {
            switch token {
            case .number(let value, let digits):
                numbers.append((value, digits))
            case .time(let h, let m, let s):
                guard time == nil else { return nil }
                time = (h, m, s)
            case .offset(let seconds):
                // "GMT+1" / "UTC-05:00": the offset follows the zone word.
                offset = (offset ?? 0) + seconds
            case .word(let word):
                if word == [0x61, 0x6d] { pm = false; continue }  // am
                if word == [0x70, 0x6d] { pm = true; continue }  // pm
                if isWeekday(word) || monthNumber(word) != nil { continue }
                if isFiller(word), time == nil || word.count > 1 { continue }  // "à 10:00", but "10:00 A" is a zone
                guard time != nil, !zoneWordSeen, let zone = zoneOffset(word) else { return nil }
                zoneWordSeen = true
                offset = (offset ?? 0) + zone
            }
        }
        guard numbers.count == 2 else { return nil }
        var day: Int
        var year: Int
        var yearDigits: Int
        if numbers[0].digits == 4 {
            // "2025 Dec 02" (rare) : year first.
            (year, yearDigits, day) = (numbers[0].value, 4, numbers[1].value)
        } else if numbers[1].digits == 4 || numbers[1].digits == 2 || numbers[1].digits == 3 {
            (day, year, yearDigits) = (numbers[0].value, numbers[1].value, numbers[1].digits)
        } else {
            return nil
        }
        guard numbers[0].digits <= 2 || numbers[0].digits == 4 else { return nil }
        if yearDigits == 2 {
            year += year < 50 ? 2000 : 1900
        } else if yearDigits == 3 {
            year += 1900  // "125" from a broken strftime %y+100
        }
        var (hour, minute, second) = time ?? (0, 0, 0)
        if let pm {
            guard hour >= 1, hour <= 12 else { return nil }
            if pm, hour < 12 { hour += 12 }
            if !pm, hour == 12 { hour = 0 }
        }
        if day < 1 { return nil }
        return makeDate(
            year: year, month: month, day: day, hour: hour, minute: minute,
            second: second, fraction: 0, offset: offset ?? 0)
    }

    /// `Thu, 04 Dec 2025 10:30:00 +0100` (or `… GMT`), surrounded by ASCII spaces at most: the
    /// English weekday and month abbreviations, two-digit day, four-digit year, seconds. `nil`
    /// for anything else, an impossible date included (then `parseRFC822` decides); never a
    /// different date than `parseRFC822` gives for the same text (FeedDateTests compare them).
    private static func parseCanonicalRFC822(_ text: UnsafeBufferPointer<UInt8>) -> Date? {
        var start = 0
        var end = text.count
        while start < end, text[start] == 0x20 { start += 1 }
        while end > start, text[end - 1] == 0x20 { end -= 1 }
        let n = end - start
        guard n == 31 || n == 29, let base = text.baseAddress else { return nil }
        let b = base + start
        @inline(__always) func digit(_ k: Int) -> Int? {
            let d = b[k] &- 48
            return d < 10 ? Int(d) : nil
        }
        @inline(__always) func word(_ k: Int) -> UInt32 {
            // Three letters, ASCII-lowercased (a non-letter then matches no name).
            UInt32(b[k] | 0x20) << 16 | UInt32(b[k + 1] | 0x20) << 8 | UInt32(b[k + 2] | 0x20)
        }
        guard b[3] == 0x2C, b[4] == 0x20, b[7] == 0x20, b[11] == 0x20, b[16] == 0x20, b[19] == 0x3A,
            b[22] == 0x3A, b[25] == 0x20,
            let d1 = digit(5), let d2 = digit(6), let y1 = digit(12), let y2 = digit(13), let y3 = digit(14),
            let y4 = digit(15), let h1 = digit(17), let h2 = digit(18), let m1 = digit(20), let m2 = digit(21),
            let s1 = digit(23), let s2 = digit(24)
        else { return nil }
        guard canonicalWeekdays.contains(word(0)), let monthIndex = canonicalMonths.firstIndex(of: word(8)) else {
            return nil
        }
        let offset: Int
        if n == 29 {
            guard word(26) == canonicalGMT else { return nil }
            offset = 0
        } else {
            guard b[26] == 0x2B || b[26] == 0x2D, let o1 = digit(27), let o2 = digit(28), let o3 = digit(29),
                let o4 = digit(30)
            else { return nil }
            let hours = o1 * 10 + o2, minutes = o3 * 10 + o4
            guard hours <= 23, minutes <= 59 else { return nil }
            offset = (b[26] == 0x2D ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        let day = d1 * 10 + d2
        guard day >= 1 else { return nil }
        return makeDate(
            year: y1 * 1000 + y2 * 100 + y3 * 10 + y4, month: monthIndex + 1, day: day,
            hour: h1 * 10 + h2, minute: m1 * 10 + m2, second: s1 * 10 + s2, fraction: 0, offset: offset)
    }

    private static func packed(_ name: String) -> UInt32 {
        name.utf8.reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static let canonicalWeekdays: [UInt32] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(packed)
    private static let canonicalMonths: [UInt32] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ].map(packed)
    private static let canonicalGMT = packed("gmt")

    // MARK: Names

    /// English and French month names, accents folded (é → e, û → u).
    private static let monthNames: [[String]] = [
        ["january", "janvier"], ["february", "fevrier"], ["march", "mars"], ["april", "avril"],
        ["may", "mai"], ["june", "juin"], ["july", "juillet"], ["august", "aout"],
        ["september", "septembre"], ["october", "octobre"], ["november", "novembre"],
        ["december", "decembre"],
    ].map { $0 }

    private static let monthTable: [[[UInt8]]] = monthNames.map { $0.map { Array($0.utf8) } }

    /// The month (1–12) a word abbreviates, when it abbreviates exactly one.
    private static func monthNumber(_ word: [UInt8]) -> Int? {
        let folded = fold(word)
        guard folded.count >= 3 else { return nil }
        var found: Int?
        for (index, names) in monthTable.enumerated() {
            if names.contains(where: { hasPrefix($0, folded) }) {
                guard found == nil else { return nil }  // "jui": juin or juillet
                found = index + 1
            }
        }
        return found
    }

    private static let weekdays: [[UInt8]] = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ].map { Array($0.utf8) }

    private static func isWeekday(_ word: [UInt8]) -> Bool {
        let folded = fold(word)
        guard folded.count >= 2 else { return false }
        return weekdays.contains { hasPrefix($0, folded) }
    }

    /// `name` starts with `prefix` (compared in place: this runs for every word of every date).
    @inline(__always)
    private static func hasPrefix(_ name: [UInt8], _ prefix: [UInt8]) -> Bool {
        guard name.count >= prefix.count else { return false }
        for k in 0..<prefix.count where name[k] != prefix[k] { return false }
        return true
    }

    /// Words that carry no date information ("le", "at", "à").
    private static func isFiller(_ word: [UInt8]) -> Bool {
        let folded = fold(word)
        return folded == Array("le".utf8) || folded == Array("at".utf8) || folded == Array("a".utf8)
            || folded == Array("er".utf8) || folded == Array("th".utf8) || folded == Array("st".utf8)
            || folded == Array("nd".utf8) || folded == Array("rd".utf8)
    }

    private static let zones: [String: Int] = [
        "gmt": 0, "ut": 0, "utc": 0, "z": 0, "wet": 0,
        "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
        "akst": -9, "akdt": -8, "hst": -10, "ast": -4, "adt": -3, "nst": -3, "ndt": -2,
        "cet": 1, "cest": 2, "met": 1, "mest": 2, "bst": 1, "ist": 1, "eet": 2, "eest": 3,
        "west": 1, "msk": 3, "jst": 9, "aest": 10, "aedt": 11,
    ]

    /// The offset in seconds of a zone name or a military letter; `nil` when unknown.
    private static func zoneOffset(_ word: [UInt8]) -> Int? {
        let name = String(decoding: word.map(lower), as: UTF8.self)
        if let hours = zones[name] { return hours * 3600 }
        // Military letters as RFC 822 wrote them (A = -1 … M = -12, N = +1 … Y = +12, Z = 0),
        // the convention Python's email.utils and feedparser follow.
        if word.count == 1 {
            let c = lower(word[0])
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "i"): return -Int(c - UInt8(ascii: "a") + 1) * 3600
            case UInt8(ascii: "k")...UInt8(ascii: "m"): return -Int(c - UInt8(ascii: "k") + 10) * 3600
            case UInt8(ascii: "n")...UInt8(ascii: "y"): return Int(c - UInt8(ascii: "n") + 1) * 3600
            case UInt8(ascii: "z"): return 0
            default: return nil
            }
        }
        return nil
    }

    // MARK: Arithmetic

    private static func makeDate(
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

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: Bytes

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    private static func isSpace(_ c: UInt8) -> Bool {
        c == 32 || c == 9 || c == 10 || c == 13 || c == 0xA0 || c == 0xC2
    }
    /// ASCII letters and the UTF-8 bytes of accented letters (é, û, ...).
    private static func isLetter(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xC3
    }
    private static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }

    /// Lowercase ASCII with the French accented letters folded to their base letter.
    private static func fold(_ word: [UInt8]) -> [UInt8] {
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
