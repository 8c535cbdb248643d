#!/usr/bin/env bash
# Where a cold poll's time goes, on issue #19's feeds (bench/poll-feeds.py: FEEDS × 52 items,
# served by a local nginx on 16 loopback addresses, concurrency 4, per_host 4), without newsboat:
#
#   bash bench/poll-profile.sh cold BIN [FEEDS] [RUNS]   # RUNS cold polls into empty stores:
#                                                         # "wall user sys maxrssKB items" each
#   bash bench/poll-profile.sh ab BIN_A BIN_B [FEEDS] [PAIRS]  # alternated cold polls, medians
#   bash bench/poll-profile.sh callgrind BIN [FEEDS]       # instructions (a strip -g copy; 100 feeds)
#   bash bench/poll-profile.sh syscalls BIN [FEEDS]        # strace -c of pwrite/pread/fdatasync
#   bash bench/poll-profile.sh wal-frames BIN [FEEDS]      # WAL frames per commit by table/index
#
# FEEDS defaults to 500 (the issue's setting; 100 for callgrind). PORT (18620) and KEEP (keep the
# work folder) as in bench/poll-vs-newsboat.sh. Needs nginx, valgrind, strace, /usr/bin/time.
# CPU time scatters by ±10–15 % from one cold poll to the next on a shared machine: compare
# binaries with `ab` (medians and minimums), instructions and system calls.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=$1
BIN=$(readlink -f "$2")
case "$MODE" in
    ab) OTHER=$(readlink -f "$3"); FEEDS=${4:-500}; PAIRS=${5:-5} ;;
    callgrind) FEEDS=${3:-100} ;;
    cold) FEEDS=${3:-500}; RUNS=${4:-3} ;;
    *) FEEDS=${3:-500} ;;
esac
PORT=${PORT:-18620}
WORK=$(mktemp -d /tmp/regwatch-pollprofile.XXXXXX)
trap 'kill $(cat "$WORK/nginx.pid" 2>/dev/null) 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
python3 bench/poll-feeds.py "$WORK/www" "$FEEDS" 52
sync
bash bench/poll-nginx.sh "$WORK" "$PORT"
{
    printf '[storage]\ndatabase = "%s/store/regwatch.sqlite"\n\n' "$WORK"
    printf '[fetch]\nconcurrency = 4\nper_host = 4\nallow_private_networks = true\n\n'
    for ((f = 0; f < FEEDS; f++)); do
        printf '[[feeds]]\nurl = "http://127.0.0.%d:%d/feed%d.xml"\n\n' $((f % 16 + 1)) "$PORT" "$f"
    done
} >"$WORK/feeds.toml"

empty_store() { rm -rf "$WORK/store"; mkdir -p "$WORK/store"; }
items() { sqlite3 "$WORK/store/regwatch.sqlite" 'SELECT COUNT(*) FROM item'; }
cold() { # binary → "wall user sys maxrssKB items"
    empty_store
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$1" --config "$WORK/feeds.toml" poll >"$WORK/poll.log" 2>&1
    echo "$(cat "$WORK/time") $(items)"
}

case "$MODE" in
    cold)
        for ((run = 1; run <= RUNS; run++)); do echo "cold $run: $(cold "$BIN")"; done
        ;;
    ab)
        for ((pair = 1; pair <= PAIRS; pair++)); do
            echo "a $(cold "$BIN")" | tee -a "$WORK/ab"
            echo "b $(cold "$OTHER")" | tee -a "$WORK/ab"
        done
        python3 - "$WORK/ab" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for side in ("a", "b"):
    cpu = [float(r[2]) + float(r[3]) for r in rows if r[0] == side]
    sys_ = [float(r[3]) for r in rows if r[0] == side]
    print(f"{side}: CPU median {statistics.median(cpu):.2f} s, min {min(cpu):.2f}, max {max(cpu):.2f}; "
          f"system median {statistics.median(sys_):.2f} s")
PY
        ;;
    callgrind)
        cp "$BIN" "$WORK/watchctl.nodebug" && strip -g "$WORK/watchctl.nodebug"
        empty_store
        valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" "$WORK/watchctl.nodebug" \
            --config "$WORK/feeds.toml" poll >"$WORK/callgrind.log" 2>&1
        grep Collected "$WORK/callgrind.log"
        echo "items: $(items); profile: $WORK/callgrind.out (KEEP=1 keeps it)"
        ;;
    syscalls)
        empty_store
        strace -f -c -e trace=pwrite64,pread64,fdatasync "$BIN" --config "$WORK/feeds.toml" poll 2>&1 >/dev/null | tail -7
        echo "items: $(items)"
        ;;
    wal-frames)
        empty_store
        "$BIN" --config "$WORK/feeds.toml" poll >/dev/null 2>&1
        python3 bench/wal-frames.py "$WORK/store"
        ;;
    *) echo "unknown mode $MODE (cold, ab, callgrind, syscalls, wal-frames)" >&2; exit 2 ;;
esac
