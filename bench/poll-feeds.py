#!/usr/bin/env python3
"""The polling benchmarks' feeds: FEEDS French RSS feeds of ITEMS items each, in ROOT.

    python3 bench/poll-feeds.py ROOT FEEDS ITEMS [GENERATION]

Each item has a title, a link and guid, a date (nine distinct days), a 300-character summary and
a content of two paragraphs of 120 words from the watch's vocabulary; GENERATION shifts the
items' numbers (0 for the first poll). Used by bench/poll-vs-newsboat.sh and
bench/poll-profile.sh, so that both time the same documents.
"""
import sys, os, html
root, feeds, items = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
generation = int(sys.argv[4]) if len(sys.argv) > 4 else 0
os.makedirs(root, exist_ok=True)
words = ("formation compte personnel qualiopi certification apprentissage organisme audit "
         "référentiel décret arrêté intelligence artificielle neurodiversité inclusion CFA OPCO "
         "financement dotation employeur parcours compétences").split()
for f in range(feeds):
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
           f'<channel><title>Source {f}</title><link>https://source{f}.example.fr/</link><description>Veille {f}</description>']
    for i in range(items):
        n = i + generation
        body = " ".join(words[(f + n + k) % len(words)] for k in range(120))
        out.append(f'<item><title>Actualité {f}-{n} : {words[(f+n) % len(words)]} et {words[(f*7+n) % len(words)]}</title>'
                   f'<link>https://source{f}.example.fr/actu/{n}</link><guid>https://source{f}.example.fr/actu/{n}</guid>'
                   f'<pubDate>Mon, 0{1 + n % 9} Dec 2025 10:00:00 +0100</pubDate>'
                   f'<description>{html.escape("<p>" + body[:300] + "</p>")}</description>'
                   f'<content:encoded><![CDATA[<p>{body}</p><p>{body}</p>]]></content:encoded></item>')
    out.append('</channel></rss>\n')
    with open(os.path.join(root, f'feed{f}.xml'), 'w') as fh:
        fh.write(''.join(out))
