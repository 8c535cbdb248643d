#!/usr/bin/python3
"""Core fields of feeds as Python feedparser reads them, for FeedparserAgreementTests.

Usage: feedparser_core.py BASE_URL FILE...  ->  one JSON object per file on stdout:
{"file", "title", "link", "items": [{"id", "title", "link", "date", "summary"}]}
Text is normalised the way the comparison needs it: tags stripped, entities decoded,
whitespace collapsed; dates in UTC as 2025-12-03T08:00:00Z.
"""
import calendar
import html
import json
import re
import sys
import time

import feedparser

TAG = re.compile(r"</?[A-Za-z!][^>]*>")
SPACE = re.compile(r"\s+")


def text(value, detail=None):
    if value is None:
        return None
    if not detail or detail.get("type") != "text/plain":
        # feedparser keeps (sanitised) HTML: strip its tags and decode its entities.
        value = html.unescape(TAG.sub(" ", value))
    value = SPACE.sub(" ", value.replace("\u00a0", " ")).strip()
    return value or None


def date(parsed):
    if not parsed:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(parsed)))


def main():
    base = sys.argv[1]
    for path in sys.argv[2:]:
        with open(path, "rb") as handle:
            data = handle.read()
        result = feedparser.parse(data, response_headers={"content-location": base})
        feed = result.feed
        items = []
        for entry in result.entries:
            items.append({
                "id": entry.get("id") or None,
                "title": text(entry.get("title"), entry.get("title_detail")),
                "link": entry.get("link") or None,
                "date": date(entry.get("published_parsed") or entry.get("updated_parsed")),
                "summary": text(entry.get("summary"), entry.get("summary_detail")),
            })
        print(json.dumps({
            "file": path,
            "title": text(feed.get("title"), feed.get("title_detail")),
            "link": feed.get("link") or None,
            "items": items,
        }, ensure_ascii=False))


if __name__ == "__main__":
    main()
