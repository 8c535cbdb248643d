#!/usr/bin/env bash
# Parsing benchmark (docs/performance.md, "Parsing"): regwatch's FeedParser through
# `watchctl parse` (release build) vs `xmllint --noout` vs Python feedparser, on the same
# generated corpus of French feeds, side by side in one run; then peak memory on a 50 MB feed.
# watchctl is timed twice: `parse --noout` (parses every file into `Feed` values and prints
# nothing: the like-for-like counterpart of `xmllint --noout`, the line the target is read on)
# and plain `parse` (the same, plus one JSON document per file written to stdout).
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
if [ -z "${BIN:-}" ]; then  # BIN=path/to/watchctl compares another build (e.g. before a change)
    swift build -c release --product watchctl --static-swift-stdlib >/dev/null  # what `make release` builds
    BIN=$(swift build -c release --show-bin-path)/watchctl
fi
files=("$WORK"/corpus/*.xml)
bytes=$(cat "${files[@]}" | wc -c)

# best wall time and best CPU time (user + system) in seconds of "$@" over RUNS runs, output
# discarded; prints "WALL CPU". CPU time is what the tool itself spent: on a shared machine it
# is far less disturbed by other processes than wall time, so both are reported.
best() {
    local best_wall="" best_cpu="" line wall cpu
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -o "$WORK/time.txt" -f "@@ %e %U %S" "$@" >/dev/null 2>&1 || true
        line=$(grep '^@@' "$WORK/time.txt" | tail -1)
        wall=$(echo "$line" | awk '{ print $2 }')
        cpu=$(echo "$line" | awk '{ print $3 + $4 }')
        if [ -z "$best_wall" ] || [ "$(echo "$wall < $best_wall" | bc -l)" = 1 ]; then best_wall=$wall; fi
        if [ -z "$best_cpu" ] || [ "$(echo "$cpu < $best_cpu" | bc -l)" = 1 ]; then best_cpu=$cpu; fi
    done
    echo "$best_wall $best_cpu"
}

feedparser_all() { "$PYTHON" -c 'import sys, feedparser
for f in sys.argv[1:]:
    feedparser.parse(open(f, "rb").read())' "$@"; }
startup_regwatch() { for _ in $(seq 20); do "$BIN" --version; done; }
startup_xmllint() { for _ in $(seq 20); do xmllint --version; done; }
export -f feedparser_all startup_regwatch startup_xmllint
export PYTHON BIN

echo "corpus: ${#files[@]} feeds, $(echo "scale=1; $bytes / 1000000" | bc) MB in $WORK/corpus"
read -r w_noout c_noout < <(best "$BIN" parse --noout "${files[@]}")
read -r w_regwatch c_regwatch < <(best "$BIN" parse "${files[@]}")
read -r w_xmllint c_xmllint < <(best xmllint --noout "${files[@]}")
read -r w_feedparser c_feedparser < <(RUNS=1 best bash -c 'feedparser_all "$@"' _ "${files[@]}")
read -r w_s_regwatch _ < <(best bash -c startup_regwatch)
read -r w_s_xmllint _ < <(best bash -c startup_xmllint)

printf '\n%-36s %10s %10s %12s\n' "tool (one process, all files)" "wall s" "CPU s" "MB/s (wall)"
for row in "watchctl parse --noout:$w_noout:$c_noout" "watchctl parse (JSON to stdout):$w_regwatch:$c_regwatch" \
           "xmllint --noout:$w_xmllint:$c_xmllint" \
           "python3 feedparser:$w_feedparser:$c_feedparser"; do
    IFS=: read -r name w c <<<"$row"
    printf '%-36s %10.2f %10.2f %12.1f\n' "$name" "$w" "$c" "$(echo "$bytes / 1000000 / $w" | bc -l)"
done
ratio() { echo "$1 / $2" | bc -l; }
echo
echo "ratios                   watchctl --noout / xmllint   watchctl (JSON) / xmllint   feedparser / watchctl (JSON)"
printf 'CPU  (target <= 1.5)     %10.2f %27.2f %29.1f\n' "$(ratio "$c_noout" "$c_xmllint")" \
    "$(ratio "$c_regwatch" "$c_xmllint")" "$(ratio "$c_feedparser" "$c_regwatch")"
printf 'wall                     %10.2f %27.2f %29.1f\n' "$(ratio "$w_noout" "$w_xmllint")" \
    "$(ratio "$w_regwatch" "$w_xmllint")" "$(ratio "$w_feedparser" "$w_regwatch")"
printf 'process start-up (wall): watchctl %.1f ms, xmllint %.1f ms (per process)\n' \
    "$(echo "$w_s_regwatch * 1000 / 20" | bc -l)" "$(echo "$w_s_xmllint * 1000 / 20" | bc -l)"

big="$WORK/big.xml"
big_mb=$(echo "scale=1; $(wc -c <"$big") / 1000000" | bc)
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }'; }
echo
echo "peak memory on one ${big_mb} MB feed (maximum resident set size):"
printf '  watchctl parse         %5s MB   (target <= 3 x %s + 20 = %s MB)\n' "$(rss "$BIN" parse "$big")" "$big_mb" "$(echo "3 * $big_mb + 20" | bc)"
printf '  watchctl parse --noout %5s MB\n' "$(rss "$BIN" parse --noout "$big")"
printf '  xmllint --noout        %5s MB\n' "$(rss xmllint --noout "$big")"
printf '  xmllint --stream       %5s MB\n' "$(rss xmllint --stream --noout "$big")"
