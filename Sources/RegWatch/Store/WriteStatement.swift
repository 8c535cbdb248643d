import GRDB
import GRDBSQLite

/// A statement of the store's write path, bound, stepped and read through SQLite's own
/// functions: storing one item runs about six statements, and GRDB's generic
/// `execute(arguments:)` (an array of existentials, each converted to a `DatabaseValue`, then
/// bound) and its `Row` cursors cost more on the writer's thread than SQLite's work for a
/// short statement (issue #19, docs/performance.md).
///
/// The statement is GRDB's, from the connection's cache (prepared once, finalized by GRDB);
/// it runs inside the caller's transaction. What this leaves out of GRDB's execution is its
/// database observation (regwatch has no transaction observer) and its bookkeeping of the
/// statement's arguments: a statement used here is used only here.
struct WriteStatement {
    private let statement: Statement
    private let db: Database

    /// The cached statement for `sql` on `db`.
    init(_ db: Database, _ sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
    }

    private var handle: OpaquePointer { statement.sqliteStatement }

    /// SQLite copies what it is given (`SQLITE_TRANSIENT`): a value may go after binding.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    // Binding a parameter of a valid index with a valid value cannot fail (SQLite returns
    // SQLITE_RANGE or SQLITE_TOOBIG otherwise): the statement's own SQL fixes the indexes.

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }

    func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(handle, index, value) }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { bytes in
            guard let start = bytes.baseAddress, !bytes.isEmpty else {
                // "" is text, not NULL: SQLite needs a pointer for it all the same.
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
                return
            }
            start.withMemoryRebound(to: CChar.self, capacity: bytes.count) { text in
                _ = sqlite3_bind_text(handle, index, text, Int32(bytes.count), Self.transient)
            }
        }
    }

    func bind(_ index: Int32, blob bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            // A zero-length blob is a blob: a null pointer would bind NULL.
            guard let start = raw.baseAddress, !raw.isEmpty else {
                sqlite3_bind_zeroblob(handle, index, 0)
                return
            }
            _ = sqlite3_bind_blob(handle, index, start, Int32(raw.count), Self.transient)
        }
    }

    /// A value as GRDB would bind it (a date written by ``StoredDate``, NULL, a number).
    func bind(_ index: Int32, _ value: DatabaseValue) {
        switch value.storage {
        case .null: sqlite3_bind_null(handle, index)
        case .int64(let int): sqlite3_bind_int64(handle, index, int)
        case .double(let double): sqlite3_bind_double(handle, index, double)
        case .string(let string): bind(index, string)
        case .blob(let data): bind(index, blob: Array(data))
        }
    }

    /// The row id of the connection's last insert.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(db.sqliteConnection) }

    /// Runs the statement to its end with the values bound, then makes it ready for the next.
    func execute() throws {
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_DONE:
                sqlite3_reset(handle)
                return
            case SQLITE_ROW:
                continue
            case let code:
                throw failure(code)
            }
        }
    }

    /// Runs the statement, calling `body` with each row, then makes it ready for the next.
    func forEachRow(_ body: (Columns) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_DONE:
                return
            case SQLITE_ROW:
                try body(Columns(handle: handle))
            case let code:
                throw failure(code)
            }
        }
    }

    /// The error of a failed step, the statement reset (a statement whose step failed keeps
    /// the error until it is reset: the next transaction gets it clean).
    private func failure(_ code: Int32) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
        sqlite3_reset(handle)
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }

    /// The columns of the current row (valid in the `forEachRow` closure only).
    struct Columns {
        fileprivate let handle: OpaquePointer

        func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

        func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

        func optionalInt64(_ index: Int32) -> Int64? { isNull(index) ? nil : int64(index) }

        /// The column's text as stored (a NULL is `nil`; a number is `nil` too, as GRDB's
        /// `String` decoding gives it).
        func text(_ index: Int32) -> String? {
            guard sqlite3_column_type(handle, index) == SQLITE_TEXT, let text = sqlite3_column_text(handle, index)
            else { return nil }
            return String(
                decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, index))),
                as: UTF8.self)
        }

        /// The column's text as stored, valid in `body` only; `nil` for a NULL or a number, as
        /// ``text(_:)`` gives them.
        func withText<T>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T? {
            guard sqlite3_column_type(handle, index) == SQLITE_TEXT, let text = sqlite3_column_text(handle, index)
            else { return nil }
            return try body(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, index))))
        }

        /// The column's bytes, valid in `body` only (empty for NULL).
        func withBlob<T>(_ index: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
            let bytes = sqlite3_column_blob(handle, index)
            let count = Int(sqlite3_column_bytes(handle, index))
            return try body(UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : count))
        }
    }
}
