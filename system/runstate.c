/*
 * Run state, the virtual clock and the main loop.
 *
 * No guest CPUs run, so "running" only changes what query-status says;
 * the state exists so management tools see the transitions they expect.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

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

/*
 * Termination signals reach the loop through a pipe, one byte each: a
 * single fd watch, where g_unix_signal_add() would put a source per
 * signal into every iteration's prepare and check (and start GLib's
 * worker thread).
 */
static const int main_loop_signals[] = { SIGTERM, SIGINT, SIGHUP };
static int signal_pipe[2] = { -1, -1 };

static void main_loop_on_signal(int sig)
{
    int saved_errno = errno;
    unsigned char byte = sig;
    /* a full pipe already holds a signal that will end the loop */
    ssize_t n = write(signal_pipe[1], &byte, 1);

    (void)n;
    errno = saved_errno;
}

static gboolean main_loop_signal(gint fd, GIOCondition cond, gpointer opaque)
{
    JsonObject *data;
    unsigned char sig;

    if (read(fd, &sig, 1) != 1) {
        return G_SOURCE_CONTINUE;
    }
    fprintf(stderr, "vfio-viommu: terminating on signal %d\n", sig);
    data = json_object_new();
    json_object_set_boolean_member(data, "guest", false);
    json_object_set_string_member(data, "reason", "host-signal");
    qmp_event_send("SHUTDOWN", data);
    qemu_system_shutdown_request();
    return G_SOURCE_CONTINUE;
}

/*
 * Handle the termination signals from now on, through a watch on the
 * pipe; 0 if no pipe could be had (then they terminate, as by default).
 */
static guint main_loop_catch_signals(struct sigaction *old)
{
    struct sigaction sa = { .sa_handler = main_loop_on_signal,
                            .sa_flags = SA_RESTART };
    g_autoptr(GError) err = NULL;

    if (!g_unix_open_pipe(signal_pipe, FD_CLOEXEC, &err)) {
        error_report("cannot handle signals: %s", err->message);
        return 0;
    }
    g_unix_set_fd_nonblocking(signal_pipe[0], true, NULL);
    g_unix_set_fd_nonblocking(signal_pipe[1], true, NULL);
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < G_N_ELEMENTS(main_loop_signals); i++) {
        sigaction(main_loop_signals[i], &sa, &old[i]);
    }
    return g_unix_fd_add(signal_pipe[0], G_IO_IN, main_loop_signal, NULL);
}

static void main_loop_release_signals(guint watch, const struct sigaction *old)
{
    if (!watch) {
        return;
    }
    g_source_remove(watch);
    for (size_t i = 0; i < G_N_ELEMENTS(main_loop_signals); i++) {
        sigaction(main_loop_signals[i], &old[i], NULL);
    }
    for (int i = 0; i < 2; i++) {
        close(signal_pipe[i]);
        signal_pipe[i] = -1;
    }
}

void main_loop_run(void)
{
    struct sigaction old[G_N_ELEMENTS(main_loop_signals)];
    guint watch;

    if (shutdown_requested) {
        return;
    }
    /* A client that went away must not kill us on the next reply. */
    signal(SIGPIPE, SIG_IGN);
    watch = main_loop_catch_signals(old);
    main_loop = g_main_loop_new(NULL, false);
    g_main_loop_run(main_loop);
    g_main_loop_unref(main_loop);
    main_loop = NULL;
    main_loop_release_signals(watch, old);
}

void runstate_reset(void)
{
    run_state = RUN_STATE_PRELAUNCH;
    virtual_clock_ns = 0;
    shutdown_requested = false;
}
