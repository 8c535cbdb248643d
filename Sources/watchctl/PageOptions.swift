import ArgumentParser
import FeedParser
import Foundation
import RegWatch

/// The kind a source is read as (`--kind`).
enum KindOption: String, ExpressibleByArgument, CaseIterable {
    case feed, page, change
}

/// `--kind` and a page recipe's selectors, shared by `fetch` and `add-feed`.
struct PageOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Read the URL as a feed, a listing page or a watched page (default: a feed, or a detected page when the URL announces no feed).",
            valueName: "feed|page|change"))
    var kind: KindOption?

    @Option(
        help: ArgumentHelp(
            "XPath of the repeated block, one per item (kind page; default: detected).", valueName: "XPATH"))
    var items: String?

    @Option(
        help: ArgumentHelp(
            "XPath of each item's link, relative to its block (default: its headline link).", valueName: "XPATH"))
    var link: String?

    @Option(
        help: ArgumentHelp(
            "XPath of each item's date, relative to its block (default: a <time> or a date in the text).",
            valueName: "XPATH"))
    var date: String?

    @Option(
        help: ArgumentHelp(
            "XPath of each item's summary, relative to its block (default: its first paragraph).", valueName: "XPATH"))
    var summary: String?

    @Option(
        help: ArgumentHelp(
            "XPath of the part of the page a change watch compares (kind change; default: the main content).",
            valueName: "XPATH"))
    var region: String?

    /// `--title` belongs to the command (add-feed has it already); it is the title XPath for pages.
    var title: String?

    /// The selectors given, as a recipe (nil without --items).
    var recipe: PageRecipe? {
        items.map { PageRecipe(items: $0, title: title, link: link, date: date, summary: summary) }
    }

    /// The kind the selectors imply when --kind is not given.
    var impliedKind: KindOption? {
        if let kind { return kind }
        if items != nil || link != nil || date != nil || summary != nil { return .page }
        if region != nil { return .change }
        return nil
    }

    func validate() throws {
        for (flag, value) in [
            ("--items", items), ("--link", link), ("--date", date), ("--summary", summary), ("--region", region),
        ] {
            if let value, let problem = PageRecipe.problem(in: value) {
                throw ValidationError(Messages.current.badXPath(flag, value, problem: problem))
            }
        }
        if let kind = impliedKind, kind != .page, items != nil || link != nil || date != nil || summary != nil {
            throw ValidationError(Messages.current.pageOptionsNeedPage)
        }
        if let kind = impliedKind, kind != .change, region != nil {
            throw ValidationError(Messages.current.regionNeedsChange)
        }
        if items == nil, link != nil || date != nil || summary != nil {
            throw ValidationError(Messages.current.fieldsNeedItems)
        }
    }
}
