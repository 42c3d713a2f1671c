/*
 * Checking a QMP command's "arguments" against what it accepts, with the
 * error texts QEMU's QAPI input visitor produces.
 */
#ifndef MONITOR_QMP_ARGS_H
#define MONITOR_QMP_ARGS_H

#include <json-glib/json-glib.h>

#include "qapi/error.h"
#include "qemu/json-parser.h"

typedef enum QmpArgType {
    QMP_ARG_STRING,
    QMP_ARG_BOOL,
    QMP_ARG_INT,
    QMP_ARG_OBJECT,
    QMP_ARG_ARRAY,
    QMP_ARG_ANY,
} QmpArgType;

typedef struct QmpArgSpec {
    const char *name;
    QmpArgType type;
    bool optional;
} QmpArgSpec;

/*
 * Check @args (an object; NULL: none given) against @spec (terminated by
 * a NULL name), in QEMU's order: each member in @spec order ("Parameter
 * 'x' is missing", "Invalid parameter type for 'x', expected: string"),
 * then members @spec does not name ("Parameter 'y' is unexpected").
 * @spec may be NULL (no arguments).
 */
bool qmp_args_check(const JsonView *args, const QmpArgSpec *spec,
                    Error **errp);
/* The same; with @allow_extra, members @spec does not name are let through. */
bool qmp_args_check_full(const JsonView *args, const QmpArgSpec *spec,
                         bool allow_extra, Error **errp);

/* Optional members, with @def when absent (call after qmp_args_check). */
const char *qmp_arg_str(JsonObject *args, const char *name, const char *def);
bool qmp_arg_bool(JsonObject *args, const char *name, bool def);
int64_t qmp_arg_int(JsonObject *args, const char *name, int64_t def);

#endif
