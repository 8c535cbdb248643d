#include "sqlite_connection.h"

#include <stdint.h>
#include <string.h>

// `regwatch_unicode61`: SQLite's `unicode61` tokenizer with a table for the characters of
// Western text, which gives the same tokens, at the same offsets, for less work (see the header).
//
// `unicode61` classifies and folds every character through SQLite's Unicode tables: a binary
// search per character outside ASCII, 400 instructions for an "é" (callgrind, issue #19). Here a
// character below U+0250 or in General Punctuation (U+2000–U+206F: ’ “ ” – — … and the spaces)
// is looked up in a table that `unicode61` itself filled, by tokenizing each such character
// once: the table cannot disagree with it. A text holding any other character, or a byte
// sequence that is not exactly one of those characters, is handed to `unicode61` whole.

/// The first code point past the table's Latin part, and the General Punctuation block.
enum {
    LatinEnd = 0x250,
    PunctuationStart = 0x2000,
    PunctuationEnd = 0x2070,
    TableSize = LatinEnd + (PunctuationEnd - PunctuationStart),
};

/// What `unicode61` does with one character.
typedef struct {
    /// Starts a token (a letter, digit or private-use character: `unicode61`'s "alnum").
    uint8_t starts;
    /// Continues a token once started (alnum, or a combining diacritic).
    uint8_t continues;
    /// How many bytes it folds to (lowercase, accents removed), at most 4; 0 for nothing.
    uint8_t foldedCount;
    uint8_t folded[4];
} CharacterFold;

typedef struct {
    /// The `unicode61` instance a text outside the table is given to, and its module.
    fts5_tokenizer unicode61;
    Fts5Tokenizer *instance;
    /// Filled on the first document; searches (queries, snippets) always go to `unicode61`.
    /// A table that could not be filled (unicode61 answered unlike any SQLite so far, or no
    /// memory) is not used: every text goes to `unicode61`, slower and the same.
    int tableReady;
    int tableUsable;
    CharacterFold table[TableSize];
    /// What an ASCII byte folds to, 0 for a separator: every ASCII token character folds to one
    /// ASCII byte (fill_table checks it), so a run of them is folded by one lookup a byte.
    unsigned char asciiFold[128];
    /// The token being folded.
    char *token;
    int tokenCapacity;
} FastTokenizer;

/// The table index of a code point, or -1 when the table does not hold it.
static int table_index(uint32_t codePoint) {
    if (codePoint < LatinEnd) return (int)codePoint;
    if (codePoint >= PunctuationStart && codePoint < PunctuationEnd) return LatinEnd + (int)(codePoint - PunctuationStart);
    return -1;
}

static int utf8_encode(uint32_t codePoint, unsigned char *out) {
    if (codePoint < 0x80) {
        out[0] = (unsigned char)codePoint;
        return 1;
    }
    if (codePoint < 0x800) {
        out[0] = (unsigned char)(0xC0 | (codePoint >> 6));
        out[1] = (unsigned char)(0x80 | (codePoint & 0x3F));
        return 2;
    }
    out[0] = (unsigned char)(0xE0 | (codePoint >> 12));
    out[1] = (unsigned char)(0x80 | ((codePoint >> 6) & 0x3F));
    out[2] = (unsigned char)(0x80 | (codePoint & 0x3F));
    return 3;
}

/// What one probe of `unicode61` gave: its tokens (at most two are looked at).
typedef struct {
    int count;
    int length[2];
    int start[2];
    int end[2];
    char text[2][16];
} Probe;

static int probe_token(void *context, int flags, const char *token, int count, int start, int end) {
    (void)flags;
    Probe *probe = context;
    if (probe->count < 2) {
        int index = probe->count;
        probe->length[index] = count;
        probe->start[index] = start;
        probe->end[index] = end;
        if (count > 0 && count <= (int)sizeof(probe->text[index])) memcpy(probe->text[index], token, (size_t)count);
    }
    probe->count++;
    return SQLITE_OK;
}

/// Fills the table by asking `unicode61` about each character: alone (does it start a token,
/// what does it fold to) and after an "a" (does it continue one: a diacritic does, alone not).
static int fill_table(FastTokenizer *tokenizer) {
    for (uint32_t codePoint = 0; codePoint < PunctuationEnd; codePoint++) {
        int index = table_index(codePoint);
        if (index < 0) continue;
        unsigned char text[8];
        text[0] = 'a';
        int length = utf8_encode(codePoint, text + 1);
        Probe alone = {0}, after = {0};
        int rc = tokenizer->unicode61.xTokenize(tokenizer->instance, &alone, FTS5_TOKENIZE_DOCUMENT,
                                                (const char *)text + 1, length, probe_token);
        if (rc == SQLITE_OK)
            rc = tokenizer->unicode61.xTokenize(tokenizer->instance, &after, FTS5_TOKENIZE_DOCUMENT,
                                                (const char *)text, length + 1, probe_token);
        if (rc != SQLITE_OK) return rc;
        CharacterFold *fold = &tokenizer->table[index];
        memset(fold, 0, sizeof(*fold));
        // Alone: one token spanning the character, or none. After "a": one token "a…" spanning
        // both when it continues a token; else the "a" alone (and the character, if it starts one).
        fold->starts = alone.count == 1 && alone.start[0] == 0 && alone.end[0] == length;
        fold->continues = after.count == 1 && after.start[0] == 0 && after.end[0] == length + 1;
        if (fold->starts && !fold->continues) return SQLITE_ERROR;  // unicode61 never does this
        if (fold->continues) {
            int folded = after.length[0] - 1;
            // The token buffer is twice the text (fast_tokenize): no character may fold longer.
            if (folded < 0 || folded > 4 || folded > 2 * length || after.text[0][0] != 'a') return SQLITE_ERROR;
            fold->foldedCount = (uint8_t)folded;
            memcpy(fold->folded, after.text[0] + 1, (size_t)folded);
            // Alone, a token character folds the same (unicode61 folds one character at a time).
            if (fold->starts && (alone.length[0] != folded || memcmp(alone.text[0], fold->folded, (size_t)folded) != 0))
                return SQLITE_ERROR;
        } else if (after.count < 1 || after.length[0] != 1 || after.end[0] != 1) {
            return SQLITE_ERROR;
        }
    }
    for (int byte = 0; byte < 128; byte++) {
        const CharacterFold *fold = &tokenizer->table[byte];
        if (fold->starts != fold->continues) return SQLITE_ERROR;
        if (!fold->starts) continue;
        if (fold->foldedCount != 1 || fold->folded[0] == 0 || fold->folded[0] >= 0x80) return SQLITE_ERROR;
        tokenizer->asciiFold[byte] = fold->folded[0];
    }
    return SQLITE_OK;
}

/// Whether every character of the text is in the table, each written in its shortest form and
/// followed by no stray continuation byte (`unicode61` would read those differently).
static int table_covers(const unsigned char *text, int count) {
    int at = 0;
    while (at < count) {
        // Eight ASCII bytes at a time: most of a French text.
        if (at + 8 <= count) {
            uint64_t word;
            memcpy(&word, text + at, 8);
            if ((word & 0x8080808080808080ULL) == 0) {
                at += 8;
                continue;
            }
        }
        unsigned char byte = text[at];
        if (byte < 0x80) {
            at++;
        } else if (byte >= 0xC2 && byte <= 0xC9) {
            // U+0080–U+027F: the table stops at U+0250.
            if (at + 1 >= count || (text[at + 1] & 0xC0) != 0x80) return 0;
            uint32_t codePoint = ((uint32_t)(byte & 0x1F) << 6) | (text[at + 1] & 0x3F);
            if (codePoint >= LatinEnd) return 0;
            at += 2;
        } else if (byte == 0xE2) {
            // U+2000–U+206F: E2 80 80 – E2 81 AF.
            if (at + 2 >= count || (text[at + 1] != 0x80 && text[at + 1] != 0x81) || (text[at + 2] & 0xC0) != 0x80) return 0;
            if (text[at + 1] == 0x81 && text[at + 2] >= 0xB0) return 0;
            at += 3;
        } else {
            return 0;
        }
        if (at < count && (text[at] & 0xC0) == 0x80) return 0;
    }
    return 1;
}

/// The table's entry for the character at `text[*at]` (covered: see table_covers), moving past it.
static const CharacterFold *next_character(const FastTokenizer *tokenizer, const unsigned char *text, int *at) {
    unsigned char byte = text[*at];
    if (byte < 0x80) {
        *at += 1;
        return &tokenizer->table[byte];
    }
    if (byte < 0xE0) {
        uint32_t codePoint = ((uint32_t)(byte & 0x1F) << 6) | (text[*at + 1] & 0x3F);
        *at += 2;
        return &tokenizer->table[codePoint];
    }
    uint32_t codePoint = ((uint32_t)(byte & 0x0F) << 12) | ((uint32_t)(text[*at + 1] & 0x3F) << 6) | (text[*at + 2] & 0x3F);
    *at += 3;
    return &tokenizer->table[table_index(codePoint)];
}

static int fast_create(void *context, const char **arguments, int argumentCount, Fts5Tokenizer **out) {
    fts5_api *api = context;
    FastTokenizer *tokenizer = sqlite3_malloc64(sizeof(FastTokenizer));
    if (!tokenizer) return SQLITE_NOMEM;
    memset(tokenizer, 0, sizeof(*tokenizer));
    void *unicode61Context = 0;
    int rc = api->xFindTokenizer(api, "unicode61", &unicode61Context, &tokenizer->unicode61);
    if (rc == SQLITE_OK) rc = tokenizer->unicode61.xCreate(unicode61Context, arguments, argumentCount, &tokenizer->instance);
    if (rc != SQLITE_OK) {
        sqlite3_free(tokenizer);
        return rc;
    }
    *out = (Fts5Tokenizer *)tokenizer;
    return SQLITE_OK;
}

static void fast_delete(Fts5Tokenizer *instance) {
    FastTokenizer *tokenizer = (FastTokenizer *)instance;
    if (!tokenizer) return;
    if (tokenizer->instance) tokenizer->unicode61.xDelete(tokenizer->instance);
    sqlite3_free(tokenizer->token);
    sqlite3_free(tokenizer);
}

/// `unicode61`'s loop (skip separators, then fold token characters until one is not), each
/// character read from the table. A token is reported from its first character's offset to
/// the end of its last, as `unicode61` reports it.
static int fast_tokenize(Fts5Tokenizer *instance, void *context, int flags, const char *text, int count,
                         int (*token)(void *, int, const char *, int, int, int)) {
    FastTokenizer *tokenizer = (FastTokenizer *)instance;
    const unsigned char *bytes = (const unsigned char *)text;
    int rc = SQLITE_OK;
    if (!(flags & FTS5_TOKENIZE_DOCUMENT) || count <= 0 || count > (1 << 28)) {
        return tokenizer->unicode61.xTokenize(tokenizer->instance, context, flags, text, count, token);
    }
    if (!tokenizer->tableReady) {
        tokenizer->tableUsable = fill_table(tokenizer) == SQLITE_OK;
        tokenizer->tableReady = 1;
    }
    if (!tokenizer->tableUsable || !table_covers(bytes, count)) {
        return tokenizer->unicode61.xTokenize(tokenizer->instance, context, flags, text, count, token);
    }
    // A token folds to at most twice its bytes (fill_table), and each character's fold is
    // copied as four bytes: room for both.
    if (tokenizer->tokenCapacity < 2 * count + 4) {
        char *grown = sqlite3_realloc64(tokenizer->token, (sqlite3_uint64)count * 2 + 4);
        if (!grown) return SQLITE_NOMEM;
        tokenizer->token = grown;
        tokenizer->tokenCapacity = 2 * count + 4;
    }
    char *folded = tokenizer->token;
    const unsigned char *ascii = tokenizer->asciiFold;
    int at = 0;
    while (rc == SQLITE_OK) {
        // Separators: ASCII ones a byte at a time, others through the table.
        int start = 0, length = 0;
        const CharacterFold *character = 0;
        while (at < count) {
            unsigned char byte = bytes[at];
            if (byte < 0x80) {
                if (ascii[byte]) break;
                at++;
                continue;
            }
            start = at;
            character = next_character(tokenizer, bytes, &at);
            if (character->starts) break;
            character = 0;
        }
        if (at >= count && !character) break;
        if (character) {
            memcpy(folded, character->folded, 4);
            length = character->foldedCount;
        } else {
            start = at;
        }
        // Token characters until a separator: ASCII ones a byte at a time.
        int end = at;
        while (at < count) {
            unsigned char byte = bytes[at];
            if (byte < 0x80) {
                unsigned char fold = ascii[byte];
                if (!fold) break;
                folded[length++] = (char)fold;
                end = ++at;
                continue;
            }
            int next = at;
            character = next_character(tokenizer, bytes, &next);
            if (!character->continues) break;
            memcpy(folded + length, character->folded, 4);
            length += character->foldedCount;
            end = at = next;
        }
        rc = token(context, 0, folded, length, start, end);
    }
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int regwatch_sqlite_add_fast_unicode61(sqlite3 *db) {
    fts5_api *api = 0;
    int rc = regwatch_sqlite_fts5_api(db, &api);
    if (rc != SQLITE_OK) return rc;
    fts5_tokenizer module = {fast_create, fast_delete, fast_tokenize};
    return api->xCreateTokenizer(api, "regwatch_unicode61", api, &module, 0);
}
