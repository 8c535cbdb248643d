import Foundation

/// The words of a written date: English and French month and weekday names, fillers and
/// zone names.
extension FeedDate {
    /// English and French month names, accents folded (é → e, û → u).
    static let monthNames: [[String]] = [
        ["january", "janvier"], ["february", "fevrier"], ["march", "mars"], ["april", "avril"],
        ["may", "mai"], ["june", "juin"], ["july", "juillet"], ["august", "aout"],
        ["september", "septembre"], ["october", "octobre"], ["november", "novembre"],
        ["december", "decembre"],
    ].map { $0 }

    static let monthTable: [[[UInt8]]] = monthNames.map { $0.map { Array($0.utf8) } }

    /// The month (1–12) a word abbreviates, when it abbreviates exactly one.
    static func monthNumber(_ word: [UInt8]) -> Int? {
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

    static let weekdays: [[UInt8]] = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ].map { Array($0.utf8) }

    static func isWeekday(_ word: [UInt8]) -> Bool {
        let folded = fold(word)
        guard folded.count >= 2 else { return false }
        return weekdays.contains { hasPrefix($0, folded) }
    }

    /// `name` starts with `prefix` (compared in place: this runs for every word of every date).
    @inline(__always)
    static func hasPrefix(_ name: [UInt8], _ prefix: [UInt8]) -> Bool {
        guard name.count >= prefix.count else { return false }
        for k in 0..<prefix.count where name[k] != prefix[k] { return false }
        return true
    }

    /// Words that carry no date information ("le", "at", "à").
    static func isFiller(_ word: [UInt8]) -> Bool {
        let folded = fold(word)
        return folded == Array("le".utf8) || folded == Array("at".utf8) || folded == Array("a".utf8)
            || folded == Array("er".utf8) || folded == Array("th".utf8) || folded == Array("st".utf8)
            || folded == Array("nd".utf8) || folded == Array("rd".utf8)
    }

    static let zones: [String: Int] = [
        "gmt": 0, "ut": 0, "utc": 0, "z": 0, "wet": 0,
        "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
        "akst": -9, "akdt": -8, "hst": -10, "ast": -4, "adt": -3, "nst": -3, "ndt": -2,
        "cet": 1, "cest": 2, "met": 1, "mest": 2, "bst": 1, "ist": 1, "eet": 2, "eest": 3,
        "west": 1, "msk": 3, "jst": 9, "aest": 10, "aedt": 11,
    ]

    /// The offset in seconds of a zone name or a military letter; `nil` when unknown.
    static func zoneOffset(_ word: [UInt8]) -> Int? {
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

}
