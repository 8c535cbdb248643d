#!/usr/bin/env bash
# The audit benchmark of docs/performance.md: a year of watch in one database (60 feeds,
# 50 000 items, an hourly fetch log of 525 600 rows with failing runs, 52 digests, 3 000
# decisions on 1 500 items), `watchctl audit` over the year three times in each format, and
# sqlite3 reading the same rows as the floor. Run from the repository root: bench/audit.sh
#
#   BIN=/path/to/watchctl bench/audit.sh   # another build (SKIP_BUILD=1: no build first)
#   RUNS=5 bench/audit.sh                  # rounds (3 by default)
#   BEFORE=/tmp/old/watchctl bench/audit.sh # also times that build in each round, beside this one
#   KEEP=1 bench/audit.sh                  # keeps the database (its path is printed) for profiling
set -euo pipefail

BIN=${BIN:-.build/release/watchctl}
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product watchctl --static-swift-stdlib 2>&1 | tail -1
BENCH=$(mktemp -d)
cat > "$BENCH/feeds.toml" <<'TOML'
[storage]
database = "state/regwatch.sqlite"
TOML
"$BIN" --config "$BENCH/feeds.toml" items --limit 1 > /dev/null   # creates the schema
sqlite3 "$BENCH/state/regwatch.sqlite" <<'SQL'
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
INSERT INTO feed(url, urlKey, title, firstSeen)
SELECT 'https://source' || i || '.example.org/rss', 'https://source' || i || '.example.org/rss', 'Source ' || i, '2024-12-01 00:00:00.000' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
INSERT INTO item(feedId, identity, firstSeen, published, title, link, summary, contentHash, sortDate)
SELECT 1 + i % 60, 'item-' || i,
       strftime('%Y-%m-%d %H:%M:%f', '2025-01-01 00:00:00', '+' || (i * 630) || ' seconds'), NULL,
       'Décret n° ' || i || ' relatif au compte personnel de formation et à la certification qualité',
       'https://source' || (1 + i % 60) || '.example.org/actualites/' || i, 'Résumé ' || i, 'hash-' || i,
       strftime('%Y-%m-%d %H:%M:%f', '2025-01-01 00:00:00', '+' || (i * 630) || ' seconds')
FROM n;
-- The full-text index uses regwatch's own tokenizer (schema v9), which sqlite3 does not know:
-- forgetting v9 makes the next watchctl command index every item, as it does for an older store.
DELETE FROM grdb_migrations WHERE identifier = 'v9';
INSERT INTO itemTopic(itemId, topic, score, matches)
SELECT id, CASE id % 4 WHEN 0 THEN 'cpf' WHEN 1 THEN 'qualiopi' WHEN 2 THEN 'ia' ELSE 'neurodiversite' END,
       1 + (id % 30) / 10.0, '[]' FROM item WHERE id % 3 <> 0;
-- One fetch per feed per hour for a year; every feed fails for 5 hours once a month.
WITH RECURSIVE h(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM h WHERE i < 8759)
INSERT INTO fetchLog(feedId, time, outcome, status, durationMs, bytes, error)
SELECT feed.id, strftime('%Y-%m-%d %H:%M:%f', '2025-01-01 00:00:00', '+' || (h.i * 3600 + feed.id * 7) || ' seconds'),
       CASE WHEN (h.i + feed.id * 11) % 730 < 5 THEN 'failed' ELSE 'ok' END,
       CASE WHEN (h.i + feed.id * 11) % 730 < 5 THEN 503 ELSE 200 END, 120, 20000,
       CASE WHEN (h.i + feed.id * 11) % 730 < 5 THEN 'HTTP 503 Service Unavailable' END
FROM h, feed;
WITH RECURSIVE w(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM w WHERE i < 52)
INSERT INTO digest(week, format, builtAt, sentAt, sentTo)
SELECT printf('2025-W%02d', i), 'email', strftime('%Y-%m-%d %H:%M:%f', '2025-01-06 06:00:00', '+' || (i * 7) || ' days'),
       strftime('%Y-%m-%d %H:%M:%f', '2025-01-06 06:01:00', '+' || (i * 7) || ' days'), 'equipe@example.org' FROM w;
INSERT INTO digestItem(digestId, itemId) SELECT 1 + (id / 1000) % 52, id FROM item WHERE id % 5 = 0;
-- 1 500 items decided on twice (à exploiter, then exploité a week later).
INSERT INTO followChange(itemId, time, state, owner, note)
SELECT id, strftime('%Y-%m-%d %H:%M:%f', firstSeen, '+2 days'), 'to-act', 'Claire', 'Mettre à jour la procédure ' || id
FROM item WHERE id % 33 = 0 AND id <= 49500;
INSERT INTO followChange(itemId, time, state, owner, note)
SELECT itemId, strftime('%Y-%m-%d %H:%M:%f', time, '+7 days'), 'done', NULL, 'Fait' FROM followChange;
SQL
"$BIN" --config "$BENCH/feeds.toml" items --limit 1 > /dev/null   # indexes the items for search
for run in $(seq "${RUNS:-3}"); do
for bin in ${BEFORE:+"$BEFORE"} "$BIN"; do
for format in markdown html json; do
echo "audit (a year, $format), $bin, run $run:"
time "$bin" --config "$BENCH/feeds.toml" audit --from 2025-01-01 --to 2025-12-31 --format $format --output /dev/null > /dev/null
done
done
echo "peer, sqlite3 reading the same rows, run $run:"
time sqlite3 "$BENCH/state/regwatch.sqlite" > /dev/null <<'SQL'
SELECT feedId, time, outcome, error FROM fetchLog ORDER BY feedId, time;
SELECT digest.week, digest.builtAt, digest.sentAt, digest.sentTo, (SELECT COUNT(*) FROM digestItem WHERE digestId = digest.id) FROM digest;
SELECT item.id, item.title, item.link, feed.title, followChange.time, followChange.state, followChange.owner, followChange.note,
       (SELECT group_concat(topic) FROM itemTopic WHERE itemId = item.id)
FROM followChange JOIN item ON item.id = followChange.itemId JOIN feed ON feed.id = item.feedId ORDER BY item.id, followChange.time;
SQL
done
ls -la "$BENCH/state/regwatch.sqlite"
if [ -n "${KEEP:-}" ]; then echo "kept: $BENCH"; else rm -rf "$BENCH"; fi
