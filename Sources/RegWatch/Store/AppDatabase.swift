import CSQLiteConnection
import Foundation
import GRDB
import GRDBSQLite

/// The regwatch database: one SQLite file shared by the daemon and every `watchctl` command.
///
/// It wraps a GRDB `DatabasePool` (WAL: readers never block the writer, the writer never
/// blocks readers) with a busy timeout, so `add-feed` or `items` while a poll writes waits
/// instead of failing. Opening it runs the ``migrator``: a database written by an older
/// regwatch is upgraded in place. This type is the only place that writes SQL; its methods
/// are named for what the application means (`upsertItems`, `recordFetchFailure`, `search`).
public struct AppDatabase: Sendable {
    /// The GRDB connection (a pool for files, a queue in memory).
    let writer: any DatabaseWriter
    /// The file, for error messages (`:memory:` in memory).
    public let path: String

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 10

    /// Opens (creating the file and its folder if needed) and migrates the database at `url`.
    ///
    /// - Parameter oneConnection: reads and writes go through one connection (a GRDB
    ///   `DatabaseQueue`, in WAL mode all the same) instead of a pool's writer plus readers: for
    ///   a command that runs one query and exits, a second connection (opening the file,
    ///   reading the schema again) cost more than its query. Other processes are not affected.
    /// - Throws: ``StoreError`` (runtime) naming the file, when it cannot be created, opened
    ///   or upgraded.
    public static func open(at url: URL, oneConnection: Bool = false) throws -> AppDatabase {
        let path = url.path
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw StoreError(path: path, action: .createFolder, underlying: error)
        }
        do {
            // Every connection this process opens, through the VFS that writes the write-ahead
            // log in runs (CSQLiteConnection): a cold poll's commits cost half a million system
            // calls writing frames in halves (docs/performance.md, issue #19).
            let vfsCode = regwatch_sqlite_buffer_log_writes()
            guard vfsCode == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: vfsCode)) }
            let writer: any DatabaseWriter
            if oneConnection {
                var config = configuration(vocabulary: false)
                // A file that exists is in WAL mode already (every pool sets it, and the mode is
                // kept in the file): asking again cost a search a statement, a stat of the -wal
                // file and, when it was empty, a write transaction. A new file is set to WAL.
                config.journalMode = FileManager.default.fileExists(atPath: path) ? .default : .wal
                // Such a command reads the file through a memory map: SQLite then hands out the
                // mapped pages instead of copying each into a page cache it allocates first, which
                // cost a search one page fault per page read.
                config.prepareDatabase { db in try db.execute(sql: "PRAGMA mmap_size = \(readMapBytes)") }
                writer = try DatabaseQueue(path: path, configuration: config)
            } else {
                writer = try DatabasePool(path: path, configuration: configuration())
            }
            try migrator.migrate(writer)
            return AppDatabase(writer: writer, path: path)
        } catch {
            throw StoreError(path: path, action: .openDatabase, underlying: error)
        }
    }

    /// The page cache of the writing connection, in KiB: twice SQLite's default. 16 MiB cost a
    /// cold poll no less CPU than 4 MiB (26 000 items, measured side by side) but held 13 MB
    /// more at peak, above newsboat's whole process (docs/performance.md, issue #19).
    static let writerCacheKiB = 4_096

    /// How much of the file a one-connection command maps for reading (``open(at:oneConnection:)``):
    /// enough for a large store; SQLite maps only what the file holds and reads the rest, if any,
    /// as before. Nothing in regwatch shrinks the file (no VACUUM), so no mapped page disappears.
    static let readMapBytes = 1 << 30

    /// How many WAL pages the writer lets accumulate before it checkpoints (SQLite's default is
    /// 1 000): a bulk write (a cold poll) rewrites the same index pages in commit after commit,
    /// and a checkpoint copies each page once however many times it was committed.
    static let walCheckpointPages = 4_000

    /// How many writes this process handed the operating system for write-ahead logs (the
    /// buffering VFS's count, CSQLiteConnection): a transaction's frames go out in runs.
    static var logWriteCalls: Int { Int(regwatch_sqlite_log_write_calls()) }

    /// Connection settings shared by every connection.
    ///
    /// - Parameter vocabulary: create `temp.itemFTSVocab` (a prefix search reads it) as the
    ///   connection opens. A pool's readers need it then: nothing may be created in a read. A
    ///   one-connection store creates it when a search has a prefix (``search(_:limit:candidates:)``).
    static func configuration(vocabulary: Bool = true) -> GRDB.Configuration {
        var config = GRDB.Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            // The full-text index's tokenizer (schema v8): every connection must know it, and
            // the faster `unicode61` it wraps (CSQLiteConnection, ``SearchTokenizer``).
            let tokenizerCode = regwatch_sqlite_add_fast_unicode61(db.sqliteConnection)
            guard tokenizerCode == SQLITE_OK else {
                throw DatabaseError(resultCode: ResultCode(rawValue: tokenizerCode))
            }
            db.add(tokenizer: SearchTokenizer.self)
            // WAL + NORMAL survives a killed process (kill -9, OOM) without losing or tearing a
            // committed transaction; only a power cut may drop the last few commits.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The writer touches the item table, its indexes and the full-text index for every
            // stored entry: it gets a cache above SQLite's default 2 MB. Readers keep the default
            // (they are many, and brief).
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -\(writerCacheKiB)")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(walCheckpointPages)")
                // Keep the -wal and -shm files when the last connection closes: every command
                // otherwise created them on opening and deleted them on closing, with an fsync
                // each way, and a search paid more for that than for its query.
                var persist: CInt = 1
                let code = sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
                guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
            }
            // The index's vocabulary, where a prefix query finds the words it covers (search):
            // in `temp`, created here because a pool's reads forbid creating it later.
            if vocabulary { try createVocabulary(db) }
            // The search's rank: bm25() without counting past what changes a score (CSQLiteConnection).
            let rankCode = regwatch_sqlite_add_bm25(db.sqliteConnection)
            guard rankCode == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: rankCode)) }
            // Nor checkpoint when a connection closes (two more fsyncs per command): the
            // writer's automatic checkpoints keep the WAL short.
            let code = regwatch_sqlite_no_checkpoint_on_close(db.sqliteConnection)
            guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
        }
        return config
    }

    /// `temp.itemFTSVocab`: the words of the full-text index, for prefix searches (``indexedWords(startingWith:_:)``).
    static func createVocabulary(_ db: Database) throws {
        try db.execute(sql: "CREATE VIRTUAL TABLE IF NOT EXISTS temp.itemFTSVocab USING fts5vocab(main, itemFTS, row)")
    }

    /// Runs `body` in one write transaction, mapping database errors to ``StoreError``.
    func write<T>(_ action: Wording, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.write { db in try body(db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, action: action, underlying: error)
        }
    }

    /// Runs `body` on a consistent snapshot, mapping database errors to ``StoreError``.
    func read<T>(_ action: Wording, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read { db in try body(db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, action: action, underlying: error)
        }
    }

    /// Fails now, with SQLite's words, when nothing could be stored: a read-only file,
    /// folder or mount. (The WAL files are kept between runs, so such a database still opens
    /// and reads; without this a poll would fetch every feed only to fail storing each one.)
    public func checkWritable() throws {
        // SQLite opens a file it cannot write read-only, and says so only here or at the first write.
        let readOnly = writer.writeWithoutTransaction { db in sqlite3_db_readonly(db.sqliteConnection, "main") == 1 }
        if readOnly {
            throw StoreError(path: path, action: .writeDatabase, message: .readOnlyFile)
        }
    }

    /// `PRAGMA integrity_check`: `["ok"]` for a sound file, else SQLite's findings.
    public func integrityCheck() throws -> [String] {
        try read(.checkIntegrity) { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }
}

/// A database failure: what was being done, to which file, and SQLite's words.
public struct StoreError: ActionableError {
    /// The database file.
    public var path: String
    /// What regwatch was doing ("open", "store the items of https://…"), in both languages.
    public var action: Wording
    /// What went wrong: SQLite's or the system's message, or regwatch's own.
    public var message: Wording
    /// Whose fault: an empty search query is the user's; the rest is the run's.
    public var kind: FailureKind

    /// Wraps an underlying error.
    public init(path: String, action: Wording, underlying: any Error) {
        self.path = path
        self.action = action
        if let db = underlying as? DatabaseError {
            self.message = .sqlite(
                db.message, code: db.resultCode.primaryResultCode.rawValue, extended: db.resultCode.rawValue)
        } else {
            self.message = .untranslated(String(describing: underlying))
        }
        self.kind = .runtime
    }

    /// A failure described directly.
    public init(path: String, action: Wording, message: Wording, kind: FailureKind = .runtime) {
        self.path = path
        self.action = action
        self.message = message
        self.kind = kind
    }

    /// `database PATH: cannot ACTION: MESSAGE (hint)`, in both languages.
    public var wording: Wording { .storeFailure(path: path, action: action, message: message, kind: kind) }

    public var description: String { wording.english }
}
