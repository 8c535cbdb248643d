#!/usr/bin/python3
"""Core fields of `watchctl parse` against Python feedparser on feedparser's own test suite.

    pip download feedparser --no-binary :all: --no-deps -d /tmp/fp && tar xzf /tmp/fp/feedparser-*.tar.gz -C /tmp/fp
    bench/feedparser-agreement.py WATCHCTL /tmp/fp/feedparser-*/tests [--list FIELD]

Runs `WATCHCTL parse FILE --base-url B` and Debian's python3-feedparser (with the same base as
Content-Location) on every .xml under the directory, and counts, per core field (feed title
and link; per item id, title, link, date, summary), the files or items where both agree, with
the normalisation of Tests/FeedParserTests/Fixtures/feedparser_core.py (feedparser's HTML
stripped and decoded, whitespace removed, dates in UTC). --list FIELD prints the disagreements
of one field. Needs /usr/bin/python3 with feedparser (the python3-feedparser package).
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "FeedParserTests", "Fixtures"))
import feedparser  # noqa: E402
from feedparser_core import date, text  # noqa: E402

BASE = "https://base.example/dir/feed.xml"


def squeezed(value):
    if value is None:
        return None
    value = "".join(ch for ch in value if not ch.isspace() and ch != "\u00a0")
    return value or None


def main():
    watchctl, root = sys.argv[1], sys.argv[2]
    listed = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--list" else None
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(root) for f in names if f.endswith(".xml"))
    tally, misses = {}, {}

    def count(field, agree, where, detail=""):
        tally.setdefault(field, [0, 0])[0 if agree else 1] += 1
        if not agree:
            misses.setdefault(field, []).append(f"{os.path.relpath(where, root)}: {detail}")

    for path in files:
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            theirs = feedparser.parse(data, response_headers={"content-location": BASE})
        except Exception as error:  # feedparser itself fails on one file of its suite
            count("feedparser fails", False, path, str(error)[:80])
            continue
        run = subprocess.run([watchctl, "parse", path, "--base-url", BASE], capture_output=True)
        if run.returncode != 0:
            # Agreement when feedparser finds nothing either.
            count("read as a feed", not theirs.entries and not theirs.feed.get("title"), path, run.stderr.decode()[:120])
            continue
        count("read as a feed", True, path)
        ours = json.loads(run.stdout)
        feed = theirs.feed
        count("feed title", squeezed(ours["title"]) == squeezed(text(feed.get("title"), feed.get("title_detail"))), path,
              f"{ours['title']!r} vs {feed.get('title')!r}")
        count("feed link", ours["link"] == (feed.get("link") or None), path, f"{ours['link']!r} vs {feed.get('link')!r}")
        count("item count", len(ours["items"]) == len(theirs.entries), path, f"{len(ours['items'])} vs {len(theirs.entries)}")
        for mine, entry in zip(ours["items"], theirs.entries):
            count("id", mine["id"] == (entry.get("id") or None), path, f"{mine['id']!r} vs {entry.get('id')!r}")
            count("title", squeezed(mine["title"]) == squeezed(text(entry.get("title"), entry.get("title_detail"))), path,
                  f"{mine['title']!r} vs {entry.get('title')!r}")
            count("link", mine["link"] == (entry.get("link") or None), path, f"{mine['link']!r} vs {entry.get('link')!r}")
            reference = date(entry.get("published_parsed") or entry.get("updated_parsed"))
            if reference:
                count("date", (mine["published"] or mine["updated"]) == reference, path,
                      f"{mine['published'] or mine['updated']} vs {reference}")
            count("summary", squeezed(mine["summary"]) == squeezed(text(entry.get("summary"), entry.get("summary_detail"))),
                  path, f"{(mine['summary'] or '')[:60]!r} vs {(entry.get('summary') or '')[:60]!r}")

    print(f"{len(files)} files")
    for field, (agree, disagree) in tally.items():
        share = 100.0 * agree / (agree + disagree)
        print(f"{field:18s} {agree:5d} agree {disagree:4d} disagree  {share:5.1f} %")
    if listed:
        print("\n".join(misses.get(listed, [])))


if __name__ == "__main__":
    main()
