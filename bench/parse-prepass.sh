#!/usr/bin/env bash
# What the parser's pre-pass and text channel cost and earn (docs/performance.md, "The
# pre-pass and the text channel"): `watchctl parse --noout` on the parse corpus (240 French
# feeds, bench/make-corpus.py) with both, with the pre-pass alone (libxml2 gets the text), and
# with neither (the bytes straight to libxml2), against `xmllint --noout`, side by side in one
# run. The three watchctl modes are one binary built from this checkout with
# bench/prepass-bypass.patch (an environment switch, REGWATCH_BYPASS=channel|all, that is never
# shipped), so the code, the build and the process are the same; only the path of the bytes
# differs. It also says what is lost without them: the files whose JSON differs.
#
#   bench/parse-prepass.sh [WORKDIR]                    (needs libxml2-utils, time, bc, patch)
#   INSTRUCTIONS=1 bench/parse-prepass.sh [WORKDIR]     (also counts instructions: valgrind)
#   BIN=path/to/patched/watchctl bench/parse-prepass.sh (reuses a binary built with the patch)
#
# CPU time (user + system) of RUNS (default 7) runs each, taking turns; reported as the range
# (best to worst) and as the best's ratio to xmllint's best.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-$(mktemp -d /tmp/regwatch-prepass-bench.XXXXXX)}
RUNS=${RUNS:-7}

[ -d "$WORK/corpus" ] || python3 bench/make-corpus.py "$WORK" --feeds 240 --big-mb 50
if [ -z "${BIN:-}" ]; then
    rm -rf "$WORK/src" && mkdir -p "$WORK/src"
    git archive HEAD | tar -x -C "$WORK/src"
    (cd "$WORK/src" && patch -s -p1 <"$OLDPWD/bench/prepass-bypass.patch" &&
        swift build -c release --product watchctl --static-swift-stdlib >/dev/null)
    BIN=$(cd "$WORK/src" && swift build -c release --show-bin-path)/watchctl
fi
files=("$WORK"/corpus/*.xml)

# CPU seconds (user + system) of one run of "$@", output discarded.
cpu() {
    /usr/bin/time -o "$WORK/time.txt" -f "@@ %U %S" "$@" >/dev/null 2>&1 || true
    awk '/^@@/ { print $2 + $3 }' "$WORK/time.txt" | tail -1
}

modes=(full channel all xmllint)
declare -A label=([full]="watchctl --noout (pre-pass + text channel)" [channel]="watchctl --noout (pre-pass only)"
    [all]="watchctl --noout (neither)" [xmllint]="xmllint --noout")
declare -A times
run_mode() {
    case "$1" in
    full) cpu env -u REGWATCH_BYPASS "$BIN" parse --noout "${files[@]}" ;;
    channel) cpu env REGWATCH_BYPASS=channel "$BIN" parse --noout "${files[@]}" ;;
    all) cpu env REGWATCH_BYPASS=all "$BIN" parse --noout "${files[@]}" ;;
    xmllint) cpu xmllint --noout "${files[@]}" ;;
    esac
}
for _ in $(seq "$RUNS"); do
    for mode in "${modes[@]}"; do times[$mode]+="$(run_mode "$mode") "; done
done
best() { tr ' ' '\n' <<<"$1" | grep . | sort -g | head -1; }
worst() { tr ' ' '\n' <<<"$1" | grep . | sort -g | tail -1; }

echo "corpus: ${#files[@]} feeds in $WORK/corpus; CPU s over $RUNS runs each"
printf '%-44s %14s %14s\n' "" "CPU s (range)" "best / xmllint"
for mode in "${modes[@]}"; do
    b=$(best "${times[$mode]}")
    printf '%-44s %6.3f-%-7.3f %10.2f\n' "${label[$mode]}" "$b" "$(worst "${times[$mode]}")" \
        "$(echo "$b / $(best "${times[xmllint]}")" | bc -l)"
done

# What they earn: the files whose JSON differs when libxml2 gets the bytes itself.
differ=0
for f in "${files[@]}"; do
    a=$(env -u REGWATCH_BYPASS "$BIN" parse "$f" 2>&1 | md5sum)
    b=$(REGWATCH_BYPASS=all "$BIN" parse "$f" 2>&1 | md5sum)
    [ "$a" = "$b" ] || differ=$((differ + 1))
done
echo "files whose parse differs without the pre-pass and the channel: $differ of ${#files[@]}"

if [ -n "${INSTRUCTIONS:-}" ]; then
    strip -g -o "$WORK/watchctl.nodebug" "$BIN"
    instructions() {  # MODE COMMAND...: the switch is set outside valgrind, which follows no child
        local mode=$1
        shift
        { env REGWATCH_BYPASS="$mode" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null ||
            true; } | awk '/Collected :/ { print $NF }'
    }
    declare -A count
    count[full]=$(instructions "" "$WORK/watchctl.nodebug" parse --noout "${files[@]}")
    count[channel]=$(instructions channel "$WORK/watchctl.nodebug" parse --noout "${files[@]}")
    count[all]=$(instructions all "$WORK/watchctl.nodebug" parse --noout "${files[@]}")
    count[xmllint]=$(instructions "" xmllint --noout "${files[@]}")
    echo
    echo "instructions (callgrind, whole process):"
    for mode in "${modes[@]}"; do
        printf '  %-44s %6.0f M   %.2f x xmllint\n' "${label[$mode]}" "$(echo "${count[$mode]} / 1000000" | bc -l)" \
            "$(echo "${count[$mode]} / ${count[xmllint]}" | bc -l)"
    done
fi
