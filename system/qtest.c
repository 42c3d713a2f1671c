/*
 * The qtest server.
 *
 * Requests are lines of space-separated words; each gets exactly one
 * reply line, "OK [VALUE]" or "FAIL [WHY]".  Reply formats follow QEMU's
 * server byte for byte (lower-case hex, zero-padded widths), since QEMU's
 * libqtest parses them.  Where QEMU asserts on malformed input, this
 * server answers FAIL instead: nothing a client sends may end the process.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/core/machine.h"
#include "system/chardev.h"
#include "system/qtest.h"
#include "system/runstate.h"

/* Bulk transfers are bounded so a typo cannot exhaust host memory. */
#define QTEST_MAX_TRANSFER (64 * 1024 * 1024)

/* A request's words, NULL-ended; the vector grows and is reused. */
typedef struct QTestWords {
    char **v;
    size_t cap;
} QTestWords;

typedef struct QTestServer {
    Chardev *chr;
    GString *inbuf;
    /* kept from one request to the next, for their capacity */
    GString *outbuf;
    QTestWords words;
    FILE *log;
    GTimer *timer;
    MachineState *machine;      /* looked up at the first request */
    bool opened;
    char *irq_intercept_path;
} QTestServer;

static QTestServer *qtest;

/* A command appends exactly one reply line to @reply. */
typedef struct QTestCmd {
    const char *name;
    unsigned min_args;
    void (*fn)(GString *reply, char **args);
} QTestCmd;

static int qtest_hex_nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/*
 * "0x" and 1 to 16 hex digits, the form libqtest writes every number in:
 * what g_ascii_strtoull() would make of it, for a fraction of the cost.
 */
static bool qtest_parse_hex(const char *str, uint64_t *val)
{
    uint64_t v = 0;
    int nibble;
    size_t i;

    if (str[0] != '0' || (str[1] != 'x' && str[1] != 'X')) {
        return false;
    }
    for (i = 2; i < 2 + 16 && (nibble = qtest_hex_nibble(str[i])) >= 0;
         i++) {
        v = v << 4 | nibble;
    }
    if (i == 2 || str[i]) {
        return false;
    }
    *val = v;
    return true;
}

static bool qtest_parse_u64(GString *reply, const char *str, uint64_t *val)
{
    char *end;

    if (str && qtest_parse_hex(str, val)) {
        return true;
    }
    errno = 0;
    if (!str || !*str || *str == '-') {
        goto fail;
    }
    *val = g_ascii_strtoull(str, &end, 0);
    if (errno || *end) {
        goto fail;
    }
    return true;
fail:
    g_string_append_printf(reply, "FAIL Invalid number '%s'\n", str);
    return false;
}

static bool qtest_parse_i64(GString *reply, const char *str, int64_t *val)
{
    char *end;

    errno = 0;
    *val = str && *str ? g_ascii_strtoll(str, &end, 0) : 0;
    if (!str || !*str || errno || *end) {
        g_string_append_printf(reply, "FAIL Invalid number '%s'\n",
                               str ? str : "");
        return false;
    }
    return true;
}

static bool qtest_parse_size(GString *reply, const char *str, uint64_t *len)
{
    if (!qtest_parse_u64(reply, str, len)) {
        return false;
    }
    if (*len > QTEST_MAX_TRANSFER) {
        g_string_append_printf(reply, "FAIL Size too large '%s'\n", str);
        return false;
    }
    return true;
}

/*
 * The machine is made before the main loop serves any request and
 * destroyed after the server, so the server needs to look it up once.
 */
static MachineState *qtest_machine(void)
{
    if (!qtest) {
        return qdev_get_machine();
    }
    if (!qtest->machine) {
        qtest->machine = qdev_get_machine();
    }
    return qtest->machine;
}

static AddressSpace *qtest_as(GString *reply, bool io)
{
    MachineState *ms = qtest_machine();

    if (!ms) {
        g_string_append(reply, "FAIL No machine\n");
        return NULL;
    }
    return io ? &ms->io : &ms->memory;
}

/* A port number, 16 bits; "FAIL ..." in @reply otherwise. */
static bool qtest_parse_port(GString *reply, const char *word,
                             uint64_t *port)
{
    if (!qtest_parse_u64(reply, word, port)) {
        return false;
    }
    if (*port > 0xffff) {
        g_string_append_printf(reply, "FAIL Invalid port '%s'\n", word);
        return false;
    }
    return true;
}

static unsigned qtest_width(char suffix)
{
    switch (suffix) {
    case 'b':
        return 1;
    case 'w':
        return 2;
    case 'l':
        return 4;
    default:
        return 8;
    }
}

static void qtest_cmd_out(GString *reply, char **args)
{
    uint64_t port, val;
    AddressSpace *as;

    if (!qtest_parse_port(reply, args[1], &port) ||
        !qtest_parse_u64(reply, args[2], &val)) {
        return;
    }
    as = qtest_as(reply, true);
    if (as) {
        address_space_st(as, port, val, qtest_width(args[0][3]));
        g_string_append(reply, "OK\n");
    }
}

static void qtest_cmd_in(GString *reply, char **args)
{
    uint64_t port;
    AddressSpace *as;
    uint32_t val;

    if (!qtest_parse_port(reply, args[1], &port)) {
        return;
    }
    as = qtest_as(reply, true);
    if (as) {
        val = address_space_ld(as, port, qtest_width(args[0][2]));
        g_string_append_printf(reply, "OK 0x%04x\n", val);
    }
}

static void qtest_cmd_write(GString *reply, char **args)
{
    uint64_t addr, val;
    AddressSpace *as;

    if (!qtest_parse_u64(reply, args[1], &addr) ||
        !qtest_parse_u64(reply, args[2], &val)) {
        return;
    }
    as = qtest_as(reply, false);
    if (as) {
        address_space_st(as, addr, val, qtest_width(args[0][5]));
        g_string_append(reply, "OK\n");
    }
}

/* "OK 0x" and 16 hex digits: the hot reply, formatted without printf. */
static void qtest_reply_u64(GString *reply, uint64_t val)
{
    char buf[] = "OK 0x0000000000000000\n";

    for (int i = 0; i < 16; i++) {
        buf[20 - i] = "0123456789abcdef"[(val >> (4 * i)) & 0xf];
    }
    g_string_append_len(reply, buf, sizeof(buf) - 1);
}

static void qtest_cmd_read(GString *reply, char **args)
{
    unsigned width = qtest_width(args[0][4]);
    uint64_t addr, val;
    AddressSpace *as;

    if (!qtest_parse_u64(reply, args[1], &addr)) {
        return;
    }
    as = qtest_as(reply, false);
    if (as) {
        val = address_space_ld(as, addr, width);
        qtest_reply_u64(reply, val);
    }
}

static void qtest_cmd_read_bytes(GString *reply, char **args)
{
    uint64_t addr, len;
    g_autofree uint8_t *data = NULL;
    AddressSpace *as;

    if (!qtest_parse_u64(reply, args[1], &addr) ||
        !qtest_parse_size(reply, args[2], &len)) {
        return;
    }
    if (len == 0) {
        g_string_append_printf(reply, "FAIL Invalid size '%s'\n", args[2]);
        return;
    }
    as = qtest_as(reply, false);
    if (!as) {
        return;
    }
    data = g_malloc(len);
    address_space_read(as, addr, data, len);
    g_string_append(reply, "OK 0x");
    for (uint64_t i = 0; i < len; i++) {
        g_string_append_printf(reply, "%02x", data[i]);
    }
    g_string_append_c(reply, '\n');
}

static void qtest_cmd_b64read(GString *reply, char **args)
{
    uint64_t addr, len;
    g_autofree uint8_t *data = NULL;
    g_autofree char *b64 = NULL;
    AddressSpace *as;

    if (!qtest_parse_u64(reply, args[1], &addr) ||
        !qtest_parse_size(reply, args[2], &len)) {
        return;
    }
    as = qtest_as(reply, false);
    if (!as) {
        return;
    }
    data = g_malloc(len ? len : 1);
    address_space_read(as, addr, data, len);
    b64 = g_base64_encode(data, len);
    g_string_append_printf(reply, "OK %s\n", b64);
}

static void qtest_cmd_write_bytes(GString *reply, char **args)
{
    const char *hex = args[3];
    size_t hex_len = strlen(hex);
    g_autofree uint8_t *data = NULL;
    uint64_t addr, len;
    AddressSpace *as;

    if (!qtest_parse_u64(reply, args[1], &addr) ||
        !qtest_parse_size(reply, args[2], &len)) {
        return;
    }
    /* QEMU's answer to data of the wrong size; surplus is not dropped */
    if (hex_len < 3 || (hex_len - 2) / 2 > len || hex_len % 2) {
        g_string_append(reply, "ERR invalid argument size\n");
        return;
    }
    if (hex[0] != '0' || (hex[1] != 'x' && hex[1] != 'X')) {
        g_string_append(reply, "FAIL Invalid data\n");
        return;
    }
    data = g_malloc0(len ? len : 1);
    /* Short data is zero-filled, as QEMU documents. */
    for (uint64_t i = 0; i < len && i * 2 + 4 <= hex_len; i++) {
        int hi = qtest_hex_nibble(hex[i * 2 + 2]);
        int lo = qtest_hex_nibble(hex[i * 2 + 3]);
        if (hi < 0 || lo < 0) {
            g_string_append(reply, "FAIL Invalid data\n");
            return;
        }
        data[i] = hi << 4 | lo;
    }
    as = qtest_as(reply, false);
    if (as) {
        address_space_write(as, addr, data, len);
        g_string_append(reply, "OK\n");
    }
}

static void qtest_cmd_b64write(GString *reply, char **args)
{
    g_autofree uint8_t *data = NULL;
    g_autofree uint8_t *decoded = NULL;
    uint64_t addr, len;
    gsize out_len;
    AddressSpace *as;

    if (!qtest_parse_u64(reply, args[1], &addr) ||
        !qtest_parse_size(reply, args[2], &len)) {
        return;
    }
    if (strlen(args[3]) < 3) {
        g_string_append(reply, "ERR invalid argument size\n");
        return;
    }
    decoded = g_base64_decode(args[3], &out_len);
    /* A length mismatch truncates or zero-fills rather than failing. */
    data = g_malloc0(len ? len : 1);
    memcpy(data, decoded, MIN(out_len, len));
    as = qtest_as(reply, false);
    if (as) {
        address_space_write(as, addr, data, len);
        g_string_append(reply, "OK\n");
    }
}

static void qtest_cmd_memset(GString *reply, char **args)
{
    g_autofree uint8_t *data = NULL;
    uint64_t addr, len, pattern;
    AddressSpace *as;

    if (!qtest_parse_u64(reply, args[1], &addr) ||
        !qtest_parse_size(reply, args[2], &len) ||
        !qtest_parse_u64(reply, args[3], &pattern)) {
        return;
    }
    as = qtest_as(reply, false);
    if (!as) {
        return;
    }
    if (len) {
        data = g_malloc(len);
        memset(data, (uint8_t)pattern, len);
        address_space_write(as, addr, data, len);
    }
    g_string_append(reply, "OK\n");
}

static void qtest_cmd_endianness(GString *reply, char **args)
{
    g_string_append(reply, "OK little\n");
}

static void qtest_cmd_clock_step(GString *reply, char **args)
{
    int64_t old_ns = qemu_clock_get_ns();
    int64_t step;

    if (!args[1]) {
        /* No timers exist, so there is never a next deadline. */
        g_string_append(reply, "FAIL cannot advance clock to the next "
                        "deadline because there is no pending deadline\n");
        return;
    }
    if (!qtest_parse_i64(reply, args[1], &step)) {
        return;
    }
    if (step <= 0 || step > INT64_MAX - old_ns) {
        g_string_append(reply, "FAIL could not advance time\n");
        return;
    }
    qemu_clock_set_ns(old_ns + step);
    g_string_append_printf(reply, "OK %" PRIi64 "\n", old_ns + step);
}

static void qtest_cmd_clock_set(GString *reply, char **args)
{
    int64_t ns, now;

    if (!qtest_parse_i64(reply, args[1], &ns)) {
        return;
    }
    /* The clock only moves forward. */
    now = MAX(qemu_clock_get_ns(), ns);
    qemu_clock_set_ns(now);
    g_string_append_printf(reply, "%s %" PRIi64 "\n",
                           now == ns ? "OK" : "FAIL", now);
}

static void qtest_cmd_irq_intercept(GString *reply, char **args)
{
    Object *obj = object_resolve_path(args[1]);

    if (!obj || !object_dynamic_cast(obj, TYPE_DEVICE)) {
        g_string_append(reply, "FAIL Unknown device\n");
        return;
    }
    if (args[2] && args[0][14] != 'o') {
        g_string_append(reply, "FAIL Interception of named in-GPIOs not yet "
                        "supported\n");
        return;
    }
    if (qtest && qtest->irq_intercept_path &&
        strcmp(qtest->irq_intercept_path, args[1])) {
        g_string_append(reply, "FAIL IRQ intercept already enabled\n");
        return;
    }
    /* Accepted; no device model raises interrupts yet. */
    if (qtest && !qtest->irq_intercept_path) {
        qtest->irq_intercept_path = g_strdup(args[1]);
    }
    g_string_append(reply, "OK\n");
}

/* Sorted by name (strcmp order): looked up by binary search. */
static const QTestCmd qtest_cmds[] = {
    { "b64read", 2, qtest_cmd_b64read },
    { "b64write", 3, qtest_cmd_b64write },
    { "clock_set", 1, qtest_cmd_clock_set },
    { "clock_step", 0, qtest_cmd_clock_step },
    { "endianness", 0, qtest_cmd_endianness },
    { "inb", 1, qtest_cmd_in },
    { "inl", 1, qtest_cmd_in },
    { "inw", 1, qtest_cmd_in },
    { "irq_intercept_in", 1, qtest_cmd_irq_intercept },
    { "irq_intercept_out", 1, qtest_cmd_irq_intercept },
    { "memset", 3, qtest_cmd_memset },
    { "outb", 2, qtest_cmd_out },
    { "outl", 2, qtest_cmd_out },
    { "outw", 2, qtest_cmd_out },
    { "read", 2, qtest_cmd_read_bytes },
    { "readb", 1, qtest_cmd_read },
    { "readl", 1, qtest_cmd_read },
    { "readq", 1, qtest_cmd_read },
    { "readw", 1, qtest_cmd_read },
    { "write", 3, qtest_cmd_write_bytes },
    { "writeb", 2, qtest_cmd_write },
    { "writel", 2, qtest_cmd_write },
    { "writeq", 2, qtest_cmd_write },
    { "writew", 2, qtest_cmd_write },
};

static int qtest_cmd_compare(const void *name, const void *cmd)
{
    return strcmp(name, ((const QTestCmd *)cmd)->name);
}

static void qtest_dispatch(GString *reply, char **words)
{
    unsigned nargs = g_strv_length(words) - 1;
    const QTestCmd *cmd = bsearch(words[0], qtest_cmds,
                                  G_N_ELEMENTS(qtest_cmds),
                                  sizeof(qtest_cmds[0]), qtest_cmd_compare);

    if (!cmd) {
        g_string_append_printf(reply, "FAIL Unknown command '%s'\n",
                               words[0]);
    } else if (nargs < cmd->min_args) {
        g_string_append_printf(reply, "FAIL Missing argument for '%s'\n",
                               cmd->name);
    } else {
        cmd->fn(reply, words);
    }
}

static double qtest_elapsed(void)
{
    return qtest && qtest->timer ? g_timer_elapsed(qtest->timer, NULL) : 0;
}

/* The reply to one request line (empty words mean an empty command). */
static void qtest_reply_to(GString *reply, char **words)
{
    if (!words[0]) {
        g_string_append(reply, "FAIL Unknown command ''\n");
    } else {
        qtest_dispatch(reply, words);
    }
}

/*
 * @line split at each space in place, as g_strsplit(@line, " ", 0) would
 * (empty words kept, none for an empty line), into @words: no copy of
 * each word on the hot path.
 */
static char **qtest_split(char *line, QTestWords *words)
{
    char *p = *line ? line : NULL;
    size_t n = 0;

    for (;;) {
        if (n == words->cap) {
            words->cap = MAX(words->cap * 2, 8);
            words->v = g_renew(char *, words->v, words->cap);
        }
        words->v[n] = p;
        if (!p) {
            return words->v;
        }
        n++;
        p = strchr(p, ' ');
        if (p) {
            *p++ = '\0';
        }
    }
}

/*
 * Handle @line (@nul: it held a NUL, which would silently cut the rest
 * off the command), split in place; its reply is appended to @out, which
 * the caller sends.
 */
static void qtest_handle_line(char *line, bool nul, GString *out)
{
    char **words = qtest_split(line, &qtest->words);
    size_t start = out->len;

    if (qtest->log) {
        fprintf(qtest->log, "[R +%.06f]", qtest_elapsed());
        for (int i = 0; words[i]; i++) {
            fprintf(qtest->log, " %s", words[i]);
        }
        fprintf(qtest->log, "\n");
    }
    if (nul) {
        g_string_append(out, "FAIL NUL byte in command\n");
    } else {
        qtest_reply_to(out, words);
    }
    if (qtest->log && qtest->opened) {
        fprintf(qtest->log, "[S +%.06f] %s", qtest_elapsed(),
                out->str + start);
        fflush(qtest->log);
    }
}

char *qtest_process_line(const char *line)
{
    g_autofree char *copy = g_strdup(line);
    QTestWords words = { 0 };
    GString *reply = g_string_new(NULL);

    qtest_reply_to(reply, qtest_split(copy, &words));
    g_free(words.v);
    return g_string_free(reply, false);
}

static void qtest_read(void *opaque, const char *buf, size_t len)
{
    Chardev *chr;
    GString *in, *out;
    size_t done = 0;
    char *nl;

    if (!qtest) {
        return;
    }
    in = qtest->inbuf;
    out = g_string_truncate(qtest->outbuf, 0);
    chr = qtest->chr;
    g_string_append_len(in, buf, len);
    /* Lines in place; what they used goes in one erase at the end. */
    while (qtest && qtest->inbuf == in && done < in->len &&
           (nl = memchr(in->str + done, '\n', in->len - done))) {
        char *line = in->str + done;
        size_t n = nl - line;
        bool nul = memchr(line, '\0', n);

        done += n + 1;
        *nl = '\0';
        if (n && line[n - 1] == '\r') {
            line[n - 1] = '\0';
        }
        qtest_handle_line(line, nul, out);
    }
    if (qtest && qtest->inbuf == in) {
        g_string_erase(in, 0, MIN(done, in->len));
    }
    /* The replies to what was pipelined, in order, in one write. */
    if (qtest && qtest->chr == chr && out->len) {
        chardev_write(chr, out->str, out->len);
    }
}

static void qtest_event(void *opaque, bool connected)
{
    if (!qtest) {
        return;
    }
    if (connected) {
        g_clear_pointer(&qtest->timer, g_timer_destroy);
        qtest->timer = g_timer_new();
        qtest->opened = true;
        if (qtest->log) {
            fprintf(qtest->log, "[I %.06f] OPENED\n", qtest_elapsed());
        }
    } else {
        qtest->opened = false;
        g_string_truncate(qtest->inbuf, 0);
        if (qtest->log) {
            fprintf(qtest->log, "[I +%.06f] CLOSED\n", qtest_elapsed());
        }
        g_clear_pointer(&qtest->timer, g_timer_destroy);
    }
    if (qtest->log) {
        fflush(qtest->log);
    }
}

static bool qtest_open_log(const char *log, FILE **fp, Error **errp)
{
    if (!log) {
        *fp = stderr;
    } else if (!strcmp(log, "none") || !strcmp(log, "/dev/null")) {
        /* Nothing would be seen: spare formatting two lines a command. */
        *fp = NULL;
    } else {
        *fp = fopen(log, "w+");
        if (!*fp) {
            error_setg_errno(errp, errno, "Could not open '%s'", log);
            return false;
        }
    }
    return true;
}

bool qtest_server_init(const char *spec, const char *log, Error **errp)
{
    Error *local_err = NULL;
    Chardev *chr;
    FILE *fp;

    if (qtest) {
        error_setg(errp, "Only one instance of qtest can be created");
        return false;
    }
    if (!qtest_open_log(log, &fp, errp)) {
        return false;
    }
    /* "chardev:ID" names a -chardev (QEMU's Python harness uses it). */
    if (g_str_has_prefix(spec, "chardev:")) {
        chr = chardev_find(spec + strlen("chardev:"));
    } else {
        chr = chardev_new_from_spec("qtest", spec, &local_err);
    }
    if (!chr && local_err) {
        /* QEMU's two lines, as one */
        error_setg(errp, "Failed to initialize device for qtest: \"%s\": %s",
                   spec, local_err->message);
        error_free(local_err);
        goto fail;
    }
    if (!chr) {
        error_setg(errp, "Failed to initialize device for qtest: \"%s\"",
                   spec);
        goto fail;
    }
    qtest = g_new0(QTestServer, 1);
    qtest->chr = chr;
    qtest->log = fp;
    qtest->inbuf = g_string_new(NULL);
    qtest->outbuf = g_string_new(NULL);
    if (!chardev_set_frontend(chr, qtest_read, qtest_event, NULL, errp)) {
        qtest->log = NULL;
        qtest_server_cleanup();
        goto fail;
    }
    return true;

fail:
    if (fp && fp != stderr) {
        fclose(fp);
    }
    return false;
}

void qtest_server_cleanup(void)
{
    if (!qtest) {
        return;
    }
    if (qtest->log && qtest->log != stderr) {
        fclose(qtest->log);
    }
    g_string_free(qtest->inbuf, true);
    g_string_free(qtest->outbuf, true);
    g_free(qtest->words.v);
    g_clear_pointer(&qtest->timer, g_timer_destroy);
    g_free(qtest->irq_intercept_path);
    g_clear_pointer(&qtest, g_free);
}
