/*
 * JSON byte stream to messages, with QEMU's lexer rules, limits and
 * error recovery (docs/system/qmp-wire.md).
 *
 * The lexer cuts bytes into tokens; the streamer counts braces and
 * brackets and hands the tokens of one complete top-level value to the
 * parser.  A lexical error answers at once and resynchronizes at the
 * next structural or control character; a limit error answers at once
 * and discards the rest of that message up to its closing bracket, so
 * a too-deep or too-long message costs one reply and linear time.
 */
#include <string.h>

#include "qemu/json-parser.h"

typedef enum LexState {
    LX_START,
    LX_RECOVERY,
    LX_DQ,
    LX_DQ_ESC,
    LX_SQ,
    LX_SQ_ESC,
    LX_ZERO,
    LX_SIGN,
    LX_DIGITS,
    LX_MANT,
    LX_MANT_DIGITS,
    LX_EXP_E,
    LX_EXP_SIGN,
    LX_EXP_DIGITS,
    LX_KEYWORD,
} LexState;

/* Bytes of a discarded message's token kept for a "stray" report. */
#define DISCARD_KEEP 256

struct JsonStreamer {
    JsonEmitFunc *emit;
    JsonViewFunc *emit_view;    /* instead of @emit */
    void *opaque;
    LexState state;
    GString *text;              /* queued tokens, then the one in progress */
    gsize tok_start;            /* where the token in progress begins */
    JsonToken *toks;            /* the message's tokens so far */
    guint ntoks;
    guint toks_size;            /* allocated */
    int brace;
    int bracket;
    bool discard;               /* skipping the rest of a failed message */
};

JsonStreamer *json_streamer_new(JsonEmitFunc *emit, void *opaque)
{
    JsonStreamer *js = g_new0(JsonStreamer, 1);

    js->emit = emit;
    js->opaque = opaque;
    js->text = g_string_new(NULL);
    return js;
}

JsonStreamer *json_streamer_new_view(JsonViewFunc *emit, void *opaque)
{
    JsonStreamer *js = json_streamer_new(NULL, opaque);

    js->emit_view = emit;
    return js;
}

void json_streamer_free(JsonStreamer *js)
{
    if (js) {
        g_string_free(js->text, true);
        g_free(js->toks);
        g_free(js);
    }
}

/* Forget the message being gathered (the lexer state is the caller's). */
static void stream_clear(JsonStreamer *js)
{
    g_string_truncate(js->text, 0);
    js->ntoks = 0;
    js->tok_start = 0;
    js->brace = js->bracket = 0;
    js->discard = false;
}

void json_streamer_reset(JsonStreamer *js)
{
    stream_clear(js);
    js->state = LX_START;
    /* Give back what a huge message grew the buffers to. */
    if (js->text->allocated_len > 4096) {
        g_string_free(js->text, true);
        js->text = g_string_new(NULL);
        g_clear_pointer(&js->toks, g_free);
        js->toks_size = 0;
    }
}

static void stream_emit_error(JsonStreamer *js, Error *err)
{
    if (js->emit_view) {
        js->emit_view(js->opaque, NULL, err);
    } else {
        js->emit(js->opaque, NULL, err);
    }
}

static bool stream_open(JsonStreamer *js)
{
    return js->brace > 0 || js->bracket > 0;
}

/*
 * A limit was hit: answer now; skip the rest of the message if it is
 * still open.
 */
static void stream_fail(JsonStreamer *js, const char *msg, bool mid_token)
{
    Error *err = NULL;
    bool open = stream_open(js) || mid_token;
    int brace = js->brace, bracket = js->bracket;

    error_setg(&err, "%s", msg);
    json_streamer_reset(js);
    js->discard = open;
    js->brace = open ? brace : 0;
    js->bracket = open ? bracket : 0;
    stream_emit_error(js, err);
}

static void stream_parse(JsonStreamer *js)
{
    Error *err = NULL;
    JsonView value = { js->text->str, js->toks };
    bool ok = json_check_tokens(value.text, js->toks, js->ntoks, &err);
    JsonNode *node;

    if (js->emit_view) {
        js->emit_view(js->opaque, ok ? &value : NULL, err);
        stream_clear(js);
        return;
    }
    node = ok ? json_view_to_node(&value) : NULL;
    stream_clear(js);
    js->emit(js->opaque, node, err);
}

/* The token text[tok_start..] is complete. */
static void stream_token(JsonStreamer *js, JsonTokenType type)
{
    JsonToken tok = {
        .type = type,
        .off = js->tok_start,
        .len = js->text->len - js->tok_start,
    };

    js->brace += type == JSON_TOK_LCURLY ? 1 : type == JSON_TOK_RCURLY ? -1 : 0;
    js->bracket += type == JSON_TOK_LSQUARE ? 1 :
                   type == JSON_TOK_RSQUARE ? -1 : 0;
    if (type == JSON_TOK_ERROR) {
        Error *err = NULL;

        /* QEMU: a lexical error ends the message and is answered at once */
        error_setg(&err, "JSON parse error, stray '%s'",
                   js->text->str + js->tok_start);
        stream_clear(js);
        stream_emit_error(js, err);
        return;
    }
    if (js->discard) {
        if (!stream_open(js)) {
            stream_clear(js);
        }
        g_string_truncate(js->text, 0);
        js->tok_start = 0;
        return;
    }
    if (js->ntoks + 1 > JSON_MAX_TOKEN_COUNT) {
        stream_fail(js, "JSON token count limit exceeded", false);
        return;
    }
    if (js->brace + js->bracket > JSON_MAX_NESTING) {
        stream_fail(js, "JSON nesting depth limit exceeded", false);
        return;
    }
    if (js->ntoks == js->toks_size) {
        js->toks_size = MAX(32, js->toks_size * 2);
        js->toks = g_renew(JsonToken, js->toks, js->toks_size);
    }
    js->toks[js->ntoks++] = tok;
    js->tok_start = js->text->len;
    if (stream_open(js) && js->brace >= 0 && js->bracket >= 0) {
        return;
    }
    stream_parse(js);
}

static void lex_keep(JsonStreamer *js, char c)
{
    if (js->discard && js->text->len - js->tok_start >= DISCARD_KEEP) {
        return;
    }
    g_string_append_c(js->text, c);
    if (!js->discard && js->text->len + 1 > JSON_MAX_TOKEN_SIZE) {
        LexState st = js->state;

        stream_fail(js, "JSON token size limit exceeded", true);
        js->state = st;         /* keep lexing the token to find its end */
        js->discard = true;
    }
}

static JsonTokenType lex_structural(char c)
{
    switch (c) {
    case '{': return JSON_TOK_LCURLY;
    case '}': return JSON_TOK_RCURLY;
    case '[': return JSON_TOK_LSQUARE;
    case ']': return JSON_TOK_RSQUARE;
    case ':': return JSON_TOK_COLON;
    case ',': return JSON_TOK_COMMA;
    default: return JSON_TOK_ERROR;
    }
}

static bool lex_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* From the start state: the state @c leads to; tokens of one byte end. */
static LexState lex_start(JsonStreamer *js, char c)
{
    JsonTokenType t = lex_structural(c);

    if (lex_blank(c)) {
        return LX_START;
    }
    lex_keep(js, c);
    if (t != JSON_TOK_ERROR) {
        stream_token(js, t);
        return LX_START;
    }
    switch (c) {
    case '"': return LX_DQ;
    case '\'': return LX_SQ;
    case '0': return LX_ZERO;
    case '-': return LX_SIGN;
    default:
        if (c >= '1' && c <= '9') {
            return LX_DIGITS;
        }
        if (c >= 'a' && c <= 'z') {
            return LX_KEYWORD;
        }
        stream_token(js, JSON_TOK_ERROR);
        return LX_RECOVERY;
    }
}

/* Inside a string: bytes 0x20..0xFD, QEMU's lexer's set. */
static LexState lex_string(JsonStreamer *js, LexState st, unsigned char c)
{
    bool dq = st == LX_DQ || st == LX_DQ_ESC;

    lex_keep(js, c);
    if (c < 0x20 || c >= 0xfe) {
        stream_token(js, JSON_TOK_ERROR);
        return LX_RECOVERY;
    }
    if (st == LX_DQ_ESC || st == LX_SQ_ESC) {
        return dq ? LX_DQ : LX_SQ;
    }
    if (c == '\\') {
        return dq ? LX_DQ_ESC : LX_SQ_ESC;
    }
    if (c == (dq ? '"' : '\'')) {
        stream_token(js, JSON_TOK_STRING);
        return LX_START;
    }
    return st;
}

/*
 * Numbers and keywords.  Returns the next state and sets *@again when
 * @c ended the token without being part of it (it is looked at again).
 */
static LexState lex_number(JsonStreamer *js, LexState st, char c,
                           bool *again)
{
    bool digit = c >= '0' && c <= '9';
    LexState next = LX_RECOVERY;        /* a byte that fits nowhere */
    JsonTokenType end = JSON_TOK_ERROR; /* the token @c terminates */

    switch (st) {
    case LX_SIGN:
        next = c == '0' ? LX_ZERO : digit ? LX_DIGITS : LX_RECOVERY;
        break;
    case LX_ZERO:
        next = c == '.' ? LX_MANT : digit ? LX_RECOVERY : LX_START;
        end = JSON_TOK_INTEGER;
        break;
    case LX_DIGITS:
        next = digit ? LX_DIGITS : c == '.' ? LX_MANT :
               (c == 'e' || c == 'E') ? LX_EXP_E : LX_START;
        end = JSON_TOK_INTEGER;
        break;
    case LX_MANT:
        next = digit ? LX_MANT_DIGITS : LX_RECOVERY;
        break;
    case LX_MANT_DIGITS:
        next = digit ? LX_MANT_DIGITS :
               (c == 'e' || c == 'E') ? LX_EXP_E : LX_START;
        end = JSON_TOK_FLOAT;
        break;
    case LX_EXP_E:
        next = digit ? LX_EXP_DIGITS :
               (c == '+' || c == '-') ? LX_EXP_SIGN : LX_RECOVERY;
        break;
    case LX_EXP_SIGN:
        next = digit ? LX_EXP_DIGITS : LX_RECOVERY;
        break;
    case LX_EXP_DIGITS:
        next = digit ? LX_EXP_DIGITS : LX_START;
        end = JSON_TOK_FLOAT;
        break;
    case LX_KEYWORD:
        next = c >= 'a' && c <= 'z' ? LX_KEYWORD : LX_START;
        end = JSON_TOK_KEYWORD;
        break;
    default:
        g_assert_not_reached();
    }
    if (next == LX_START) {
        stream_token(js, end);
        *again = true;
        return LX_START;
    }
    lex_keep(js, c);
    if (next == LX_RECOVERY) {
        stream_token(js, JSON_TOK_ERROR);
    }
    return next;
}

/* Skip to a byte that can start over: structural, control, 0xFE/0xFF. */
static bool lex_resync(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c >= 0xfe || strchr("[]{}:,", c);
}

static void lex_char(JsonStreamer *js, char c)
{
    bool again;

    do {
        again = false;
        switch (js->state) {
        case LX_START:
            js->state = lex_start(js, c);
            break;
        case LX_RECOVERY:
            if (lex_resync(c)) {
                js->state = LX_START;
                again = true;
            }
            break;
        case LX_DQ:
        case LX_DQ_ESC:
        case LX_SQ:
        case LX_SQ_ESC:
            js->state = lex_string(js, js->state, c);
            break;
        default:
            js->state = lex_number(js, js->state, c, &again);
            break;
        }
    } while (again);
}

/*
 * Bytes from @p on taken in one go where lex_char() would take them one
 * by one to the same effect: blanks between tokens, and a string's
 * ordinary bytes with its closing quote (not when discarding, and never
 * up to the size limit).
 */
static size_t lex_run(JsonStreamer *js, const char *p, size_t len)
{
    char quote = js->state == LX_DQ ? '"' : '\'';
    size_t n = 0;

    if (js->state == LX_START) {
        while (n < len && lex_blank(p[n])) {
            n++;
        }
        return n;
    }
    if ((js->state != LX_DQ && js->state != LX_SQ) || js->discard) {
        return 0;
    }
    len = MIN(len, JSON_MAX_TOKEN_SIZE - 1 - js->text->len);
    while (n < len) {
        unsigned char c = p[n];

        if (c < 0x20 || c >= 0xfe || c == '\\' || c == quote) {
            break;
        }
        n++;
    }
    g_string_append_len(js->text, p, n);
    if (n < len && p[n] == quote &&
        js->text->len + 2 <= JSON_MAX_TOKEN_SIZE) {
        g_string_append_c(js->text, quote);
        js->state = LX_START;
        stream_token(js, JSON_TOK_STRING);
        n++;
    }
    return n;
}

void json_streamer_feed(JsonStreamer *js, const char *buf, size_t len)
{
    size_t i = 0;

    while (i < len) {
        i += lex_run(js, buf + i, len - i);
        if (i < len) {
            lex_char(js, buf[i++]);
        }
    }
}

void json_streamer_flush(JsonStreamer *js)
{
    switch (js->state) {
    case LX_START:
    case LX_RECOVERY:
        break;
    case LX_ZERO:
    case LX_DIGITS:
    case LX_MANT_DIGITS:
    case LX_EXP_DIGITS:
    case LX_KEYWORD:
        lex_char(js, ' ');      /* a complete token waiting for its end */
        break;
    default:
        stream_token(js, JSON_TOK_ERROR);
        break;
    }
    js->state = LX_START;
    if (js->ntoks && !js->discard) {
        stream_parse(js);       /* reports what is missing */
    }
    json_streamer_reset(js);
}
