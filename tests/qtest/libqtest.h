/*
 * A black-box test client in the manner of QEMU's tests/qtest/libqtest:
 * it starts the program as QEMU's library starts QEMU and talks qtest
 * and QMP to it over unix sockets.
 */
#ifndef TESTS_QTEST_LIBQTEST_H
#define TESTS_QTEST_LIBQTEST_H

#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct QTestState QTestState;

/*
 * Start $VV_BINARY with QEMU's libqtest argument list:
 *   -qtest unix:P1 -qtest-log /dev/null -chardev socket,path=P2,id=char0
 *   -mon chardev=char0,mode=control -display none -audio none
 *   -run-with exit-with-parent=on EXTRA -accel qtest
 * then check "endianness", read the greeting and negotiate capabilities.
 * @extra_args is split like a shell line (quotes allowed).  Aborts the
 * test if the program does not come up.
 */
QTestState *qtest_init(const char *extra_args);
/* Like qtest_init(), but stop after reading the greeting. */
QTestState *qtest_init_without_qmp_handshake(const char *extra_args);
/*
 * Like qtest_init(), but start @binary rather than $VV_BINARY, and if
 * it does not come up (exits, or does not connect and greet within the
 * timeout) return NULL with what it printed on stderr in *@err_text
 * (when non-NULL; the caller frees it) instead of aborting.  For
 * programs that time start-ups and report failures themselves.
 */
QTestState *qtest_try_init_binary(const char *binary, const char *extra_args,
                                  char **err_text);
/*
 * Start @binary with only a QMP monitor (-chardev socket + -mon) and
 * @args, no qtest, and read the greeting; for comparisons with a real
 * QEMU.  NULL if @binary does not connect within the timeout.
 */
QTestState *qtest_init_qmp_only(const char *binary, const char *args);
/* SIGTERM, wait, assert exit status 0, free. */
void qtest_quit(QTestState *s);
/* Wait for the process to exit by itself; returns its wait status. */
int qtest_wait_exit(QTestState *s);
/* Free without signalling (after qtest_wait_exit). */
void qtest_free(QTestState *s);
pid_t qtest_pid(QTestState *s);
/* The greeting the server sent. */
JsonObject *qtest_greeting(QTestState *s);
/* The program's stderr so far (captured into a file). */
char *qtest_stderr(QTestState *s);

/* qtest: one request line, its reply line without the newline. */
char *qtest_raw(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* The same for @len bytes that may hold a NUL. */
char *qtest_raw_bytes(QTestState *s, const void *req, size_t len);
/* Pipelining: send request lines as they are; take the next reply. */
void qtest_raw_send(QTestState *s, const char *lines);
char *qtest_raw_receive(QTestState *s);
uint8_t qtest_readb(QTestState *s, uint64_t addr);
uint16_t qtest_readw(QTestState *s, uint64_t addr);
uint32_t qtest_readl(QTestState *s, uint64_t addr);
uint64_t qtest_readq(QTestState *s, uint64_t addr);
void qtest_writeb(QTestState *s, uint64_t addr, uint8_t val);
void qtest_writew(QTestState *s, uint64_t addr, uint16_t val);
void qtest_writel(QTestState *s, uint64_t addr, uint32_t val);
void qtest_writeq(QTestState *s, uint64_t addr, uint64_t val);
uint8_t qtest_inb(QTestState *s, uint16_t port);
uint16_t qtest_inw(QTestState *s, uint16_t port);
uint32_t qtest_inl(QTestState *s, uint16_t port);
void qtest_outb(QTestState *s, uint16_t port, uint8_t val);
void qtest_outw(QTestState *s, uint16_t port, uint16_t val);
void qtest_outl(QTestState *s, uint16_t port, uint32_t val);
void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t len);
void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t len);

/*
 * QMP.  @fmt is printf-style JSON in which single-quoted strings are
 * allowed, as in QEMU's tests: "{'execute': 'qom-get', ...}".  Events
 * that arrive before the reply are queued for qtest_qmp_eventwait().
 * The returned reply is the caller's (json_object_unref()).
 */
JsonObject *qtest_qmp(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/*
 * Like qtest_qmp(), with @fds passed along (SCM_RIGHTS), as libvirt
 * passes them for getfd and add-fd.  The caller keeps its copies.
 */
JsonObject *qtest_qmp_fds(QTestState *s, const int *fds, size_t nfds,
                          const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* Send raw bytes on the QMP socket (no reply is read). */
void qtest_qmp_send_raw(QTestState *s, const char *text);
/* Read the next reply or event, whichever comes first. */
JsonObject *qtest_qmp_receive(QTestState *s);
/* Asserts {"return": ...}; returns a copy of the return value. */
JsonNode *qtest_qmp_assert_success_ref(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
void qtest_qmp_assert_success(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/* Asserts {"error": {"class": @cls, "desc": @desc}}. */
void qtest_qmp_expect_error(QTestState *s, const char *cls, const char *desc,
                            const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* Wait for event @name (queued or future); the caller unrefs it. */
JsonObject *qtest_qmp_eventwait_ref(QTestState *s, const char *name);
void qtest_qmp_eventwait(QTestState *s, const char *name);
/* A queued event @name, or NULL (does not wait). */
JsonObject *qtest_qmp_event_ref(QTestState *s, const char *name);
/* HMP through human-monitor-command; the output is the caller's. */
char *qtest_hmp(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/*
 * Run $VV_BINARY with @args (shell-split) to completion, capturing its
 * output; returns the exit status (128 + signal if killed).
 */
int qtest_run(const char *args, char **out, char **err);

/*
 * PCI configuration space.  The ECAM helpers address the window at the
 * state's ECAM base: Q35_ECAM_BASE unless qtest_set_ecam_base() or
 * qtest_q35_enable_ecam() chose another.
 */
#define Q35_ECAM_BASE 0xb0000000ULL
/* virt's high ECAM window, always enabled. */
#define VIRT_ECAM_BASE 0x4010000000ULL
#define QPCI_BDF(bus, dev, fn) (((bus) << 8) | ((dev) << 3) | (fn))
/*
 * Write PCIEXBAR (00:00.0 0x60) = @base | enable through 0xCF8/0xCFC,
 * then use @base as the state's ECAM base.
 */
void qtest_q35_enable_ecam(QTestState *s, uint64_t base);
/*
 * Make the ECAM helpers address @base (e.g. VIRT_ECAM_BASE on -M virt).
 * Changes nothing in the machine: q35 still needs qtest_q35_enable_ecam().
 */
void qtest_set_ecam_base(QTestState *s, uint64_t base);
uint32_t qtest_pci_legacy_readl(QTestState *s, uint16_t bdf, uint8_t off);
void qtest_pci_legacy_writel(QTestState *s, uint16_t bdf, uint8_t off,
                             uint32_t val);
/* One access of the named width at @off of @bdf (bits above 0xfff ignored). */
uint8_t qtest_ecam_readb(QTestState *s, uint16_t bdf, uint16_t off);
uint16_t qtest_ecam_readw(QTestState *s, uint16_t bdf, uint16_t off);
uint32_t qtest_ecam_readl(QTestState *s, uint16_t bdf, uint16_t off);
/*
 * The 16-bit field at @off taken from one aligned 4-byte read, for tests
 * that must not depend on sub-dword config reads.
 */
uint16_t qtest_ecam_readw_dword(QTestState *s, uint16_t bdf, uint16_t off);
void qtest_ecam_writeb(QTestState *s, uint16_t bdf, uint16_t off,
                       uint8_t val);
void qtest_ecam_writew(QTestState *s, uint16_t bdf, uint16_t off,
                       uint16_t val);
void qtest_ecam_writel(QTestState *s, uint16_t bdf, uint16_t off,
                       uint32_t val);
/*
 * Offset of standard capability @id in @bdf's list (from 0x34), or 0.
 * Reads whole dwords; bounded, so a looping list ends.
 */
uint8_t qtest_ecam_find_cap(QTestState *s, uint16_t bdf, uint8_t id);
/* Offset of extended capability @id in @bdf's config space, or 0. */
uint16_t qtest_ecam_find_ext_cap(QTestState *s, uint16_t bdf, uint16_t id);

/*
 * What a refused device must leave as it was, as one string: query-pci,
 * x-query-viommu and the simulated host's open fds and live objects.
 */
char *qtest_vm_view(QTestState *s);

#endif
