#!/usr/bin/env bash
# Parsing benchmark (docs/performance.md, "Parsing"): regwatch's FeedParser through
# `watchctl parse` (release build) vs `xmllint --noout` vs Python feedparser, on the same
# generated corpus of French feeds, side by side in one run; then peak memory on a 50 MB feed.
# watchctl is timed twice: `parse --noout` (parses every file into `Feed` values and prints
# nothing: the like-for-like counterpart of `xmllint --noout`, the line the target is read on)
# and plain `parse` (the same, plus one JSON document per file written to stdout).
#
#   bench/parse-corpus.sh [WORKDIR]      (needs python3, python3-feedparser, libxml2-utils, time, bc)
#   INSTRUCTIONS=1 bench/parse-corpus.sh [WORKDIR]   (also counts instructions: needs valgrind)
#
# Each timing is the best of RUNS (default 5) runs of one process over all files, so that
# process start-up counts once per tool; start-up itself is measured and reported apart.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-$(mktemp -d /tmp/regwatch-parse-bench.XXXXXX)}
RUNS=${RUNS:-5}
PYTHON=/usr/bin/python3

[ -d "$WORK/corpus" ] || python3 bench/make-corpus.py "$WORK" --feeds 240 --big-mb 50
if [ -z "${BIN:-}" ]; then  # BIN=path/to/watchctl compares another build (e.g. before a change)
    swift build -c release --product watchctl --static-swift-stdlib >/dev/null  # what `make release` builds
    BIN=$(swift build -c release --show-bin-path)/watchctl
fi
files=("$WORK"/corpus/*.xml)
bytes=$(cat "${files[@]}" | wc -c)

# wall time and CPU time (user + system) in seconds of one run of "$@", output discarded;
# prints "WALL CPU". CPU time is what the tool itself spent: on a shared machine it is far less
# disturbed by other processes than wall time, so both are reported.
once() {
    /usr/bin/time -o "$WORK/time.txt" -f "@@ %e %U %S" "$@" >/dev/null 2>&1 || true
    grep '^@@' "$WORK/time.txt" | tail -1 | awk '{ print $2, $3 + $4 }'
}

# the smaller of two numbers
smaller() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# best wall time and best CPU time of "$@" over RUNS runs; prints "WALL CPU".
best() {
    local best_wall="" best_cpu="" wall cpu
    for _ in $(seq "$RUNS"); do
        read -r wall cpu < <(once "$@")
        best_wall=$(smaller "$best_wall" "$wall")
        best_cpu=$(smaller "$best_cpu" "$cpu")
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
# The three compared commands take turns, RUNS rounds, so that a burst of load from other
# processes falls on all of them rather than on one; each keeps its best wall and CPU time.
w_noout="" c_noout="" w_regwatch="" c_regwatch="" w_xmllint="" c_xmllint=""
for _ in $(seq "$RUNS"); do
    read -r w c < <(once "$BIN" parse --noout "${files[@]}")
    w_noout=$(smaller "$w_noout" "$w"); c_noout=$(smaller "$c_noout" "$c")
    read -r w c < <(once "$BIN" parse "${files[@]}")
    w_regwatch=$(smaller "$w_regwatch" "$w"); c_regwatch=$(smaller "$c_regwatch" "$c")
    read -r w c < <(once xmllint --noout "${files[@]}")
    w_xmllint=$(smaller "$w_xmllint" "$w"); c_xmllint=$(smaller "$c_xmllint" "$c")
done
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

# INSTRUCTIONS=1: also count the instructions each side executes on the corpus (valgrind's
# callgrind, needs the valgrind package; a few minutes). Unlike time, the count does not depend
# on the load of the machine. valgrind cannot read the debug info of the release binary, so a
# copy without it is counted (the same code).
if [ -n "${INSTRUCTIONS:-}" ]; then
    strip -g -o "$WORK/watchctl.nodebug" "$BIN"
    instructions() {  # (xmllint exits 1 on the feeds with undeclared entities: not a failure here)
        { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null || true; } |
            awk '/Collected :/ { print $NF }'
    }
    i_noout=$(instructions "$WORK/watchctl.nodebug" parse --noout "${files[@]}")
    i_regwatch=$(instructions "$WORK/watchctl.nodebug" parse "${files[@]}")
    i_xmllint=$(instructions xmllint --noout "${files[@]}")
    echo
    echo "instructions (callgrind, whole process):"
    printf '  watchctl parse --noout   %6.0f M   %.2f x xmllint\n' "$(echo "$i_noout / 1000000" | bc -l)" "$(ratio "$i_noout" "$i_xmllint")"
    printf '  watchctl parse (JSON)    %6.0f M   %.2f x xmllint\n' "$(echo "$i_regwatch / 1000000" | bc -l)" "$(ratio "$i_regwatch" "$i_xmllint")"
    printf '  xmllint --noout          %6.0f M\n' "$(echo "$i_xmllint / 1000000" | bc -l)"
fi
