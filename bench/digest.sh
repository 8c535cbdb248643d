#!/usr/bin/env bash
# The digest benchmark of docs/performance.md: a week of 10 000 stored items (40 feeds,
# two thirds tagged), `watchctl digest` on it three times, and sqlite3 reading the same
# rows as the floor. Run from the repository root: bench/digest.sh
set -euo pipefail

swift build -c release --product watchctl --static-swift-stdlib 2>&1 | tail -1
BENCH=$(mktemp -d)
cat > "$BENCH/feeds.toml" <<'TOML'
[storage]
database = "state/regwatch.sqlite"
[digest]
output_dir = "digests"
TOML
.build/release/watchctl --config "$BENCH/feeds.toml" items --limit 1 > /dev/null   # creates the schema
sqlite3 "$BENCH/state/regwatch.sqlite" <<'SQL'
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
INSERT INTO feed(url, urlKey, title, firstSeen)
SELECT 'https://source' || i || '.example.org/rss', 'https://source' || i || '.example.org/rss', 'Source ' || i, '2025-11-01 00:00:00.000' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO item(feedId, identity, firstSeen, published, title, link, summary, contentHash, sortDate, storyId)
SELECT 1 + i % 40, 'item-' || i,
       strftime('%Y-%m-%d %H:%M:%f', '2025-11-30 23:00:00', '+' || (i * 60) || ' seconds'),
       strftime('%Y-%m-%d %H:%M:%f', '2025-11-30 23:00:00', '+' || (i * 60 - 600) || ' seconds'),
       'Décret n° ' || i || ' relatif au compte personnel de formation et à la certification qualité des organismes',
       'https://source' || (1 + i % 40) || '.example.org/actualites/' || i,
       'Le texte précise les conditions de mobilisation des droits inscrits sur le compte personnel de formation. '
       || 'Les organismes certifiés Qualiopi devront adapter leurs conditions générales avant le 1er janvier. '
       || 'Les dotations de l''employeur sont consommées en premier, puis les droits acquis par le titulaire. '
       || 'Un arrêté fixera les modalités de récupération des fonds non utilisés par les financeurs. '
       || 'Les opérateurs de compétences accompagneront les entreprises de moins de cinquante salariés. '
       || 'La mesure ' || i || ' entre en vigueur pour les dossiers déposés à compter de cette date.',
       'hash-' || i,
       strftime('%Y-%m-%d %H:%M:%f', '2025-11-30 23:00:00', '+' || (i * 60) || ' seconds'), NULL
FROM n;
-- The full-text index uses regwatch's own tokenizer (schema v9), which sqlite3 does not know:
-- forgetting v9 makes the next watchctl command index every item, as it does for an older store.
DELETE FROM grdb_migrations WHERE identifier = 'v9';
INSERT INTO itemTopic(itemId, topic, score, matches)
SELECT id, CASE id % 4 WHEN 0 THEN 'cpf' WHEN 1 THEN 'qualiopi' WHEN 2 THEN 'ia' ELSE 'neurodiversite' END,
       1 + (id % 30) / 10.0, '[]' FROM item WHERE id % 3 <> 0;
SQL
.build/release/watchctl --config "$BENCH/feeds.toml" items --limit 1 > /dev/null   # indexes the items for search
for run in 1 2 3; do
echo "digest (10 000 items), run $run:"
time .build/release/watchctl --config "$BENCH/feeds.toml" digest --week 2025-W49 --output /dev/null
echo "peer, sqlite3 reading the same week, run $run:"
time sqlite3 "$BENCH/state/regwatch.sqlite" "SELECT item.id, item.title, item.link, item.summary, feed.title, itemTopic.topic FROM item JOIN feed ON feed.id = item.feedId LEFT JOIN itemTopic ON itemTopic.itemId = item.id WHERE item.firstSeen >= '2025-11-30 23:00:00' AND item.firstSeen < '2025-12-07 23:00:00'" > /dev/null
done
rm -rf "$BENCH"
