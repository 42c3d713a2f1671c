/*
 * QMP and HMP monitors.
 *
 * Commands are registered explicitly at start-up (monitor_register_all()
 * in monitor/qmp-cmds.c lists them); modules with their own commands
 * export a register function called from there.
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include <json-glib/json-glib.h>

#include "qapi/error.h"

typedef struct Chardev Chardev;

/*
 * A QMP command: @args is the "arguments" object (never NULL).  Returns
 * the "return" value (an empty object for commands without one), or NULL
 * with *errp set.
 */
typedef JsonNode *(*QmpCommandFunc)(JsonObject *args, Error **errp);

void qmp_register_command(const char *name, QmpCommandFunc fn);
/*
 * A command's return value wrapping @obj / @arr, taking over the caller's
 * reference (json_node_init_object() would take a second one and leak it).
 */
JsonNode *qmp_node_take_object(JsonObject *obj);
JsonNode *qmp_node_take_array(JsonArray *arr);
void qmp_unregister_all(void);
/* Run one command as a QMP client would, for tests and HMP. */
JsonNode *qmp_dispatch_command(const char *name, JsonObject *args,
                               Error **errp);
/* Sorted names, for query-commands. */
GPtrArray *qmp_command_names(void);

/* Broadcast an event to every QMP monitor; takes ownership of @data. */
void qmp_event_send(const char *event, JsonObject *data);

/*
 * HMP: "info NAME" returns the text to print, or NULL with *errp set.
 */
typedef char *(*HmpInfoFunc)(Error **errp);
void hmp_register_info(const char *name, const char *help, HmpInfoFunc fn);
/* Run one HMP command line; returns its output (possibly ""). */
char *hmp_execute(const char *cmdline);

/* Attach a monitor to a chardev ("-mon chardev=ID,mode=control|readline"). */
bool monitor_init(Chardev *chr, bool qmp, Error **errp);
void monitor_cleanup_all(void);

/* Registers every built-in QMP command and HMP info command. */
void monitor_register_all(void);
/*
 * The monitor's own commands (qmp_capabilities, query-version,
 * query-status, query-commands, qom-*, query-machines,
 * human-monitor-command, system_reset, quit, cont, stop) and HMP
 * "info status|version|qtree"; called by monitor_register_all().
 */
void qmp_core_register(void);
/* x-debug-heap (monitor/qmp-debug.c): live heap bytes and open fds. */
void qmp_debug_register(void);

#endif
