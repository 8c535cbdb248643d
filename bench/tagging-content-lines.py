#!/usr/bin/env python3
"""Writes N JSON lines {"id","title","summary","content"} for the long-content tagging
benchmark (docs/performance.md, "Tagging": the cold poll tags each item's full content).

Default: titles, one- or two-sentence summaries and a content of 2–6 KB, all recombined
from the sentences of every labelled set (Tests/RegWatchTests/Fixtures/tagging*), in
paragraphs separated by a blank line, as a feed's HTML reads once its tags are stripped.
`--poll`: the items of bench/poll-vs-newsboat.sh's generated feeds (feed f, item n), whose
120-word bodies are dense with rule words. Deterministic: the same arguments give the same file.

usage: bench/tagging-content-lines.py [N] [--poll] > bench/out/tag-content-2000.jsonl
"""
import json
import pathlib
import random
import sys

arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
count = int(arguments[0]) if arguments else 2000
out = sys.stdout

if "--poll" in sys.argv:
    # The generator of bench/poll-vs-newsboat.sh (generation 0, 52 items a feed).
    words = ("formation compte personnel qualiopi certification apprentissage organisme audit "
             "référentiel décret arrêté intelligence artificielle neurodiversité inclusion CFA OPCO "
             "financement dotation employeur parcours compétences").split()
    items = 52
    for index in range(count):
        f, n = divmod(index, items)
        body = " ".join(words[(f + n + k) % len(words)] for k in range(120))
        line = {"id": f"item-{index}",
                "title": f"Actualité {f}-{n} : {words[(f + n) % len(words)]} et {words[(f * 7 + n) % len(words)]}",
                "summary": body[:300], "content": body + "\n\n" + body}
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    sys.exit(0)

fixtures = pathlib.Path(__file__).resolve().parent.parent / "Tests/RegWatchTests/Fixtures"
files = sorted((fixtures / "tagging").glob("*.jsonl")) + [fixtures / "tagging-eval.jsonl"]
titles, sentences = [], []
for path in files:
    for text in path.read_text(encoding="utf-8").splitlines():
        if not text.strip():
            continue
        item = json.loads(text)
        if item.get("title"):
            titles.append(item["title"])
        if item.get("summary"):
            sentences.append(item["summary"])
rng = random.Random(19)
for index in range(count):
    summary = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 2)))
    target = rng.randint(2000, 6000)
    paragraphs, size = [], 0
    while size < target:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    line = {"id": f"item-{index}", "title": rng.choice(titles), "summary": summary,
            "content": "\n\n".join(paragraphs)}
    out.write(json.dumps(line, ensure_ascii=False) + "\n")
