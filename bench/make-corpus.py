#!/usr/bin/env python3
"""Writes a deterministic corpus of French feeds for bench/parse-corpus.sh.

make-corpus.py DIR [--feeds N] [--big-mb M]
  DIR/corpus/*.xml  N feeds (default 240, about 24 MB): RSS 2.0 (WordPress-like, content:encoded
                    CDATA), RSS 2.0 with escaped HTML descriptions, Atom 1.0 (html and xhtml
                    content), RSS 1.0 (RDF); some windows-1252 with undeclared HTML entities.
  DIR/big.xml       one RSS 2.0 feed of about M MB (default 50) for the memory measurement.
"""
import os
import random
import sys

WORDS = ("formation professionnelle apprentissage compte personnel CPF Qualiopi certification "
         "référentiel national qualité organisme opérateur compétences financement décret arrêté "
         "France compétences OPCO entreprise salarié demandeur d'emploi accessibilité handicap "
         "neurodiversité intelligence artificielle générative numérique pédagogie évaluation audit "
         "indicateur critère bilan validation acquis expérience VAE alternance contrat région "
         "ministère travail emploi réforme à été où déjà côté prévu œuvre cœur coût île").split()

rng = random.Random(2025)


def sentence(n=None):
    n = n or rng.randint(8, 22)
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice([".", ".", " !", " ?", "…"])


def paragraph_html(k):
    parts = []
    for _ in range(k):
        s = sentence()
        if rng.random() < 0.4:
            w = rng.choice(WORDS)
            s = s.replace(w, f"<strong>{w}</strong>", 1)
        if rng.random() < 0.3:
            s += f' <a href="/textes/{rng.randint(1000, 9999)}">voir le texte</a>'
        parts.append(f"<p>{s}</p>")
    if rng.random() < 0.5:
        parts.append("<ul>" + "".join(f"<li>{sentence(6)}</li>" for _ in range(rng.randint(2, 5))) + "</ul>")
    return "\n".join(parts)


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rfc822(i):
    day = 1 + i % 28
    return f"Mon, {day:02d} Dec 2025 {i % 24:02d}:{i % 60:02d}:00 +0100"


def iso(i):
    return f"2025-12-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00+01:00"


def rss_wordpress(n, items):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
           f"<channel><title>Actualités de la formation n°{n}</title>",
           f"<link>https://site{n}.example/</link><description>{escape(sentence())}</description>",
           f'<atom:link href="https://site{n}.example/feed" rel="self" type="application/rss+xml"/>']
    for i in range(items):
        out.append(
            f"<item><title>{escape(sentence(10))}</title>"
            f"<link>https://site{n}.example/{i}/</link>"
            f"<dc:creator><![CDATA[{rng.choice(WORDS).capitalize()} {rng.choice(WORDS).capitalize()}]]></dc:creator>"
            f"<pubDate>{rfc822(i)}</pubDate>"
            f"<category><![CDATA[{rng.choice(WORDS)}]]></category>"
            f'<guid isPermaLink="false">https://site{n}.example/?p={i}</guid>'
            f"<description><![CDATA[{paragraph_html(1)}]]></description>"
            f"<content:encoded><![CDATA[{paragraph_html(rng.randint(3, 12))}]]></content:encoded></item>")
    out.append("</channel></rss>")
    return "\n".join(out).encode("utf-8")


def rss_escaped(n, items, cp1252):
    enc = "windows-1252" if cp1252 else "UTF-8"
    out = [f'<?xml version="1.0" encoding="{enc}"?>', '<rss version="2.0">',
           f"<channel><title>Ministère – fil n°{n}</title><link>https://gouv{n}.example/actualites</link>"]
    for i in range(items):
        title = sentence(9)
        if cp1252:
            title = title.replace("é", "&eacute;", 1) + " &ndash; &laquo;&nbsp;actu&nbsp;&raquo;"
        out.append(
            f"<item><title>{title}</title><link>/actualites/{i}</link>"
            f"<pubDate>{rfc822(i)}</pubDate>"
            f"<description>{escape(paragraph_html(rng.randint(2, 8)))}</description></item>")
    out.append("</channel></rss>")
    text = "\n".join(out)
    return text.encode("cp1252", "xmlcharrefreplace") if cp1252 else text.encode("utf-8")


def atom(n, items):
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog{n}.example/">',
           f'<title>Blog du CFA n°{n}</title><link rel="alternate" href="/"/><id>urn:blog:{n}</id>',
           f"<updated>{iso(0)}</updated>"]
    for i in range(items):
        if i % 2:
            content = f'<content type="html">{escape(paragraph_html(rng.randint(3, 10)))}</content>'
        else:
            content = ('<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
                       f"{paragraph_html(rng.randint(3, 10)).replace('&', '&amp;')}</div></content>")
        out.append(
            f"<entry><title>{escape(sentence(10))}</title><link href='billets/{i}'/>"
            f"<id>urn:blog:{n}:{i}</id><published>{iso(i)}</published><updated>{iso(i + 1)}</updated>"
            f"<author><name>{rng.choice(WORDS).capitalize()}</name></author>"
            f'<category term="{rng.choice(WORDS)}"/><summary>{escape(sentence())}</summary>{content}</entry>')
    out.append("</feed>")
    return "\n".join(out).encode("utf-8")


def rdf(n, items):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/">',
           f'<channel rdf:about="https://jo{n}.example/rss"><title>Journal officiel n°{n}</title>'
           f"<link>https://jo{n}.example/</link><description>Textes</description></channel>"]
    for i in range(items):
        out.append(
            f'<item rdf:about="https://jo{n}.example/id/{i}"><title>{escape(sentence(12))}</title>'
            f"<link>https://jo{n}.example/id/{i}</link><description>{escape(' '.join(sentence() for _ in range(rng.randint(3, 9))))}</description>"
            f"<dc:date>{iso(i)}</dc:date><dc:subject>{rng.choice(WORDS)}</dc:subject></item>")
    out.append("</rdf:RDF>")
    return "\n".join(out).encode("utf-8")


def main():
    target = sys.argv[1]
    feeds = 240
    big_mb = 50
    args = sys.argv[2:]
    if "--feeds" in args:
        feeds = int(args[args.index("--feeds") + 1])
    if "--big-mb" in args:
        big_mb = int(args[args.index("--big-mb") + 1])
    corpus = os.path.join(target, "corpus")
    os.makedirs(corpus, exist_ok=True)
    total = 0
    for n in range(feeds):
        kind = n % 10
        items = rng.randint(16, 80)
        if kind < 4:
            data = rss_wordpress(n, items)
        elif kind < 6:
            data = rss_escaped(n, items, cp1252=(kind == 5))
        elif kind < 8:
            data = atom(n, items)
        else:
            data = rdf(n, items * 2)
        with open(os.path.join(corpus, f"feed-{n:03d}.xml"), "wb") as handle:
            handle.write(data)
        total += len(data)
    print(f"corpus: {feeds} feeds, {total / 1e6:.1f} MB", file=sys.stderr)
    if big_mb > 0:
        with open(os.path.join(target, "big.xml"), "wb") as handle:
            head = rss_wordpress(9999, 0).rsplit(b"</channel>", 1)[0]
            handle.write(head)
            written = len(head)
            i = 0
            while written < big_mb * 1_000_000:
                chunk = rss_wordpress(9999, 50).split(b"<item>", 1)[1].rsplit(b"</channel>", 1)[0]
                chunk = b"<item>" + chunk
                handle.write(chunk)
                written += len(chunk)
                i += 1
            handle.write(b"</channel></rss>\n")
        print(f"big.xml: {written / 1e6:.1f} MB", file=sys.stderr)


main()
