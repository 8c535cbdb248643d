#!/usr/bin/env bash
# The raw-scan reference of the tagging benchmark (docs/performance.md): one grep -E pass
# counting the lines that contain any main term or acronym of the four built-in topics.
# No JSON, no folding, no morphology, no scoring: a floor for "reading the text once".
# usage: bench/tagging-grep.sh bench/out/tag-100k.jsonl
set -euo pipefail
LC_ALL=C.UTF-8 grep -c -E \
  -e '[Cc]ompte [Pp]ersonnel de [Ff]ormation|[Cc]ompte [Ff]ormation|moncompteformation|\bCPF\b|\bEDOF\b' \
  -e '[Qq]ualiopi|[Rr]éférentiel (national )?qualité|[Cc]ertification qualité|\bRNQ\b' \
  -e '[Ii]ntelligence artificielle|[Aa]rtificial intelligence|ChatGPT|\bIA\b|\bIAG\b|\bAI\b|\bLLMs?\b|\bGPT\b|[Cc]hatbot|[Mm]achine learning|[Aa]pprentissage automatique' \
  -e '[Nn]eurodivers|[Nn]eurodivergen|[Nn]euro-?atypi|\b[Dd]ys\b|[Dd]yslex|[Dd]yspraxi|[Dd]yscalculi|[Aa]utis|\bTDAH\b|\bADHD\b|\bTSA\b|\bHPI\b' \
  "$1"
