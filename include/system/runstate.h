/*
 * Run state and the main loop.
 */
#ifndef SYSTEM_RUNSTATE_H
#define SYSTEM_RUNSTATE_H

#include <stdbool.h>
#include <stdint.h>

/* "prelaunch" with -S until "cont", then "running". */
const char *runstate_name(void);
bool runstate_is_running(void);
void runstate_set_running(bool running);

/* Leave the main loop; main() then tears down and exits with 0. */
void qemu_system_shutdown_request(void);
/* system_reset: reset the machine and send the RESET event. */
void qemu_system_reset(void);

/* The virtual clock (qtest clock_step/clock_set), in nanoseconds. */
int64_t qemu_clock_get_ns(void);
void qemu_clock_set_ns(int64_t ns);

#endif
