#!/usr/bin/env bash
# Writes link/watchctl.order: the functions of watchctl that its common commands run, in the order
# they are first met, which the linker places first and together (Package.swift). Rerun it when the
# code of the poll or the search changed much: a function missing from the list still works, it
# is only placed among the rest (docs/performance.md, "Start-up and resident memory").
#
#   bench/link-order.sh          # builds release, then records --version, a poll and searches
#   SKIP_BUILD=1 bench/link-order.sh
#
# Needs: valgrind (callgrind), python3, sqlite3. The poll fetches one generated feed from a
# python3 HTTP server on a loopback port; the searches run on a small store filled by bench/search.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product watchctl --static-swift-stdlib >/dev/null
WORK=$(mktemp -d /tmp/regwatch-linkorder.XXXXXX)
trap 'kill "${SERVER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
# valgrind cannot read the release binary's debug information: a copy without it, same symbols.
cp .build/release/watchctl "$WORK/watchctl" && strip -g "$WORK/watchctl"
BIN=$WORK/watchctl

mkdir -p "$WORK/www" "$WORK/poll"
python3 - "$WORK/www/feed.xml" <<'PY'
import sys
items = "".join(
    f"<item><title>Décret n° {i} : formation et Qualiopi</title><link>https://example.fr/a/{i}</link>"
    f"<guid>https://example.fr/a/{i}</guid><pubDate>Mon, 0{1 + i % 9} Dec 2025 10:00:00 +0100</pubDate>"
    f"<description>&lt;p&gt;Le compte personnel de formation et l'audit Qualiopi {i}.&lt;/p&gt;</description></item>"
    for i in range(52))
open(sys.argv[1], "w").write('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                             f"<title>Source</title><link>https://example.fr/</link>{items}</channel></rss>")
PY
PORT=$((20000 + RANDOM % 20000))
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$WORK/www" >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/feed.xml" >/dev/null && break; sleep 0.1; done
printf '[storage]\ndatabase = "%s/poll/regwatch.sqlite"\n\n[fetch]\nallow_private_networks = true\n\n[[feeds]]\nurl = "http://127.0.0.1:%d/feed.xml"\n' \
    "$WORK" "$PORT" > "$WORK/poll/feeds.toml"
OUT="$WORK/search" FILL_ONLY=1 SKIP_BUILD=1 ITEMS=2000 BIN="$BIN" bench/search.sh >/dev/null

record() { # name, then the command's arguments
    local name=$1; shift
    valgrind --tool=callgrind --demangle=no --compress-strings=no --dump-instr=no \
        --callgrind-out-file="$WORK/$name.cg" "$BIN" "$@" >/dev/null 2>"$WORK/$name.log"
}
record 1-version --version
record 2-poll --config "$WORK/poll/feeds.toml" poll
record 3-search --config "$WORK/search/feeds.toml" search 'référentiel qualité' --limit 20 --json
record 4-search-text --config "$WORK/search/feeds.toml" search 'référentiel qualité' --limit 20
record 5-search-prefix --config "$WORK/search/feeds.toml" search 'forma* handicap' --limit 20 --json

# Each function of watchctl itself (not of the shared libraries), once, in the order met; callgrind
# marks recursion levels with 'N and names a function without a symbol by its address.
python3 - "$WORK" "$BIN" <<'PY' > link/watchctl.order
import glob, sys
work, binary = sys.argv[1], sys.argv[2]
seen = set()
for path in sorted(glob.glob(work + "/*.cg")):
    obj = None
    for line in open(path, errors="replace"):
        if line.startswith("ob="):
            obj = line[3:].strip()
        elif line.startswith("fn=") and obj in (binary, "./" + binary):
            name = line[3:].strip().split("'")[0]
            if name and not name.startswith("0x") and name not in seen:
                seen.add(name)
                print(name)
PY
echo "link/watchctl.order: $(wc -l < link/watchctl.order) functions"
