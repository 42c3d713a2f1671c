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
/* bench-nested.c: PASID bind and invalidation batch figures. */
void bench_nested(const char *bin, const char *root);
/* bench-smmuv3.c: STE install and invalidation batch figures. */
void bench_smmuv3(const char *bin, const char *root);

#endif
