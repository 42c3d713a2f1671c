/*
 * A small qtest + QMP client for the benchmarks and the intel-iommu
 * qtest: it starts a program the way QEMU's test library does (listening
 * on two Unix sockets that the program connects to), then speaks the
 * qtest line protocol and QMP.  It also drives a stock QEMU with only a
 * QMP socket, so both can be timed the same way.
 */
#ifndef TESTS_BENCH_VV_CLIENT_H
#define TESTS_BENCH_VV_CLIENT_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct VVClient {
    pid_t pid;
    int qtest_fd;               /* -1 without qtest */
    int qmp_fd;
    GString *qtest_in;
    GString *qmp_in;
    char *dir;                  /* sockets and the child's stderr */
    int status;                 /* exit status once reaped, else -1 */
} VVClient;

/*
 * Start @binary with @args (NULL terminated) plus the qtest and monitor
 * options, wait for the QMP greeting and negotiate capabilities.  With
 * @qtest false only a QMP monitor is added (a stock QEMU).  Returns NULL
 * if the program exits first; then *status holds its exit status and
 * *err_text what it printed on stderr.
 */
VVClient *vv_client_start(const char *binary, const char *const *args,
                          bool qtest, int *status, char **err_text);
/* SIGTERM, reap, and free; returns the exit status. */
int vv_client_quit(VVClient *c);

/* One qtest command line (no newline), its reply line ("OK ..."). */
char *vv_qtest_cmd(VVClient *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
uint64_t vv_readq(VVClient *c, uint64_t addr);
uint32_t vv_readl(VVClient *c, uint64_t addr);
void vv_writel(VVClient *c, uint64_t addr, uint32_t val);
void vv_writeq(VVClient *c, uint64_t addr, uint64_t val);
uint32_t vv_inl(VVClient *c, uint16_t port);
void vv_outl(VVClient *c, uint16_t port, uint32_t val);

/*
 * A QMP command given as JSON text; returns the whole reply object
 * ({"return": ...} or {"error": ...}); events before it are skipped.
 */
JsonNode *vv_qmp(VVClient *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* The "error"."desc" of @reply, or NULL. */
const char *vv_qmp_error(JsonNode *reply);

/* Run @binary with @args to completion; returns status, stderr text. */
int vv_run(const char *binary, const char *const *args, char **err_text);

#endif
