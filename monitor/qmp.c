/*
 * The QMP server: command registry, dispatch, events and the wire.
 *
 * Requests arrive as a byte stream that may split or join JSON objects
 * arbitrarily; QEMU's JSON streamer rules (util/json-streamer.c) cut it
 * into values, with its limits and error recovery.
 */
#include <string.h>

#include "qemu/json-parser.h"

#include "monitor-internal.h"
#include "monitor/qmp-args.h"
#include "system/chardev.h"

typedef struct MonitorQMP {
    Chardev *chr;
    JsonStreamer *streamer;
    GString *out;               /* the reply being written */
    bool negotiated;
    bool oob_offered;
    bool oob_enabled;
} MonitorQMP;

static GPtrArray *qmp_monitors;         /* MonitorQMP * */
/*
 * Events raised while a request runs (RESET of system_reset,
 * DEVICE_DELETED of device_del) go out after its reply, the order in
 * which QEMU, which completes them later in its main loop, sends them.
 */
static GPtrArray *deferred_events;      /* GString *, made when needed */
static MonitorQMP *cur_mon;             /* the one executing a request */

int qmp_take_passed_fd(void)
{
    return cur_mon ? chardev_take_msgfd(cur_mon->chr) : -1;
}

/* Send mon->out, one message, with its line end. */
static void qmp_flush(MonitorQMP *mon)
{
    g_string_append(mon->out, "\r\n");
    chardev_write(mon->chr, mon->out->str, mon->out->len);
    g_string_truncate(mon->out, 0);
}

/* @line: a whole event message, line end included. */
static void qmp_event_broadcast(const GString *line)
{
    for (guint i = 0; qmp_monitors && i < qmp_monitors->len; i++) {
        MonitorQMP *mon = g_ptr_array_index(qmp_monitors, i);

        /* Events wait until capabilities negotiation is over. */
        if (mon->negotiated && chardev_is_connected(mon->chr)) {
            chardev_write(mon->chr, line->str, line->len);
        }
    }
}

static void qmp_line_free(gpointer line)
{
    g_string_free(line, true);
}

/* Written once, as QEMU spaces it, whatever the number of monitors. */
void qmp_event_send_text(const char *event, const char *data)
{
    GString *line = g_string_new("{\"timestamp\": {\"seconds\": ");
    gint64 now = g_get_real_time();

    json_append_int(line, now / G_USEC_PER_SEC);
    g_string_append(line, ", \"microseconds\": ");
    json_append_int(line, now % G_USEC_PER_SEC);
    g_string_append(line, "}, \"event\": ");
    json_append_quoted(line, event);
    if (data) {
        g_string_append(line, ", \"data\": ");
        g_string_append(line, data);
    }
    g_string_append(line, "}\r\n");
    if (cur_mon) {
        if (!deferred_events) {
            deferred_events = g_ptr_array_new_with_free_func(qmp_line_free);
        }
        g_ptr_array_add(deferred_events, line);
    } else {
        qmp_event_broadcast(line);
        g_string_free(line, true);
    }
}

void qmp_event_send(const char *event, JsonObject *data)
{
    g_autoptr(GString) text = NULL;

    if (data) {
        text = g_string_new(NULL);
        json_append_object(text, data);
        json_object_unref(data);
    }
    qmp_event_send_text(event, text ? text->str : NULL);
}

/* {"return": RET} or {"error": {"class": ..., "desc": ...}}, then "id". */
static void qmp_reply(MonitorQMP *mon, JsonNode *ret, const Error *err,
                      const JsonView *id)
{
    GString *out = mon->out;

    if (err) {
        g_string_append(out, "{\"error\": {\"class\": ");
        json_append_quoted(out, error_class_name(err));
        g_string_append(out, ", \"desc\": ");
        json_append_quoted(out, error_get_pretty(err));
        g_string_append_c(out, '}');
    } else {
        g_string_append(out, "{\"return\": ");
        json_append_node(out, ret);
    }
    if (id) {
        g_autoptr(JsonNode) node = json_view_to_node(id);

        g_string_append(out, ", \"id\": ");
        json_append_node(out, node);
    }
    g_string_append_c(out, '}');
    qmp_flush(mon);
}

/* "execute", or "exec-oob" once oob is enabled; NULL for other names. */
static const char *qmp_exec_key(MonitorQMP *mon, const JsonView *name)
{
    if (json_view_string_is(name, "execute")) {
        return "execute";
    }
    return mon->oob_enabled && json_view_string_is(name, "exec-oob")
        ? "exec-oob" : NULL;
}

/*
 * QEMU's checks of the request's own members, in member order; the
 * command's name into *@exec and its arguments, if any, into *@args.
 */
static bool qmp_check_request(MonitorQMP *mon, const JsonView *req,
                              JsonView *exec, JsonView *args, Error **errp)
{
    const char *exec_key = NULL;
    JsonView name, value;

    for (bool more = json_view_first_member(req, &name, &value); more;
         more = json_view_next_member(&name, &value)) {
        const char *key = qmp_exec_key(mon, &name);
        g_autofree char *unknown = NULL;

        if (key) {
            if (json_view_kind(&value) != JSON_KIND_STRING) {
                error_setg(errp, "QMP input member '%s' must be a string",
                           key);
                return false;
            }
            if (exec_key) {
                error_setg(errp, "QMP input member '%s' clashes with '%s'",
                           key, exec_key);
                return false;
            }
            exec_key = key;
            *exec = value;
        } else if (json_view_string_is(&name, "arguments")) {
            if (json_view_kind(&value) != JSON_KIND_OBJECT) {
                error_setg(errp,
                           "QMP input member 'arguments' must be an object");
                return false;
            }
            *args = value;
        } else if (!json_view_string_is(&name, "id")) {
            unknown = json_view_get_string(&name);
            error_setg(errp, "QMP input member '%s' is unexpected", unknown);
            return false;
        }
    }
    if (!exec_key) {
        error_setg(errp, "QMP input lacks member 'execute'");
        return false;
    }
    return true;
}

static bool qmp_negotiate(MonitorQMP *mon, const JsonView *args,
                          Error **errp)
{
    static const QmpArgSpec spec[] = {
        { "enable", QMP_ARG_ARRAY, true },
        { NULL }
    };
    JsonView enable, e;
    bool oob = false;
    guint i = 0;

    if (!qmp_args_check(args, spec, errp)) {
        return false;
    }
    for (bool more = args && json_view_member(args, "enable", &enable) &&
                     json_view_first_element(&enable, &e);
         more; more = json_view_next_element(&e), i++) {
        g_autofree char *cap = json_view_kind(&e) == JSON_KIND_STRING ?
            json_view_get_string(&e) : NULL;

        if (!cap || strcmp(cap, "oob")) {
            error_setg(errp, "Parameter 'enable[%u]' does not accept value "
                       "'%s'", i, cap ? cap : "");
            return false;
        }
        if (!mon->oob_offered) {
            error_setg(errp, "Capability oob not available");
            return false;
        }
        oob = true;
    }
    mon->oob_enabled = oob;
    mon->negotiated = true;
    return true;
}

static JsonNode *qmp_execute(MonitorQMP *mon, const JsonView *req,
                             Error **errp)
{
    JsonView exec, args = { 0 };
    g_autofree char *cmd = NULL;

    if (!qmp_check_request(mon, req, &exec, &args, errp)) {
        return NULL;
    }
    cmd = json_view_get_string(&exec);
    if (mon->negotiated) {
        return qmp_dispatch_view(cmd, args.tok ? &args : NULL, errp);
    }
    if (strcmp(cmd, "qmp_capabilities")) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "Expecting capabilities negotiation with "
                  "'qmp_capabilities'");
        return NULL;
    }
    if (!qmp_negotiate(mon, args.tok ? &args : NULL, errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

/* One value (or error) from the JSON streamer. */
static void qmp_handle_message(void *opaque, const JsonView *req, Error *err)
{
    MonitorQMP *mon = opaque;
    g_autoptr(JsonNode) ret = NULL;
    JsonView id;
    bool has_id = false;

    if (!err && json_view_kind(req) != JSON_KIND_OBJECT) {
        error_setg(&err, "QMP input must be a JSON object");
    } else if (!err) {
        has_id = json_view_member(req, "id", &id);
        cur_mon = mon;
        ret = qmp_execute(mon, req, &err);
        cur_mon = NULL;
    }
    qmp_reply(mon, ret, err, has_id ? &id : NULL);
    if (err) {
        error_free(err);
    }
    if (deferred_events) {
        g_autoptr(GPtrArray) events = g_steal_pointer(&deferred_events);

        for (guint i = 0; i < events->len; i++) {
            qmp_event_broadcast(g_ptr_array_index(events, i));
        }
    }
}

static void qmp_read(void *opaque, const char *buf, size_t len)
{
    MonitorQMP *mon = opaque;

    json_streamer_feed(mon->streamer, buf, len);
}

static void qmp_chr_event(void *opaque, bool connected)
{
    MonitorQMP *mon = opaque;
    g_autoptr(JsonObject) greeting = NULL;
    JsonObject *qmp;
    JsonArray *caps;

    mon->negotiated = false;
    mon->oob_enabled = false;
    json_streamer_reset(mon->streamer);
    if (!connected) {
        return;
    }
    greeting = json_object_new();
    qmp = json_object_new();
    caps = json_array_new();
    if (mon->oob_offered) {
        json_array_add_string_element(caps, "oob");
    }
    json_object_set_object_member(qmp, "version", qmp_version_info());
    json_object_set_array_member(qmp, "capabilities", caps);
    json_object_set_object_member(greeting, "QMP", qmp);
    json_append_object(mon->out, greeting);
    qmp_flush(mon);
}

static void qmp_monitor_free(MonitorQMP *mon)
{
    json_streamer_free(mon->streamer);
    g_string_free(mon->out, true);
    g_free(mon);
}

bool monitor_init(Chardev *chr, bool qmp, Error **errp)
{
    MonitorQMP *mon;

    if (!qmp) {
        return hmp_monitor_init(chr, errp);
    }
    mon = g_new0(MonitorQMP, 1);
    mon->chr = chr;
    mon->streamer = json_streamer_new_view(qmp_handle_message, mon);
    mon->out = g_string_new(NULL);
    /* QEMU offers out-of-band execution on socket monitors only. */
    mon->oob_offered = chardev_is_socket(chr);
    if (!qmp_monitors) {
        qmp_monitors = g_ptr_array_new();
    }
    g_ptr_array_add(qmp_monitors, mon);
    if (!chardev_set_frontend(chr, qmp_read, qmp_chr_event, mon, errp)) {
        g_ptr_array_remove(qmp_monitors, mon);
        qmp_monitor_free(mon);
        return false;
    }
    return true;
}

void monitor_cleanup_all(void)
{
    for (guint i = 0; qmp_monitors && i < qmp_monitors->len; i++) {
        qmp_monitor_free(g_ptr_array_index(qmp_monitors, i));
    }
    g_clear_pointer(&qmp_monitors, g_ptr_array_unref);
    hmp_monitor_cleanup_all();
}
