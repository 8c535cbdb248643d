#!/usr/bin/env bash
# Search benchmark: `watchctl search` over 100 000 stored items, side by side with its peer,
# sqlite3 running the same FTS5 bm25 query on the same rows, over a plain unicode61 index of
# its own (peerFTS: sqlite3 does not know regwatch's tokenizer) (no process for config, no
# JSON, no topic lookup: the floor of what any search front end over this database can do).
#
#   bench/search.sh            # builds release, fills bench/out/search/, runs hyperfine
#   ITEMS=20000 bench/search.sh
#   BEFORE=/tmp/before/watchctl bench/search.sh   # another build's word and prefix queries, alternated
#
# Needs: sqlite3, hyperfine (Debian packages). Output: bench/out/search/results.md
set -euo pipefail
cd "$(dirname "$0")/.."
ITEMS=${ITEMS:-100000}
OUT=${OUT:-bench/out/search}   # another folder: OUT=/tmp/x (bench/link-order.sh)
BIN=${BIN:-.build/release/watchctl}

[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product watchctl --static-swift-stdlib >/dev/null
rm -rf "$OUT" && mkdir -p "$OUT"
cat > "$OUT/feeds.toml" <<'TOML'
[storage]
database = "regwatch.sqlite"
TOML
DB="$OUT/regwatch.sqlite"
"$BIN" --config "$OUT/feeds.toml" items --limit 0 >/dev/null   # creates and migrates the schema

# 100 feeds; items whose titles, summaries and contents are drawn from the vocabulary of the
# watch (so that queries hit thousands of rows, as real ones do), through the store's own
# schema, the FTS index filled as the store fills it (one statement per batch of new items).
sqlite3 "$DB" <<SQL
PRAGMA journal_mode = WAL;
CREATE TEMP TABLE vocab(i INTEGER PRIMARY KEY, w TEXT);
INSERT INTO vocab(w) VALUES
 ('formation'),('professionnelle'),('compte'),('personnel'),('CPF'),('Qualiopi'),('référentiel'),('national'),
 ('qualité'),('certification'),('organisme'),('apprentissage'),('apprenti'),('CFA'),('décret'),('arrêté'),
 ('loi'),('réforme'),('financement'),('OPCO'),('France'),('compétences'),('intelligence'),('artificielle'),
 ('IA'),('générative'),('pédagogie'),('formateur'),('stagiaire'),('handicap'),('neurodiversité'),('dyslexie'),
 ('TDAH'),('autisme'),('inclusion'),('accessibilité'),('audit'),('indicateur'),('critère'),('surveillance'),
 ('VAE'),('validation'),('acquis'),('expérience'),('transition'),('reconversion'),('salarié'),('entreprise'),
 ('branche'),('ministère'),('travail'),('emploi'),('Journal'),('officiel'),('publication'),('modalités'),
 ('participation'),('forfaitaire'),('reste'),('charge'),('euros'),('plateforme'),('numérique'),('digital'),
 ('learning'),('évaluation'),('parcours'),('bilan'),('conseil'),('orientation'),('jeunes'),('demandeurs'),
 ('Caisse'),('Dépôts'),('contrôle'),('fraude'),('sanction'),('déréférencement'),('guide'),('lecture'),
 ('nouveau'),('version'),('entrée'),('vigueur'),('calendrier'),('échéance'),('rapport'),('étude'),
 ('DARES'),('Céreq'),('statistiques'),('baromètre'),('enquête'),('innovation'),('outil'),('méthode'),
 ('classe'),('inversée'),('microlearning'),('tutorat'),('mentorat'),('alternance'),('contrat'),('aide');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
INSERT INTO feed(url, urlKey, title, firstSeen)
SELECT 'https://source' || i || '.example.fr/feed', 'https://source' || i || '.example.fr/feed', 'Source ' || i, '2025-01-01 00:00:00.000' FROM n;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ITEMS),
words(i, t, s, c) AS (
  SELECT i,
    (SELECT group_concat(w, ' ') FROM (SELECT w FROM vocab WHERE n.i > 0 AND vocab.i IN (abs(random()) % 104 + 1, abs(random()) % 104 + 1, abs(random()) % 104 + 1, abs(random()) % 104 + 1, abs(random()) % 104 + 1, abs(random()) % 104 + 1, abs(random()) % 104 + 1))),
    (SELECT group_concat(w, ' ') FROM (SELECT w FROM vocab WHERE n.i > 0 AND abs(random()) % 6 = 0)),
    (SELECT group_concat(w, ' ') FROM (SELECT w FROM vocab WHERE n.i > 0 AND abs(random()) % 2 = 0))
  FROM n)
INSERT INTO item(feedId, identity, firstSeen, published, title, link, summary, content, contentHash, sortDate, titleKey)
SELECT i % 100 + 1, 'bench:' || i,
  datetime('2025-01-01', '+' || (i * 5) || ' minutes') || '.000',
  datetime('2025-01-01', '+' || (i * 5) || ' minutes') || '.000',
  t, 'https://source' || (i % 100 + 1) || '.example.fr/article/' || i, s, c, 'h' || i,
  datetime('2025-01-01', '+' || (i * 5) || ' minutes') || '.000', NULL
FROM words;
COMMIT;
-- The peer's index: FTS5's plain unicode61 over the same rows (sqlite3 does not know the
-- tokenizer of regwatch's own index, which folds plurals and feminines since schema v9).
CREATE VIRTUAL TABLE peerFTS USING fts5(title, summary, content, content='item', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2');
INSERT INTO peerFTS(peerFTS) VALUES ('rebuild');
PRAGMA wal_checkpoint(TRUNCATE);
SQL
echo "items: $(sqlite3 "$DB" 'SELECT COUNT(*) FROM item')"
# regwatch's index: a store from before v9 is reindexed by the migration when opened, so forgetting
# v9 makes the next command index all the items (timed: what upgrading such a store costs). A
# build from before v9 (BIN=… of an older commit) has a unicode61 index that sqlite3 fills.
if sqlite3 "$DB" "SELECT sql FROM sqlite_master WHERE name = 'itemFTS'" | grep -q regwatch_stem; then
  sqlite3 "$DB" "DELETE FROM grdb_migrations WHERE identifier = 'v9'"
  /usr/bin/time -f "reindex (migration v9): %e s, %M KiB peak" "$BIN" --config "$OUT/feeds.toml" items --limit 0 >/dev/null
else
  sqlite3 "$DB" "INSERT INTO itemFTS(itemFTS) VALUES ('rebuild'); PRAGMA wal_checkpoint(TRUNCATE);"
fi
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
echo "database: $(du -k "$DB" | cut -f1) KiB (with the peer's index)"

PEER_SQL="SELECT item.id, item.title, item.link FROM (SELECT rowid, bm25(peerFTS, 10.0, 3.0, 1.0) AS rank FROM peerFTS WHERE peerFTS MATCH '\"referentiel\" AND \"qualite\"' ORDER BY rank LIMIT 20) AS hit JOIN item ON item.id = hit.rowid ORDER BY hit.rank;"
echo "matching rows: $(sqlite3 "$DB" "SELECT COUNT(*) FROM peerFTS WHERE peerFTS MATCH '\"referentiel\" AND \"qualite\"'")"
[ -n "${FILL_ONLY:-}" ] && exit 0
# Another build (BEFORE=…), measured in the same run: its word and prefix queries beside these.
BEFORE_RUNS=()
if [ -n "${BEFORE:-}" ]; then
  BEFORE_RUNS=(-n "before: watchctl search (json)" "$BEFORE --config $OUT/feeds.toml search 'référentiel qualité' --limit 20 --json"
               -n "before: watchctl search, prefix" "$BEFORE --config $OUT/feeds.toml search 'forma* handicap' --limit 20 --json")
fi
hyperfine --warmup 2 --runs "${RUNS:-15}" --export-markdown "$OUT/results.md" "${BEFORE_RUNS[@]}" \
  -n "watchctl search (json)" "$BIN --config $OUT/feeds.toml search 'référentiel qualité' --limit 20 --json" \
  -n "watchctl search (text)" "$BIN --config $OUT/feeds.toml search 'référentiel qualité' --limit 20" \
  -n "watchctl search, prefix" "$BIN --config $OUT/feeds.toml search 'forma* handicap' --limit 20 --json" \
  -n "watchctl search, plurals" "$BIN --config $OUT/feeds.toml search 'formateurs indicateurs' --limit 20 --json" \
  -n "sqlite3 raw FTS5 bm25" "sqlite3 $DB \"$PEER_SQL\""
cat "$OUT/results.md"
