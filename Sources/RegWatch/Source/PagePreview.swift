import FeedParser
import Foundation
import Transfer

/// What `watchctl fetch --kind page` and `watchctl add-feed` show of a page before anything is
/// stored: the items a recipe (given, or detected) reads from it now.
public struct PagePreview: Sendable {
    /// The recipe used: the one given, or the one detected.
    public var recipe: PageRecipe
    /// True when `recipe` was detected from the page.
    public var detected: Bool
    /// The items, as a feed of format `html`.
    public var feed: Feed
    /// The page's response.
    public var response: FetchResponse

    /// Fetches `url` as a page (HTML `Accept`) and reads it with `recipe`, or detects one.
    ///
    /// - Throws: `TransferError` when the page cannot be fetched; ``PageSourceError`` when the page
    ///   is a feed, or when no items can be read from it.
    public static func load(_ url: URL, recipe: PageRecipe?, fetch: Configuration.Fetch) async throws -> PagePreview {
        let fetcher = Fetcher(configuration: Fetcher.Configuration(fetch))
        let response = try await fetcher.fetch(FetchRequest(url: url, accept: .pages))
        return try read(response, recipe: recipe, maximumBytes: fetch.maxBytes.bytes)
    }

    /// Reads a fetched page with `recipe`, or detects one.
    public static func read(_ response: FetchResponse, recipe: PageRecipe?, maximumBytes: Int) throws -> PagePreview {
        let reader = PageReader(configuration: .init(maximumInputBytes: maximumBytes))
        let page = response.finalURL
        do {
            if let recipe {
                let feed = try reader.read(response.body, url: page, charset: response.charset, recipe: recipe)
                guard !feed.items.isEmpty else {
                    throw PageSourceError(url: page, reason: .matchedNothing("items", recipe.items))
                }
                return PagePreview(recipe: recipe, detected: false, feed: feed, response: response)
            }
            guard let detection = try reader.detect(response.body, url: page, charset: response.charset) else {
                throw PageSourceError(url: page, reason: .noHeadlineLinks)
            }
            return PagePreview(recipe: detection.recipe, detected: true, feed: detection.feed, response: response)
        } catch let error as FeedParseError {
            throw PageSourceError(url: page, reason: .feedParse(error))
        }
    }
}

/// A page that gives no items: bad input, one line.
public struct PageSourceError: ActionableError {
    /// The page.
    public let url: URL
    /// Why no items came out of it, and what to do.
    public let reason: Wording

    public var kind: FailureKind { .badInput }
    /// `URL: reason`, in both languages.
    public var wording: Wording { reason.about(url.absoluteString) }
    /// The English line.
    public var description: String { wording.english }
}

/// What a change watch would compare on a page now (`watchctl fetch --kind change`).
public struct ChangePreview: Sendable {
    /// The page's title.
    public var title: String?
    /// The compared text, one line per block.
    public var lines: [String]
    /// The page's response.
    public var response: FetchResponse

    /// Fetches `url` as a page and reads the text of `region` (default: the main content).
    public static func load(_ url: URL, region: String?, fetch: Configuration.Fetch) async throws -> ChangePreview {
        let fetcher = Fetcher(configuration: Fetcher.Configuration(fetch))
        let response = try await fetcher.fetch(FetchRequest(url: url, accept: .pages))
        let reader = PageReader(configuration: .init(maximumInputBytes: fetch.maxBytes.bytes))
        guard ChangeSourceReader.isHTML(response) else {
            return ChangePreview(title: response.finalURL.lastPathComponent, lines: [], response: response)
        }
        do {
            let text = try reader.text(response.body, url: response.finalURL, charset: response.charset, region: region)
            if let region, !text.regionMatched {
                throw PageSourceError(url: response.finalURL, reason: .matchedNothing("region", region))
            }
            return ChangePreview(title: text.title, lines: text.lines, response: response)
        } catch let error as FeedParseError {
            throw PageSourceError(url: response.finalURL, reason: .feedParse(error))
        }
    }
}
