#!/usr/bin/env bash
# Poll benchmark: `watchctl poll` against newsboat 2.21 (`newsboat -x reload`) on the same
# 1000 feeds, served by a local nginx (static files: ETag and Last-Modified), in one run.
# Three rounds each: cold (empty cache), warm (nothing changed: all 304), and 10 % changed.
#
#   bash bench/poll-vs-newsboat.sh [FEEDS] [CONCURRENCY]
#   ITEMS=52 PER_HOST=4 bash bench/poll-vs-newsboat.sh 500 4    # issue #19's setting (≈ 66 MB)
#   ITEMS=20 PER_HOST=2 bash bench/poll-vs-newsboat.sh 1000 16  # the default setting
#
# Environment: ITEMS (items per feed, 20), PER_HOST (regwatch's per-host cap, 2),
# WATCHCTL (a release binary to reuse instead of building), KEEP (keep the work folder), PORT (18080),
# BEFORE (another watchctl binary, e.g. main's: polled too in every round, with its own
# database, and reported on its own line beside the same newsboat run), COLD_ROUNDS (1: how many
# cold rounds, each into empty stores, before the warm one; with more than one, a last line gives
# each reader's median CPU and the median of the rounds' ratios: a single cold poll's CPU time
# varies by ±10–15 % from run to run on a shared machine).
# newsboat gets CONCURRENCY reload threads (it has no per-host cap).
# Needs: nginx, newsboat, /usr/bin/time (Debian packages nginx newsboat time), a release build.
# The feeds are spread over 16 loopback addresses (127.0.0.1–127.0.0.16) so that the
# per-host cap is realistic rather than serialising everything on one host.
# Each line gives wall time, CPU time (user + sys) and peak RSS of each reader, and the
# ratios; CPU time is the figure to compare on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
FEEDS=${1:-1000}
CONCURRENCY=${2:-16}
ITEMS=${ITEMS:-20}
PER_HOST=${PER_HOST:-2}
PORT=${PORT:-18080}
WORK=$(mktemp -d /tmp/regwatch-pollbench.XXXXXX)
trap 'kill $(cat "$WORK/nginx.pid" 2>/dev/null) 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

# WATCHCTL=/path/to/watchctl reuses a binary already built (release builds are long on 2 cores).
if [ -z "${WATCHCTL:-}" ]; then
    swift build -c release --product watchctl --static-swift-stdlib >/dev/null
    WATCHCTL=$PWD/.build/release/watchctl
fi

mkdir -p "$WORK/www" "$WORK/regwatch" "$WORK/before" "$WORK/newsboat"
chmod 755 "$WORK"   # nginx workers (www-data) read the docroot
python3 bench/poll-feeds.py "$WORK/www" "$FEEDS" "$ITEMS" 0
# Write the 63 MB out now: left dirty, it is flushed by the first fsync of whichever reader
# runs first (ext4 commits its journal with the data of every file), timing the disk for it.
sync

bash bench/poll-nginx.sh "$WORK" "$PORT"

# The same URL list for both readers, spread over 16 loopback hosts.
for ((f = 0; f < FEEDS; f++)); do echo "http://127.0.0.$((f % 16 + 1)):$PORT/feed$f.xml"; done > "$WORK/urls"

{
    printf '[storage]\ndatabase = "%s/regwatch.sqlite"\n\n' "$WORK/regwatch"
    printf '[fetch]\nconcurrency = %d\nper_host = %d\nallow_private_networks = true\n\n' "$CONCURRENCY" "$PER_HOST"
    while read -r url; do printf '[[feeds]]\nurl = "%s"\n\n' "$url"; done < "$WORK/urls"
} > "$WORK/regwatch/feeds.toml"
sed "s#$WORK/regwatch/regwatch.sqlite#$WORK/before/regwatch.sqlite#" "$WORK/regwatch/feeds.toml" >"$WORK/before/feeds.toml"
cp "$WORK/urls" "$WORK/newsboat/urls"
printf 'reload-threads %d\nsuppress-first-reload yes\n' "$CONCURRENCY" > "$WORK/newsboat/config"

# Each run's own output goes to $WORK/*.log (tail -n1 is shown), so a failing run cannot pass for a fast one.
run_regwatch() { # [binary folder]
    local bin=${1:-$WATCHCTL} dir=${2:-regwatch}
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "$bin" --config "$WORK/$dir/feeds.toml" poll >"$WORK/$dir.log" 2>&1 || true
    cat "$WORK/t"
}
run_newsboat() {
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" newsboat -u "$WORK/newsboat/urls" -C "$WORK/newsboat/config" \
        -c "$WORK/newsboat/cache.db" -x reload >"$WORK/newsboat.log" 2>&1 || true
    cat "$WORK/t"
}
stored() {
    printf '    stored: regwatch %s items, newsboat %s items | regwatch said: %s\n' \
        "$(sqlite3 "$WORK/regwatch/regwatch.sqlite" 'SELECT COUNT(*) FROM item' 2>/dev/null)" \
        "$(sqlite3 "$WORK/newsboat/cache.db" 'SELECT COUNT(*) FROM rss_item' 2>/dev/null)" \
        "$(head -n1 "$WORK/regwatch.log")"
    if [ -n "${BEFORE:-}" ]; then
        printf '    stored: before %s items | before said: %s\n' \
            "$(sqlite3 "$WORK/before/regwatch.sqlite" 'SELECT COUNT(*) FROM item' 2>/dev/null)" "$(head -n1 "$WORK/before.log")"
    fi
}
# One round: regwatch, then (with BEFORE) the other binary, then newsboat; both compared with it.
round() {
    local now before="" peer
    now=$(run_regwatch)
    [ -z "${BEFORE:-}" ] || before=$(run_regwatch "$BEFORE" before)
    peer=$(run_newsboat)
    report "$1" "$now" "$peer"
    [ -z "$before" ] || report "$1 (before)" "$before" "$peer"
    stored
}

report() { # name regwatch-line newsboat-line ("wall user sys maxrss-KB" each)
    read -r rs ru rsy rm <<<"$2"; read -r ns nu nsy nm <<<"$3"
    local rc nc
    rc=$(echo "$ru + $rsy" | bc -l); nc=$(echo "$nu + $nsy" | bc -l)
    printf '%-21s regwatch %6.2f s wall %6.2f s CPU %5d MB | newsboat %6.2f s wall %6.2f s CPU %5d MB | ratio wall %.2f CPU %.2f\n' \
        "$1" "$rs" "$rc" $((rm / 1024)) "$ns" "$nc" $((nm / 1024)) "$(echo "$rs / $ns" | bc -l)" "$(echo "$rc / $nc" | bc -l)"
    printf '%s|%s|%s\n' "$1" "$rc" "$nc" >>"$WORK/cpu"
}

# The cold rounds' medians (COLD_ROUNDS > 1): each reader's CPU, and the rounds' ratios.
cold_medians() {
    python3 - "$WORK/cpu" <<'PY'
import sys, statistics
rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1])]
for name in ("cold", "cold (before)"):
    runs = [(float(r), float(n)) for label, r, n in rows if label == name]
    if not runs:
        continue
    ratios = [r / n for r, n in runs]
    print(f"{name + ', median':21s} regwatch {statistics.median(r for r, _ in runs):6.2f} s CPU | newsboat "
          f"{statistics.median(n for _, n in runs):6.2f} s CPU | ratio CPU {statistics.median(ratios):.2f} "
          f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)})")
PY
}

echo "$FEEDS feeds × $ITEMS items, concurrency $CONCURRENCY, per_host $PER_HOST, $(du -sh "$WORK/www" | cut -f1) served by nginx"
for ((cold = 1; cold <= ${COLD_ROUNDS:-1}; cold++)); do
    # Each cold round starts from empty stores (the first finds them empty already).
    rm -f "$WORK"/regwatch/regwatch.sqlite* "$WORK"/before/regwatch.sqlite* "$WORK"/newsboat/cache.db*
    round cold
done
[ "${COLD_ROUNDS:-1}" -le 1 ] || cold_medians
round warm
# 10 % of the feeds change: two new items each (new files, new ETag and Last-Modified).
python3 - "$WORK/www" "$FEEDS" "$ITEMS" <<'PY'
import sys, os, re
root, feeds, items = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for f in range(0, feeds, 10):
    path = os.path.join(root, f'feed{f}.xml')
    text = open(path).read()
    extra = ''.join(f'<item><title>Nouveau {f}-{k} : décret CPF</title><link>https://source{f}.example.fr/new/{k}</link>'
                    f'<guid>https://source{f}.example.fr/new/{k}</guid><pubDate>Tue, 09 Dec 2025 10:00:00 +0100</pubDate>'
                    f'<description>Nouvelle actualité {k}</description></item>' for k in range(2))
    open(path, 'w').write(text.replace('</description>', '</description>' + extra, 1))
    os.utime(path, (os.path.getatime(path), os.path.getmtime(path) + 5))
PY
sync
round "10% changed"
