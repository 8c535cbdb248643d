import Foundation
import GRDB

extension AppDatabase {
    /// The schema history. Never edit a shipped migration: add the next one, so a database
    /// written by any earlier regwatch upgrades in place when it is opened.
    ///
    /// - v1: feeds, items, the fetch log and the full-text index.
    /// - v2: topic tags and digests.
    /// - v3: stories (the same news carried by several feeds).
    /// - v4: the word index that finds look-alike titles.
    /// - v5: the follow-up history of items (append-only: Qualiopi indicator 23's dated trace).
    /// - v6: new items indexed for search by the store in one statement per fetch.
    /// - v7: weeks by news date (an index on it); digest versions frozen when sent; deliveries.
    /// - v8: what a feed's last unreadable 200 held (``FeedProblem``).
    /// - v9: the full-text index rebuilt with ``SearchTokenizer`` (plurals and feminines folded).
    /// - v10-story-candidates: the look-alike word index carries its items' feed, story, date and
    ///   title words (`storyCandidate`, replacing `storyWord`).
    /// - v11-delivery-error-french: a failed delivery keeps its line in French beside the English.
    /// - v12-item-topics-by-item: `itemTopic` keyed by (item, topic) alone (no rowid, no index by
    ///   topic); the indexes that were a prefix of another dropped.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "feed") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("url", .text).notNull()
                // FeedURL.normalized: two spellings of one feed share a row.
                t.column("urlKey", .text).notNull().unique()
                t.column("title", .text)
                t.column("etag", .text)
                t.column("lastModified", .text)
                t.column("lastFetched", .datetime)
                t.column("lastStatus", .integer)
                t.column("lastError", .text)
                t.column("errorStreak", .integer).notNull().defaults(to: 0)
                t.column("nextDue", .datetime)
                t.column("redirectTo", .text)
                t.column("disabled", .boolean).notNull().defaults(to: false)
                t.column("firstSeen", .datetime).notNull()
            }
            try db.create(table: "item") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("feed", onDelete: .cascade).notNull()
                t.column("identity", .text).notNull()
                t.column("guid", .text)
                t.column("firstSeen", .datetime).notNull()
                t.column("published", .datetime)
                t.column("updated", .datetime)
                t.column("title", .text)
                t.column("link", .text)
                t.column("canonicalLink", .text).indexed()
                t.column("summary", .text)
                t.column("content", .text)
                t.column("authors", .text).notNull().defaults(to: "[]")
                t.column("categories", .text).notNull().defaults(to: "[]")
                t.column("contentHash", .text).notNull()
                // published, else firstSeen: what "newest first" and story windows sort on.
                t.column("sortDate", .datetime).notNull().indexed()
                t.uniqueKey(["feedId", "identity"])
            }
            try db.create(table: "fetchLog") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("feed", onDelete: .cascade).notNull()
                t.column("time", .datetime).notNull()
                t.column("outcome", .text).notNull()  // ok | notModified | failed
                t.column("status", .integer)
                t.column("durationMs", .integer).notNull()
                t.column("bytes", .integer).notNull()
                t.column("newItems", .integer).notNull().defaults(to: 0)
                t.column("error", .text)
            }
            try db.create(index: "fetchLog_on_feedId_time", on: "fetchLog", columns: ["feedId", "time"])
            // External-content FTS5 over item: the text lives once, in item. Accents folded
            // ("referentiel" finds "référentiel"), ranked with bm25.
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE itemFTS USING fts5(
                        title, summary, content,
                        content='item', content_rowid='id',
                        tokenize='unicode61 remove_diacritics 2');
                    CREATE TRIGGER item_fts_insert AFTER INSERT ON item BEGIN
                        INSERT INTO itemFTS(rowid, title, summary, content)
                        VALUES (new.id, new.title, new.summary, new.content);
                    END;
                    CREATE TRIGGER item_fts_delete AFTER DELETE ON item BEGIN
                        INSERT INTO itemFTS(itemFTS, rowid, title, summary, content)
                        VALUES ('delete', old.id, old.title, old.summary, old.content);
                    END;
                    -- Only a change of the indexed text re-indexes (not tagging, not story moves).
                    CREATE TRIGGER item_fts_update AFTER UPDATE OF title, summary, content ON item BEGIN
                        INSERT INTO itemFTS(itemFTS, rowid, title, summary, content)
                        VALUES ('delete', old.id, old.title, old.summary, old.content);
                        INSERT INTO itemFTS(rowid, title, summary, content)
                        VALUES (new.id, new.title, new.summary, new.content);
                    END;
                    """)
        }
        migrator.registerMigration("v2") { db in
            try db.alter(table: "item") { t in
                // When the tagger last looked at the item (nil: never): retag and new items.
                t.add(column: "taggedAt", .datetime)
            }
            try db.create(table: "itemTopic") { t in
                t.belongsTo("item", onDelete: .cascade).notNull()
                t.column("topic", .text).notNull().indexed()
                t.column("score", .double).notNull()
                t.column("matches", .text).notNull().defaults(to: "[]")
                t.primaryKey(["itemId", "topic"])
            }
            try db.create(table: "digest") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("week", .text).notNull().indexed()  // 2025-W49
                t.column("format", .text).notNull()
                t.column("builtAt", .datetime).notNull()
                t.column("sentAt", .datetime)
                t.column("sentTo", .text)
            }
            try db.create(table: "digestItem") { t in
                t.belongsTo("digest", onDelete: .cascade).notNull()
                t.belongsTo("item", onDelete: .cascade).notNull()
                t.primaryKey(["digestId", "itemId"])
            }
        }
        migrator.registerMigration("v3") { db in
            try db.create(table: "story") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("firstSeen", .datetime).notNull()
            }
            try db.alter(table: "item") { t in
                t.add(column: "storyId", .integer).references("story", onDelete: .setNull)
                // StoryKey.normalizedTitle: compared across feeds to group a story.
                t.add(column: "titleKey", .text)
            }
            try db.create(index: "item_on_storyId", on: "item", columns: ["storyId"])
            try db.create(index: "item_on_titleKey", on: "item", columns: ["titleKey"])
            // Items stored before v3 each start as their own story.
            let rows = try Row.fetchCursor(db, sql: "SELECT id, firstSeen, title FROM item ORDER BY id")
            while let row = try rows.next() {
                let id: Int64 = row["id"]
                try db.execute(
                    sql: "INSERT INTO story(id, firstSeen) VALUES (?, ?)", arguments: [id, row["firstSeen"] as Date])
                try db.execute(
                    sql: "UPDATE item SET storyId = ?, titleKey = ? WHERE id = ?",
                    arguments: [id, StoryKey.normalizedTitle(row["title"]), id])
            }
        }
        migrator.registerMigration("v4") { db in
            // The few words each title is indexed under (StoryKey.indexWords), so finding a
            // look-alike title reads a handful of rows instead of the whole 3-day window.
            try db.create(table: "storyWord") { t in
                t.belongsTo("item", onDelete: .cascade).notNull()
                t.column("word", .text).notNull()
                t.primaryKey(["itemId", "word"])
            }
            try db.create(index: "storyWord_on_word_itemId", on: "storyWord", columns: ["word", "itemId"])
            let rows = try Row.fetchCursor(db, sql: "SELECT id, titleKey FROM item WHERE titleKey IS NOT NULL")
            while let row = try rows.next() {
                for word in StoryKey.indexWords(row["titleKey"]) {
                    try db.execute(
                        sql: "INSERT INTO storyWord(itemId, word) VALUES (?, ?)", arguments: [row["id"] as Int64, word])
                }
            }
        }
        migrator.registerMigration("v5") { db in
            // One row per decision, never updated by regwatch: the current state of an item
            // is its latest row, and the audit report reads the whole history.
            try db.create(table: "followChange") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("item", onDelete: .cascade).notNull()
                t.column("time", .datetime).notNull()
                t.column("state", .text).notNull()  // FollowState.rawValue: new | to-read | to-act | done | dismissed
                t.column("owner", .text)
                t.column("note", .text)
            }
            try db.create(index: "followChange_on_itemId_time", on: "followChange", columns: ["itemId", "time"])
            try db.execute(
                sql: """
                    CREATE TRIGGER followChange_no_update BEFORE UPDATE ON followChange BEGIN
                        SELECT RAISE(ABORT, 'the follow-up history is append-only');
                    END;
                    """)
        }
        migrator.registerMigration("v6") { db in
            // The store indexes a fetch's new items in one statement (``AppDatabase/indexForSearch``):
            // through this trigger, each insert opened a statement savepoint, and FTS5 writes its
            // pending terms to disk at every savepoint, one tiny segment per item.
            try db.execute(sql: "DROP TRIGGER item_fts_insert")
            // Each is the leading column of a unique index or primary key that already serves it.
            try db.execute(sql: "DROP INDEX item_on_feedId")  // UNIQUE(feedId, identity)
            try db.execute(sql: "DROP INDEX storyWord_on_itemId")  // PRIMARY KEY(itemId, word)
            try db.execute(sql: "DROP INDEX itemTopic_on_itemId")  // PRIMARY KEY(itemId, topic)
        }
        migrator.registerMigration("v7") { db in
            // A week shows the items published in it (``AppDatabase/newsDate``), not the ones
            // first seen in it; the expression must be spelled as the queries spell it.
            try db.execute(sql: "CREATE INDEX item_on_newsDate ON item(min(sortDate, firstSeen))")
            try db.alter(table: "digest") { t in
                t.add(column: "version", .integer).notNull().defaults(to: 1)
                t.add(column: "frozenAt", .datetime)
                t.add(column: "supersededAt", .datetime)
                t.add(column: "shown", .integer)
                t.add(column: "readingMinutes", .integer)
                t.add(column: "markdown", .text)
                t.add(column: "plainText", .text)
                t.add(column: "json", .text)
                t.add(column: "email", .text)
            }
            // Each (week, target) delivery attempt: what makes `digest --deliver` post once.
            try db.create(table: "digestDelivery") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("week", .text).notNull()
                t.column("target", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("status", .text).notNull()  // delivered | failed
                t.column("time", .datetime).notNull()
                t.column("remoteId", .text)
                t.column("error", .text)
            }
            try db.create(index: "digestDelivery_on_week_target", on: "digestDelivery", columns: ["week", "target"])
            // A sent week was frozen in effect: it is the one the team received.
            try db.execute(sql: "UPDATE digest SET frozenAt = sentAt WHERE sentAt IS NOT NULL")
            // Earlier builds recorded every preview, whatever the week: a digest of a week that
            // had not begun when it was built (9999-W01, next week) was never true. Forget them.
            // Nor was one of a week over before anything the store knows (0001-W01).
            let firstFetch = try Date.fetchOne(db, sql: "SELECT MIN(time) FROM fetchLog")
            let oldestItem = try Date.fetchOne(db, sql: "SELECT MIN(min(sortDate, firstSeen)) FROM item")
            let earliest = [firstFetch, oldestItem].compactMap { $0 }.min()
            let utc = TimeZone(identifier: "UTC")!
            for row in try Row.fetchAll(db, sql: "SELECT id, week, builtAt FROM digest") {
                let builtAt: Date = row["builtAt"]
                guard let week = try? ISOWeek(parsing: row["week"]) else { continue }
                let future = week.start(in: utc) > builtAt.addingTimeInterval(86_400)
                let beforeAnything = earliest.map { week.end(in: utc) < $0.addingTimeInterval(-86_400) } ?? false
                if future || beforeAnything {
                    try db.execute(sql: "DELETE FROM digest WHERE id = ?", arguments: [row["id"] as Int64])
                }
            }
        }
        migrator.registerMigration("v8") { db in
            // A 200 that was no feed said "failed 200"; the problem it had is kept beside the status.
            try db.alter(table: "feed") { t in t.add(column: "lastProblem", .text) }
        }
        migrator.registerMigration("v9") { db in
            // Search folds plurals and feminines as the tagger does: the same columns and
            // external content, another tokenizer, every stored item indexed again. The
            // update and delete triggers on item name the table, not its tokenizer: they stay.
            try db.execute(
                sql: """
                    DROP TABLE itemFTS;
                    CREATE VIRTUAL TABLE itemFTS USING fts5(
                        title, summary, content,
                        content='item', content_rowid='id',
                        tokenize='\(SearchTokenizer.name) unicode61 remove_diacritics 2');
                    INSERT INTO itemFTS(itemFTS) VALUES ('rebuild');
                    """)
        }
        migrator.registerMigration("pages-v1") { db in
            // What a page's or watched document's last read leaves for the next (SourceMemory):
            // the item count of a listing page, the compared text or digest of a watched one.
            try db.create(table: "pageMemory") { t in
                t.primaryKey("feedId", .integer).references("feed", onDelete: .cascade)
                t.column("itemCount", .integer)
                t.column("snapshot", .text)
                t.column("contentType", .text)
                t.column("size", .integer)
                t.column("recordedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("tagging-v1") { db in
            // A team's corrections of an item's topics (`watchctl retag ID --add/--remove`), one
            // row per command, never updated: they override the rules wherever topics are
            // written, and `reviewedTopics` is the reference `tag --evaluate` scores against.
            try db.create(table: "topicCorrection") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("item", onDelete: .cascade).notNull()  // indexed: rows come in id order per item
                t.column("time", .datetime).notNull()
                t.column("author", .text).notNull()
                t.column("added", .text).notNull()  // JSON array of topic ids
                t.column("removed", .text).notNull()  // JSON array of topic ids
                t.column("reviewedTopics", .text).notNull()  // JSON array: the item's topics once corrected
            }
        }
        migrator.registerMigration("v10-story-candidates") { db in
            // The look-alike index (v4's `storyWord`) carries what comparing a title with its
            // candidates needs of each item: its feed, story, date and title words (hashed, as
            // ``TitleWords`` compares them). Finding a title's candidates then reads a few
            // narrow rows of one B-tree, where the join read each candidate's whole item row
            // (text included): most of the cost of storing an item (issue #19).
            try db.execute(
                sql: """
                    CREATE TABLE storyCandidate (
                        word TEXT NOT NULL,
                        itemId INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
                        feedId INTEGER NOT NULL,
                        storyId INTEGER,
                        sortDate TEXT NOT NULL,
                        words BLOB NOT NULL,
                        PRIMARY KEY (word, itemId)
                    ) WITHOUT ROWID;
                    CREATE INDEX storyCandidate_on_itemId ON storyCandidate(itemId);
                    -- The copies follow their item whatever writes it (the store re-indexes an
                    -- item whose text changed; a deleted story sets the item's storyId to NULL).
                    CREATE TRIGGER item_storyCandidate_update AFTER UPDATE OF feedId, storyId, sortDate ON item
                    BEGIN
                        UPDATE storyCandidate SET feedId = new.feedId, storyId = new.storyId, sortDate = new.sortDate
                        WHERE itemId = new.id;
                    END;
                    """)
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO storyCandidate(word, itemId, feedId, storyId, sortDate, words)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT w.word, w.itemId, i.feedId, i.storyId, i.sortDate, i.titleKey
                    FROM storyWord AS w JOIN item AS i ON i.id = w.itemId
                    """)
            var words: [Int64: DatabaseValue] = [:]
            while let row = try rows.next() {
                let itemID: Int64 = row[1]
                let hashes = words[itemID] ?? TitleWords((row[5] as String?) ?? "").databaseValue
                words[itemID] = hashes
                try insert.execute(arguments: [row[0], itemID, row[2], row[3], row[4] as DatabaseValue, hashes])
            }
            try db.execute(sql: "DROP TABLE storyWord")
        }
        migrator.registerMigration("v11-delivery-error-french") { db in
            // `status` shows a target's last failure in the run's language, long after the run
            // that worded it: the store keeps both lines (`error` stays the English, which JSON
            // and the audit read). Failures recorded before have no French (NULL).
            try db.alter(table: "digestDelivery") { t in t.add(column: "errorFrench", .text) }
        }
        migrator.registerMigration("v12-item-topics-by-item") { db in
            // Fewer B-trees for a fetch to write (issue #19). `itemTopic` was a rowid table, its
            // primary key a second B-tree and its index by topic a third, where each new item's
            // rows landed at the end of every topic's run (a page or more per topic per fetch).
            // Keyed (itemId, topic) without rowid, an item's topics are one run in one B-tree,
            // and ``AppDatabase/items(since:topic:feed:limit:)`` asks, item by item in date
            // order, whether the item has the topic: the primary key answers.
            try db.execute(
                sql: """
                    CREATE TABLE itemTopicByItem (
                        itemId INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
                        topic TEXT NOT NULL,
                        score DOUBLE NOT NULL,
                        matches TEXT NOT NULL DEFAULT '[]',
                        PRIMARY KEY (itemId, topic)
                    ) WITHOUT ROWID;
                    INSERT INTO itemTopicByItem(itemId, topic, score, matches)
                        SELECT itemId, topic, score, matches FROM itemTopic;
                    DROP TABLE itemTopic;
                    ALTER TABLE itemTopicByItem RENAME TO itemTopic;
                    """)
            // Each is the leading column of another index that already serves it (lookups and
            // the cascades from feed, digest and item), and each was one more page per write.
            try db.execute(sql: "DROP INDEX fetchLog_on_feedId")  // fetchLog_on_feedId_time
            try db.execute(sql: "DROP INDEX followChange_on_itemId")  // followChange_on_itemId_time
            try db.execute(sql: "DROP INDEX digestItem_on_digestId")  // PRIMARY KEY(digestId, itemId)
        }
        return migrator
    }

    /// The identifiers of every migration this build knows, oldest first.
    public static var migrationIdentifiers: [String] { migrator.migrations }

    /// The migrations already applied to this database, oldest first.
    public func appliedMigrations() throws -> [String] {
        try read(.readSchemaVersion) { db in try Self.migrator.appliedMigrations(db) }
    }
}
