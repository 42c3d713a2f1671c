/*
 * -global DRIVER.PROP=VALUE: property defaults for every instance of a
 * type (and its subtypes) that the user creates.
 */
#ifndef HW_CORE_QDEV_GLOBALS_H
#define HW_CORE_QDEV_GLOBALS_H

#include "hw/core/object.h"

/* "DRIVER.PROP=VALUE" or "driver=D,property=P,value=V". */
bool qdev_global_add(const char *str, Error **errp);
/*
 * Apply the globals matching @obj (before its own properties are set).
 * On a bad value: fails with QEMU's "can't apply global ..." when
 * @fatal (cold plug), warns and goes on otherwise (hot plug).
 */
bool qdev_globals_apply(Object *obj, bool fatal, Error **errp);
/* After start-up: warn about globals nothing used, as QEMU does. */
void qdev_globals_check_unused(void);
void qdev_globals_reset(void);

#endif
