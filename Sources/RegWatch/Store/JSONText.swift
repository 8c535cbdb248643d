import FeedParser

/// JSON text for the list columns (`authors`, `categories`, `matches`), written without a
/// `JSONEncoder` per row: the insert path of a poll runs it for every stored item.
enum JSONText {
    /// `["a","b"]`, escaped as RFC 8259 requires (by FeedParser's ``JSONString``).
    static func array(_ strings: [String]) -> String { JSONString.array(strings) }
}
