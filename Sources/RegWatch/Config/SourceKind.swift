import FeedParser
import Foundation

/// What a `[[feeds]]` entry watches (`kind` in feeds.toml): a feed, a listing page read into
/// items, or a page (or document) whose changes are the news.
public enum SourceKind: Sendable, Equatable {
    /// `kind = "feed"` (the default): RSS, Atom, RDF or JSON Feed.
    case feed
    /// `kind = "page"`: an HTML listing page; `nil` recipe means the repeated block is detected
    /// at each poll (``PageReader/detect(_:url:charset:)``).
    case page(PageRecipe?)
    /// `kind = "change"`: a page's text (or a document's bytes) compared with the last poll.
    case change(ChangeWatch)

    /// The value written in feeds.toml.
    public var name: String {
        switch self {
        case .feed: "feed"
        case .page: "page"
        case .change: "change"
        }
    }

    /// The names feeds.toml accepts for `kind`.
    public static let names = ["feed", "page", "change"]

    /// How often a source of this kind is polled when its entry has no `interval`: pages change
    /// less often than feeds and are heavier, so 6 h; feeds take `[fetch] default_interval`.
    public func defaultInterval(feeds: Duration) -> Duration {
        if case .feed = self { return feeds }
        return .seconds(6 * 3600)
    }
}

/// `kind = "change"`: which part of the page is compared, and what noise is removed first.
public struct ChangeWatch: Sendable, Equatable {
    /// `region`: an XPath 1.0 expression selecting the part of the page to watch; `nil` means
    /// the main content (`<main>`, `[role=main]`, `<article>`, else `<body>`).
    public var region: String?
    /// `ignore`: regular expressions whose matches are removed from the text before comparing
    /// (dates of "mis à jour le", counters, session tokens).
    public var ignore: [String]

    /// Creates a change watch.
    public init(region: String? = nil, ignore: [String] = []) {
        self.region = region
        self.ignore = ignore
    }
}

extension SourceKind {
    /// Why `value` cannot be the XPath of `key` (`items`, `title`, `link`, `date`, `summary`,
    /// `region`), worded for `label` (`[[feeds]]`); `nil` when libxml2 compiles it. feeds.toml
    /// and `import-opml` check recipes with this one test.
    static func xpathProblem(_ label: String, _ key: String, _ value: String) -> Wording? {
        PageRecipe.problem(in: value).map { .badXPath(label, key, FeedsFile.tomlString(value), reason: $0) }
    }

    /// Why `pattern` cannot be an `ignore` regular expression (Swift `Regex` syntax); `nil` when it
    /// compiles. Shared by feeds.toml and `import-opml`.
    static func ignoreProblem(_ label: String, _ key: String, _ pattern: String) -> Wording? {
        (try? Regex(pattern)) == nil ? .notRegex(label, key, FeedsFile.tomlString(pattern)) : nil
    }
}

extension FeedEntry {
    /// The time between two polls: `interval`, else the kind's default.
    public func pollInterval(default feeds: Duration) -> Duration {
        interval ?? kind.defaultInterval(feeds: feeds)
    }
}
