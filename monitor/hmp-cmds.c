/*
 * HMP's commands: one table of names, argument shape and help text,
 * dispatched with QEMU's messages ("unknown command: 'x'", "quit|q:
 * extraneous characters at the end of line").  Commands that change
 * state go through QMP so that events and checks are the same.
 */
#include <string.h>

#include "monitor-internal.h"
#include "qemu/keyval.h"
#include "system/vl.h"

typedef enum HmpArgs {
    HMP_ARGS_NONE,              /* anything after the name is refused */
    HMP_ARGS_OPTIONAL_WORD,     /* help [cmd], info [name] */
    HMP_ARGS_REQUIRED,          /* device_add OPTS, device_del ID */
} HmpArgs;

typedef struct HmpCommand {
    const char *names;          /* "quit|q" */
    const char *params;         /* as help shows them, may be "" */
    const char *help;
    HmpArgs args;
    char *(*fn)(const char *args);
} HmpCommand;

static char *hmp_qmp(const char *cmd, JsonObject *args)
{
    Error *err = NULL;
    JsonNode *ret = qmp_dispatch_command(cmd, args, &err);

    if (!ret) {
        char *out = g_strdup_printf("Error: %s\n", error_get_pretty(err));
        error_free(err);
        return out;
    }
    json_node_unref(ret);
    return g_strdup("");
}

static char *hmp_quit(const char *args)
{
    return hmp_qmp("quit", NULL);
}

static char *hmp_cont(const char *args)
{
    return hmp_qmp("cont", NULL);
}

static char *hmp_stop(const char *args)
{
    return hmp_qmp("stop", NULL);
}

static char *hmp_system_reset(const char *args)
{
    return hmp_qmp("system_reset", NULL);
}

/* "device_add DRIVER[,prop=value...]", the -device syntax. */
static char *hmp_device_add(const char *args)
{
    g_autoptr(KeyValList) kv = NULL;
    Error *err = NULL;
    char *out;

    kv = keyval_parse(args, "driver", &err);
    if (kv && qdev_device_add(kv, &err)) {
        return g_strdup("");
    }
    out = g_strdup_printf("Error: %s\n", error_get_pretty(err));
    error_free(err);
    return out;
}

static char *hmp_device_del(const char *args)
{
    g_autoptr(JsonObject) qargs = json_object_new();

    json_object_set_string_member(qargs, "id", args);
    return hmp_qmp("device_del", qargs);
}

static char *hmp_info_cmd(const char *args);
static char *hmp_help_cmd(const char *args);

static const HmpCommand hmp_commands[] = {
    { "cont|c", "", "resume emulation", HMP_ARGS_NONE, hmp_cont },
    { "device_add", "driver[,prop=value][,...]", "add device, like -device "
      "on the command line", HMP_ARGS_REQUIRED, hmp_device_add },
    { "device_del", "device", "remove device", HMP_ARGS_REQUIRED,
      hmp_device_del },
    { "help|?", "[cmd]", "show the help", HMP_ARGS_OPTIONAL_WORD,
      hmp_help_cmd },
    { "info", "[subcommand]", "show various information about the system "
      "state", HMP_ARGS_OPTIONAL_WORD, hmp_info_cmd },
    { "quit|q", "", "quit the emulator", HMP_ARGS_NONE, hmp_quit },
    { "stop|s", "", "stop emulation", HMP_ARGS_NONE, hmp_stop },
    { "system_reset", "", "reset the system", HMP_ARGS_NONE,
      hmp_system_reset },
};

static bool hmp_name_matches(const char *names, const char *name)
{
    g_auto(GStrv) alts = g_strsplit(names, "|", -1);

    for (int i = 0; alts[i]; i++) {
        if (!strcmp(alts[i], name)) {
            return true;
        }
    }
    return false;
}

static const HmpCommand *hmp_find(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(hmp_commands); i++) {
        if (hmp_name_matches(hmp_commands[i].names, name)) {
            return &hmp_commands[i];
        }
    }
    return NULL;
}

static void hmp_help_line(GString *out, const HmpCommand *cmd)
{
    g_string_append_printf(out, "%s%s%s  -- %s\n", cmd->names,
                           *cmd->params ? " " : "", cmd->params, cmd->help);
}

/* "info" alone lists the info commands; "info NAME [junk]" runs one. */
static char *hmp_info_cmd(const char *args)
{
    size_t len = strcspn(args, " \t");
    g_autofree char *name = g_strndup(args, len);
    const char *rest = args + len;

    rest += strspn(rest, " \t");
    return hmp_info(name, rest);
}

/* "help" lists everything, "help info" the info commands, "help X" X. */
static char *hmp_help_cmd(const char *args)
{
    GString *out = g_string_new(NULL);
    const HmpCommand *cmd;
    g_autofree char *infos = NULL;

    if (!strcmp(args, "info")) {
        g_string_free(out, true);
        return hmp_info_help();
    }
    if (*args) {
        cmd = hmp_find(args);
        if (cmd) {
            hmp_help_line(out, cmd);
        } else {
            g_string_append_printf(out, "unknown command: '%s'\n", args);
        }
        return g_string_free(out, false);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(hmp_commands); i++) {
        hmp_help_line(out, &hmp_commands[i]);
    }
    infos = hmp_info_help();
    g_string_append(out, infos);
    return g_string_free(out, false);
}

char *hmp_execute(const char *cmdline)
{
    g_autofree char *line = g_strstrip(g_strdup(cmdline));
    g_autofree char *name = NULL;
    const HmpCommand *cmd;
    const char *rest;

    if (!*line) {
        return g_strdup("");
    }
    rest = line + strcspn(line, " \t");
    name = g_strndup(line, rest - line);
    rest += strspn(rest, " \t");
    cmd = hmp_find(name);
    if (!cmd) {
        return g_strdup_printf("unknown command: '%s'\n", name);
    }
    if (cmd->args == HMP_ARGS_NONE && *rest) {
        return g_strdup_printf("%s: extraneous characters at the end of "
                               "line\n", cmd->names);
    }
    if (cmd->args == HMP_ARGS_REQUIRED && !*rest) {
        return g_strdup_printf("%s: missing argument\n", cmd->names);
    }
    return cmd->fn(rest);
}
