import FeedParser
import Foundation

/// JSON text for the list columns (`authors`, `categories`, `matches`), written without a
/// `JSONEncoder` per row: the insert path of a poll runs it for every stored item.
enum JSONText {
    /// `["a","b"]`, escaped as RFC 8259 requires (by FeedParser's ``JSONString``).
    /// An empty list, most items' authors and categories, is written without a buffer.
    static func array(_ strings: [String]) -> String { strings.isEmpty ? "[]" : JSONString.array(strings) }

    /// The strings of a list column, read back: `[]`, the value of most rows, without a decoder.
    static func strings(_ text: String) throws -> [String] {
        text == "[]" ? [] : try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
