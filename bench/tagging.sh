#!/usr/bin/env bash
# Tagging benchmark of docs/performance.md: 100 000 JSON lines through `watchctl tag --json`
# (release build), side by side with a Python regex tagger and a raw grep scan of the same file.
# usage: bench/tagging.sh [N]   (from the repository root; N defaults to 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-100000}"
input="bench/out/tag-${count}.jsonl"
mkdir -p bench/out
[ -s "$input" ] || python3 bench/tagging-lines.py "$count" > "$input"
swift build -c release --product watchctl --static-swift-stdlib >/dev/null
echo "input: $input ($(wc -c < "$input") bytes), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for run in 1 2 3; do
    /usr/bin/time -f "watchctl tag --json  %e s wall  %U s user  %S s sys" \
        .build/release/watchctl tag --json < "$input" > bench/out/watchctl.json
    /usr/bin/time -f "python regex peer    %e s wall  %U s user  %S s sys" \
        python3 bench/tagging-peer.py < "$input" > bench/out/peer.json
    /usr/bin/time -f "grep -E scan         %e s wall  %U s user  %S s sys" \
        bench/tagging-grep.sh "$input" > bench/out/grep.count  # not /dev/null: GNU grep stops early there
done
