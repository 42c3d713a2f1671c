/*
 * Help output: -h, -version, "-device help", "-device NAME,help",
 * "-object help", "-machine help", in QEMU's layout.
 */
#ifndef SYSTEM_VL_HELP_H
#define SYSTEM_VL_HELP_H

#include <stdbool.h>

void vl_print_usage(void);
void vl_print_version(void);
/*
 * @kind is "device", "object" or "machine"; @name NULL lists the types,
 * else the properties of type @name.  False (reported) if @name is not
 * such a type.
 */
bool vl_print_help(const char *kind, const char *name);

#endif
