#!/usr/bin/env python3
"""Writes N JSON lines {"id","title","summary"} for the tagging benchmark (docs/performance.md).

Titles and summaries are recombined from the labelled evaluation set, with a longer
summary (two to four sentences, about 400 characters), so the text is real French/English
feed text of the length feeds carry. Deterministic: the same N gives the same file.

usage: bench/tagging-lines.py [N] > bench/out/tag-100k.jsonl
"""
import json
import pathlib
import random
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
fixture = pathlib.Path(__file__).resolve().parent.parent / "Tests/RegWatchTests/Fixtures/tagging-eval.jsonl"
items = [json.loads(line) for line in fixture.read_text(encoding="utf-8").splitlines() if line.strip()]
titles = [item["title"] for item in items]
sentences = [item["summary"] for item in items if item.get("summary")]
rng = random.Random(5)
out = sys.stdout
for index in range(count):
    summary = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 4)))
    line = {"id": f"item-{index}", "title": rng.choice(titles), "summary": summary}
    out.write(json.dumps(line, ensure_ascii=False) + "\n")
