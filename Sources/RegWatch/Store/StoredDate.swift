import Foundation
import GRDB

/// A date as the store writes it: GRDB's own text format, `yyyy-MM-dd HH:mm:ss.SSS` in UTC,
/// formatted by hand.
///
/// GRDB formats a `Date` through `DateFormatter` (ICU), which was a tenth of the time spent
/// storing an item. This writes the same characters (rounded to the nearest millisecond, as
/// ICU does) for every date from 1970 to 9999, and hands anything else to GRDB, so stored
/// values and query arguments compare exactly as before.
struct StoredDate: DatabaseValueConvertible {
    /// The date.
    var date: Date

    init(_ date: Date) { self.date = date }

    var databaseValue: DatabaseValue {
        guard let text = Self.text(date) else { return date.databaseValue }
        return text.databaseValue
    }

    static func fromDatabaseValue(_ dbValue: DatabaseValue) -> StoredDate? {
        Date.fromDatabaseValue(dbValue).map(StoredDate.init)
    }

    /// `2025-12-02 09:00:00.250`; `nil` outside 1970…9999.
    static func text(_ date: Date) -> String? {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        guard millis >= 0, millis < 253_402_300_800_000 else { return nil }  // 10000-01-01
        let total = Int64(millis)
        let days = total / 86_400_000
        var rest = total % 86_400_000
        let (year, month, day) = civil(fromDays: days)
        let hour = rest / 3_600_000
        rest %= 3_600_000
        let minute = rest / 60_000
        rest %= 60_000
        let second = rest / 1000
        let milli = rest % 1000
        return String(unsafeUninitializedCapacity: 23) { buffer in
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
            buffer[10] = UInt8(ascii: " ")
            put(hour, at: 11, digits: 2)
            buffer[13] = UInt8(ascii: ":")
            put(minute, at: 14, digits: 2)
            buffer[16] = UInt8(ascii: ":")
            put(second, at: 17, digits: 2)
            buffer[19] = UInt8(ascii: ".")
            put(milli, at: 20, digits: 3)
            return 23
        }
    }

    /// Proleptic Gregorian (year, month, day) of a count of days since 1970-01-01 (≥ 0),
    /// after Howard Hinnant's `civil_from_days`.
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
