#!/usr/bin/env bash
# The page benchmark of docs/performance.md: a 2 MB listing page (Drupal views rows shaped like
# an OPCO's news page), its items extracted by `watchctl parse --kind page --items XPATH` and the
# same expression evaluated by `xmllint --html --xpath` (libxml2's own tool: parse + XPath +
# printing the nodes), side by side (perf stat). Run from the repository root: bench/pages.sh
set -euo pipefail

swift build -c release --product watchctl --static-swift-stdlib 2>&1 | tail -1
BENCH=$(mktemp -d)
python3 - "$BENCH/listing.html" <<'PY'
import sys
months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
rows = []
i = 0
size = 0
while size < 2 * 1024 * 1024:
    i += 1
    row = (
        f'<div class="views-row"><div class="views-field views-field-field-date"><span class="date">'
        f'Publié le {1 + i % 28} {months[i % 12]} {2020 + i % 7}</span></div>'
        f'<div class="views-field views-field-title"><h3><a href="/actualites/article-{i}">Prise en charge des actions '
        f'de formation n° {i} : les nouveaux plafonds de l\'OPCO</a></h3></div>'
        f'<div class="views-field views-field-body"><p>Les critères de prise en charge du plan de développement des '
        f'compétences évoluent pour les entreprises de moins de cinquante salariés ({i}).</p></div></div>\n'
    )
    rows.append(row)
    size += len(row.encode())
page = ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Actualités</title></head><body>'
        '<ul class="menu"><li><a href="/a">Accueil du site</a></li></ul><div class="view-content">\n'
        + "".join(rows) + '</div></body></html>\n')
open(sys.argv[1], "w", encoding="utf-8").write(page)
print(f"{len(rows)} rows, {len(page.encode())} bytes", file=sys.stderr)
PY
XPATH="//div[@class='views-row']"
W=.build/release/watchctl
echo "items: $($W parse "$BENCH/listing.html" --kind page --items "$XPATH" --base-url https://www.opco.example/ | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')"
echo "nodes: $(xmllint --html --xpath "count($XPATH)" "$BENCH/listing.html")"
# The machine is shared: each batch alternates the tools and the ratio is taken within it
# (CPU ms per run, task-clock, 5 runs each).
cpu() { perf stat -r 5 -x, -e task-clock "$@" 2>&1 >/dev/null | cut -d, -f1; }
echo "batch xmllint watchctl-items ratio watchctl-detected ratio"
for batch in $(seq 1 "${BATCHES:-8}"); do
    a=$(cpu xmllint --html --xpath "$XPATH" "$BENCH/listing.html")
    b=$(cpu "$W" parse "$BENCH/listing.html" --kind page --items "$XPATH" --base-url https://www.opco.example/)
    c=$(cpu "$W" parse "$BENCH/listing.html" --kind page --base-url https://www.opco.example/)
    echo "$batch $a $b $c" | awk '{printf "%s %s %s %.2f %s %.2f\n", $1, $2, $3, $3/$2, $4, $4/$2}'
done
rm -rf "$BENCH"
