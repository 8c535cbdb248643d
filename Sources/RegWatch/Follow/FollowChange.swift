import Foundation

/// One recorded decision about an item: a line of its history, never changed afterwards.
public struct FollowChange: Sendable, Equatable, Codable {
    /// The item's row id (the `réf.` of the digest).
    public var itemID: Int64
    /// When the decision was recorded.
    public var time: Date
    /// The state it put the item in.
    public var state: FollowState
    /// Who owns the follow-up from then on, if someone was named.
    public var owner: String?
    /// The analysis or the action taken, in the team's words.
    public var note: String?

    /// Creates a change.
    public init(itemID: Int64, time: Date, state: FollowState, owner: String? = nil, note: String? = nil) {
        self.itemID = itemID
        self.time = time
        self.state = state
        self.owner = owner
        self.note = note
    }
}

/// An item with its follow-up: where it stands now and how it got there.
public struct FollowedItem: Sendable, Equatable {
    /// The item's row id.
    public var itemID: Int64
    /// Its title (plain feed text).
    public var title: String?
    /// Its link as the feed gave it.
    public var link: String?
    /// The feed's own title, as last fetched.
    public var feedTitle: String?
    /// The URL of the feed that carried it.
    public var feedURL: String
    /// The name of the feed: its own title, else its URL.
    public var source: String { feedTitle ?? feedURL }
    /// When regwatch first stored it.
    public var firstSeen: Date
    /// When the feed says it was published.
    public var published: Date?
    /// Its topics, best first.
    public var topics: [TopicID]
    /// Every recorded change, oldest first (never empty).
    public var history: [FollowChange]

    /// The current state: that of the last change.
    public var state: FollowState { history.last!.state }
    /// When the current state was set.
    public var since: Date { history.last!.time }
    /// The owner: the last one named (a change without `--owner` keeps the owner).
    public var owner: String? { history.last(where: { $0.owner != nil })?.owner }
    /// The last note written.
    public var note: String? { history.last(where: { $0.note != nil })?.note }
}
