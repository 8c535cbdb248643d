import FeedParser
import Foundation

/// Reads an OPML subscription list into `[[feeds]]` entries (`watchctl import-opml`).
///
/// An outline of another reader gives a feed: its `xmlUrl`, its title, and the topics its
/// categories (or folders) name; its OPML 2.0 links (`type="link"`) are not read. An outline
/// regwatch wrote (it has attributes in ``OPMLExport/namespace``, whatever the prefix) gives
/// back the entry it was exported from: `regwatch:kind` and that kind's keys, `name`, `title`,
/// `interval`, `weight` and `enabled`, checked as feeds.toml checks them; one that fails a check
/// is skipped with the reason.
public struct OPMLImport: Sendable, Equatable {
    /// Why an outline was not added.
    public enum Skip: Sendable, Equatable {
        /// The URL is not http(s).
        case notHTTP(String)
        /// A setting of a regwatch outline fails the feeds.toml check (one line, the attribute named).
        case invalid(url: String, reason: Wording)
    }

    /// The outlines read: the feeds, and the links regwatch wrote.
    public var read = 0
    /// The entries appended to feeds.toml, in document order.
    public var added: [FeedEntry] = []
    /// How many were already listed (same URL up to trailing slash and scheme/host case).
    public var duplicates = 0
    /// The outlines left out, in document order.
    public var skipped: [Skip] = []

    /// Appends the outlines of `document` that `configuration` does not list yet to `file`.
    ///
    /// - Throws: ``FeedsFileError`` when feeds.toml cannot be edited.
    public static func run(
        _ document: OPMLDocument, configuration: Configuration, file: FeedsFile
    ) throws -> OPMLImport {
        var result = OPMLImport()
        var listed = configuration.feeds.map(\.url)
        for outline in document.entries {
            let own = !outline.attributes(inNamespace: OPMLExport.namespace).isEmpty
            // Other readers' links are bookmarks, not sources.
            guard own || !outline.isLink else { continue }
            result.read += 1
            guard let url = FeedURL(outline.url) else {
                result.skipped.append(.notHTTP(outline.url))
                continue
            }
            if listed.contains(where: { $0.isSameFeed(as: url) }) {
                result.duplicates += 1
                continue
            }
            switch entry(for: outline, url: url, topics: configuration.topics) {
            case .success(let entry):
                try file.append(feed: entry)
                listed.append(url)
                result.added.append(entry)
            case .failure(let problem):
                result.skipped.append(.invalid(url: outline.url, reason: problem.wording))
            }
        }
        return result
    }

    /// A setting that fails its check.
    struct Problem: Error {
        var wording: Wording
    }

    /// The entry `outline` describes.
    static func entry(for outline: OPMLFeedOutline, url: FeedURL, topics known: [Topic]) -> Result<FeedEntry, Problem> {
        // OPML categories are free text ("Neurodiversité"): the same lookup as --topic, the
        // ones naming no configured topic left out.
        let topics = Set(outline.categories.compactMap { try? TopicID(resolving: $0, in: known) })
        var entry = FeedEntry(url: url, title: outline.title, topics: topics.sorted())
        let settings = outline.attributes(inNamespace: OPMLExport.namespace)
        guard !settings.isEmpty else { return .success(entry) }
        do {
            try restore(settings, into: &entry)
            return .success(entry)
        } catch {
            return .failure(error)
        }
    }

    /// How the reasons name an outline's attribute: `<outline> regwatch:items: …`.
    static let label = "<outline>"

    /// The feeds.toml keys of a regwatch outline, checked in the order feeds.toml checks them.
    static func restore(_ settings: [String: String], into entry: inout FeedEntry) throws(Problem) {
        func key(_ name: String) -> String { "regwatch:\(name)" }
        func quoted(_ value: String) -> String { FeedsFile.tomlString(value) }
        let kind = settings["kind"] ?? "feed"
        guard SourceKind.names.contains(kind) else {
            throw Problem(wording: .notKind(label, key("kind"), quoted(kind)))
        }
        let pageKeys = ["items", "link", "date", "summary"]
        let changeKeys = ["region", "ignore"]
        for present in pageKeys + changeKeys where settings[present] != nil {
            let wanted = pageKeys.contains(present) ? "page" : "change"
            if wanted != kind {
                throw Problem(wording: .onlyWithKind(label, key(present), wanted: wanted, actual: kind))
            }
        }
        func xpath(_ name: String) throws(Problem) -> String? {
            guard let value = settings[name] else { return nil }
            if let wording = SourceKind.xpathProblem(label, key(name), value) { throw Problem(wording: wording) }
            return value
        }
        let title = settings["title"]?.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = settings["name"]?.trimmingCharacters(in: .whitespacesAndNewlines)
        entry.name = name?.isEmpty == false ? name : nil
        // For a feed or a change watch both are the display name: refused, as feeds.toml refuses it.
        if kind != "page", settings["title"] != nil, settings["name"] != nil {
            throw Problem(wording: .titleAndName(label, key("name")))
        }
        switch kind {
        case "page":
            let items = try xpath("items")
            let recipeTitle = try xpath("title")
            let link = try xpath("link")
            let date = try xpath("date")
            let summary = try xpath("summary")
            if let items {
                entry.kind = .page(
                    PageRecipe(items: items, title: recipeTitle, link: link, date: date, summary: summary))
            } else if recipeTitle != nil || link != nil || date != nil || summary != nil {
                throw Problem(wording: .missing(label, key("items"), .itemsHint))
            } else {
                entry.kind = .page(nil)
            }
            entry.title = nil
        case "change":
            var watch = ChangeWatch(region: try xpath("region"))
            if let list = settings["ignore"] {
                guard let patterns = try? JSONDecoder().decode([String].self, from: Data(list.utf8)) else {
                    throw Problem(
                        wording: .expected(label, key("ignore"), .aJSONStringList, found: .theString(quoted(list))))
                }
                for pattern in patterns {
                    if let wording = SourceKind.ignoreProblem(label, key("ignore"), pattern) {
                        throw Problem(wording: wording)
                    }
                }
                watch.ignore = patterns
            }
            entry.kind = .change(watch)
            entry.title = title?.isEmpty == false ? title : nil
        default:
            entry.kind = .feed
            entry.title = title?.isEmpty == false ? title : nil
        }
        if let raw = settings["interval"] {
            guard let interval = Interval(parsing: raw) else {
                throw Problem(wording: .notDuration(label, key("interval"), quoted(raw)))
            }
            entry.interval = interval.duration
        }
        if let raw = settings["weight"] {
            guard let weight = Double(raw.trimmingCharacters(in: .whitespaces)), weight.isFinite else {
                throw Problem(wording: .expected(label, key("weight"), .aNumber, found: .theString(quoted(raw))))
            }
            guard weight > 0 && weight <= 100 else {
                throw Problem(wording: .weightOutOfRange(label, key("weight"), weight))
            }
            entry.weight = weight
        }
        if let raw = settings["enabled"] {
            guard let enabled = Bool(raw.trimmingCharacters(in: .whitespaces)) else {
                throw Problem(wording: .expected(label, key("enabled"), .aBoolean, found: .theString(quoted(raw))))
            }
            entry.enabled = enabled
        }
    }
}
