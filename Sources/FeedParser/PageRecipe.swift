import Foundation

/// How items are read from a listing page (`kind = "page"` in feeds.toml): XPath 1.0
/// expressions, `items` absolute (the repeated block), the others relative to each block.
///
/// A field left `nil` falls back on the defaults of ``PageReader``: the title is the text of the
/// block's headline link (a link inside a heading, else its first link with text), the link its
/// `href`, the date the first `<time datetime>` or a date written in the text, the summary the
/// first paragraph that is not the title.
///
/// ```swift
/// let recipe = PageRecipe(items: "//div[contains(@class,'views-row')]", date: ".//span[@class='date']")
/// ```
public struct PageRecipe: Sendable, Hashable {
    /// The repeated block: one node per item.
    public var items: String
    /// Each item's title, relative to its block.
    public var title: String?
    /// Each item's link (an element with `href`, an attribute, or a text), relative to its block.
    public var link: String?
    /// Each item's date (an element with `datetime`, or a text holding a date), relative to its block.
    public var date: String?
    /// Each item's summary, relative to its block.
    public var summary: String?

    /// Creates a recipe.
    public init(items: String, title: String? = nil, link: String? = nil, date: String? = nil, summary: String? = nil) {
        self.items = items
        self.title = title
        self.link = link
        self.date = date
        self.summary = summary
    }

    /// The expressions as (feeds.toml key, expression), the unset ones left out.
    public var expressions: [(key: String, expression: String)] {
        [("items", items), ("title", title), ("link", link), ("date", date), ("summary", summary)].compactMap {
            key, value in
            value.map { (key, $0) }
        }
    }

    /// Why `expression` is not an XPath 1.0 expression libxml2 can evaluate; `nil` when it is.
    ///
    /// ```swift
    /// PageRecipe.problem(in: "//div[@class='a'") // "not a valid XPath 1.0 expression"
    /// ```
    public static func problem(in expression: String) -> String? {
        if expression.trimmingCharacters(in: .whitespaces).isEmpty { return "an empty XPath expression" }
        return XPathExpression(expression) == nil ? "not a valid XPath 1.0 expression" : nil
    }
}

/// What auto-detection found on a page with no feed: the recipe it derived and what it gives.
public struct PageDetection: Sendable {
    /// The recipe: `items` derived from the page, the other fields left to the defaults.
    public var recipe: PageRecipe
    /// The items the recipe reads from this page, as a feed.
    public var feed: Feed
}
