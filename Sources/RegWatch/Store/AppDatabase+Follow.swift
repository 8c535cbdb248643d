import FeedParser
import Foundation
import GRDB

extension AppDatabase {
    /// The item `reference` names: its row id (the `réf.` shown by `items`, `search` and the
    /// digest) as pasted from them (`42`, `#42`, `réf. 42`, `réf.42`, `Réf 42`, `ref. 42`,
    /// `n° 42`), or a link, matched on its canonical form (tracking parameters ignored).
    ///
    /// - Returns: the row id, or `nil` when no stored item matches. When several feeds carry
    ///   the same link, the first stored item wins.
    public func resolveItem(_ reference: String) throws -> Int64? {
        let text = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        return try read(.findItem(text)) { db in
            if let id = Self.referenceNumber(text) {
                return try Int64.fetchOne(db, sql: "SELECT id FROM item WHERE id = ?", arguments: [id])
            }
            guard let canonical = CanonicalLink.canonicalize(text) else { return nil }
            return try Int64.fetchOne(
                db, sql: "SELECT id FROM item WHERE canonicalLink = ? ORDER BY id LIMIT 1", arguments: [canonical])
        }
    }

    /// The number in a reference as people paste it: digits, after an optional `réf`/`ref`
    /// (any case, with or without the accent and the period), `n°`/`no` or `#`, with or without
    /// spaces between; `nil` for anything else (a link, a word).
    static func referenceNumber(_ text: String) -> Int64? {
        var rest = Substring(text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil))
        for prefix in ["ref.", "ref", "n°", "no.", "#"] where rest.hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count).drop(while: \.isWhitespace)
            break
        }
        if rest.hasPrefix("#") { rest = rest.dropFirst().drop(while: \.isWhitespace) }
        guard !rest.isEmpty, rest.allSatisfy(\.isASCII), rest.allSatisfy(\.isNumber) else { return nil }
        return Int64(rest)
    }

    /// Appends a decision to the history of item `itemID`; earlier ones are kept as they were.
    ///
    /// Owner and note are trimmed; empty ones count as not given. Without `state`, the item
    /// keeps the state it has when the line is written (`nouveau` when nothing was decided
    /// yet): a note or a new owner alone is a dated line of the history too.
    /// - Throws: ``StoreError`` (bad input) when no item has that id, or when there is nothing
    ///   to record (no state, owner or note).
    @discardableResult
    public func recordFollow(
        itemID: Int64, state: FollowState?, owner: String? = nil, note: String? = nil, at time: Date
    ) throws -> FollowedItem {
        func clean(_ text: String?) -> String? {
            guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        let owner = clean(owner)
        let note = clean(note)
        guard state != nil || owner != nil || note != nil else {
            throw StoreError(
                path: path, action: .recordFollow(itemID),
                message: .nothingToRecord, kind: .badInput)
        }
        return try write(.recordFollow(itemID)) { db in
            guard try Int64.fetchOne(db, sql: "SELECT id FROM item WHERE id = ?", arguments: [itemID]) != nil else {
                throw StoreError(
                    path: path, action: .recordFollow(itemID),
                    message: .noSuchItem, kind: .badInput)
            }
            // Read in the write transaction: a decision recorded meanwhile is the one kept.
            let current = try String.fetchOne(
                db, sql: "SELECT state FROM followChange WHERE itemId = ? ORDER BY time DESC, id DESC LIMIT 1",
                arguments: [itemID]
            ).flatMap(FollowState.init(rawValue:))
            let newState = state ?? current ?? .new
            try db.execute(
                sql: "INSERT INTO followChange(itemId, time, state, owner, note) VALUES (?, ?, ?, ?, ?)",
                arguments: [itemID, time, newState.rawValue, owner, note])
            return try Self.followedItems(db, where: "item.id = ?", arguments: [itemID]).first!
        }
    }

    /// The follow-up of item `itemID`, `nil` when nothing was ever recorded for it.
    public func followedItem(id itemID: Int64) throws -> FollowedItem? {
        try read(.readFollow(itemID)) { db in
            try Self.followedItems(db, where: "item.id = ?", arguments: [itemID]).first
        }
    }

    /// Every item with at least one recorded decision, optionally only those now in `state`;
    /// ordered by state (workflow order), then most recent change first.
    public func followedItems(state: FollowState? = nil) throws -> [FollowedItem] {
        let all = try read(.readFollowList) { db in
            try Self.followedItems(db, where: "item.id IN (SELECT itemId FROM followChange)", arguments: [])
        }
        return all.filter { state == nil || $0.state == state }
            .sorted { ($0.state, $1.since, $0.itemID) < ($1.state, $0.since, $1.itemID) }
    }

    /// Items matching `condition` that have a history, with it, in item id order.
    static func followedItems(_ db: Database, where condition: String, arguments: StatementArguments) throws
        -> [FollowedItem]
    {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT item.id, item.title, item.link, item.firstSeen, item.published,
                       feed.url AS feedURL, feed.title AS feedTitle
                FROM item JOIN feed ON feed.id = item.feedId
                WHERE \(condition) ORDER BY item.id
                """, arguments: arguments)
        guard !rows.isEmpty else { return [] }
        let ids = rows.map { $0["id"] as Int64 }
        let idList = ids.map(String.init).joined(separator: ",")
        var history: [Int64: [FollowChange]] = [:]
        for row in try Row.fetchAll(
            db,
            sql:
                "SELECT itemId, time, state, owner, note FROM followChange WHERE itemId IN (\(idList)) ORDER BY time, id"
        ) {
            // A state key this build does not know (written by a newer regwatch) is skipped, not fatal.
            guard let state = FollowState(rawValue: row["state"]) else { continue }
            history[row["itemId"], default: []].append(
                FollowChange(
                    itemID: row["itemId"], time: row["time"], state: state, owner: row["owner"], note: row["note"]))
        }
        var topics: [Int64: [TopicID]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: "SELECT itemId, topic FROM itemTopic WHERE itemId IN (\(idList)) ORDER BY itemId, score DESC, topic")
        {
            if let topic = TopicID(rawValue: row["topic"]) { topics[row["itemId"], default: []].append(topic) }
        }
        return rows.compactMap { row in
            let id: Int64 = row["id"]
            guard let changes = history[id], !changes.isEmpty else { return nil }
            let feedURL: String = row["feedURL"]
            return FollowedItem(
                itemID: id, title: row["title"], link: row["link"], feedTitle: row["feedTitle"],
                feedURL: feedURL, firstSeen: row["firstSeen"], published: row["published"], topics: topics[id] ?? [],
                history: changes)
        }
    }
}
