import FeedParser
import Foundation
import GRDB

/// A date as the store writes it: GRDB's own text format, `yyyy-MM-dd HH:mm:ss.SSS` in UTC,
/// formatted by ``UTCDateText`` instead of GRDB's `DateFormatter` (a tenth of the time spent
/// storing an item); dates outside 1970…9999 are left to GRDB, so stored values and query
/// arguments compare exactly as before.
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
    static func text(_ date: Date) -> String? { UTCDateText.storage(date) }
}
