import Foundation

/// A week's digest, built and laid out, ready to render as Markdown, text, email or JSON.
///
/// Built by ``build(from:settings:)`` from plain values; every renderer reads the same
/// value, so the formats say the same thing and the reading time stated in the header is
/// the one the selection was made against.
public struct WeeklyDigest: Sendable, Equatable {
    /// One item as the digest shows it.
    public struct Entry: Sendable, Equatable {
        /// The item's row id in the store.
        public var id: Int64
        /// Every stored item this entry stands for: its own id first, then those of the same
        /// story merged into it. A digest carries all of them, so none is repeated later.
        public var itemIDs: [Int64]
        /// The reference `watchctl follow` takes.
        public var shortID: String
        /// The title, cleaned to one line.
        public var title: String
        /// The link as the feed gave it (renderers link it only when it is http(s)).
        public var link: String?
        /// The source that carried it (the best-weighted one when several did).
        public var source: String
        /// The other sources that carried the same story.
        public var alsoIn: [String]
        /// The date shown: published, else first seen.
        public var date: Date
        /// The topics it was tagged with, best first, as configured topics.
        public var topics: [TopicID]
        /// The summary, cut at a sentence boundary.
        public var summary: String
        /// The ranking score that placed it (higher first).
        public var rank: Double
    }

    /// An item still `à exploiter` from an earlier week, as the "Suivi" section shows it.
    public struct FollowUp: Sendable, Equatable {
        /// The item's row id (`réf.`).
        public var id: Int64
        /// The title, cleaned to one line.
        public var title: String
        /// The link as the feed gave it (linked only when http(s)).
        public var link: String?
        /// The feed that carried it.
        public var source: String
        /// Who owns the action.
        public var owner: String?
        /// The last note, cleaned to one line.
        public var note: String?
        /// Whole days it has waited, counted at the end of the digest's week.
        public var ageDays: Int
    }

    /// A titled group of entries: one topic, or the "Autres" section (`topic == nil`).
    public struct Section: Sendable, Equatable {
        /// The topic, or `nil` for the items no configured topic claims.
        public var topic: TopicID?
        /// The entries, best first.
        public var entries: [Entry]
    }

    /// The week covered.
    public var week: ISOWeek
    /// The settings it was built with (language, zone, budget, topic labels).
    public var settings: DigestSettings
    /// "À retenir": the best entries of the week.
    public var highlights: [Entry]
    /// One section per topic that has entries, in the configured order, then "Autres".
    public var sections: [Section]
    /// "Pour aller plus loin": the entries that did not fit the budget, best first, capped.
    public var more: [Entry]
    /// How many more entries did not fit and are not even listed ("… et N autres").
    public var moreOmitted: Int
    /// Feeds that could not be read: the watch's blind spots.
    public var failingSources: [FailingSource]
    /// What the watch did during the week.
    public var counts: DigestCounts
    /// How many distinct stories were new this week (shown, listed, or omitted).
    public var keptCount: Int
    /// The words of the digest as read (its text rendering without URLs).
    public var wordCount: Int
    /// "Suivi": items of earlier weeks still `à exploiter`, longest waiting first.
    public var followUps: [FollowUp] = []

    /// The estimated reading time in whole minutes (at least 1), as the header states it.
    public var readingMinutes: Int {
        max(1, (wordCount + settings.wordsPerMinute - 1) / settings.wordsPerMinute)
    }

    /// Every entry shown in full, in reading order.
    public var shownEntries: [Entry] {
        highlights + sections.flatMap(\.entries)
    }

    /// Whether nothing was new this week.
    public var isEmpty: Bool { keptCount == 0 }

    /// The fixed strings in the digest's language.
    var strings: DigestStrings { .for(settings.language) }

    /// The label of `topic` ("CPF"), or its id when the configuration no longer has it.
    func label(of topic: TopicID) -> String {
        settings.topics.first(where: { $0.id == topic })?.label ?? topic.rawValue
    }

    /// The heading of `section`.
    func heading(of section: Section) -> String {
        section.topic.map(label(of:)) ?? strings.others
    }

    /// "Veille réglementaire — Semaine 2025-W49".
    var title: String {
        "\(strings.title) — \(strings.weekLabel(week))"
    }

    /// "Du lundi 1er au dimanche 7 décembre 2025 · Lecture : 13 min · 24 articles".
    var subtitle: String {
        let span = strings.span(of: week)
        let capitalised = span.prefix(1).uppercased() + span.dropFirst()
        var parts = [capitalised, strings.readingTime(readingMinutes)]
        if !isEmpty { parts.append(strings.itemCount(shownEntries.count)) }
        return parts.joined(separator: " · ")
    }

    /// "Légifrance · mardi 2 décembre · CPF, Qualiopi · réf. 42".
    func metaLine(of entry: Entry) -> String {
        var parts = [entry.source, strings.day(entry.date, in: settings.timeZone, omittingYear: week.year)]
        if !entry.topics.isEmpty {
            parts.append(entry.topics.map(label(of:)).joined(separator: strings.listSeparator))
        }
        parts.append(strings.reference(entry.shortID))
        return parts.joined(separator: " · ")
    }

    /// "Claire · à exploiter depuis 12 jours · réf. 42".
    func metaLine(of followUp: FollowUp) -> String {
        [followUp.owner ?? strings.noOwner, strings.waiting(followUp.ageDays), strings.reference(String(followUp.id))]
            .joined(separator: " · ")
    }

    /// "Aussi relayé par X, Y." or `nil`.
    func alsoInLine(of entry: Entry) -> String? {
        guard !entry.alsoIn.isEmpty else { return nil }
        let text = strings.alsoIn(entry.alsoIn.joined(separator: strings.listSeparator))
        return text.prefix(1).uppercased() + text.dropFirst() + "."
    }

    /// The counts sentence of the footer, in the header's terms: the week's items, how many
    /// are shown and listed, the back catalogue left out, the sources and how many fail.
    var countsLine: String {
        strings.counts(
            DigestStrings.Counts(
                sources: counts.sources, failing: failingSources.count, kept: keptCount, shown: shownEntries.count,
                listed: more.count + moreOmitted, olderFound: counts.olderFound))
    }

    /// "Ministère du Travail — site injoignable": a blind spot as the team reads it (the URL and
    /// libcurl's words are in `watchctl list-feeds`).
    func blindSpotLine(of source: FailingSource) -> String {
        "\(source.name) — \(strings.failure(source.reason))"
    }

    /// "https://…" when `link` is an absolute http(s) URL with a host, else `nil`: the only
    /// links a digest ever makes.
    static func linkable(_ link: String?) -> String? {
        guard let link = link.map(DigestText.clean), let colon = link.firstIndex(of: ":") else { return nil }
        let scheme = link[..<colon].lowercased()
        let rest = link[link.index(after: colon)...]
        guard scheme == "http" || scheme == "https", rest.hasPrefix("//"),
            let hostStart = rest.dropFirst(2).first, hostStart.isLetter || hostStart.isNumber || hostStart == "["
        else { return nil }
        return link
    }
}
