import Foundation

/// RFC 822 / RFC 1123 dates and their real-world variants (`ctime` order, missing parts,
/// zone names), with a fast path for the canonical form most feeds write.
extension FeedDate {
    enum Token {
        case word([UInt8])
        case number(Int, digits: Int)
        case time(Int, Int, Int)
        case offset(Int)
    }

    static func parseRFC822(_ b: [UInt8]) -> Date? {
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
    static func parseCanonicalRFC822(_ text: UnsafeBufferPointer<UInt8>) -> Date? {
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

    static func packed(_ name: String) -> UInt32 {
        name.utf8.reduce(0) { $0 << 8 | UInt32($1) }
    }

    static let canonicalWeekdays: [UInt32] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(packed)
    static let canonicalMonths: [UInt32] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ].map(packed)
    static let canonicalGMT = packed("gmt")

}
