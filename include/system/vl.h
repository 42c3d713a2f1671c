/*
 * Start-up: the command line and the ordered initialisation steps.
 */
#ifndef SYSTEM_VL_H
#define SYSTEM_VL_H

#include "hw/core/qdev.h"
#include "qemu/keyval.h"

/*
 * Create and realize the device described by @opts ("driver" and "id"
 * included), cold or hot plugged.  On failure nothing is left behind.
 */
DeviceState *qdev_device_add(KeyValList *opts, Error **errp);
/* Unplug the device with QOM id or path @id and send DEVICE_DELETED. */
bool qdev_device_del(const char *id, Error **errp);
/* Create an -object from @opts ("qom-type" and "id" included). */
Object *user_object_add(KeyValList *opts, Error **errp);
/* object-del: QEMU's "object '%s' not found" / "... is in use" errors. */
bool user_object_del(const char *id, Error **errp);

/* device_add and device_del. */
void qdev_monitor_register(void);

/* Registers every type, in one place (system/init.c). */
void vv_types_init(void);

/* The whole program; returns the exit status. */
int vv_main(int argc, char **argv);

#endif
