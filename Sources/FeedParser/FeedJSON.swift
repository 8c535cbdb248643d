import Foundation

/// The JSON of `watchctl parse` (docs/cli.md), written by hand for exact keys and speed.
///
/// Keys are sorted, missing values are `null`, dates are UTC `2025-12-03T08:00:00Z`. `fetch`
/// adds its own top-level keys (`final_url`, `status`, …) through `extra`.
public enum FeedJSON {
    /// An extra top-level value: a string, an integer or null.
    public indirect enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case null
        /// `true` or `false`.
        case bool(Bool)
        /// A list of values.
        case array([Value])
        /// An object; keys are written sorted.
        case object([String: Value])

        /// The value as JSON text, no newline.
        public func encoded() -> Data {
            var out: [UInt8] = []
            FeedJSON.writeValue(self, to: &out)
            return Data(out)
        }
    }

    static func writeValue(_ value: Value, to out: inout [UInt8]) {
        switch value {
        case .string(let string): writeString(string, to: &out)
        case .integer(let number): out.append(contentsOf: String(number).utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeValue(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (index, key) in fields.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                writeValue(fields[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The JSON object of `feed`, with `extra` keys merged in (sorted with the others), no newline.
    ///
    /// ```swift
    /// let json = FeedJSON.encode(feed, extra: ["final_url": .string(url), "status": .integer(200)])
    /// ```
    public static func encode(_ feed: Feed, extra: [String: Value] = [:]) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(feed, extra: extra, to: &out)
        return Data(out)
    }

    /// Appends the JSON object of `feed` to `out` (for callers that stream many documents).
    ///
    /// - Parameter flush: when given, called between items whenever `out` holds more than
    ///   1 MiB, to write it out and empty it: a 50 MB feed then never has its whole JSON in memory.
    public static func write(
        _ feed: Feed, extra: [String: Value] = [:], to out: inout [UInt8],
        flush: ((inout [UInt8]) -> Void)? = nil
    ) {
        var fields: [(String, (inout [UInt8]) -> Void)] = [
            ("format", { writeString(feed.format.rawValue, to: &$0) }),
            ("title", { writeOptional(feed.title, to: &$0) }),
            ("link", { writeOptional(feed.link, to: &$0) }),
            (
                "items",
                { out in
                    out.append(UInt8(ascii: "["))
                    for (index, item) in feed.items.enumerated() {
                        if index > 0 { out.append(UInt8(ascii: ",")) }
                        writeItem(item, to: &out)
                        if let flush, out.count > 1 << 20 { flush(&out) }
                    }
                    out.append(UInt8(ascii: "]"))
                }
            ),
        ]
        for (key, value) in extra where !["format", "title", "link", "items"].contains(key) {
            fields.append((key, { out in writeValue(value, to: &out) }))
        }
        fields.sort { $0.0 < $1.0 }
        out.append(UInt8(ascii: "{"))
        for (index, (key, body)) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            writeString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            body(&out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private static func writeItem(_ item: Item, to out: inout [UInt8]) {
        // Sorted: authors, categories, content, id, link, published, summary, title, updated.
        out.append(contentsOf: #"{"authors":"#.utf8)
        writeArray(item.authors, to: &out)
        out.append(contentsOf: #","categories":"#.utf8)
        writeArray(item.categories, to: &out)
        out.append(contentsOf: #","content":"#.utf8)
        writeOptional(item.content, to: &out)
        out.append(contentsOf: #","id":"#.utf8)
        writeOptional(item.id, to: &out)
        out.append(contentsOf: #","link":"#.utf8)
        writeOptional(item.link, to: &out)
        out.append(contentsOf: #","published":"#.utf8)
        writeTimestamp(item.published, to: &out)
        out.append(contentsOf: #","summary":"#.utf8)
        writeOptional(item.summary, to: &out)
        out.append(contentsOf: #","title":"#.utf8)
        writeOptional(item.title, to: &out)
        out.append(contentsOf: #","updated":"#.utf8)
        writeTimestamp(item.updated, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    private static func writeArray(_ values: [String], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            writeString(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private static func writeOptional(_ value: String?, to out: inout [UInt8]) {
        if let value { writeString(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private static func writeString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            let count = bytes.count
            var run = 0
            var i = 0
            while i < count {
                // Straight to the next byte that needs escaping (few in any text).
                i = ByteScan.skip(bytes, from: i, to: count) {
                    ByteScan.flagsLess($0, than: 0x20) | ByteScan.flagsEqual($0, 0x22) | ByteScan.flagsEqual($0, 0x5C)
                }
                guard i < count else { break }
                let c = bytes[i]
                guard c < 0x20 || c == 0x22 || c == 0x5C else {
                    i += 1
                    continue
                }
                if i > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i])) }
                i += 1
                run = i
                switch c {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default:
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0xF)]])
                }
            }
            if count > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `2025-12-03T08:00:00Z`: the date format of every regwatch JSON output (UTC, no fraction).
    public static func timestamp(_ date: Date) -> String {
        let (year, month, day, secondOfDay) = civil(date)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return
            "\(yearText)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }

    /// Writes `timestamp(date)` as a JSON string (or `null`) straight into the bytes: no
    /// `String` per date for the years 0–9999 that real feeds have.
    private static func writeTimestamp(_ date: Date?, to out: inout [UInt8]) {
        guard let date else {
            out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])  // null
            return
        }
        let (year, month, day, secondOfDay) = civil(date)
        guard year >= 0, year <= 9999 else {
            writeString(timestamp(date), to: &out)
            return
        }
        @inline(__always) func two(_ value: Int) {
            out.append(0x30 + UInt8(value / 10))
            out.append(0x30 + UInt8(value % 10))
        }
        out.append(0x22)
        two(year / 100)
        two(year % 100)
        out.append(0x2D)
        two(month)
        out.append(0x2D)
        two(day)
        out.append(0x54)  // T
        two(secondOfDay / 3600)
        out.append(0x3A)
        two(secondOfDay / 60 % 60)
        out.append(0x3A)
        two(secondOfDay % 60)
        out.append(0x5A)  // Z
        out.append(0x22)
    }

    /// Year, month, day and second of the day (UTC) of `date`, whole seconds.
    private static func civil(_ date: Date) -> (year: Int, month: Int, day: Int, secondOfDay: Int) {
        let seconds = Int(floor(date.timeIntervalSince1970))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, day) = GregorianDays.date(days: days)
        return (year, month, day, seconds - days * 86_400)
    }
}

extension Feed {
    /// The `watchctl parse` JSON of this feed (see `FeedJSON`).
    public func parseJSON(extra: [String: FeedJSON.Value] = [:]) -> Data {
        FeedJSON.encode(self, extra: extra)
    }
}
