#include "sqlite_connection.h"

#include <math.h>
#include <string.h>

int regwatch_sqlite_no_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}

/// What a query computes once and every row's score reads: the phrases' IDF, the mean row
/// length, and room for the phrases' weighted frequencies in the current row.
typedef struct {
    int phraseCount;
    double meanRowTokens;
    double *idf;
    double *frequency;
} RankQuery;

/// The count of one phrase's rows, and where it may stop: the IDF is the same past half the rows.
typedef struct {
    sqlite3_int64 rows;
    sqlite3_int64 enough;
} PhraseCount;

static int count_phrase_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *context) {
    (void)api;
    (void)fts;
    PhraseCount *count = context;
    count->rows++;
    // SQLITE_DONE ends xQueryPhrase's walk without an error (sqlite3.h, xQueryPhrase).
    return count->rows >= count->enough ? SQLITE_DONE : SQLITE_OK;
}

static int rank_query(const Fts5ExtensionApi *api, Fts5Context *fts, RankQuery **out) {
    RankQuery *query = api->xGetAuxdata(fts, 0);
    if (query) {
        *out = query;
        return SQLITE_OK;
    }
    int phrases = api->xPhraseCount(fts);
    sqlite3_int64 bytes = (sqlite3_int64)sizeof(RankQuery) + (sqlite3_int64)phrases * 2 * (sqlite3_int64)sizeof(double);
    query = sqlite3_malloc64((sqlite3_uint64)bytes);
    if (!query) return SQLITE_NOMEM;
    memset(query, 0, (size_t)bytes);
    query->phraseCount = phrases;
    query->idf = (double *)&query[1];
    query->frequency = &query->idf[phrases];

    sqlite3_int64 rowCount = 0;
    sqlite3_int64 tokenCount = 0;
    int rc = api->xRowCount(fts, &rowCount);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokenCount);
    if (rc == SQLITE_OK) query->meanRowTokens = (double)tokenCount / (double)rowCount;
    for (int i = 0; rc == SQLITE_OK && i < phrases; i++) {
        // 2n ≥ N makes (N - n + 0.5) / (n + 0.5) at most 1, its log at most 0, the IDF 1e-6.
        PhraseCount count = {0, (rowCount + 1) / 2};
        if (count.enough < 1) count.enough = 1;
        rc = api->xQueryPhrase(fts, i, &count, count_phrase_row);
        if (rc == SQLITE_OK) {
            sqlite3_int64 hits = count.rows;
            double idf = log((rowCount - hits + 0.5) / (hits + 0.5));
            if (idf <= 0.0) idf = 1e-6;
            query->idf[i] = idf;
        }
    }
    if (rc == SQLITE_OK) {
        rc = api->xSetAuxdata(fts, query, sqlite3_free);
    } else {
        sqlite3_free(query);
    }
    *out = rc == SQLITE_OK ? query : 0;
    return rc;
}

/// Okapi BM25 with k1 = 1.2 and b = 0.75, each column's matches weighted by the arguments,
/// negated (lower is better), as FTS5's bm25().
static void bm25_score(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *result, int argumentCount,
                       sqlite3_value **arguments) {
    const double k1 = 1.2;
    const double b = 0.75;
    RankQuery *query = 0;
    double rowTokens = 0.0;
    double score = 0.0;
    int rc = rank_query(api, fts, &query);
    // Each phrase's instances in the row, column by column and in order: bm25() reads the same
    // instances through xInstCount/xInst (sqlite3.h: "the same information"), which first sorts
    // every phrase's instances into one list, a third of the ranking's per-row cost. A phrase's
    // frequency sums the same weights in the same order either way.
    for (int phrase = 0; rc == SQLITE_OK && phrase < query->phraseCount; phrase++) {
        Fts5PhraseIter iterator;
        int column = -1, offset = 0;
        double frequency = 0.0;
        rc = api->xPhraseFirst(fts, phrase, &iterator, &column, &offset);
        while (rc == SQLITE_OK && column >= 0) {
            frequency += argumentCount > column ? sqlite3_value_double(arguments[column]) : 1.0;
            api->xPhraseNext(fts, &iterator, &column, &offset);
        }
        query->frequency[phrase] = frequency;
    }
    if (rc == SQLITE_OK) {
        int tokens;
        rc = api->xColumnSize(fts, -1, &tokens);
        rowTokens = (double)tokens;
    }
    for (int i = 0; rc == SQLITE_OK && i < query->phraseCount; i++) {
        double f = query->frequency[i];
        score += query->idf[i] * ((f * (k1 + 1.0)) / (f + k1 * (1 - b + b * rowTokens / query->meanRowTokens)));
    }
    if (rc == SQLITE_OK) {
        sqlite3_result_double(result, -1.0 * score);
    } else {
        sqlite3_result_error_code(result, rc);
    }
}

int regwatch_sqlite_fts5_api(sqlite3 *db, fts5_api **api) {
    sqlite3_stmt *statement = 0;
    *api = 0;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, 0);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_pointer(statement, 1, (void *)api, "fts5_api_ptr", 0);
    sqlite3_step(statement);
    rc = sqlite3_finalize(statement);
    if (rc != SQLITE_OK) return rc;
    return *api ? SQLITE_OK : SQLITE_ERROR;
}

int regwatch_sqlite_add_bm25(sqlite3 *db) {
    fts5_api *api = 0;
    int rc = regwatch_sqlite_fts5_api(db, &api);
    if (rc != SQLITE_OK) return rc;
    if (api->iVersion < 2) return SQLITE_ERROR;
    return api->xCreateFunction(api, "regwatch_bm25", 0, bm25_score, 0);
}
