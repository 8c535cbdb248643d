import Foundation

/// Applies the topic rules to stored items: those never tagged (after a poll), or all of them
/// (after the rules changed). A feed's declared `topics` boost those topics' scores.
public struct Retagger: Sendable {
    /// How much a feed's declared topics (`topics = [...]` in `[[feeds]]`) raise the score of
    /// those topics when the text is about them: a specialised source is the better one to read.
    public static let feedTopicBoost = 1.5

    /// What a full retag did.
    public struct Result: Sendable, Equatable {
        /// Items read.
        public var items: Int
        /// Items whose set of topics changed.
        public var changed: Int
    }

    private let database: AppDatabase
    private let tagger: Tagger
    private let feedTopics: [String: Set<TopicID>]
    private let now: @Sendable () -> Date

    /// A retagger with the topics and feeds of `configuration`.
    public init(configuration: Configuration, database: AppDatabase, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.tagger = Tagger(topics: configuration.topics)
        self.feedTopics = Dictionary(
            configuration.feeds.map { ($0.url.normalized, Set($0.topics)) }, uniquingKeysWith: { first, _ in first })
        self.now = now
    }

    /// Tags every stored item the tagger has not read yet (new or changed since).
    ///
    /// - Returns: how many items were tagged.
    @discardableResult
    public func tagPending() throws -> Int {
        var count = 0
        while true {
            let batch = try database.itemsNeedingTags(limit: 1000)
            guard !batch.isEmpty else { break }
            var workspace = Tagger.Workspace()
            try database.setTags(batch.map { ($0.id, tags(for: $0, workspace: &workspace)) }, at: now())
            count += batch.count
        }
        return count
    }

    /// Re-applies the rules to every stored item, page by page; a team's corrections still
    /// override them.
    public func retagAll() throws -> Result {
        var result = Result(items: 0, changed: 0)
        var last: Int64 = 0
        while true {
            let batch = try database.taggableItems(after: last, limit: 1000)
            guard let tail = batch.last else { break }
            var workspace = Tagger.Workspace()
            result.changed += try database.retag(batch.map { ($0.id, tags(for: $0, workspace: &workspace)) }, at: now())
            result.items += batch.count
            last = tail.id
        }
        return result
    }

    /// Records a team's correction of one item: its topics become what the current rules find
    /// with every correction of the item applied, this one last, and stay so through later
    /// polls and retags.
    ///
    /// - Throws: ``StoreError`` (bad input) when no item has that id.
    @discardableResult
    public func correct(itemID: Int64, add added: [TopicID], remove removed: [TopicID], by author: String) throws
        -> TopicCorrection
    {
        guard let item = try database.taggableItem(id: itemID) else {
            throw StoreError(
                path: database.path, action: .correctTopics(itemID),
                message: .noSuchItem, kind: .badInput)
        }
        return try database.recordCorrection(
            itemID: itemID, added: added, removed: removed, author: author, ruleTags: tags(for: item), at: now())
    }

    /// Scores the current rules against a team's corrections: each corrected item's reviewed
    /// topics (its topics right after its latest correction) are the reference, what the
    /// rules alone find now is compared with them, for every configured topic.
    public func evaluateCorrections() throws -> TaggingEvaluation {
        let cases = try database.correctedItems().map { entry in
            TaggingEvaluation.Case(
                id: String(entry.item.id), title: entry.item.title ?? "",
                expected: Set(entry.correction.reviewedTopics), found: Set(tags(for: entry.item).map(\.id)))
        }
        return TaggingEvaluation(topics: tagger.topics.map(\.id), cases: cases)
    }

    private func tags(for item: TaggableItem) -> [TopicMatch] {
        tags(title: item.title, summary: item.summary, content: item.content, feed: FeedURL(item.feedURL))
    }

    /// ``tags(for:)`` reusing `workspace` (a batch of stored items).
    private func tags(for item: TaggableItem, workspace: inout Tagger.Workspace) -> [TopicMatch] {
        tags(
            title: item.title, summary: item.summary, content: item.content,
            boosting: declaredTopics(of: FeedURL(item.feedURL)), workspace: &workspace)
    }

    /// The topics of one text from `feed`, the feed's declared topics boosted.
    func tags(title: String?, summary: String?, content: String?, feed: FeedURL?) -> [TopicMatch] {
        tags(title: title, summary: summary, content: content, boosting: declaredTopics(of: feed))
    }

    /// The topics `feed` declares in feeds.toml, which its items' tags boost. A poll looks them
    /// up once per fetch: normalizing the feed's URL for each item cost a cold poll 1 % of its
    /// instructions (`URLComponents`, issue #19).
    func declaredTopics(of feed: FeedURL?) -> Set<TopicID> {
        feed.flatMap { feedTopics[$0.normalized] } ?? []
    }

    /// The topics of one text, `boosted` (a feed's ``declaredTopics(of:)``) boosted.
    func tags(title: String?, summary: String?, content: String?, boosting boosted: Set<TopicID>) -> [TopicMatch] {
        var workspace = Tagger.Workspace()
        return tags(title: title, summary: summary, content: content, boosting: boosted, workspace: &workspace)
    }

    /// ``tags(title:summary:content:boosting:)`` reusing `workspace` from item to item (the
    /// items of one fetch): the tagger's buffers are allocated once, not per item.
    func tags(
        title: String?, summary: String?, content: String?, boosting boosted: Set<TopicID>,
        workspace: inout Tagger.Workspace
    ) -> [TopicMatch] {
        let matches = tagger.tag(title: title, summary: summary, content: content, workspace: &workspace)
        guard !boosted.isEmpty else { return matches }
        return matches.map { match in
            var match = match
            if boosted.contains(match.id) { match.score = (match.score * Self.feedTopicBoost * 100).rounded() / 100 }
            return match
        }.sorted { $0.score > $1.score }
    }
}
