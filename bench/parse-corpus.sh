#!/usr/bin/env bash
# Parsing benchmark (docs/performance.md, "Parsing"): regwatch's FeedParser through
# `watchctl parse` (release build) vs `xmllint --noout` vs Python feedparser, on the same
# generated corpus of French feeds, side by side in one run; then peak memory on a 50 MB feed.
#
#   bench/parse-corpus.sh [WORKDIR]      (needs python3, python3-feedparser, libxml2-utils, time, bc)
#
# Each timing is the best of RUNS (default 3) runs of one process over all files, so that
# process start-up counts once per tool; start-up itself is measured and reported apart.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-$(mktemp -d /tmp/regwatch-parse-bench.XXXXXX)}
RUNS=${RUNS:-3}
PYTHON=/usr/bin/python3

[ -d "$WORK/corpus" ] || python3 bench/make-corpus.py "$WORK" --feeds 240 --big-mb 50
swift build -c release --product watchctl >/dev/null
BIN=$(swift build -c release --show-bin-path)/watchctl
files=("$WORK"/corpus/*.xml)
bytes=$(cat "${files[@]}" | wc -c)

best() {  # best wall time in seconds of "$@" over RUNS runs, output discarded
    local best_time="" start end elapsed
    for _ in $(seq "$RUNS"); do
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s.%N)
        elapsed=$(echo "$end - $start" | bc -l)
        if [ -z "$best_time" ] || [ "$(echo "$elapsed < $best_time" | bc -l)" = 1 ]; then best_time=$elapsed; fi
    done
    echo "$best_time"
}

feedparser_all() { "$PYTHON" -c 'import sys, feedparser
for f in sys.argv[1:]:
    feedparser.parse(open(f, "rb").read())' "$@"; }
startup_regwatch() { for _ in $(seq 20); do "$BIN" --version; done; }
startup_xmllint() { for _ in $(seq 20); do xmllint --version; done; }

echo "corpus: ${#files[@]} feeds, $(echo "scale=1; $bytes / 1000000" | bc) MB in $WORK/corpus"
t_regwatch=$(best "$BIN" parse "${files[@]}")
t_xmllint=$(best xmllint --noout "${files[@]}")
t_feedparser=$(RUNS=1 best feedparser_all "${files[@]}")
s_regwatch=$(echo "$(best startup_regwatch) / 20" | bc -l)
s_xmllint=$(echo "$(best startup_xmllint) / 20" | bc -l)

printf '\n%-36s %10s %12s\n' "tool (one process, all files)" "seconds" "MB/s"
for row in "watchctl parse:$t_regwatch" "xmllint --noout:$t_xmllint" "python3 feedparser:$t_feedparser"; do
    name=${row%%:*}; t=${row#*:}
    printf '%-36s %10.3f %12.1f\n' "$name" "$t" "$(echo "$bytes / 1000000 / $t" | bc -l)"
done
printf '\nratios: watchctl / xmllint = %.2f   feedparser / watchctl = %.1f\n' \
    "$(echo "$t_regwatch / $t_xmllint" | bc -l)" "$(echo "$t_feedparser / $t_regwatch" | bc -l)"
printf 'process start-up: watchctl %.1f ms, xmllint %.1f ms (per process)\n' \
    "$(echo "$s_regwatch * 1000" | bc -l)" "$(echo "$s_xmllint * 1000" | bc -l)"

big="$WORK/big.xml"
big_mb=$(echo "scale=1; $(wc -c <"$big") / 1000000" | bc)
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }'; }
echo
echo "peak memory on one ${big_mb} MB feed (maximum resident set size):"
printf '  watchctl parse         %5s MB   (target <= 3 x %s + 20 = %s MB)\n' "$(rss "$BIN" parse "$big")" "$big_mb" "$(echo "3 * $big_mb + 20" | bc)"
printf '  xmllint --noout        %5s MB\n' "$(rss xmllint --noout "$big")"
printf '  xmllint --stream       %5s MB\n' "$(rss xmllint --stream --noout "$big")"
