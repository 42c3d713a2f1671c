/*
 * Shared between the QMP server, the QMP core commands and HMP.
 */
#ifndef MONITOR_INTERNAL_H
#define MONITOR_INTERNAL_H

#include "monitor/monitor.h"

/* {"qemu": {"micro", "minor", "major"}, "package"} (query-version). */
JsonObject *qmp_version_info(void);
/* The program's version text, as HMP "info version" prints it. */
const char *qmp_version_string(void);

/* qom-list, qom-get, qom-set, qom-list-types, qom-list-properties,
 * device-list-properties (monitor/qmp-qom.c). */
void qmp_qom_register(void);
/* query-qmp-schema (monitor/qmp-schema.c). */
void qmp_schema_register(void);

/* "info NAME" with what followed it; "" NAME lists them. */
char *hmp_info(const char *name, const char *args);
/* The "info" commands, one help line each. */
char *hmp_info_help(void);

/* Start an HMP (readline-mode) monitor on @chr. */
bool hmp_monitor_init(Chardev *chr, Error **errp);
void hmp_monitor_cleanup_all(void);
/* "info status", "info version", "info qtree". */
void hmp_register_builtin_info(void);
/* Forget every registered "info" command. */
void hmp_unregister_all(void);
/* "\n" becomes "\r\n", as QEMU's monitor output does. */
char *hmp_crlf(const char *text);

#endif
