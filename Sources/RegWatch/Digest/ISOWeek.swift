import Foundation
import FeedParser

/// An ISO 8601 week, such as `2025-W49`: the unit a digest covers.
///
/// Weeks start on Monday; week 1 of a year is the week that holds January 4th, so a week
/// belongs to the year that holds its Thursday, and some years (those starting on a Thursday,
/// or leap years starting on a Wednesday) have 53 weeks. The calendar arithmetic is done on
/// civil dates; only ``start(in:)`` and ``end(in:)`` involve a time zone, so the week's
/// boundaries follow that zone's daylight-saving rules.
///
/// ```swift
/// let week = try ISOWeek(parsing: "2025-W49")
/// week.start(in: paris)   // 2025-12-01 00:00 Paris = 2025-11-30T23:00:00Z
/// ```
public struct ISOWeek: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The ISO week-numbering year (which differs from the calendar year around New Year).
    public let year: Int
    /// The week number, 1 ... 52 or 53.
    public let week: Int

    /// Creates a week, or returns `nil` if `year` has no such week.
    public init?(year: Int, week: Int) {
        guard (1...9999).contains(year), week >= 1, week <= ISOWeek.weeks(in: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// Parses `YYYY-Www` (`2025-W49`; `2025-w49` is accepted too).
    ///
    /// - Throws: ``ISOWeekError`` naming the text and the expected form.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 3,
            parts[1].first == "W" || parts[1].first == "w",
            parts[0].allSatisfy(\.isASCIIDigit), parts[1].dropFirst().allSatisfy(\.isASCIIDigit),
            let year = Int(parts[0]), let number = Int(parts[1].dropFirst())
        else {
            throw ISOWeekError(text: text, reason: "not of the form YYYY-Www")
        }
        guard let week = ISOWeek(year: year, week: number) else {
            throw ISOWeekError(
                text: text, reason: "\(year) has \(ISOWeek.weeks(in: year)) ISO weeks")
        }
        self = week
    }

    /// `2025-W49`.
    public var description: String {
        let yearText = String(year)
        let paddedYear = String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText
        return "\(paddedYear)-W\(week < 10 ? "0" : "")\(week)"
    }

    /// How many ISO weeks `year` has: 53 when it starts on a Thursday, or on a Wednesday in a leap year.
    public static func weeks(in year: Int) -> Int {
        let jan1 = CivilDate(year: year, month: 1, day: 1).isoWeekday
        let leap = CivilDate.isLeap(year)
        return jan1 == 4 || (leap && jan1 == 3) ? 53 : 52
    }

    /// The Monday of this week, as a civil date.
    var monday: CivilDate {
        // January 4th is always in week 1; its week's Monday anchors the count.
        let jan4 = CivilDate(year: year, month: 1, day: 4)
        let week1Monday = jan4.daysSinceEpoch - (jan4.isoWeekday - 1)
        return CivilDate(daysSinceEpoch: week1Monday + (week - 1) * 7)
    }

    /// Monday 00:00 local time in `timeZone`: the first instant of the week.
    public func start(in timeZone: TimeZone) -> Date {
        monday.startOfDay(in: timeZone)
    }

    /// The next Monday 00:00 local time in `timeZone`: the first instant after the week.
    ///
    /// Computed from the next Monday's local midnight rather than by adding seven days,
    /// so a week that contains a daylight-saving change lasts 167 or 169 hours, as it should.
    public func end(in timeZone: TimeZone) -> Date {
        // From the civil date, not `next`: the week after 9999-W52 has no ISOWeek, but it
        // still has a Monday.
        CivilDate(daysSinceEpoch: monday.daysSinceEpoch + 7).startOfDay(in: timeZone)
    }

    /// Whether `date` falls in this week in `timeZone` (start included, end excluded).
    public func contains(_ date: Date, in timeZone: TimeZone) -> Bool {
        date >= start(in: timeZone) && date < end(in: timeZone)
    }

    /// The week that holds `date` in `timeZone`.
    public static func containing(_ date: Date, in timeZone: TimeZone) -> ISOWeek {
        let civil = CivilDate(date, in: timeZone)
        let ordinal = civil.daysSinceEpoch - CivilDate(year: civil.year, month: 1, day: 1).daysSinceEpoch + 1
        let number = (ordinal - civil.isoWeekday + 10) / 7
        if number < 1 {
            return ISOWeek(year: civil.year - 1, week: weeks(in: civil.year - 1))!
        }
        if number > weeks(in: civil.year) {
            return ISOWeek(year: civil.year + 1, week: 1)!
        }
        return ISOWeek(year: civil.year, week: number)!
    }

    /// The week that just ended at `now` in `timeZone`: on a Monday morning, last week.
    public static func lastCompleted(now: Date, in timeZone: TimeZone) -> ISOWeek {
        containing(now, in: timeZone).previous
    }

    /// The week before this one (0001-W01, the first week there is, is its own previous week).
    public var previous: ISOWeek {
        if week > 1 { return ISOWeek(year: year, week: week - 1)! }
        return ISOWeek(year: year - 1, week: ISOWeek.weeks(in: year - 1)) ?? self
    }

    /// The week after this one (9999-W52, the last week there is, is its own next week).
    public var next: ISOWeek {
        if week < ISOWeek.weeks(in: year) { return ISOWeek(year: year, week: week + 1)! }
        return ISOWeek(year: year + 1, week: 1) ?? self
    }

    /// Orders weeks in time.
    public static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool {
        (lhs.year, lhs.week) < (rhs.year, rhs.week)
    }

    /// Decodes from the `2025-W49` form.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try ISOWeek(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: String(describing: error)))
        }
    }

    /// Encodes as the `2025-W49` form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A week given on the command line or in a file that is not an ISO week.
public struct ISOWeekError: ActionableError, Equatable {
    /// The text as given.
    public let text: String
    /// What is wrong with it.
    public let reason: String

    /// A week is always user input.
    public var kind: FailureKind { .badInput }

    /// One line: what, why, and the expected form.
    public var description: String {
        "week \"\(text)\": \(reason); expected YYYY-Www, e.g. 2025-W49"
    }
}

extension ISOWeek {
    /// A proleptic Gregorian calendar date without a time or zone, for week and date arithmetic
    /// that must not depend on a `Calendar`'s locale settings.
    struct CivilDate: Hashable, Comparable, Sendable {
        var year: Int
        var month: Int
        var day: Int

        init(year: Int, month: Int, day: Int) {
            self.year = year
            self.month = month
            self.day = day
        }

        /// The local calendar date of `date` in `timeZone`.
        init(_ date: Date, in timeZone: TimeZone) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            self.init(year: parts.year!, month: parts.month!, day: parts.day!)
        }

        /// Inverse of ``daysSinceEpoch`` (days from 1970-01-01).
        init(daysSinceEpoch days: Int) {
            (year, month, day) = GregorianDays.date(days: days)
        }

        /// Days from 1970-01-01.
        var daysSinceEpoch: Int { GregorianDays.days(year: year, month: month, day: day) }

        /// 1 = Monday ... 7 = Sunday.
        var isoWeekday: Int {
            // 1970-01-01 was a Thursday (4).
            let offset = (daysSinceEpoch + 3) % 7
            return (offset < 0 ? offset + 7 : offset) + 1
        }

        static func isLeap(_ year: Int) -> Bool {
            (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        }

        /// Local midnight of this date in `timeZone` (or the first instant of the day when a
        /// daylight-saving change skips midnight, as in a few zones).
        func startOfDay(in timeZone: TimeZone) -> Date {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let noon = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
            return calendar.startOfDay(for: noon)
        }

        static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
            (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
        }
    }

}

extension Character {
    /// `0` ... `9` only (not the other Unicode digits `isNumber` accepts).
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
