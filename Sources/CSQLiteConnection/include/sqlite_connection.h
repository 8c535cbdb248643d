#ifndef REGWATCH_SQLITE_CONNECTION_H
#define REGWATCH_SQLITE_CONNECTION_H

#include <sqlite3.h>

/// `sqlite3_db_config` is C-variadic, which Swift cannot call: this is the one setting the
/// store needs from it. A connection closing no longer checkpoints the WAL (writers'
/// automatic checkpoints do it): a short command then closes without an fsync.
int regwatch_sqlite_no_checkpoint_on_close(sqlite3 *db);

/// Adds `regwatch_bm25(fts, w1, w2, …)` to the connection: FTS5's `bm25()`, the same score to
/// the bit, for less work. An FTS5 auxiliary function is a C callback with C pointers in and
/// out (the `fts5_api` is reached through `sqlite3_bind_pointer`), which Swift cannot write.
///
/// `bm25()` counts, once per query, the rows that contain each phrase, for the phrase's inverse
/// document frequency IDF = log((N - n + 0.5) / (n + 0.5)), which it raises to 1e-6 when it is not
/// positive, that is whenever n ≥ N / 2. Counting walks the phrase's whole doclist, and for a
/// word in most rows (a training watch says "formation" everywhere) that walk was most of a
/// search. This function stops counting once n reaches N / 2, where the IDF is 1e-6 whatever the
/// rest of the count: every other step, and the order of every floating-point operation, is
/// bm25's, so the scores are equal (`SearchRankTests`).
int regwatch_sqlite_add_bm25(sqlite3 *db);

/// Adds the FTS5 tokenizer `regwatch_unicode61` to the connection: `unicode61` (with the same
/// arguments) for less work, the same tokens at the same offsets. A document's text made of
/// characters below U+0250 and General Punctuation (U+2000–U+206F) is tokenized through a table
/// that `unicode61` filled, one probe per character, on the first document; any other text,
/// and every query and snippet, is `unicode61`'s own. The full-text index's tokenizer
/// (`regwatch_stem`, Swift) wraps this one where its arguments name `unicode61`: a cold poll
/// spent about 6 % of its instructions in `unicode61`, mostly on the binary searches of its
/// Unicode tables for each accented letter (issue #19).
int regwatch_sqlite_add_fast_unicode61(sqlite3 *db);

/// The connection's `fts5_api`, where FTS5 registers tokenizers and auxiliary functions: it is
/// only reached through `SELECT fts5(?1)` with a bound pointer. SQLITE_OK and `*api` set, or an
/// error code (SQLITE_ERROR when FTS5 gave nothing back).
int regwatch_sqlite_fts5_api(sqlite3 *db, fts5_api **api);

/// Makes the default VFS one that writes each write-ahead log in runs: SQLite writes a frame's
/// header and its page with two calls, and a cold poll's commits made half a million of them.
/// A transaction's frames gather in a buffer that is written whenever anything could observe
/// the log, and always before a commit returns: a killed process loses no committed
/// transaction, and another process sees every frame of a commit it sees. Files other than
/// logs, and the logs of databases without shared memory (exclusive locking), are the previous
/// default's own. Call it before the first connection opens; later calls return the first
/// call's result. SQLITE_OK, or SQLITE_ERROR when the default VFS is older than version 3.
int regwatch_sqlite_buffer_log_writes(void);

/// How many writes this process handed the operating system's VFS for write-ahead logs since it
/// started, buffered runs and direct writes alike (the store's tests read it).
long long regwatch_sqlite_log_write_calls(void);

#endif
