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
        case .string(let string): JSONString.write(string, to: &out)
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
                JSONString.write(key, to: &out)
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
            ("format", { JSONString.write(feed.format.rawValue, to: &$0) }),
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
            JSONString.write(key, to: &out)
            out.append(UInt8(ascii: ":"))
            body(&out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private static func writeItem(_ item: Item, to out: inout [UInt8]) {
        // Sorted: authors, categories, content, id, link, published, summary, title, updated.
        out.append(contentsOf: #"{"authors":"#.utf8)
        JSONString.writeArray(item.authors, to: &out)
        out.append(contentsOf: #","categories":"#.utf8)
        JSONString.writeArray(item.categories, to: &out)
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

    private static func writeOptional(_ value: String?, to out: inout [UInt8]) {
        if let value { JSONString.write(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    /// `2025-12-03T08:00:00Z`: the date format of every regwatch JSON output (UTC, no
    /// fraction), as ``UTCDateText/timestamp(_:)`` writes it.
    public static func timestamp(_ date: Date) -> String { UTCDateText.timestamp(date) }

    /// Writes the timestamp of `date` as a JSON string, or `null`.
    private static func writeTimestamp(_ date: Date?, to out: inout [UInt8]) {
        guard let date else {
            out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])  // null
            return
        }
        out.append(0x22)
        UTCDateText.writeTimestamp(date, to: &out)
        out.append(0x22)
    }
}

extension Feed {
    /// The `watchctl parse` JSON of this feed (see `FeedJSON`).
    public func parseJSON(extra: [String: FeedJSON.Value] = [:]) -> Data {
        FeedJSON.encode(self, extra: extra)
    }
}
