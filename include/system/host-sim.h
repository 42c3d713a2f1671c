/*
 * The simulated host kernel (-host-sim FILE).
 *
 * Loads a host description (docs/system/host-sim.md) and installs host
 * ops that implement /dev/iommu (iommufd), /dev/vfio/devices/vfioN (VFIO
 * cdev) and the sysfs layout leading to them, the way Linux 6.18 does.
 * Simulated fds are real, inheritable fds (memfds named
 * "vfio-viommu-sim:PATH"), so fds made by a harness can be passed in.
 *
 * Only one simulated host exists per process; host_sim_stop() returns
 * the process to the real host and frees everything.
 */
#ifndef SYSTEM_HOST_SIM_H
#define SYSTEM_HOST_SIM_H

#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>

#include "qapi/error.h"

/* Name prefix of a simulated fd's memfd (see /proc/self/fd/N). */
#define HOST_SIM_FD_PREFIX "vfio-viommu-sim:"

/*
 * Load and validate @file and install the simulated host ops.  On a bad
 * file, *errp names the file, the JSON path and the problem, and the
 * real host stays installed.  Fails if a simulated host is running.
 */
bool host_sim_start(const char *file, Error **errp);

/* Uninstall the simulated host (closing its fds) and free everything. */
void host_sim_stop(void);

/* True between host_sim_start() and host_sim_stop(). */
bool host_sim_active(void);

/*
 * Fault injection, in the spirit of Linux's fail_nth:
 *   "nth=N[,errno=E]"  the Nth host call from now fails once (errno EIO
 *                      unless given);
 *   "cmd=NAME[,device=BDF][,errno=E][,times=K]"  calls of command NAME
 *                      (as counted, e.g. "GET_HW_INFO", "open", "pread"),
 *                      optionally only on device BDF, fail with E
 *                      (default EIO), K times (default: until cleared);
 *   "none"             clears every fault.
 * close() never fails.  Needs a running simulated host.
 */
bool host_sim_fault_parse(const char *opts, Error **errp);

/* Registers QMP x-query-host-sim and x-host-sim-fault. */
void host_sim_monitor_register(void);

/*
 * Counters, for tests.  Command names are the iommufd/VFIO command names
 * without prefix ("GET_HW_INFO", "IOAS_MAP", "BIND_IOMMUFD",
 * "GET_REGION_INFO", ...) or the call ("open", "close", "pread",
 * "pwrite", "read_file", "list_dir", "read_link").  A device's counters
 * include ioctls on its cdev fd, pread/pwrite of its regions, and iommufd
 * commands whose dev_id names it.  Faulted calls count too.
 */
uint64_t host_sim_count_total(void);
uint64_t host_sim_count_cmd(const char *cmd);
/* @cmd NULL: every call on the device. */
uint64_t host_sim_count_dev(const char *bdf, const char *cmd);
/* Simulated fds currently open in this process. */
unsigned host_sim_open_fds(void);
/* Live iommufd objects (IOAS, HWPT, bound devices) across all contexts. */
unsigned host_sim_live_objects(void);
void host_sim_counters_reset(void);

#endif
