#ifndef REGWATCH_SQLITE_CONNECTION_H
#define REGWATCH_SQLITE_CONNECTION_H

#include <sqlite3.h>

/// `sqlite3_db_config` is C-variadic, which Swift cannot call: this is the one setting the
/// store needs from it. A connection closing no longer checkpoints the WAL (writers'
/// automatic checkpoints do it): a short command then closes without an fsync.
int regwatch_sqlite_no_checkpoint_on_close(sqlite3 *db);

#endif
