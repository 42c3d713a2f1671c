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
#include "monitor/qmp-args.h"
#include "qemu/keyval.h"

typedef struct Chardev Chardev;

/*
 * A QMP command: @args is the "arguments" object (never NULL).  Returns
 * the "return" value (an empty object for commands without one), or NULL
 * with *errp set.
 */
typedef JsonNode *(*QmpCommandFunc)(JsonObject *args, Error **errp);
/*
 * The same for a command whose arguments are options, as -device's and
 * -object's are: @opts holds every member of "arguments" as text (the
 * caller frees it), so that no json-glib object is built for them.
 */
typedef JsonNode *(*QmpOptsFunc)(KeyValList *opts, Error **errp);

/* The command accepts members beyond @args (device_add's properties). */
#define QMP_CMD_EXTRA_ARGS  (1u << 0)
/* It returns an empty object (query-qmp-schema's ret-type "0"). */
#define QMP_CMD_RET_EMPTY   (1u << 1)

/*
 * A command and the arguments it accepts.  The dispatcher checks every
 * request against @args before @fn runs, and query-qmp-schema describes
 * @args, so the two cannot disagree.
 */
typedef struct QmpCommandDef {
    const char *name;
    QmpCommandFunc fn;
    const QmpArgSpec *args;     /* terminated by a NULL name; NULL: none */
    unsigned flags;             /* QMP_CMD_* */
    QmpOptsFunc opts_fn;        /* instead of @fn */
} QmpCommandDef;

void qmp_register_commands(const QmpCommandDef *defs, size_t n);
/* A command that takes no arguments (any given are refused). */
void qmp_register_command(const char *name, QmpCommandFunc fn);
const QmpCommandDef *qmp_command_find(const char *name);
void qmp_unregister_all(void);
/*
 * Run one command: @args (an object; NULL: none) is checked against what
 * the command accepts, then given to it.
 */
JsonNode *qmp_dispatch_view(const char *name, const JsonView *args,
                            Error **errp);
/* The same as a QMP client would, for tests and HMP. */
JsonNode *qmp_dispatch_command(const char *name, JsonObject *args,
                               Error **errp);
/*
 * A command's return value made of @obj or @arr, whose reference it
 * takes (json_node_init_*() add one of their own); {} for none (one
 * sealed node, shared).
 */
JsonNode *qmp_return_object(JsonObject *obj);
JsonNode *qmp_return_array(JsonArray *arr);
JsonNode *qmp_return_empty(void);
/* Sorted names, for query-commands. */
GPtrArray *qmp_command_names(void);

/*
 * The fd that came with the request being executed (SCM_RIGHTS on the
 * monitor's socket), or -1; the caller owns it.
 */
int qmp_take_passed_fd(void);

/* Broadcast an event to every QMP monitor; takes ownership of @data. */
void qmp_event_send(const char *event, JsonObject *data);
/* The same with @data written already: an object's JSON text, or NULL. */
void qmp_event_send_text(const char *event, const char *data);

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
/* -name: what query-name answers (NULL: no name). */
void qmp_set_vm_name(const char *name);

#endif
