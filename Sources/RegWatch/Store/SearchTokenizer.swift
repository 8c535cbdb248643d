import Foundation
import GRDB
import GRDBSQLite

/// The full-text index's tokenizer (`regwatch_stem`): SQLite's `unicode61` (lowercase, accents
/// removed), then the tagger's plural and feminine reduction (``Stemmer``), so that search folds
/// words the way topic rules do: "indicateurs 23" finds "indicateur 23", "formatrices" finds
/// "formateur" and "formatrice".
///
/// It wraps the tokenizer its arguments name (`tokenize='regwatch_stem unicode61
/// remove_diacritics 2'`), as FTS5's own `porter` does:
/// - document and snippet text: every word as `unicode61` gives it, and, when the reduction
///   changes it, the reduced form at the same position (FTS5_TOKEN_COLOCATED). A prefix query
///   (`forma*`, `formatri*`) then matches the words as written, and a word matches every form
///   that reduces like it.
/// - a query word: its reduced form only (a phrase `"indicateurs 23"` stays a phrase of two
///   positions); a prefix query word as typed.
///
/// Registered on every connection (``AppDatabase/configuration()``): the `sqlite3` shell knows
/// no such tokenizer, so it cannot read or write `itemFTS` (it still reads every other table).
final class SearchTokenizer: FTS5CustomTokenizer {
    static let name = "regwatch_stem"

    /// The tokenizer whose words are reduced (`unicode61 remove_diacritics 2`).
    private let wrapped: any FTS5Tokenizer

    init(db: Database, arguments: [String]) throws {
        var components = arguments.isEmpty ? ["unicode61", "remove_diacritics", "2"] : arguments
        // `unicode61` is named in the schema; `regwatch_unicode61` gives the same tokens at the
        // same offsets for 40 % fewer instructions on French text (CSQLiteConnection: a table
        // that `unicode61` itself filled; issue #19). The schema stays as it was.
        if components.first == "unicode61" { components[0] = Self.fastUnicode61 }
        wrapped = try db.makeTokenizer(FTS5TokenizerDescriptor(components: components))
    }

    /// `unicode61` with a table for Western text (registered on every connection beside this one).
    static let fastUnicode61 = "regwatch_unicode61"

    /// What the wrapped tokenizer's callback needs: where our tokens go, and a word buffer.
    private struct Context {
        var downstream: FTS5TokenCallback
        var downstreamContext: UnsafeMutableRawPointer?
        /// A query's words are replaced by their reduced form, a document's get it beside them.
        var isQuery: Bool
        /// A prefix query word is passed on as typed.
        var isPrefixQuery: Bool
        var scratch: UnsafeMutablePointer<UInt8>
    }

    /// Longer words are passed on as they are (no rule of the stemmer applies to a URL).
    private static let scratchCapacity = 256

    /// Whether a word of `count` bytes is reduced (shorter and longer words are kept as they are).
    private static func reduces(count: Int) -> Bool { count > 3 && count <= scratchCapacity }

    /// The token a query for `word`, a word of the index's vocabulary (already lowercased and
    /// without accents), searches for: its reduced form, as ``tokenize(context:tokenization:pText:nText:tokenCallback:)``
    /// gives it for a query word.
    static func queryForm(of word: String) -> String {
        var bytes = Array(word.utf8)
        guard reduces(count: bytes.count) else { return word }
        var count = bytes.count
        bytes.withUnsafeMutableBufferPointer { Stemmer.reduce($0.baseAddress!, count: &count) }
        return count == bytes.count ? word : String(decoding: bytes[..<count], as: UTF8.self)
    }

    func tokenize(
        context: UnsafeMutableRawPointer?, tokenization: FTS5Tokenization, pText: UnsafePointer<CChar>?,
        nText: CInt, tokenCallback: @escaping FTS5TokenCallback
    ) -> CInt {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.scratchCapacity) { scratch in
            // Read once per text, not per word (each read of an option is a call into GRDB).
            let isQuery = tokenization.contains(.query)
            var state = Context(
                downstream: tokenCallback, downstreamContext: context, isQuery: isQuery,
                isPrefixQuery: isQuery && tokenization.contains(.prefix), scratch: scratch.baseAddress!)
            return withUnsafeMutablePointer(to: &state) { statePointer in
                wrapped.tokenize(
                    context: UnsafeMutableRawPointer(statePointer), tokenization: tokenization, pText: pText,
                    nText: nText,
                    tokenCallback: { rawState, flags, token, count, start, end in
                        let state = rawState!.assumingMemoryBound(to: Context.self).pointee
                        guard let token, SearchTokenizer.reduces(count: Int(count)), !state.isPrefixQuery else {
                            return state.downstream(state.downstreamContext, flags, token, count, start, end)
                        }
                        UnsafeMutableRawPointer(state.scratch).copyMemory(from: token, byteCount: Int(count))
                        var reduced = Int(count)
                        Stemmer.reduce(state.scratch, count: &reduced)
                        let stem = UnsafeRawPointer(state.scratch).assumingMemoryBound(to: CChar.self)
                        if reduced == Int(count) {
                            return state.downstream(state.downstreamContext, flags, token, count, start, end)
                        }
                        if state.isQuery {
                            return state.downstream(state.downstreamContext, flags, stem, CInt(reduced), start, end)
                        }
                        let code = state.downstream(state.downstreamContext, flags, token, count, start, end)
                        guard code == SQLITE_OK else { return code }
                        return state.downstream(
                            state.downstreamContext, flags | FTS5_TOKEN_COLOCATED, stem, CInt(reduced), start, end)
                    })
            }
        }
    }
}
