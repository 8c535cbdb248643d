#!/usr/bin/env python3
"""WAL frames written per commit, by table and index, from a store's write-ahead log.

    python3 bench/wal-frames.py STORE_FOLDER     # holds regwatch.sqlite and regwatch.sqlite-wal

Reads the frames still in the log (the commits since the last checkpoint), maps each frame's
page to the table or index that owns it (SQLite's dbstat, on a copy of the database and its log
next to the folder) and prints the mean number of frames per commit for each.
"""
import collections
import os
import shutil
import sqlite3
import struct
import sys

folder = sys.argv[1]
log = open(os.path.join(folder, "regwatch.sqlite-wal"), "rb").read()
_, _, page_size, _, salt1, salt2, _, _ = struct.unpack(">IIIIIIII", log[:32])
frames = []
offset = 32
while offset + 24 + page_size <= len(log):
    page, commit, s1, s2 = struct.unpack(">IIII", log[offset:offset + 16])
    if (s1, s2) != (salt1, salt2):
        break
    frames.append((page, commit))
    offset += 24 + page_size

copy = os.path.join(os.path.dirname(os.path.abspath(folder)), "wal-frames-copy.sqlite")
shutil.copy(os.path.join(folder, "regwatch.sqlite"), copy)
shutil.copy(os.path.join(folder, "regwatch.sqlite-wal"), copy + "-wal")
owner = dict(sqlite3.connect(copy).execute("SELECT pageno, name FROM dbstat"))
commits, current = [], collections.Counter()
for page, commit in frames:
    current[owner.get(page, "?")] += 1
    if commit:
        commits.append(current)
        current = collections.Counter()
total = collections.Counter()
for counts in commits:
    total.update(counts)
n = max(len(commits), 1)
print(f"{len(frames)} frames, {len(commits)} commits, {sum(total.values()) / n:.1f} frames per commit")
for name, count in total.most_common(30):
    print(f"{count / n:8.1f}  {name}")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(copy + suffix):
        os.remove(copy + suffix)
