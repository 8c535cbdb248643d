import Foundation
import FeedParser

/// Dates as text in UTC, written by hand: the JSON form (`2025-12-03T08:00:00Z`) and the
/// store's (`2025-12-03 08:00:00.000`).
///
/// Foundation's `ISO8601DateFormatter` and `DateFormatter` open an ICU formatter each time
/// one is made and go through ICU for every date: creating one per date was a sixth of
/// `watchctl search --json`, and formatting through GRDB's a tenth of storing an item. These
/// write the same characters (tests compare them with Foundation's and GRDB's) for every date
/// from 1970 to 9999, and answer `nil` outside, where callers fall back to Foundation.
public enum UTCDateText {
    /// `2025-12-03T08:00:00Z` (RFC 3339, whole seconds, as `ISO8601DateFormatter` with
    /// `.withInternetDateTime` writes it: the nearest millisecond, its seconds); `nil` outside
    /// 1970…9999.
    public static func internetDateTime(_ date: Date) -> String? {
        guard let parts = Parts(milliseconds: (date.timeIntervalSince1970 * 1000).rounded()) else { return nil }
        return parts.text(dateTimeSeparator: "T", milliseconds: false, zulu: true)
    }

    /// `2025-12-03 08:00:00.250` (GRDB's storage format; milliseconds rounded to the nearest,
    /// as ICU does); `nil` outside 1970…9999.
    static func storage(_ date: Date) -> String? {
        guard let parts = Parts(milliseconds: (date.timeIntervalSince1970 * 1000).rounded()) else { return nil }
        return parts.text(dateTimeSeparator: " ", milliseconds: true, zulu: false)
    }

    private struct Parts {
        var year, month, day, hour, minute, second, millisecond: Int64

        init?(milliseconds: Double) {
            guard milliseconds >= 0, milliseconds < 253_402_300_800_000 else { return nil }  // 10000-01-01
            let total = Int64(milliseconds)
            let date = GregorianDays.date(days: Int(total / 86_400_000))
            (year, month, day) = (Int64(date.year), Int64(date.month), Int64(date.day))
            var rest = total % 86_400_000
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
}
