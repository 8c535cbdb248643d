import Foundation

/// One stored item that may appear in a week's digest, as the store hands it to the digest engine.
///
/// Text fields hold feed text as parsed (plain text, possibly hostile): the renderers escape
/// it for their format. `link` stays a string for the same reason: a feed may carry any
/// scheme, and each renderer links only `http`/`https` URLs.
public struct DigestCandidate: Sendable, Equatable, Identifiable {
    /// The item's row id in the store.
    public var id: Int64
    /// A short, stable reference the team types into `watchctl follow` (e.g. `a1b2c3`).
    public var shortID: String
    /// The item title (plain text).
    public var title: String
    /// The item link as the feed gave it.
    public var link: String?
    /// The name of the feed that carried it (its configured title or its own).
    public var source: String
    /// The feed's `weight` from feeds.toml (1.0 by default; official sources higher).
    public var sourceWeight: Double
    /// When the feed says it was published, if it says.
    public var published: Date?
    /// When regwatch first stored it (the week it belongs to is decided by the store: see
    /// `AppDatabase.newsDate`).
    public var firstSeen: Date
    /// The summary (plain text).
    public var summary: String?
    /// The full content (plain text), used when there is no summary.
    public var content: String?
    /// The topics it was tagged with and their scores.
    public var topics: [TopicScore]
    /// The other sources that carried the same story (the store's story grouping).
    public var alsoIn: [String]
    /// The store's story id: candidates sharing one are merged into one entry.
    public var storyID: Int64?
    /// The ids of the candidates merged into this one (set by the engine when it merges a story).
    var mergedIDs: [Int64] = []

    /// Creates a candidate.
    public init(
        id: Int64, shortID: String? = nil, title: String, link: String?, source: String,
        sourceWeight: Double = 1.0, published: Date?, firstSeen: Date, summary: String? = nil,
        content: String? = nil, topics: [TopicScore] = [], alsoIn: [String] = [], storyID: Int64? = nil
    ) {
        self.id = id
        self.shortID = shortID ?? String(id)
        self.title = title
        self.link = link
        self.source = source
        self.sourceWeight = sourceWeight
        self.published = published
        self.firstSeen = firstSeen
        self.summary = summary
        self.content = content
        self.topics = topics
        self.alsoIn = alsoIn
        self.storyID = storyID
    }
}

/// A topic an item was tagged with, and how strongly.
public struct TopicScore: Sendable, Equatable, Hashable {
    /// The topic.
    public var topic: TopicID
    /// The tagger's score (1.0 is the usual tagging threshold).
    public var score: Double

    /// Creates a topic score.
    public init(_ topic: TopicID, _ score: Double) {
        self.topic = topic
        self.score = score
    }
}

/// A feed that could not be read: one of the watch's blind spots, listed in the digest footer.
public struct FailingSource: Sendable, Equatable {
    /// The feed URL.
    public var url: String
    /// The last error, one line, as the fetcher wrote it (for `list-feeds` and the JSON).
    public var error: String
    /// The source's name (its configured title, else its own, else its host).
    public var name: String
    /// The kind of failure, which the digest words in its language.
    public var reason: FailureReason

    /// Creates a failing source; without `name`, it is known by its URL's host.
    public init(url: String, error: String, name: String? = nil, reason: FailureReason? = nil) {
        self.url = url
        self.error = error
        self.name = name ?? FeedURL(url)?.host ?? url
        self.reason = reason ?? FailureReason(error: error, status: nil, gone: false)
    }
}

/// What the watch did during the week, for the digest footer.
public struct DigestCounts: Sendable, Equatable, Codable {
    /// How many feeds were polled during the week.
    public var feedsPolled: Int
    /// How many items were first stored during the week (news of the week or not).
    public var itemsSeen: Int
    /// How many sources the configuration watches (enabled feeds).
    public var sources: Int
    /// Items first stored during the week that are news of an earlier week: the back catalogue
    /// of a newly added source, which the digest counts but does not show.
    public var olderFound: Int

    /// Creates the counts.
    public init(feedsPolled: Int, itemsSeen: Int, sources: Int = 0, olderFound: Int = 0) {
        self.feedsPolled = feedsPolled
        self.itemsSeen = itemsSeen
        self.sources = sources
        self.olderFound = olderFound
    }
}

/// Everything a digest is built from, as plain values: no store, no clock.
public struct DigestInput: Sendable, Equatable {
    /// The week the digest covers.
    public var week: ISOWeek
    /// The items first seen that week and not carried by an earlier digest.
    public var candidates: [DigestCandidate]
    /// Feeds whose last poll failed.
    public var failingSources: [FailingSource]
    /// What the watch did during the week.
    public var counts: DigestCounts
    /// Items of earlier weeks still `à exploiter` at ``asOf``: the "Suivi" section.
    public var followUps: [DigestFollowUp]
    /// When the follow-ups' states and ages are read: the end of the week, or the build time
    /// for a week not over yet. `nil` means the end of the week.
    public var asOf: Date?

    /// Creates an input.
    public init(
        week: ISOWeek, candidates: [DigestCandidate], failingSources: [FailingSource] = [],
        counts: DigestCounts = DigestCounts(feedsPolled: 0, itemsSeen: 0), followUps: [DigestFollowUp] = [],
        asOf: Date? = nil
    ) {
        self.week = week
        self.candidates = candidates
        self.failingSources = failingSources
        self.counts = counts
        self.followUps = followUps
        self.asOf = asOf
    }
}

/// An item of an earlier week the team decided to act on and has not acted on yet.
public struct DigestFollowUp: Sendable, Equatable {
    /// The item's row id: the reference `watchctl follow` takes.
    public var id: Int64
    /// The item title (plain feed text).
    public var title: String
    /// The item link as the feed gave it.
    public var link: String?
    /// The feed that carried it.
    public var source: String
    /// Who owns the action, if someone was named.
    public var owner: String?
    /// The last note written about it.
    public var note: String?
    /// Since when it has been `à exploiter`.
    public var since: Date

    /// Creates a follow-up.
    public init(id: Int64, title: String, link: String?, source: String, owner: String?, note: String?, since: Date) {
        self.id = id
        self.title = title
        self.link = link
        self.source = source
        self.owner = owner
        self.note = note
        self.since = since
    }
}
