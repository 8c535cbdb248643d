#!/usr/bin/env bash
# Load and soak (docs/reliability.md): `watchctl daemon` polling FEEDS feeds (default 2000)
# served by nginx on 127.0.0.1 at a short interval for SOAK_SECONDS (default 600), sampling the
# daemon's RSS and open file descriptors every SAMPLE_SECONDS (default 15) from /proc.
#
#   bench/soak.sh                              build (debug), run 10 minutes, print the figures
#   SOAK_SECONDS=60 FEEDS=200 bench/soak.sh    a quick look
#   WATCHCTL=.build/release/watchctl bench/soak.sh
#
# Every feed changes as the soak runs (nginx serves files the script rewrites, a few per
# sample), so rounds store new items as well as 304s. At the end it checks the database:
# integrity_check, no duplicates, and that every item the feeds ever served is stored (lost = 0).
set -euo pipefail
cd "$(dirname "$0")/.."
feeds="${FEEDS:-2000}"
seconds="${SOAK_SECONDS:-600}"
sample="${SAMPLE_SECONDS:-15}"
interval="${SOAK_INTERVAL:-1m}"
if [ -z "${WATCHCTL:-}" ]; then
    swift build --product watchctl >/dev/null
    WATCHCTL="$(swift build --show-bin-path)/watchctl"
fi
work="$(mktemp -d /tmp/regwatch-soak.XXXXXX)"
chmod 0755 "$work"  # nginx workers (www-data) read the docroot below it
port=$((20000 + RANDOM % 20000))
echo "soak: $feeds feeds, interval $interval, $seconds s, work folder $work, nginx on 127.0.0.1:$port"

# One feed: 20 items, one of which names the current generation so a rewrite brings a new item.
write_feed() {  # index generation
    local n=$1 g=$2 f="$work/www/flux-$1.xml"
    {
        echo '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        echo "<title>Flux $n</title><link>https://www.example.org/$n</link>"
        for k in $(seq "$g" $((g + 19))); do
            echo "<item><title>Décret $n-$k relatif à la formation professionnelle et au CPF</title>"
            echo "<link>https://www.example.org/$n/$k</link><guid isPermaLink=\"false\">$n-$k</guid>"
            echo "<description>Les organismes certifiés Qualiopi et les CFA sont concernés ($n, $k).</description></item>"
        done
        echo '</channel></rss>'
    } > "$f.tmp" && mv "$f.tmp" "$f"
    echo "$g" > "$work/gen/$n"
}
mkdir -p "$work/www" "$work/gen" "$work/nginx" "$work/state"
for n in $(seq 1 "$feeds"); do write_feed "$n" 1; done

cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
daemon on;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    types { application/rss+xml xml; }
    server { listen 127.0.0.1:$port; root $work/www; etag on; gzip on; gzip_types application/rss+xml; }
}
CONF
/usr/sbin/nginx -c "$work/nginx/nginx.conf"
trap 'kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true; [ -n "${daemon_pid:-}" ] && kill "$daemon_pid" 2>/dev/null || true' EXIT

{
    printf '[storage]\ndatabase = "state/regwatch.sqlite"\n\n'
    printf '[fetch]\nallow_private_networks = true\nconcurrency = 32\nper_host = 32\ndefault_interval = "%s"\n' "$interval"
    for n in $(seq 1 "$feeds"); do printf '\n[[feeds]]\nurl = "http://127.0.0.1:%s/flux-%s.xml"\n' "$port" "$n"; done
} > "$work/feeds.toml"

"$WATCHCTL" --config "$work/feeds.toml" daemon >"$work/daemon.log" 2>&1 &
daemon_pid=$!
rss() { awk '/^VmRSS/ {print $2}' "/proc/$daemon_pid/status"; }
fds() { ls "/proc/$daemon_pid/fd" | wc -l; }
start=$(date +%s)
echo "time_s rss_kib fds items"
samples="$work/samples.txt"
while [ $(( $(date +%s) - start )) -lt "$seconds" ]; do
    sleep "$sample"
    kill -0 "$daemon_pid" 2>/dev/null || { echo "soak: the daemon died"; tail -5 "$work/daemon.log"; exit 1; }
    items=$(sqlite3 -readonly "$work/state/regwatch.sqlite" 'SELECT count(*) FROM item' 2>/dev/null || echo "?")
    line="$(( $(date +%s) - start )) $(rss) $(fds) $items"
    echo "$line" | tee -a "$samples"
    # Rewrite 50 feeds: the next round fetches them with a new item each.
    for _ in $(seq 1 50); do
        n=$((1 + RANDOM % feeds)); g=$(( $(cat "$work/gen/$n") + 1 )); write_feed "$n" "$g"
    done
done
# Let the daemon finish a round over the last rewrites, then stop it gracefully.
sleep "${SETTLE_SECONDS:-90}"
kill -TERM "$daemon_pid"; wait "$daemon_pid" || true; daemon_pid=""

db="$work/state/regwatch.sqlite"
integrity=$(sqlite3 -readonly "$db" 'PRAGMA integrity_check')
dups=$(sqlite3 -readonly "$db" "SELECT count(*) - count(DISTINCT feedId || ' ' || identity) FROM item")
# Every item ever served: feed n served guids n-1 … n-(gen+19).
expected=0
for n in $(seq 1 "$feeds"); do expected=$(( expected + $(cat "$work/gen/$n") + 19 )); done
stored=$(sqlite3 -readonly "$db" 'SELECT count(*) FROM item')
echo "first: $(head -1 "$samples")"
echo "last:  $(tail -1 "$samples")"
echo "integrity: $integrity  duplicates: $dups  served: $expected  stored: $stored  lost: $(( expected - stored ))"
echo "fetches: $(sqlite3 -readonly "$db" "SELECT group_concat(outcome || '=' || n, ' ') FROM (SELECT outcome, count(*) n FROM fetchLog GROUP BY outcome)")  log lines: $(wc -l < "$work/daemon.log")"
echo "work folder kept: $work"
