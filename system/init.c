/*
 * Every type and every monitor command, registered in one readable place:
 * no constructor ordering, and tests call the same functions.
 */
#include "system/vl.h"
#include "hw/core/machine.h"
#include "monitor/monitor.h"

void vv_types_init(void)
{
    object_register_types();
    qdev_register_types();
    machine_register_types();
}

void monitor_register_all(void)
{
    qdev_monitor_register();
}
