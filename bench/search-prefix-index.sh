#!/usr/bin/env bash
# What an FTS5 prefix index would cost and save on the search benchmark's store (docs/performance.md,
# "Prefix search without a prefix index"): sqlite3 builds three unicode61 indexes over the same
# 100 000 items (none, prefix='5', prefix='3 4 5 6') and times building each (what storing items
# would pay), its size, and the prefix query of bench/search.sh on it (ranking of the 2 000 newest
# matches, then the snippets of 20 rows in a range of hits, read as `watchctl search` reads them). sqlite3 cannot use regwatch's own tokenizer, so
# unicode61 stands in for it on both sides of each comparison.
#
#   FILL_ONLY=1 bench/search.sh && bench/search-prefix-index.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SOURCE=bench/out/search/regwatch.sqlite
[ -f "$SOURCE" ] || { echo "no $SOURCE: run FILL_ONLY=1 bench/search.sh first" >&2; exit 2; }
DB=bench/out/search/prefix-index.sqlite
cp "$SOURCE" "$DB"
for spec in "none:" "5:, prefix='5'" "3456:, prefix='3 4 5 6'"; do
  name=p${spec%%:*}
  option=${spec#*:}
  echo "== $name (${option:-no prefix index})"
  sqlite3 "$DB" <<SQL
.timer on
CREATE VIRTUAL TABLE $name USING fts5(title, summary, content, content='item', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2'$option);
INSERT INTO $name($name) VALUES ('rebuild');
.timer off
SELECT 'index bytes: ' || SUM(length(block)) FROM ${name}_data;
.output /dev/null
.timer on
SELECT rowid, rank FROM (SELECT rowid, bm25($name, 10.0, 3.0, 1.0) AS rank FROM $name
  WHERE $name MATCH '"forma"* AND "handicap"' ORDER BY rowid DESC LIMIT 2000) ORDER BY rank LIMIT 20;
SELECT rowid, snippet($name, -1, '[', ']', '…', 16) FROM $name
  WHERE $name MATCH '"forma"* AND "handicap"' AND rowid BETWEEN 96000 AND 99999 AND +rowid % 200 = 0;
SELECT rowid, rank FROM (SELECT rowid, bm25($name, 10.0, 3.0, 1.0) AS rank FROM $name
  WHERE $name MATCH '"referentiel" AND "qualite"' ORDER BY rowid DESC LIMIT 2000) ORDER BY rank LIMIT 20;
SQL
done
rm -f "$DB" "$DB-wal" "$DB-shm"
