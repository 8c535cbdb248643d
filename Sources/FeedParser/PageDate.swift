import Foundation

/// Dates as French (and ISO) web pages write them in running text.
///
/// Understood: `2 décembre 2026`, `1er décembre 2026`, `02 déc. 2026`, `Mardi 2 Décembre 2026`,
/// `02/12/2026`, `02.12.2026`, `02-12-2026` (day first, as French pages write them),
/// `2026-12-02` (ISO), with or without a time after (`à 10h30`, `10:30`, ignored). A date of
/// text has no zone and no time: it is filed at 12:00 UTC of that day, which is the same day in
/// every European zone. `Publié le …` and `mis à jour le …` are told apart: the first is the
/// publication, the second the update.
public enum PageDate {
    /// The dates a text carries, as publication and update.
    public struct Found: Sendable, Equatable {
        /// The first date not announced as an update.
        public var published: Date?
        /// A date announced by "mis à jour", "modifié", "actualisé" or "updated".
        public var updated: Date?
    }

    /// The first date of `text` (publication first, else update); `nil` when none.
    public static func first(in text: String) -> Date? {
        let found = find(in: text)
        return found.published ?? found.updated
    }

    /// Publication and update dates written in `text` (at most the first 4 KiB are read).
    public static func find(in text: String) -> Found {
        let bytes = Array(text.utf8.prefix(4096))
        var found = Found()
        var announced: Date?  // a date after "publié le": the publication, wherever it is
        var index = 0
        while index < bytes.count {
            guard isDigit(bytes[index]), index == 0 || !isDigit(bytes[index - 1]) else {
                index += 1
                continue
            }
            if let (date, end) = date(in: bytes, at: index) {
                if isUpdate(bytes, before: index) {
                    if found.updated == nil { found.updated = date }
                } else {
                    if found.published == nil { found.published = date }
                    if announced == nil, isPublication(bytes, before: index) { announced = date }
                }
                if announced != nil, found.updated != nil { break }
                index = end
            } else {
                index += 1
            }
        }
        if let announced { found.published = announced }
        return found
    }

    /// Parses a whole value (a `<time datetime>`, a date cell): ISO and RFC 822 first, then the
    /// French forms.
    public static func parse(_ value: String) -> Date? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        // ISO values and values with a time are read exactly; a day written in words is filed
        // at noon UTC like every date of text.
        let iso = trimmed.utf8.prefix(4).allSatisfy(isDigit) && trimmed.utf8.count >= 4
        if iso || trimmed.contains(":"), let date = FeedDate.parse(trimmed) { return date }
        return first(in: trimmed)
    }

    // MARK: scanning

    private static func date(in b: [UInt8], at start: Int) -> (Date, Int)? {
        var i = start
        let first = number(b, &i, maxDigits: 4)
        guard let first else { return nil }
        let firstDigits = i - start
        // ISO: 2026-12-02
        if firstDigits == 4, i < b.count, b[i] == UInt8(ascii: "-") {
            var j = i + 1
            guard let month = number(b, &j, maxDigits: 2), j < b.count, b[j] == UInt8(ascii: "-") else { return nil }
            j += 1
            guard let day = number(b, &j, maxDigits: 2) else { return nil }
            return make(year: first, month: month, day: day).map { ($0, j) }
        }
        guard firstDigits <= 2 else { return nil }
        let day = first
        // 02/12/2026, 02.12.2026, 02-12-2026
        if i < b.count, b[i] == UInt8(ascii: "/") || b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: "-") {
            let separator = b[i]
            var j = i + 1
            guard let month = number(b, &j, maxDigits: 2), j < b.count, b[j] == separator else { return nil }
            j += 1
            let yearStart = j
            guard let year = number(b, &j, maxDigits: 4), j - yearStart == 4 else { return nil }
            // "2.12.2026.1" is a version number, not a date.
            if j + 1 < b.count, b[j] == separator, isDigit(b[j + 1]) { return nil }
            if start > 1, b[start - 1] == separator, isDigit(b[start - 2]) { return nil }
            return make(year: year, month: month, day: day).map { ($0, j) }
        }
        // 1er décembre 2026, 2 déc. 2026
        if i + 1 < b.count, b[i] == UInt8(ascii: "e"), b[i + 1] == UInt8(ascii: "r") { i += 2 }
        guard i < b.count, isSpace(b, i) else { return nil }
        skipSpaces(b, &i)
        guard let (month, afterMonth) = monthName(b, at: i) else { return nil }
        i = afterMonth
        if i < b.count, b[i] == UInt8(ascii: ".") { i += 1 }
        guard i < b.count, isSpace(b, i) else { return nil }
        skipSpaces(b, &i)
        let yearStart = i
        guard let year = number(b, &i, maxDigits: 4), i - yearStart == 4 else { return nil }
        return make(year: year, month: month, day: day).map { ($0, i) }
    }

    /// Month names, lowercase, longest first where one is the prefix of another.
    private static let months: [(String, Int)] = [
        ("janvier", 1), ("janv", 1), ("january", 1), ("jan", 1),
        ("février", 2), ("fevrier", 2), ("févr", 2), ("fevr", 2), ("fév", 2), ("fev", 2),
        ("february", 2), ("feb", 2),
        ("mars", 3), ("march", 3), ("mar", 3),
        ("avril", 4), ("avr", 4), ("april", 4), ("apr", 4),
        ("mai", 5), ("may", 5),
        ("juin", 6), ("june", 6), ("jun", 6),
        ("juillet", 7), ("juil", 7), ("july", 7), ("jul", 7),
        ("août", 8), ("aout", 8), ("august", 8), ("aug", 8),
        ("septembre", 9), ("september", 9), ("sept", 9), ("sep", 9),
        ("octobre", 10), ("october", 10), ("oct", 10),
        ("novembre", 11), ("november", 11), ("nov", 11),
        ("décembre", 12), ("decembre", 12), ("december", 12), ("déc", 12), ("dec", 12),
    ].map { (name, month) in (name, month) }

    private static let monthBytes: [([UInt8], Int)] = months.map { (Array($0.0.utf8), $0.1) }

    /// The month written at `start` (case-insensitive, accents in either case), and where it ends.
    private static func monthName(_ b: [UInt8], at start: Int) -> (Int, Int)? {
        var best: (Int, Int)?
        for (name, month) in monthBytes where start + name.count <= b.count {
            var matches = true
            for offset in 0..<name.count where lower(b, start + offset) != name[offset] {
                matches = false
                break
            }
            guard matches else { continue }
            let end = start + name.count
            // A whole word: "mars" not "marseille" (a no-break space ends a word too).
            if end < b.count, isLetter(b[end]), !(b[end] == 0xC2 && end + 1 < b.count && b[end + 1] == 0xA0) {
                continue
            }
            if best == nil || end > best!.1 { best = (month, end) }
        }
        return best
    }

    private static func lower(_ b: [UInt8], _ i: Int) -> UInt8 {
        let byte = b[i]
        if byte >= 0x41, byte <= 0x5A { return byte + 0x20 }
        // Latin-1 capitals in UTF-8 (É = C3 89, Û = C3 9B): the second byte.
        if i > 0, b[i - 1] == 0xC3, byte >= 0x80, byte <= 0x9E, byte != 0x97 { return byte + 0x20 }
        return byte
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte >= 0x80
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isSpace(_ b: [UInt8], _ i: Int) -> Bool {
        b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || (b[i] == 0xC2 && i + 1 < b.count && b[i + 1] == 0xA0)
    }

    private static func skipSpaces(_ b: [UInt8], _ i: inout Int) {
        while i < b.count, isSpace(b, i) { i += b[i] == 0xC2 ? 2 : 1 }
    }

    private static func number(_ b: [UInt8], _ i: inout Int, maxDigits: Int) -> Int? {
        var value = 0
        var digits = 0
        while i < b.count, isDigit(b[i]), digits < maxDigits {
            value = value * 10 + Int(b[i] - 0x30)
            digits += 1
            i += 1
        }
        if i < b.count, isDigit(b[i]) { return nil }  // too many digits: not a date part
        return digits == 0 ? nil : value
    }

    /// Whether the words just before `index` announce an update ("mis à jour le", "mise à jour :",
    /// "modifié le", "actualisé le", "updated").
    private static func isUpdate(_ b: [UInt8], before index: Int) -> Bool {
        windowContains(b, before: index, updateWords)
    }

    private static let updateWords: [[UInt8]] = ["à jour", "a jour", "modifi", "actualis", "updated"].map {
        Array($0.utf8)
    }
    private static let publicationWords: [[UInt8]] = ["publi", "posted"].map { Array($0.utf8) }

    /// Whether one of `words` (lowercase) occurs in the 32 bytes before `index`, ASCII case ignored.
    private static func windowContains(_ b: [UInt8], before index: Int, _ words: [[UInt8]]) -> Bool {
        let from = max(0, index - 32)
        for word in words where word.count <= index - from {
            var start = from
            while start + word.count <= index {
                var offset = 0
                while offset < word.count, lower(b, start + offset) == word[offset] { offset += 1 }
                if offset == word.count { return true }
                start += 1
            }
        }
        return false
    }

    /// Whether the words just before `index` announce the publication ("Publié le", "Date de publication").
    private static func isPublication(_ b: [UInt8], before index: Int) -> Bool {
        windowContains(b, before: index, publicationWords)
    }

    private static func make(year: Int, month: Int, day: Int) -> Date? {
        guard (1900...2200).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month, year) else {
            return nil
        }
        let days = GregorianDays.days(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days) * 86_400 + 12 * 3_600)
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
