/*
 * What the parts of make bench share (tests/bench/bench.c).
 */
#ifndef TESTS_BENCH_BENCH_H
#define TESTS_BENCH_BENCH_H

#include "libqtest.h"

/* CLOCK_MONOTONIC in seconds. */
double bench_now(void);
/* The simulated host's total-calls (x-query-host-sim), -1 if none. */
int64_t bench_host_calls(QTestState *s);
/* SIGTERM, wait, free. */
void bench_quit(QTestState *s);
/* A guest-driven session of @bin; NULL, reported as @what, on failure. */
QTestState *bench_guest_start(const char *bin, const char *args,
                              const char *what);
/* Two rows for @n operations: host calls and milliseconds per operation. */
void bench_guest_rows(const char *calls_row, const char *time_row,
                      int64_t calls, double seconds, int n);
/* bench-nested.c: PASID bind and invalidation batch figures. */
void bench_nested(const char *bin, const char *root);
/* bench-smmuv3.c: STE install and invalidation batch figures. */
void bench_smmuv3(const char *bin, const char *root);

#endif
