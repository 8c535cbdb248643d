import Foundation

/// ISO 8601, RFC 3339 and W3CDTF dates (`2025-12-03T08:00:00Z` and its variants).
extension FeedDate {
    static func parseISO(_ b: [UInt8]) -> Date? {
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

}
