/*
 * Run state and the main loop.
 */
#ifndef SYSTEM_RUNSTATE_H
#define SYSTEM_RUNSTATE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * "prelaunch" until the first runstate_set_running(true) (start-up
 * without -S, or "cont"), then "running"; "paused" after "stop" (the
 * names QMP query-status reports).
 */
const char *runstate_name(void);
bool runstate_is_running(void);
/* false leaves "prelaunch" as it is (-S), and pauses a running VM. */
void runstate_set_running(bool running);

/* Leave the main loop; main() then tears down and exits with 0. */
void qemu_system_shutdown_request(void);
bool qemu_system_shutdown_requested(void);
/* system_reset: reset the machine and send the RESET event. */
void qemu_system_reset(void);

/* The virtual clock (qtest clock_step/clock_set), in nanoseconds. */
int64_t qemu_clock_get_ns(void);
void qemu_clock_set_ns(int64_t ns);

/*
 * Serve chardevs until qemu_system_shutdown_request() (QMP quit, HMP
 * quit) or SIGTERM/SIGINT/SIGHUP, which also send the SHUTDOWN event.
 * Returns at once if a shutdown was already requested.
 */
void main_loop_run(void);

/* Back to the start-up state (prelaunch, clock 0, no shutdown pending). */
void runstate_reset(void);

#endif
