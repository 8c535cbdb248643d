#!/usr/bin/env python3
"""WAL frames per commit of the look-alike index (`storyCandidate`) in other layouts.

    story-index-layouts.py STORE [WORKDIR]

STORE is a regwatch.sqlite after a cold poll (for issue #19's setting: `watchctl poll` of
bench/poll-vs-newsboat.sh's 500 feeds into an empty database). Its index rows are written
again, one transaction per fetch (the items of one feed with consecutive ids) in id order, as
the store wrote them, into a database of each layout (WAL, checkpoint every 50 commits), and
the WAL's growth per commit is printed: over the last 10 commits and over all of them
(docs/performance.md, "Issue #19, sixth round").
"""
import itertools
import os
import sqlite3
import sys
import tempfile

store = sys.argv[1]
workdir = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="story-layouts")
source = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
rows = source.execute(
    "SELECT itemId, word, feedId, storyId, sortDate, words FROM storyCandidate ORDER BY itemId, word"
).fetchall()
feed_of = dict(source.execute("SELECT id, feedId FROM item"))
page_size = source.execute("PRAGMA page_size").fetchone()[0]
fetches = [list(g) for _, g in itertools.groupby(sorted(feed_of), key=lambda i: feed_of[i])]
by_item = {}
for row in rows:
    by_item.setdefault(row[0], []).append(row)

WORDS_ITEM = "CREATE TABLE si(itemId INTEGER PRIMARY KEY, feedId INTEGER NOT NULL, storyId INTEGER, sortDate TEXT NOT NULL, words BLOB NOT NULL)"
layouts = [
    ("current (schema v10)", [
        "CREATE TABLE sc(word TEXT NOT NULL, itemId INTEGER NOT NULL, feedId INTEGER NOT NULL, storyId INTEGER, sortDate TEXT NOT NULL, words BLOB NOT NULL, PRIMARY KEY(word, itemId)) WITHOUT ROWID",
        "CREATE INDEX sc_on_itemId ON sc(itemId)"]),
    ("(word, itemId) + per-item table", [
        "CREATE TABLE sw(word TEXT NOT NULL, itemId INTEGER NOT NULL, PRIMARY KEY(word, itemId)) WITHOUT ROWID", WORDS_ITEM]),
    ("same, itemId index on the words", [
        "CREATE TABLE sw(word TEXT NOT NULL, itemId INTEGER NOT NULL, PRIMARY KEY(word, itemId)) WITHOUT ROWID",
        "CREATE INDEX sw_on_itemId ON sw(itemId)", WORDS_ITEM]),
    ("only the title words moved out", [
        "CREATE TABLE sw(word TEXT NOT NULL, itemId INTEGER NOT NULL, feedId INTEGER NOT NULL, storyId INTEGER, sortDate TEXT NOT NULL, PRIMARY KEY(word, itemId)) WITHOUT ROWID",
        "CREATE INDEX sw_on_itemId ON sw(itemId)",
        "CREATE TABLE si(itemId INTEGER PRIMARY KEY, words BLOB NOT NULL)"]),
]
for number, (name, schema) in enumerate(layouts):
    path = os.path.join(workdir, f"layout{number}.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA page_size = {page_size}")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA wal_autocheckpoint = 0")
    for statement in schema:
        db.execute(statement)
    frames = []
    for count, fetch in enumerate(fetches):
        before = os.path.getsize(path + "-wal") if os.path.exists(path + "-wal") else 32
        db.execute("BEGIN")
        for item in fetch:
            entries = by_item.get(item, [])
            for item_id, word, feed, story, date, words in entries:
                if number == 0:
                    db.execute("INSERT INTO sc VALUES (?, ?, ?, ?, ?, ?)", (word, item_id, feed, story, date, words))
                elif number in (1, 2):
                    db.execute("INSERT INTO sw VALUES (?, ?)", (word, item_id))
                else:
                    db.execute("INSERT INTO sw VALUES (?, ?, ?, ?, ?)", (word, item_id, feed, story, date))
            if entries:
                _, _, feed, story, date, words = entries[0]
                if number in (1, 2):
                    db.execute("INSERT INTO si VALUES (?, ?, ?, ?, ?)", (item, feed, story, date, words))
                elif number == 3:
                    db.execute("INSERT INTO si VALUES (?, ?)", (item, words))
        db.execute("COMMIT")
        frames.append((os.path.getsize(path + "-wal") - before) / (page_size + 24))
        if count % 50 == 49:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    last = frames[-10:]
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    print(f"{name:34s} frames/commit: last 10 {sum(last) / len(last):6.1f}, all {sum(frames) / len(frames):6.1f}; {pages} pages")
