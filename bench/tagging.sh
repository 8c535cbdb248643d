#!/usr/bin/env bash
# Tagging benchmark of docs/performance.md: 100 000 JSON lines through `watchctl tag --json`
# (release build), side by side with a Python regex tagger and a raw grep scan of the same file.
# usage: bench/tagging.sh [N]   (from the repository root; N defaults to 100000)
#   BEFORE=/path/to/other/watchctl bench/tagging.sh   also times another build, alternating
#   INSTRUCTIONS=1 bench/tagging.sh                   also counts instructions (valgrind's
#       callgrind) on the first 10 000 lines: watchctl (and BEFORE) against the grep scan
#   ONE_CORE=1 bench/tagging.sh                       runs every timed command on core 0 only
#       (taskset -c 0): the CPU time a loaded machine or a single core leaves
#   NO_PEER=1 bench/tagging.sh                        skips the Python peer (about 18 s a run)
#   LINES=content bench/tagging.sh 5000               long contents instead (2-6 KB each, what the
#       cold poll tags: bench/tagging-content-lines.py); LINES=poll: the poll benchmark's items
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-100000}"
mkdir -p bench/out
case "${LINES:-}" in
    content) input="bench/out/tag-content-${count}.jsonl"
        [ -s "$input" ] || python3 bench/tagging-content-lines.py "$count" > "$input" ;;
    poll) input="bench/out/tag-poll-${count}.jsonl"
        [ -s "$input" ] || python3 bench/tagging-content-lines.py "$count" --poll > "$input" ;;
    *) input="bench/out/tag-${count}.jsonl"
        [ -s "$input" ] || python3 bench/tagging-lines.py "$count" > "$input" ;;
esac
swift build -c release --product watchctl --static-swift-stdlib >/dev/null
pin=()
[ -n "${ONE_CORE:-}" ] && pin=(taskset -c 0)
echo "input: $input ($(wc -c < "$input") bytes), $(nproc) cores${ONE_CORE:+ (timed on core 0 only)}, load $(cut -d' ' -f1-3 /proc/loadavg)"
for run in 1 2 3; do
    /usr/bin/time -f "watchctl tag --json  %e s wall  %U s user  %S s sys" \
        "${pin[@]}" .build/release/watchctl tag --json < "$input" > bench/out/watchctl.json
    if [ -n "${BEFORE:-}" ]; then
        /usr/bin/time -f "BEFORE tag --json    %e s wall  %U s user  %S s sys" \
            "${pin[@]}" "$BEFORE" tag --json < "$input" > bench/out/before.json
    fi
    if [ -z "${NO_PEER:-}" ]; then
        /usr/bin/time -f "python regex peer    %e s wall  %U s user  %S s sys" \
            "${pin[@]}" python3 bench/tagging-peer.py < "$input" > bench/out/peer.json
    fi
    /usr/bin/time -f "grep -E scan         %e s wall  %U s user  %S s sys" \
        "${pin[@]}" bench/tagging-grep.sh "$input" > bench/out/grep.count  # not /dev/null: GNU grep stops early there
done
if [ -n "${INSTRUCTIONS:-}" ]; then
    # valgrind cannot read the release binary's debug info: count a copy without it (same code).
    # The first 10 000 lines (1 000 of long contents).
    first=10000
    [ -z "${LINES:-}" ] || first=1000
    head -n "$first" "$input" > bench/out/tag-first.jsonl
    count_instructions() {
        { valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/dev/null "$@" \
            < bench/out/tag-first.jsonl 2>&1 >bench/out/instructions.out || true; } |
            awk '/Collected :/ { total += $NF } END { print total }'
    }
    strip -g -o bench/out/watchctl.nodebug .build/release/watchctl
    echo "instructions, $first lines: watchctl $(count_instructions bench/out/watchctl.nodebug tag --json)"
    if [ -n "${BEFORE:-}" ]; then
        strip -g -o bench/out/before.nodebug "$BEFORE"
        echo "instructions, $first lines: BEFORE $(count_instructions bench/out/before.nodebug tag --json)"
    fi
    echo "instructions, $first lines: grep scan $(count_instructions bash bench/tagging-grep.sh bench/out/tag-first.jsonl)"
fi
