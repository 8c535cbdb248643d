// The write-ahead log's frames, written to the kernel in runs rather than in halves.
//
// SQLite writes each WAL frame with two calls, its 24-byte header and then its page, so a frame
// straddles two page-cache pages and costs two system calls and three or four page-cache
// updates. A cold poll commits about 250 frames a fetch, over half a million calls in all, a
// tenth of its CPU time (docs/performance.md, issue #19). This VFS wraps the default one and
// gathers a transaction's frames, which SQLite writes one after the other, in a buffer written
// with one call when it is full and whenever anything could observe the file.
//
// What a committed transaction is does not change: its frames reach the kernel before the
// commit returns, as they did, so a killed process loses no committed transaction and another
// process sees every frame of a commit it sees. A log's buffer is written:
// - after the page of a commit frame (a frame header whose second word, the database size, is
//   not zero): then, until the transaction's end, every write goes straight through. SQLite may
//   still rewrite earlier frames' checksums after the commit frame (walRewriteChecksums), and
//   publishes the commit only afterwards;
// - before the main file's shared-memory barrier and locks (a commit is published after a
//   barrier; the write lock is released through xShmLock), which also ends the write-through;
// - before every read, sync, truncation, size query, file control or close of the log file;
// - before a write that does not continue the buffered run, and when the buffer is full.
// A log whose database uses no shared memory (locking_mode = EXCLUSIVE, where SQLite publishes
// nothing through barriers) is never buffered; every other file is the default VFS's own.
// Checkpoints' writes to the database (one call a page) are not gathered: SQLite ignores the
// result of the file control that ends a checkpoint's copy (SQLITE_FCNTL_CKPT_DONE) and, in a
// partial checkpoint, marks the frames copied right after it, so a failed last run (a full
// disk) would go unreported where a failed write stops the checkpoint.

#include "sqlite_connection.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/// How much of a transaction's log one write carries: 29 frames of 4 KiB pages. The unix VFS
/// writes at most 128 KiB − 1 bytes a call (it masks the length with 0x1ffff, and reports a
/// short write as a full disk); past a few dozen frames a call, bigger runs save nothing.
#define BUFFER_BYTES (120 * 1024)
#define FRAME_HEADER_BYTES 24

typedef struct BufferedFile BufferedFile;

struct BufferedFile {
    sqlite3_file base;
    /// The default VFS's file, in the same allocation, just after this structure.
    sqlite3_file *real;
    /// A main database file: its log while it is open, to be written before a barrier or lock.
    BufferedFile *log;
    /// A log: its database's file.
    BufferedFile *database;
    /// A main database file: SQLite mapped its shared memory (WAL mode, not exclusive).
    int sharedMemory;
    /// A log: the commit frame's page is next; after it, the buffer is written.
    int commitPageNext;
    /// A log: a commit frame was written; every write goes through until the next lock.
    int writeThrough;
    unsigned char *buffer;
    int used;
    sqlite3_int64 start;
};

static sqlite3_vfs *defaultVFS;
static sqlite3_vfs bufferingVFS;
static sqlite3_io_methods bufferingMethods;
static int registerCode = SQLITE_OK;
static pthread_once_t registerOnce = PTHREAD_ONCE_INIT;
/// Writes handed to the default VFS for logs, in this process (``regwatch_sqlite_log_write_calls``).
static long long logWriteCalls;

static int passWrite(BufferedFile *file, const void *bytes, int amount, sqlite3_int64 offset) {
    if (file->database) __atomic_add_fetch(&logWriteCalls, 1, __ATOMIC_RELAXED);
    return file->real->pMethods->xWrite(file->real, bytes, amount, offset);
}

static int flush(BufferedFile *file) {
    if (file->used == 0) return SQLITE_OK;
    int used = file->used;
    file->used = 0;
    return passWrite(file, file->buffer, used, file->start);
}

static int isCommitHeader(const void *bytes, int amount) {
    if (amount != FRAME_HEADER_BYTES) return 0;
    const unsigned char *header = bytes;
    // The frame header's second big-endian word: the database's size in pages after a commit.
    return (header[4] | header[5] | header[6] | header[7]) != 0;
}

/// A log buffers while its database's shared memory is mapped and no commit awaits its end.
static int buffers(const BufferedFile *file) {
    return file->database && file->database->sharedMemory && !file->writeThrough;
}

static int bufferedWrite(sqlite3_file *base, const void *bytes, int amount, sqlite3_int64 offset) {
    BufferedFile *file = (BufferedFile *)base;
    int bufferable = buffers(file);
    if (!bufferable || amount > BUFFER_BYTES) {
        int code = flush(file);
        if (code != SQLITE_OK) return code;
        return passWrite(file, bytes, amount, offset);
    }
    if (!file->buffer) {
        file->buffer = sqlite3_malloc(BUFFER_BYTES);
        if (!file->buffer) return passWrite(file, bytes, amount, offset);
    }
    if (file->used > 0 && (offset != file->start + file->used || file->used + amount > BUFFER_BYTES)) {
        int code = flush(file);
        if (code != SQLITE_OK) return code;
    }
    if (file->used == 0) file->start = offset;
    memcpy(file->buffer + file->used, bytes, (size_t)amount);
    file->used += amount;
    if (file->commitPageNext) {
        file->commitPageNext = 0;
        file->writeThrough = 1;
        return flush(file);
    }
    file->commitPageNext = isCommitHeader(bytes, amount);
    return SQLITE_OK;
}

/// Writes the log's buffer before the database's shared memory changes hands or is published,
/// and ends a committed log's write-through.
static int flushLogOf(BufferedFile *database) {
    BufferedFile *log = database->log;
    if (!log) return SQLITE_OK;
    log->writeThrough = 0;
    log->commitPageNext = 0;
    return flush(log);
}

static int bufferedClose(sqlite3_file *base) {
    BufferedFile *file = (BufferedFile *)base;
    int code = flush(file);
    if (file->database) file->database->log = NULL;
    if (file->log) file->log->database = NULL;
    sqlite3_free(file->buffer);
    file->buffer = NULL;
    int closeCode = file->real->pMethods->xClose(file->real);
    return code != SQLITE_OK ? code : closeCode;
}

static int bufferedRead(sqlite3_file *base, void *bytes, int amount, sqlite3_int64 offset) {
    BufferedFile *file = (BufferedFile *)base;
    int code = flush(file);
    if (code != SQLITE_OK) return code;
    return file->real->pMethods->xRead(file->real, bytes, amount, offset);
}

static int bufferedTruncate(sqlite3_file *base, sqlite3_int64 size) {
    BufferedFile *file = (BufferedFile *)base;
    int code = flush(file);
    if (code != SQLITE_OK) return code;
    return file->real->pMethods->xTruncate(file->real, size);
}

static int bufferedSync(sqlite3_file *base, int flags) {
    BufferedFile *file = (BufferedFile *)base;
    int code = flush(file);
    if (code != SQLITE_OK) return code;
    return file->real->pMethods->xSync(file->real, flags);
}

static int bufferedFileSize(sqlite3_file *base, sqlite3_int64 *size) {
    BufferedFile *file = (BufferedFile *)base;
    int code = flush(file);
    if (code != SQLITE_OK) return code;
    return file->real->pMethods->xFileSize(file->real, size);
}

static int bufferedLock(sqlite3_file *base, int level) {
    BufferedFile *file = (BufferedFile *)base;
    return file->real->pMethods->xLock(file->real, level);
}

static int bufferedUnlock(sqlite3_file *base, int level) {
    BufferedFile *file = (BufferedFile *)base;
    return file->real->pMethods->xUnlock(file->real, level);
}

static int bufferedCheckReservedLock(sqlite3_file *base, int *reserved) {
    BufferedFile *file = (BufferedFile *)base;
    return file->real->pMethods->xCheckReservedLock(file->real, reserved);
}

static int bufferedFileControl(sqlite3_file *base, int operation, void *argument) {
    BufferedFile *file = (BufferedFile *)base;
    int code = flush(file);
    if (code != SQLITE_OK) return code;
    return file->real->pMethods->xFileControl(file->real, operation, argument);
}

static int bufferedSectorSize(sqlite3_file *base) {
    BufferedFile *file = (BufferedFile *)base;
    return file->real->pMethods->xSectorSize(file->real);
}

static int bufferedDeviceCharacteristics(sqlite3_file *base) {
    BufferedFile *file = (BufferedFile *)base;
    return file->real->pMethods->xDeviceCharacteristics(file->real);
}

static int bufferedShmMap(sqlite3_file *base, int region, int size, int extend, void volatile **memory) {
    BufferedFile *file = (BufferedFile *)base;
    int code = file->real->pMethods->xShmMap(file->real, region, size, extend, memory);
    if (code == SQLITE_OK) file->sharedMemory = 1;
    return code;
}

static int bufferedShmLock(sqlite3_file *base, int offset, int count, int flags) {
    BufferedFile *file = (BufferedFile *)base;
    int code = flushLogOf(file);
    if (code != SQLITE_OK) return code;
    return file->real->pMethods->xShmLock(file->real, offset, count, flags);
}

static void bufferedShmBarrier(sqlite3_file *base) {
    BufferedFile *file = (BufferedFile *)base;
    // A barrier cannot report an error. A commit's frames were written after its commit frame
    // (an error there fails the commit); what is left here is at most rewritten checksums, and
    // a failure to write them leaves the kernel with the frames SQLite itself would have left.
    (void)flushLogOf(file);
    file->real->pMethods->xShmBarrier(file->real);
}

static int bufferedShmUnmap(sqlite3_file *base, int deleteFlag) {
    BufferedFile *file = (BufferedFile *)base;
    int code = flushLogOf(file);
    file->sharedMemory = 0;
    int unmapCode = file->real->pMethods->xShmUnmap(file->real, deleteFlag);
    return code != SQLITE_OK ? code : unmapCode;
}

static int bufferedFetch(sqlite3_file *base, sqlite3_int64 offset, int amount, void **pointer) {
    BufferedFile *file = (BufferedFile *)base;
    return file->real->pMethods->xFetch(file->real, offset, amount, pointer);
}

static int bufferedUnfetch(sqlite3_file *base, sqlite3_int64 offset, void *pointer) {
    BufferedFile *file = (BufferedFile *)base;
    return file->real->pMethods->xUnfetch(file->real, offset, pointer);
}

static int bufferingOpen(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *base, int flags, int *outFlags) {
    (void)vfs;
    BufferedFile *file = (BufferedFile *)base;
    memset(file, 0, sizeof(*file));
    file->real = (sqlite3_file *)&file[1];
    int code = defaultVFS->xOpen(defaultVFS, name, file->real, flags, outFlags);
    if (code != SQLITE_OK || !file->real->pMethods) {
        // Nothing to close: SQLite calls xClose only when pMethods is set.
        if (file->real->pMethods) file->real->pMethods->xClose(file->real);
        file->base.pMethods = NULL;
        return code != SQLITE_OK ? code : SQLITE_CANTOPEN;
    }
    file->base.pMethods = &bufferingMethods;
    if ((flags & SQLITE_OPEN_WAL) && name) {
        sqlite3_file *database = sqlite3_database_file_object(name);
        if (database && database->pMethods == &bufferingMethods) {
            file->database = (BufferedFile *)database;
            file->database->log = file;
        }
    }
    return SQLITE_OK;
}

static int vfsDelete(sqlite3_vfs *vfs, const char *name, int syncDirectory) {
    (void)vfs;
    return defaultVFS->xDelete(defaultVFS, name, syncDirectory);
}

static int vfsAccess(sqlite3_vfs *vfs, const char *name, int flags, int *result) {
    (void)vfs;
    return defaultVFS->xAccess(defaultVFS, name, flags, result);
}

static int vfsFullPathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
    (void)vfs;
    return defaultVFS->xFullPathname(defaultVFS, name, size, out);
}

static void *vfsDlOpen(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return defaultVFS->xDlOpen(defaultVFS, name);
}

static void vfsDlError(sqlite3_vfs *vfs, int size, char *message) {
    (void)vfs;
    defaultVFS->xDlError(defaultVFS, size, message);
}

static void (*vfsDlSym(sqlite3_vfs *vfs, void *library, const char *symbol))(void) {
    (void)vfs;
    return defaultVFS->xDlSym(defaultVFS, library, symbol);
}

static void vfsDlClose(sqlite3_vfs *vfs, void *library) {
    (void)vfs;
    defaultVFS->xDlClose(defaultVFS, library);
}

static int vfsRandomness(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    return defaultVFS->xRandomness(defaultVFS, size, out);
}

static int vfsSleep(sqlite3_vfs *vfs, int microseconds) {
    (void)vfs;
    return defaultVFS->xSleep(defaultVFS, microseconds);
}

static int vfsCurrentTime(sqlite3_vfs *vfs, double *time) {
    (void)vfs;
    return defaultVFS->xCurrentTime(defaultVFS, time);
}

static int vfsGetLastError(sqlite3_vfs *vfs, int size, char *message) {
    (void)vfs;
    return defaultVFS->xGetLastError(defaultVFS, size, message);
}

static int vfsCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *time) {
    (void)vfs;
    return defaultVFS->xCurrentTimeInt64(defaultVFS, time);
}

static int vfsSetSystemCall(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr call) {
    (void)vfs;
    return defaultVFS->xSetSystemCall(defaultVFS, name, call);
}

static sqlite3_syscall_ptr vfsGetSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return defaultVFS->xGetSystemCall(defaultVFS, name);
}

static const char *vfsNextSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return defaultVFS->xNextSystemCall(defaultVFS, name);
}

static void registerBufferingVFS(void) {
    defaultVFS = sqlite3_vfs_find(NULL);
    // The methods called below exist from version 3 of each structure on (the unix VFS's).
    if (!defaultVFS || defaultVFS->iVersion < 3) {
        registerCode = SQLITE_ERROR;
        return;
    }
    bufferingMethods = (sqlite3_io_methods){
        .iVersion = 3,
        .xClose = bufferedClose,
        .xRead = bufferedRead,
        .xWrite = bufferedWrite,
        .xTruncate = bufferedTruncate,
        .xSync = bufferedSync,
        .xFileSize = bufferedFileSize,
        .xLock = bufferedLock,
        .xUnlock = bufferedUnlock,
        .xCheckReservedLock = bufferedCheckReservedLock,
        .xFileControl = bufferedFileControl,
        .xSectorSize = bufferedSectorSize,
        .xDeviceCharacteristics = bufferedDeviceCharacteristics,
        .xShmMap = bufferedShmMap,
        .xShmLock = bufferedShmLock,
        .xShmBarrier = bufferedShmBarrier,
        .xShmUnmap = bufferedShmUnmap,
        .xFetch = bufferedFetch,
        .xUnfetch = bufferedUnfetch,
    };
    bufferingVFS = (sqlite3_vfs){
        .iVersion = 3,
        .szOsFile = (int)sizeof(BufferedFile) + defaultVFS->szOsFile,
        .mxPathname = defaultVFS->mxPathname,
        .zName = "regwatch-buffered-log",
        .xOpen = bufferingOpen,
        .xDelete = vfsDelete,
        .xAccess = vfsAccess,
        .xFullPathname = vfsFullPathname,
        .xDlOpen = vfsDlOpen,
        .xDlError = vfsDlError,
        .xDlSym = vfsDlSym,
        .xDlClose = vfsDlClose,
        .xRandomness = vfsRandomness,
        .xSleep = vfsSleep,
        .xCurrentTime = vfsCurrentTime,
        .xGetLastError = vfsGetLastError,
        .xCurrentTimeInt64 = vfsCurrentTimeInt64,
        .xSetSystemCall = vfsSetSystemCall,
        .xGetSystemCall = vfsGetSystemCall,
        .xNextSystemCall = vfsNextSystemCall,
    };
    registerCode = sqlite3_vfs_register(&bufferingVFS, 1);
}

int regwatch_sqlite_buffer_log_writes(void) {
    pthread_once(&registerOnce, registerBufferingVFS);
    return registerCode;
}

long long regwatch_sqlite_log_write_calls(void) {
    return __atomic_load_n(&logWriteCalls, __ATOMIC_RELAXED);
}
