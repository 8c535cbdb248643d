#!/usr/bin/env python3
"""The peer of `watchctl tag` in docs/performance.md: a plain Python regex tagger.

Same input (JSON lines on stdin), same kind of work: fold case and accents, match the
built-in topics' main terms as whole words (case-insensitive) and acronyms as
case-sensitive whole words, weight title over summary, print one JSON array. It has none of
watchctl's morphology, hyphen variants, exclusions or related vocabulary, so it does less.

usage: bench/tagging-peer.py < bench/out/tag-100k.jsonl > /dev/null
"""
import json
import re
import sys
import unicodedata

TOPICS = {
    "cpf": (["compte personnel de formation", "comptes personnels de formation", "compte formation",
             "moncompteformation", "personal training account"], ["CPF", "EDOF"]),
    "qualiopi": (["qualiopi", "referentiel national qualite", "referentiel qualite", "certification qualite",
                  "32 indicateurs", "7 criteres"], ["RNQ"]),
    "ia": (["intelligence artificielle", "intelligences artificielles", "artificial intelligence", "chatgpt",
            "openai", "agents? conversationnels?", "chatbots?", "apprentissage automatique", "machine learning",
            "deep learning", "reseaux? de neurones", "modeles? de langage", "large language models?",
            "mistral ai", "notebooklm"], ["IA", "IAG", "AI", "GenAI", "LLMs?", "GPT", "Copilot", "Gemini"]),
    "neurodiversite": (["neurodiversites?", "neurodiversity", "neurodivergente?s?", "neuro-?atypiques?",
                        "dys", "dyslexie", "dyslexiques?", "dyslexia", "dyspraxie", "dyscalculie", "dysphasie",
                        "autisme", "autistes?", "autism", "autistic", "asperger", "haut potentiel intellectuel",
                        "hyperactivite", "troubles? des apprentissages"], ["TDAH", "ADHD", "TSA", "TND", "HPI"]),
}
COMPILED = {
    topic: (re.compile(r"\b(?:" + "|".join(terms) + r")\b"), re.compile(r"\b(?:" + "|".join(acronyms) + r")\b"))
    for topic, (terms, acronyms) in TOPICS.items()
}


def fold(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def score(text, weight, terms, acronyms):
    if not text:
        return 0.0, []
    found = terms.findall(fold(text)) + acronyms.findall(text)
    return weight * min(len(found), 2), found


results = []
for line in sys.stdin:
    if not line.strip():
        continue
    item = json.loads(line)
    topics = []
    for topic, (terms, acronyms) in COMPILED.items():
        title_score, title_found = score(item.get("title"), 2.0, terms, acronyms)
        summary_score, summary_found = score(item.get("summary"), 1.0, terms, acronyms)
        total = title_score + summary_score
        if total >= 1.0:
            topics.append({"id": topic, "score": total, "matches": sorted(set(title_found + summary_found))})
    topics.sort(key=lambda t: -t["score"])
    results.append({"id": item.get("id"), "topics": topics})
json.dump(results, sys.stdout, ensure_ascii=False)
