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
        return try read("find item \(text)") { db in
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
                path: path, action: "record the follow-up of item \(itemID)",
                message: "nothing to record: give a state, an owner or a note", kind: .badInput)
        }
        return try write("record the follow-up of item \(itemID)") { db in
            guard try Int64.fetchOne(db, sql: "SELECT id FROM item WHERE id = ?", arguments: [itemID]) != nil else {
                throw StoreError(
                    path: path, action: "record the follow-up of item \(itemID)",
                    message: "no stored item has this id (see watchctl items or search for ids)", kind: .badInput)
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
        try read("read the follow-up of item \(itemID)") { db in
            try Self.followedItems(db, where: "item.id = ?", arguments: [itemID]).first
        }
    }

    /// Every item with at least one recorded decision, optionally only those now in `state`;
    /// ordered by state (workflow order), then most recent change first.
    public func followedItems(state: FollowState? = nil) throws -> [FollowedItem] {
        let all = try read("read the follow-up list") { db in
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
            sql: "SELECT itemId, time, state, owner, note FROM followChange WHERE itemId IN (\(idList)) ORDER BY time, id")
        {
            // A state key this build does not know (written by a newer regwatch) is skipped, not fatal.
            guard let state = FollowState(rawValue: row["state"]) else { continue }
            history[row["itemId"], default: []].append(
                FollowChange(itemID: row["itemId"], time: row["time"], state: state, owner: row["owner"], note: row["note"]))
        }
        var topics: [Int64: [TopicID]] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT itemId, topic FROM itemTopic WHERE itemId IN (\(idList)) ORDER BY itemId, score DESC, topic")
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

extension AppDatabase {
    /// The audit record of `period`, read in one snapshot: every source (configured in
    /// `configuration` or once fetched) with its fetches and failing periods from the fetch
    /// log, every digest built in the period, every item with a decision in the period.
    ///
    /// Names, topic labels and order come from `configuration`; everything else from the database.
    public func auditReport(period: AuditPeriod, configuration: Configuration, generatedAt: Date) throws -> AuditReport {
        let zone = configuration.digest.timeZone
        let configured = Dictionary(configuration.feeds.map { ($0.url.normalized, $0) }, uniquingKeysWith: { a, _ in a })
        let topicOrder = configuration.topics.map(\.id)
        func ordered(_ topics: some Sequence<TopicID>) -> [TopicID] {
            let set = Set(topics)
            return topicOrder.filter(set.contains) + set.subtracting(topicOrder).sorted()
        }
        let start = period.start ?? .distantPast
        let end = period.end

        return try read("read the audit record") { db in
            // Sources: every feed row, plus configured feeds never fetched.
            var sources: [AuditReport.Source] = []
            var seenKeys = Set<String>()
            let feedRows = try Row.fetchAll(
                db, sql: "SELECT id, url, urlKey, title, disabled, firstSeen FROM feed WHERE firstSeen < ? ORDER BY url",
                arguments: [end])
            for row in feedRows {
                let feedID: Int64 = row["id"]
                let key: String = row["urlKey"]
                seenKeys.insert(key)
                let entry = configured[key]
                var topics = entry?.topics ?? []
                if topics.isEmpty {
                    topics = try String.fetchAll(
                        db,
                        sql: """
                            SELECT DISTINCT itemTopic.topic FROM itemTopic JOIN item ON item.id = itemTopic.itemId
                            WHERE item.feedId = ? AND item.firstSeen >= ? AND item.firstSeen < ?
                            """, arguments: [feedID, start, end]
                    ).compactMap(TopicID.init(rawValue:))
                }
                // Failing runs: walk the log up to the end; keep the runs that overlap the period.
                var runs: [AuditReport.FailingPeriod] = []
                var current: AuditReport.FailingPeriod?
                var fetches = 0
                var failed = 0
                let log = try Row.fetchCursor(
                    db, sql: "SELECT time, outcome, error, status FROM fetchLog WHERE feedId = ? AND time < ? ORDER BY time, id",
                    arguments: [feedID, end])
                while let entry = try log.next() {
                    let time: Date = entry["time"]
                    let outcome: String = entry["outcome"]
                    if time >= start {
                        fetches += 1
                        if outcome == "failed" { failed += 1 }
                    }
                    if outcome == "failed" {
                        let status: Int? = entry["status"]
                        let error = DigestText.clean(entry["error"] ?? status.map { "HTTP \($0)" } ?? "failed")
                        if current == nil { current = AuditReport.FailingPeriod(start: time, end: nil, attempts: 0, lastError: error) }
                        current!.attempts += 1
                        current!.lastError = error
                    } else if var run = current {
                        run.end = time
                        if time > start { runs.append(run) }
                        current = nil
                    }
                }
                if let current { runs.append(current) }
                let since: Date = row["firstSeen"]
                let url: String = row["url"]
                sources.append(
                    AuditReport.Source(
                        url: url, name: entry?.title ?? row["title"] ?? url, topics: ordered(topics), configured: entry != nil,
                        gone: row["disabled"], followedSince: since,
                        followedDays: max(0, Int(end.timeIntervalSince(since) / 86_400)), fetches: fetches,
                        failedFetches: failed, failingPeriods: runs))
            }
            for entry in configuration.feeds where !seenKeys.contains(entry.url.normalized) {
                sources.append(
                    AuditReport.Source(
                        url: entry.url.rawValue, name: entry.title ?? entry.url.rawValue,
                        topics: ordered(entry.topics), configured: true, gone: false, followedSince: nil, followedDays: 0,
                        fetches: 0, failedFetches: 0, failingPeriods: []))
            }
            sources.sort { ($0.name.lowercased(), $0.url) < ($1.name.lowercased(), $1.url) }

            let digests = try Row.fetchAll(
                db,
                sql: """
                    SELECT digest.week, digest.builtAt, digest.sentAt, digest.sentTo,
                           (SELECT COUNT(*) FROM digestItem WHERE digestItem.digestId = digest.id) AS items
                    FROM digest WHERE digest.builtAt >= ? AND digest.builtAt < ? ORDER BY digest.week, digest.id
                    """, arguments: [start, end]
            ).map {
                AuditReport.Digest(week: $0["week"], builtAt: $0["builtAt"], sentAt: $0["sentAt"], sentTo: $0["sentTo"], items: $0["items"])
            }

            // Items acted on: a decision in the period; history up to its end.
            let acted = try Self.followedItems(
                db, where: "item.id IN (SELECT itemId FROM followChange WHERE time >= ? AND time < ?)", arguments: [start, end])
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            var byTopic: [TopicID?: [String: [(first: Date, item: AuditReport.ActedItem)]]] = [:]
            for followed in acted {
                let history = followed.history.filter { $0.time < end }
                guard let first = history.first(where: { $0.time >= start }) else { continue }
                let entry = configured[FeedURL(followed.feedURL)?.normalized ?? followed.feedURL]
                // Best score first (as tagged): the item is listed under its best topic only.
                let topics = followed.topics
                let item = AuditReport.ActedItem(
                    id: followed.itemID, title: DigestText.clean(followed.title ?? ""), link: followed.link,
                    source: entry?.title ?? followed.source, topics: topics, published: followed.published,
                    firstSeen: followed.firstSeen, history: history)
                let parts = calendar.dateComponents([.year, .month], from: first.time)
                let month = String(format: "%04d-%02d", parts.year!, parts.month!)
                let best = topics.first
                byTopic[best, default: [:]][month, default: []].append((first.time, item))
            }
            let groupOrder: [TopicID?] = topicOrder.map { $0 }
                + byTopic.keys.compactMap { $0 }.filter { !topicOrder.contains($0) }.sorted().map { $0 } + [nil]
            let groups = groupOrder.compactMap { topic -> AuditReport.TopicGroup? in
                guard let months = byTopic[topic] else { return nil }
                return AuditReport.TopicGroup(
                    topic: topic, label: topic.map { configuration.topic($0)?.label ?? $0.rawValue } ?? "Autres",
                    months: months.keys.sorted().map { key in
                        AuditReport.Month(
                            month: key, items: months[key]!.sorted { ($0.first, $0.item.id) < ($1.first, $1.item.id) }.map(\.item))
                    })
            }
            return AuditReport(
                period: period, generatedAt: generatedAt, timeZone: zone,
                database: URL(fileURLWithPath: path).lastPathComponent, sources: sources,
                digests: digests, groups: groups)
        }
    }
}
