/*
 * Run state, the virtual clock and the main loop.
 *
 * No guest CPUs run, so "running" only changes what query-status says;
 * the state exists so management tools see the transitions they expect.
 */
#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>

#include "hw/core/machine.h"
#include "monitor/monitor.h"
#include "system/runstate.h"

typedef enum RunState {
    RUN_STATE_PRELAUNCH,
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,
} RunState;

static const char *const run_state_names[] = {
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_PAUSED] = "paused",
};

static RunState run_state = RUN_STATE_PRELAUNCH;
static int64_t virtual_clock_ns;
static bool shutdown_requested;
static GMainLoop *main_loop;

const char *runstate_name(void)
{
    return run_state_names[run_state];
}

bool runstate_is_running(void)
{
    return run_state == RUN_STATE_RUNNING;
}

void runstate_set_running(bool running)
{
    if (running) {
        run_state = RUN_STATE_RUNNING;
    } else if (run_state == RUN_STATE_RUNNING) {
        run_state = RUN_STATE_PAUSED;
    }
}

void qemu_system_shutdown_request(void)
{
    shutdown_requested = true;
    if (main_loop) {
        g_main_loop_quit(main_loop);
    }
}

bool qemu_system_shutdown_requested(void)
{
    return shutdown_requested;
}

void qemu_system_reset(void)
{
    MachineState *ms = qdev_get_machine();
    JsonObject *data = json_object_new();

    if (ms) {
        machine_reset(ms);
    }
    json_object_set_boolean_member(data, "guest", false);
    json_object_set_string_member(data, "reason", "host-qmp-system-reset");
    qmp_event_send("RESET", data);
}

int64_t qemu_clock_get_ns(void)
{
    return virtual_clock_ns;
}

void qemu_clock_set_ns(int64_t ns)
{
    virtual_clock_ns = ns;
}

static gboolean main_loop_signal(gpointer opaque)
{
    int sig = GPOINTER_TO_INT(opaque);
    JsonObject *data = json_object_new();

    fprintf(stderr, "vfio-viommu: terminating on signal %d\n", sig);
    json_object_set_boolean_member(data, "guest", false);
    json_object_set_string_member(data, "reason", "host-signal");
    qmp_event_send("SHUTDOWN", data);
    qemu_system_shutdown_request();
    return G_SOURCE_CONTINUE;
}

void main_loop_run(void)
{
    static const int signals[] = { SIGTERM, SIGINT, SIGHUP };
    guint watches[G_N_ELEMENTS(signals)];

    if (shutdown_requested) {
        return;
    }
    /* A client that went away must not kill us on the next reply. */
    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < G_N_ELEMENTS(signals); i++) {
        watches[i] = g_unix_signal_add(signals[i], main_loop_signal,
                                       GINT_TO_POINTER(signals[i]));
    }
    main_loop = g_main_loop_new(NULL, false);
    g_main_loop_run(main_loop);
    g_main_loop_unref(main_loop);
    main_loop = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(signals); i++) {
        g_source_remove(watches[i]);
    }
}

void runstate_reset(void)
{
    run_state = RUN_STATE_PRELAUNCH;
    virtual_clock_ns = 0;
    shutdown_requested = false;
}
