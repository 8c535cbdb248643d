import FeedParser
import Foundation

/// JSON text for the list columns (`authors`, `categories`, `matches`), written without a
/// `JSONEncoder` per row: the insert path of a poll runs it for every stored item.
enum JSONText {
    /// `["a","b"]`, escaped as RFC 8259 requires (by FeedParser's ``JSONString``).
    /// An empty list, most items' authors and categories, is written without a buffer; any
    /// other into one sized for it unescaped (growing it a few times cost a tenth of the work).
    static func array(_ strings: [String]) -> String {
        guard !strings.isEmpty else { return "[]" }
        var size = 1 + 3 * strings.count
        for string in strings { size += string.utf8.count }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        JSONString.writeArray(strings, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The strings of a list column, read back: `[]`, the value of most rows, without a decoder.
    static func strings(_ text: String) throws -> [String] {
        text == "[]" ? [] : try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
