/*
 * Guest-visible views of the PCI topology: the lspci dump and the
 * monitor commands built on the same walk.
 */
#ifndef HW_PCI_PCI_DUMP_H
#define HW_PCI_PCI_DUMP_H

#include <json-glib/json-glib.h>

#include "hw/pci/pci.h"

/*
 * Every function the guest can reach below @root, as `lspci -xxxx` prints
 * it and `lspci -F FILE` reads it: a "BB:DD.F description" line, the
 * config space (through the guest's read path) 16 bytes a line, a blank
 * line.  Functions behind a bridge appear under the bus number the guest
 * programmed; behind a bridge the guest has not numbered yet, under the
 * number firmware would give it (depth first, devfn order, past every
 * number in use), with that bridge's bus-number bytes showing it.  The
 * machine is not changed: the guest still reads its own values.  Caller
 * frees.
 */
char *pci_dump_lspci(PCIBus *root);
/* Class description as QEMU's monitor prints it ("Host bridge"), or NULL. */
const char *pci_class_desc(uint16_t class_code);

/*
 * Registers QMP query-pci and x-query-pci-config (the dump as
 * {"human-readable-text": ...}) and HMP "info pci"; all read the
 * running machine's root bus.
 */
void pci_monitor_register(void);

/* The command handlers themselves (monitor/monitor.h signatures). */
JsonNode *qmp_query_pci(JsonObject *args, Error **errp);
JsonNode *qmp_x_query_pci_config(JsonObject *args, Error **errp);
char *hmp_info_pci(Error **errp);

#endif
