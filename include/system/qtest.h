/*
 * The qtest server: the line protocol QEMU's test library speaks
 * (see docs/devel and QEMU's system/qtest.c documentation).
 */
#ifndef SYSTEM_QTEST_H
#define SYSTEM_QTEST_H

#include <stdbool.h>

#include "qapi/error.h"

/*
 * Connect to @spec ("unix:PATH", as -qtest takes it) and serve the
 * protocol on the machine's address spaces.  @log is -qtest-log: a file
 * to write, "none", or NULL for stderr, as QEMU does.  Only one server
 * may exist.
 */
bool qtest_server_init(const char *spec, const char *log, Error **errp);
/* Stop serving and close the log (the chardev is freed with the rest). */
void qtest_server_cleanup(void);

/*
 * Process one request line (without its newline) and return the reply
 * line(s), for in-process tests; works without a chardev.
 */
char *qtest_process_line(const char *line);

#endif
