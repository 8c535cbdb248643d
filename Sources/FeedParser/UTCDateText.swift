import Foundation

/// Dates as text in UTC, written by hand: the one UTC timestamp writer of regwatch. The JSON
/// form (`2025-12-03T08:00:00Z`) and the store's (`2025-12-03 08:00:00.000`).
///
/// Foundation's `ISO8601DateFormatter` and `DateFormatter` open an ICU formatter each time
/// one is made and go through ICU for every date: creating one per date was a sixth of
/// `watchctl search --json`, and formatting through GRDB's a tenth of storing an item. These
/// write the same characters (tests compare them with Foundation's and GRDB's).
public enum UTCDateText {
    /// `2025-12-03T08:00:00Z`, the date format of every regwatch JSON output, for any date:
    /// the second the instant falls in (fractions dropped, never rounded up), the year written
    /// with at least four digits. What `watchctl parse` writes and item identities hash.
    public static func timestamp(_ date: Date) -> String {
        let seconds = floor(date.timeIntervalSince1970)
        if let parts = Parts(milliseconds: seconds * 1000) {
            return parts.text(dateTimeSeparator: "T", milliseconds: false, zulu: true)
        }
        // Years before 0 or after 9999: never in a real feed, written the slow way.
        let whole = Int(seconds)
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let secondOfDay = whole - days * 86_400
        let (year, month, day) = GregorianDays.date(days: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return
            "\(yearText)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }

    /// Appends `timestamp(date)` to `out` as UTF-8, without a `String` for the years 0–9999
    /// that real feeds have (the parse JSON writes one or two per item).
    public static func writeTimestamp(_ date: Date, to out: inout [UInt8]) {
        guard let parts = Parts(milliseconds: floor(date.timeIntervalSince1970) * 1000) else {
            out.append(contentsOf: timestamp(date).utf8)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Parts.longest) { buffer in
            let end = parts.write(into: buffer, dateTimeSeparator: "T", milliseconds: false, zulu: true)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<end]))
        }
    }

    /// `2025-12-03T08:00:00Z` (RFC 3339, whole seconds, as `ISO8601DateFormatter` with
    /// `.withInternetDateTime` writes it: the nearest millisecond, its seconds); `nil` outside
    /// 1970…9999, where callers fall back to Foundation.
    public static func internetDateTime(_ date: Date) -> String? {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        guard milliseconds >= 0, let parts = Parts(milliseconds: milliseconds) else { return nil }
        return parts.text(dateTimeSeparator: "T", milliseconds: false, zulu: true)
    }

    /// `2025-12-03 08:00:00.250` (GRDB's storage format; milliseconds rounded to the nearest,
    /// as ICU does); `nil` outside 1970…9999, where callers fall back to GRDB.
    public static func storage(_ date: Date) -> String? {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        guard milliseconds >= 0, let parts = Parts(milliseconds: milliseconds) else { return nil }
        return parts.text(dateTimeSeparator: " ", milliseconds: true, zulu: false)
    }

    /// The fields of an instant of the years 0–9999, from whole milliseconds since 1970.
    private struct Parts {
        /// `2025-12-03T08:00:00.250Z`: the most characters `write` writes.
        static let longest = 24

        var year, month, day, hour, minute, second, millisecond: Int64

        init?(milliseconds: Double) {
            // 0000-01-01T00:00:00Z ..< 10000-01-01T00:00:00Z
            guard milliseconds >= -62_167_219_200_000, milliseconds < 253_402_300_800_000 else { return nil }
            let total = Int64(milliseconds)
            var days = total / 86_400_000
            var rest = total % 86_400_000
            if rest < 0 {
                days -= 1
                rest += 86_400_000
            }
            let date = GregorianDays.date(days: Int(days))
            (year, month, day) = (Int64(date.year), Int64(date.month), Int64(date.day))
            hour = rest / 3_600_000
            rest %= 3_600_000
            minute = rest / 60_000
            rest %= 60_000
            second = rest / 1000
            millisecond = rest % 1000
        }

        func text(dateTimeSeparator: Character, milliseconds: Bool, zulu: Bool) -> String {
            let length = 19 + (milliseconds ? 4 : 0) + (zulu ? 1 : 0)
            return String(unsafeUninitializedCapacity: length) { buffer in
                write(into: buffer, dateTimeSeparator: dateTimeSeparator, milliseconds: milliseconds, zulu: zulu)
            }
        }

        /// Writes the text at the start of `buffer` (at least `longest` bytes); returns its length.
        func write(
            into buffer: UnsafeMutableBufferPointer<UInt8>, dateTimeSeparator: Character, milliseconds: Bool,
            zulu: Bool
        ) -> Int {
            func put(_ value: Int64, at offset: Int, digits: Int) {
                var value = value
                for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, at: 0, digits: 4)
            buffer[4] = UInt8(ascii: "-")
            put(month, at: 5, digits: 2)
            buffer[7] = UInt8(ascii: "-")
            put(day, at: 8, digits: 2)
            buffer[10] = dateTimeSeparator.asciiValue!
            put(hour, at: 11, digits: 2)
            buffer[13] = UInt8(ascii: ":")
            put(minute, at: 14, digits: 2)
            buffer[16] = UInt8(ascii: ":")
            put(second, at: 17, digits: 2)
            var end = 19
            if milliseconds {
                buffer[19] = UInt8(ascii: ".")
                put(millisecond, at: 20, digits: 3)
                end = 23
            }
            if zulu {
                buffer[end] = UInt8(ascii: "Z")
                end += 1
            }
            return end
        }
    }
}
