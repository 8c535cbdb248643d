/// What was wrong with what a feed's server sent when the transfer itself succeeded (a 200
/// that is not a readable feed): kept with the feed's state so that a listing says what
/// happened instead of "failed 200".
///
/// Stored by its raw value in `feed.lastProblem` (schema v7); `nil` after a success and for
/// failures the HTTP status or the transfer error already explains.
public enum FeedProblem: String, Sendable, Equatable, CaseIterable {
    /// The URL answered with a web page (a site's home page, a login or error page).
    case htmlPage = "html-page"
    /// The URL answered with something else that is no feed (plain text, other XML, nothing).
    case notAFeed = "not-a-feed"
    /// The document starts like a feed but nothing could be read from it.
    case malformed
    /// The body is over `max_bytes`.
    case tooLarge = "too-large"
    /// A readable feed with no item at all, where the store holds items it gave before: a
    /// publisher's broken export or a feed emptied by mistake. Not a failure (the fetch
    /// succeeded), but the watch is blind there until it comes back.
    case noItems = "no-items"

    /// Short words for a column, in French or English: "page HTML, pas un flux".
    public func label(french: Bool) -> String {
        switch self {
        case .htmlPage: french ? "page HTML, pas un flux" : "HTML page, not a feed"
        case .notAFeed: french ? "pas un flux" : "not a feed"
        case .malformed: french ? "flux illisible" : "unreadable feed"
        case .tooLarge: french ? "trop volumineux" : "too large"
        case .noItems: french ? "vide, alors qu'il donnait des articles" : "empty, though it gave items before"
        }
    }
}
