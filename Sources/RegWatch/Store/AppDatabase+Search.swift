import Foundation
import GRDB

extension AppDatabase {
    /// How many of the most recently stored matches ``search(_:limit:)`` ranks.
    public static let searchCandidates = 2_000

    /// Full-text search over titles, summaries and contents, best match first.
    ///
    /// The query is what a person types: words (all must match), `"quoted phrases"`, a
    /// trailing `*` for a prefix (`forma*`), `OR` between two terms. Accents and case do not
    /// matter (`referentiel qualite` finds "Référentiel qualité"). Nothing in it reaches SQLite
    /// as syntax: see ``FullTextQuery``. Ranking is bm25 with a title match worth 10 content
    /// matches and a summary match 3 (FTS5's bm25() scores, computed by `regwatch_bm25`, which
    /// stops counting a phrase's rows at half the store: CSQLiteConnection).
    ///
    /// Only the ``searchCandidates`` most recently stored matches are ranked: a query that
    /// matches a third of a large store ("formation") would otherwise score every matching
    /// row before knowing the best 20, and a watch reads recent news first. A query matching
    /// fewer items than that (any precise one) is ranked over all of them.
    ///
    /// - Parameters:
    ///   - limit: how many results, best first.
    ///   - candidates: how many of the most recent matches are ranked.
    ///   - snippets: give each result its ``SearchResult/snippet``; without, it is empty (a
    ///     caller that prints no snippet, `search --json`, saves a full-text query).
    /// - Throws: ``StoreError`` with kind `.badInput` when the query has no searchable word.
    public func search(
        _ query: String, limit: Int = 20, candidates: Int = searchCandidates, snippets withSnippets: Bool = true
    ) throws -> [SearchResult] {
        // A one-connection store creates the index's vocabulary only for a query that may need
        // it (a prefix), and before the read: nothing may be created in a read.
        if query.contains("*"), writer is DatabaseQueue {
            try write(.search(query)) { db in try Self.createVocabulary(db) }
        }
        // Item ids grow with storage order and FTS5 walks its doclists backwards by rowid, so
        // the candidates cost a read of the newest entries, not of every match.
        return try read(.search(query)) { db in
            // A prefix is searched as the indexed words it covers when there are few enough.
            guard
                let match = try FullTextQuery.matchExpression(
                    query, words: { try Self.indexedWords(startingWith: $0, db) })
            else {
                throw StoreError(
                    path: path, action: .searchWords, message: .noWordToSearch(query),
                    kind: .badInput)
            }
            // Rank first, on the index alone; only the page of hits is then loaded and given a
            // snippet (snippet() in the ranking query would run for every matching row).
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT item.*, feed.url AS feedURL, feed.title AS feedTitle, hit.rank AS searchRank
                    FROM (
                        SELECT rowid, rank FROM (
                            SELECT rowid, regwatch_bm25(itemFTS, 10.0, 3.0, 1.0) AS rank
                            FROM itemFTS WHERE itemFTS MATCH ?
                            ORDER BY rowid DESC LIMIT ?
                        )
                        ORDER BY rank LIMIT ?
                    ) AS hit
                    JOIN item ON item.id = hit.rowid
                    JOIN feed ON feed.id = item.feedId
                    ORDER BY hit.rank, item.id
                    """, arguments: [match, max(1, candidates), max(0, limit)])
            let items = try Self.storedItems(db, rows: rows)
            var snippets: [Int64: String] = [:]
            if withSnippets, let low = items.map(\.id).min(), let high = items.map(\.id).max() {
                // One scan of the hits' rowid range, not one lookup per hit: FTS5 answers
                // `rowid IN (…)` with a query per value, and each query of a prefix term
                // (`forma*`) merges every matching word's doclist again (20 hits: 20 merges,
                // 85 % of a prefix search). The `+` keeps the list a filter on that scan.
                let ids = items.map(\.id)
                let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT rowid, snippet(itemFTS, -1, '[', ']', '…', 16) AS snippet
                        FROM itemFTS WHERE itemFTS MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN (\(marks))
                        """, arguments: [match, low, high] + StatementArguments(ids))
                {
                    snippets[row["rowid"]] = row["snippet"]
                }
            }
            return zip(rows, items).map { row, item in
                SearchResult(item: item, rank: row["searchRank"], snippet: snippets[item.id] ?? "")
            }
        }
    }

    /// At most this many indexed words stand in for a prefix; a wider prefix is left to FTS5.
    static let prefixExpansionLimit = 64

    /// The words a prefix query term (`forma` of `forma*`) stands for, each as a query word
    /// finds exactly the rows the prefix finds, or `nil` when FTS5's own prefix query must answer.
    ///
    /// Without a prefix index, FTS5 answers `"forma"*` by merging the doclists of every indexed
    /// word starting with `forma` into one before the first row comes out, whatever the LIMIT,
    /// and again for bm25's row counts and for the snippets; `"formation" OR "formateur"` is read
    /// lazily, newest rows first. The words come from the index's vocabulary
    /// (`temp.itemFTSVocab`, an `fts5vocab` table every connection has, which seeks to the
    /// range). A query word is searched by its reduced form (``SearchTokenizer``), which every
    /// row containing the word also holds, so the expansion is the distinct reduced forms of
    /// the words in the range, and it stands only when each of them starts with the prefix too
    /// (`formatri*` covers "formatrice", searched as "formateur": FTS5 answers it).
    static func indexedWords(startingWith prefix: String, _ db: Database) throws -> [String]? {
        // The prefix as the index's tokenizer gives a prefix query word: unicode61's form, unreduced.
        let tokens = try db.makeTokenizer(FTS5TokenizerDescriptor(components: ["unicode61", "remove_diacritics", "2"]))
            .tokenize(query: prefix)
        guard tokens.count == 1, let stem = tokens.first?.token, !stem.isEmpty else { return nil }
        // Every word starting with the prefix sorts in [prefix, prefix + 0xFF): no UTF-8 byte is 0xFF.
        let words = try String.fetchAll(
            db, sql: "SELECT term FROM temp.itemFTSVocab WHERE term >= ? AND term < ? LIMIT ?",
            arguments: [stem, Data(stem.utf8) + [0xFF], prefixExpansionLimit + 1])
        guard !words.isEmpty, words.count <= prefixExpansionLimit else { return nil }
        let indexed = Set(words)
        var forms: [String] = []
        for word in words {
            let form = SearchTokenizer.queryForm(of: word)
            guard form.utf8.starts(with: stem.utf8), indexed.contains(form), SearchTokenizer.queryForm(of: form) == form
            else { return nil }
            if !forms.contains(form) { forms.append(form) }
        }
        return forms
    }
}

/// Turns what a person typed into a safe FTS5 MATCH expression.
///
/// Every word becomes a quoted FTS5 string (`"l'IA"` → `"l'IA"`, which the tokenizer reads as
/// the phrase `l ia`), so quotes, parentheses, `NEAR`, `-`, `:` or column filters in user
/// input are text, never syntax. Only three things are interpreted: `"…"` phrases, a trailing
/// `*` (prefix) and a bare `OR` between two terms.
public enum FullTextQuery {
    /// The MATCH expression, or `nil` when the query has nothing to search for; a prefix stays
    /// FTS5's prefix query (`"forma"*`).
    public static func matchExpression(_ query: String) -> String? {
        matchExpression(query, words: { _ in nil })
    }

    /// The MATCH expression, or `nil` when the query has nothing to search for.
    ///
    /// - Parameter words: the words that stand for a prefix (`forma` → `formation`,
    ///   `formateur`), searched as `("formation" OR "formateur")`; `nil` or none keeps
    ///   the prefix query `"forma"*`.
    public static func matchExpression(_ query: String, words: (String) throws -> [String]?) rethrows
        -> String?
    {
        var terms: [String] = []
        var pendingOr = false
        for token in tokens(query) {
            if !token.isPhrase && token.text == "OR" {
                if !terms.isEmpty { pendingOr = true }
                continue
            }
            let prefix = token.text.hasSuffix("*") && !token.isPhrase
            let body = prefix ? String(token.text.dropLast()) : token.text
            // A term with no letter or digit would tokenise to nothing and make FTS5 fail.
            guard body.unicodeScalars.contains(where: { CharacterSet.alphanumerics.contains($0) }) else { continue }
            var term = quoted(body)
            if prefix {
                if let words = try words(body), !words.isEmpty {
                    term = words.map(quoted).joined(separator: " OR ")  // bracketed below, as a typed OR
                } else {
                    term += "*"
                }
            }
            if pendingOr, let last = terms.popLast() {
                term = "\(last) OR \(term)"
            }
            pendingOr = false
            terms.append(term)
        }
        guard !terms.isEmpty else { return nil }
        return terms.map { $0.contains(" OR ") ? "(\($0))" : $0 }.joined(separator: " AND ")
    }

    /// A FTS5 string: its text is never syntax.
    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private struct Token {
        var text: String
        var isPhrase: Bool
    }

    /// Splits on whitespace, keeping `"…"` and `«…»` together as phrases.
    private static func tokens(_ query: String) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var closing: Character? = nil
        func flush(phrase: Bool) {
            let text = current.trimmingCharacters(in: .whitespaces)
            if !text.isEmpty { tokens.append(Token(text: text, isPhrase: phrase)) }
            current = ""
        }
        for c in query {
            if let close = closing {
                if c == close {
                    flush(phrase: true)
                    closing = nil
                } else {
                    current.append(c)
                }
            } else if c == "\"" || c == "«" || c == "“" {
                flush(phrase: false)
                closing = c == "\"" ? "\"" : (c == "«" ? "»" : "”")
            } else if c.isWhitespace {
                flush(phrase: false)
            } else {
                current.append(c)
            }
        }
        flush(phrase: closing != nil)
        return tokens
    }
}
