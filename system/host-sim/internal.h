/*
 * The simulated host kernel: internals shared by the files of
 * system/host-sim/ and by harnesses that put the simulator behind
 * another transport (the umockdev smoke tests).
 *
 * Command handlers return 0 (or a non-negative result) or -errno, like
 * kernel code; only the host ops layer (core.c) turns that into
 * libc's -1/errno.
 */
#ifndef SYSTEM_HOST_SIM_INTERNAL_H
#define SYSTEM_HOST_SIM_INTERNAL_H

#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <json-glib/json-glib.h>
#include <stdint.h>
#include <sys/types.h>

#include "qapi/error.h"

struct iommu_hwpt_alloc;
struct iommu_hwpt_invalidate;

#define SIM_CFG_SIZE 4096
#define SIM_VFIO_MAJOR 511
/* vfio-pci places region N at N << 40 in the device fd. */
#define SIM_REGION_SHIFT 40

/*
 * The calls the simulator counts, and can fail on demand: the host ops
 * and the uAPI's commands (their names without prefix).
 */
typedef enum SimCmd {
    SIM_CMD_OPEN,
    SIM_CMD_CLOSE,
    SIM_CMD_PREAD,
    SIM_CMD_PWRITE,
    SIM_CMD_READ_FILE,
    SIM_CMD_LIST_DIR,
    SIM_CMD_READ_LINK,
    SIM_CMD_DESTROY,
    SIM_CMD_IOAS_ALLOC,
    SIM_CMD_IOAS_IOVA_RANGES,
    SIM_CMD_IOAS_MAP,
    SIM_CMD_IOAS_UNMAP,
    SIM_CMD_HWPT_ALLOC,
    SIM_CMD_GET_HW_INFO,
    SIM_CMD_HWPT_SET_DIRTY_TRACKING,
    SIM_CMD_HWPT_INVALIDATE,
    SIM_CMD_VIOMMU_ALLOC,
    SIM_CMD_VDEVICE_ALLOC,
    SIM_CMD_GET_INFO,
    SIM_CMD_GET_REGION_INFO,
    SIM_CMD_GET_IRQ_INFO,
    SIM_CMD_SET_IRQS,
    SIM_CMD_RESET,
    SIM_CMD_FEATURE,
    SIM_CMD_BIND_IOMMUFD,
    SIM_CMD_ATTACH_IOMMUFD_PT,
    SIM_CMD_DETACH_IOMMUFD_PT,
    SIM_CMD_UNKNOWN,                /* an ioctl the file does not know */
    SIM_CMD__MAX
} SimCmd;

/* Names by SimCmd, as the counters and faults show them. */
extern const char *const sim_cmd_names[SIM_CMD__MAX];
/* The command named @name, or -1. */
int sim_cmd_lookup(const char *name);

typedef struct SimIommu {
    char *id;
    uint32_t type;                  /* IOMMU_HW_INFO_TYPE_* */
    uint64_t cap, ecap;             /* VT-d */
    uint32_t idr[6], iidr, aidr;    /* SMMUv3 */
    uint64_t pasid_width;           /* AMD-Vi: no vendor data tells it */
    uint64_t iova_width;            /* AMD-Vi: its domains' aperture bits */
    bool dirty_tracking;
} SimIommu;

typedef struct SimDevice {
    char *bdf;
    unsigned index;                 /* /dev/vfio/devices/vfio<index> */
    unsigned group;                 /* iommu_group number */
    SimIommu *iommu;
    uint64_t bar_size[6];
    uint8_t bar_flags[6];           /* low bits of the BAR register */
    uint64_t rom_size;
    /*
     * SIM_CFG_SIZE bytes each.  The four constant ones are built once per
     * "devices" entry and shared by the devices its "count" makes (the
     * entry owns them); config, the only one that changes, is the
     * device's own from its first write (sim_device_config()).
     */
    uint8_t *hw_config;             /* what the hardware holds */
    uint8_t *config_init;           /* what vfio-pci shows after a reset */
    uint8_t *wmask;
    uint8_t *w1cmask;
    uint8_t *config;                /* what vfio-pci shows; NULL: config_init */
    unsigned pasid_width;           /* Max PASID Width of the device, 0: none */
    uint16_t pasid_ctrl;            /* PASID Control as the host driver left it */
    /* runtime */
    struct SimObj *bound;           /* device object while bound */
    uint64_t counts[SIM_CMD__MAX];
    uint64_t total;
} SimDevice;

typedef enum SimObjType {
    SIM_OBJ_IOAS,
    SIM_OBJ_HWPT,
    SIM_OBJ_DEVICE,
    SIM_OBJ_VIOMMU,
    SIM_OBJ_VDEVICE,
} SimObjType;

typedef struct SimMapping {
    uint64_t iova, length, user_va;
    uint32_t flags;
} SimMapping;

typedef struct SimIctx SimIctx;

/* What a nested HWPT carries: the vendor's stage-1 data, as given. */
typedef struct SimNestedData {
    uint32_t data_type;             /* IOMMU_HWPT_DATA_* */
    uint64_t s1_flags;              /* VT-d: IOMMU_VTD_S1_* */
    uint64_t pgtbl_addr;            /* VT-d: the guest's table pointer */
    uint32_t addr_width;            /* VT-d: 48 or 57 */
    uint64_t ste[2];                /* SMMUv3: the guest STE, as checked */
} SimNestedData;

/* One handled invalidation entry, kept for x-query-host-sim. */
typedef struct SimInvEntry {
    uint64_t addr, npages;
    uint32_t flags;
    uint64_t cmd[2];                /* SMMUv3: the command, as the guest's */
} SimInvEntry;

/* The newest entries a HWPT keeps for queries. */
#define SIM_INV_LOG_MAX 16

typedef struct SimObj {
    SimObjType type;
    uint32_t id;
    unsigned users;                 /* references from other objects */
    SimIctx *ictx;
    GArray *maps;                   /* IOAS: SimMapping, sorted by iova */
    GPtrArray *autodomains;         /* IOAS: its automatic HWPTs, oldest first */
    struct SimObj *parent;          /* HWPT: its IOAS or nesting parent */
    SimDevice *dev;                 /* HWPT: allocated for; DEVICE: itself */
    uint32_t flags;                 /* HWPT: IOMMU_HWPT_ALLOC_* */
    bool autodomain;                /* HWPT: made by attach to an IOAS */
    bool dirty_tracking;            /* HWPT: enabled */
    bool nested;                    /* HWPT: user-managed (on a parent) */
    SimNestedData data;             /* HWPT: if nested */
    uint64_t inv_calls;             /* HWPT: HWPT_INVALIDATE calls */
    uint64_t inv_entries;           /* HWPT: entries handled */
    GArray *inv_log;                /* HWPT: SimInvEntry, newest last */
    struct SimObj *attached;        /* DEVICE: HWPT on the RID */
    unsigned vdevices;              /* DEVICE: vDEVICEs naming it */
    GHashTable *pasids;             /* DEVICE: pasid -> HWPT, NULL if none yet */
    /*
     * VIOMMU: parent is its nesting parent, dev the device it was
     * allocated for (its IOMMU backs it); inv_* count its invalidations.
     * VDEVICE: parent is its vIOMMU, devobj the device, virt_id its ID
     * on the vIOMMU.
     */
    uint32_t viommu_type;           /* VIOMMU: IOMMU_VIOMMU_TYPE_* */
    struct SimObj *devobj;          /* VDEVICE */
    uint64_t virt_id;               /* VDEVICE */
} SimObj;

struct SimIctx {
    unsigned refs;                  /* the /dev/iommu file + bound devices */
    GHashTable *objs;               /* id -> SimObj */
    uint32_t next_id;
};

typedef enum SimFileKind {
    SIM_FILE_IOMMU,
    SIM_FILE_VFIO,
} SimFileKind;

typedef struct SimFile {
    SimFileKind kind;
    SimIctx *ictx;                  /* IOMMU: its context; VFIO: once bound */
    SimDevice *dev;                 /* VFIO */
    SimObj *devobj;                 /* VFIO: once bound */
} SimFile;

/*
 * How a command reaches the caller's memory.  In process, addresses are
 * checked (a bad pointer is EFAULT, not a crash); behind umockdev they
 * name the client's memory.
 */
typedef struct SimUaccess {
    bool (*read)(void *opaque, uint64_t uaddr, void *dst, size_t len);
    bool (*write)(void *opaque, uint64_t uaddr, const void *src, size_t len);
    void *opaque;
} SimUaccess;

typedef struct SimCmdFault {
    int cmd;                        /* SimCmd; -1: a name no call has */
    char *bdf;                      /* NULL: any device, or none */
    int err;
    int times;                      /* < 0: until cleared */
} SimCmdFault;

typedef struct HostSim {
    char *file;
    GPtrArray *iommus;              /* SimIommu */
    unsigned ndevices;              /* described, vfio0 .. vfio<n - 1> */
    /*
     * Index -> SimDevice, made when first looked up (sim_host_device()):
     * a described device costs nothing until someone asks for it.
     */
    GHashTable *devices;
    GPtrArray *entries;             /* the "devices" entries they come from */
    GHashTable *fds;                /* fd -> SimFile (in-process host ops) */
    int fd_base;                    /* the memfd they are duplicates of */
    bool no_pvm;                    /* process_vm_readv() is filtered */
    int uaccess_pipe[2];            /* its stand-in, opened on first use */
    uint64_t counts[SIM_CMD__MAX];
    uint64_t total;
    unsigned live_objs;
    /* vDEVICEs destroyed with their device: ids lost until close. */
    unsigned tombstones;
    uint64_t nth;                   /* 0: no nth fault armed */
    int nth_err;
    GPtrArray *cmd_faults;          /* SimCmdFault */
    /* Region offsets are 0 behind umockdev, which serves pread itself. */
    unsigned region_shift;
    /* Resolves the fd given to BIND_IOMMUFD to an open /dev/iommu file. */
    SimFile *(*lookup_iommufd)(struct HostSim *s, int fd, void *opaque);
    void *lookup_opaque;
} HostSim;

/* desc.c: load and validate a description; NULL with *errp. */
HostSim *sim_host_load(const char *file, Error **errp);
void sim_host_free(HostSim *s);
SimDevice *sim_host_find_device(HostSim *s, const char *bdf);
SimDevice *sim_host_device(HostSim *s, unsigned index);
void sim_host_device_name(HostSim *s, unsigned index, char name[13]);
const uint8_t *sim_device_config(const SimDevice *dev);

/*
 * JSON members, for the description parsers: @key of @o as an unsigned
 * number (a JSON integer or a "0x..." string) no larger than @max; when
 * absent, @def unless @required.  Errors name "@jpath.@key".
 */
bool sim_json_uint(JsonObject *o, const char *key, const char *jpath,
                   bool required, uint64_t def, uint64_t max, uint64_t *out,
                   Error **errp);
bool sim_json_bool(JsonObject *o, const char *key, const char *jpath,
                   bool def, bool *out, Error **errp);
/* @o may hold only members named in the NULL-terminated @allowed. */
bool sim_json_check_keys(JsonObject *o, const char *jpath,
                         const char *const *allowed, Error **errp);

/* config.c */
/*
 * Build @dev's hardware config space from a JSON capability list (@caps,
 * found at JSON path @jpath) or a hex dump; the header is already set.
 */
bool sim_config_add_caps(SimDevice *dev, JsonArray *caps, const char *jpath,
                         Error **errp);
bool sim_config_from_hex(SimDevice *dev, const char *hex, const char *jpath,
                         Error **errp);
/* Derive PASID facts, vfio-pci's view (PASID hidden) and write masks. */
bool sim_config_finish(SimDevice *dev, JsonObject *host_pasid,
                       const char *jpath, Error **errp);
/* Offset of extended capability @id in @cfg's chain, 0 if absent. */
unsigned sim_config_find_ecap(const uint8_t *cfg, uint16_t id);
/* A config write as the device would take it (masks applied). */
void sim_config_write(SimDevice *dev, unsigned off, const uint8_t *buf,
                      size_t len);

/* core.c: calls, counters, faults, files */
/* Count a call (and @dev's, if any); -errno if a fault fires. */
int sim_call_begin(HostSim *s, SimDevice *dev, SimCmd cmd);
/* Count a call on @dev found while handling @cmd; -errno on a fault. */
int sim_call_device(HostSim *s, SimDevice *dev, SimCmd cmd);
SimFile *sim_file_open(HostSim *s, const char *path, int *err);
void sim_file_release(HostSim *s, SimFile *f);
int sim_file_ioctl(HostSim *s, SimFile *f, unsigned long req, uint64_t uarg,
                   const SimUaccess *ua);
ssize_t sim_file_pread(HostSim *s, SimFile *f, void *buf, size_t count,
                       off_t off);
ssize_t sim_file_pwrite(HostSim *s, SimFile *f, const void *buf,
                        size_t count, off_t off);
/* The process's simulated host, or NULL. */
HostSim *sim_host_current(void);

/* iommufd.c */
SimIctx *sim_ictx_new(void);
SimIctx *sim_ictx_ref(SimIctx *ictx);
void sim_ictx_unref(HostSim *s, SimIctx *ictx);
int sim_iommufd_ioctl(HostSim *s, SimFile *f, unsigned long req,
                      uint64_t uarg, const SimUaccess *ua);
/* For VFIO: bind/unbind a device object, attach/detach a page table. */
SimObj *sim_iommufd_bind(HostSim *s, SimIctx *ictx, SimDevice *dev);
void sim_iommufd_unbind(HostSim *s, SimObj *devobj);
int sim_iommufd_attach(HostSim *s, SimObj *devobj, uint32_t *pt_id,
                       bool has_pasid, uint32_t pasid);
void sim_iommufd_detach(HostSim *s, SimObj *devobj, bool has_pasid,
                        uint32_t pasid);
/*
 * Copy an iommufd command struct in with the kernel's size rules: the
 * user's size (first u32) below @min is -EINVAL, non-zero bytes past
 * @ksize are -E2BIG, a shorter struct is zero-filled; *@usize gets the
 * user's size.  Returns 0 or -errno.
 */
int sim_copy_struct_in(const SimUaccess *ua, uint64_t uarg, void *kbuf,
                       size_t ksize, size_t min, uint32_t *usize);
/*
 * Copy a driver's data struct of @ksize bytes (at least @min) from a
 * user buffer of @ulen bytes, as iommu_copy_struct_from_user() does:
 * -EINVAL if short, -E2BIG if the user's extra bytes are not zero.
 */
int sim_copy_data_in(const SimUaccess *ua, uint64_t uptr, uint32_t ulen,
                     void *kbuf, size_t ksize, size_t min);
/* An iommufd object of @type (SIM_OBJ_* or -1 for any), or NULL. */
SimObj *sim_obj_get(SimIctx *ictx, uint32_t id, int type);
SimObj *sim_obj_new(HostSim *s, SimIctx *ictx, SimObjType type);
void sim_obj_remove(HostSim *s, SimObj *obj);
/* The PASID width the host reports for @dev (0: none). */
unsigned sim_device_pasid_log2(const SimDevice *dev);
/* The HWPT commands (hwpt.c), same contract as the ioctls. */
int sim_cmd_hwpt_alloc(HostSim *s, SimIctx *ictx, void *cmd,
                       const SimUaccess *ua);
int sim_cmd_get_hw_info(HostSim *s, SimIctx *ictx, void *cmd,
                        const SimUaccess *ua);
int sim_cmd_set_dirty(HostSim *s, SimIctx *ictx, void *cmd,
                      const SimUaccess *ua);
int sim_cmd_hwpt_invalidate(HostSim *s, SimIctx *ictx, void *cmd,
                            const SimUaccess *ua);

/*
 * nested-*.c: what one IOMMU driver does with user-managed (nested)
 * page tables.  The iommufd core (hwpt.c) does the generic checks and
 * calls these; each returns 0 or -errno, as the driver would.
 */
typedef struct SimNestedOps {
    uint32_t iommu_type;            /* IOMMU_HW_INFO_TYPE_* */
    uint32_t data_type;             /* IOMMU_HWPT_DATA_* it allocates */
    uint32_t inv_type;              /* IOMMU_HWPT_INVALIDATE_DATA_* */
    /* @iommu can be a nesting parent's IOMMU (else EOPNOTSUPP). */
    bool (*parent_ok)(const SimIommu *iommu);
    /* Copy and check the user data of a nested HWPT_ALLOC into @out. */
    int (*alloc)(const struct iommu_hwpt_alloc *cmd, const SimUaccess *ua,
                 SimNestedData *out);
    /* Can @data be attached to a device behind @iommu? */
    int (*attach_ok)(const SimNestedData *data, const SimIommu *iommu);
    /* Check one invalidation entry (already copied in, zero-filled). */
    int (*inv_entry)(const void *entry, SimInvEntry *out);
    size_t inv_entry_size;          /* the kernel's entry struct */
    size_t inv_entry_min;           /* the smallest entry_len accepted */
} SimNestedOps;

/*
 * What a driver that nests through a vIOMMU (SMMUv3) adds; its
 * SimNestedOps.alloc is NULL: a nested HWPT needs a vIOMMU as pt_id.
 */
typedef struct SimViommuOps {
    uint32_t viommu_type;           /* IOMMU_VIOMMU_TYPE_* */
    /* Copy and check a nested HWPT_ALLOC's data for @iommu's vIOMMU. */
    int (*alloc)(const struct iommu_hwpt_alloc *cmd, const SimUaccess *ua,
                 const SimIommu *iommu, SimNestedData *out);
    /* Does @data need a vDEVICE of the device to be attached? */
    bool (*needs_vdevice)(const SimNestedData *data);
    /* Check one command of a vIOMMU invalidation (vIDs already known). */
    int (*inv_entry)(SimObj *viommu, const void *entry, SimInvEntry *out);
    size_t inv_entry_size;
} SimViommuOps;

/* The driver of @type, or NULL: it does not nest. */
const SimNestedOps *sim_nested_ops(uint32_t iommu_type);
extern const SimNestedOps sim_nested_vtd_ops;
extern const SimNestedOps sim_nested_smmuv3_ops;
extern const SimViommuOps sim_viommu_smmuv3_ops;

/* viommu.c: vIOMMU and vDEVICE objects (IOMMU_VIOMMU/VDEVICE_ALLOC). */
int sim_cmd_viommu_alloc(HostSim *s, SimIctx *ictx, void *cmd,
                         const SimUaccess *ua);
int sim_cmd_vdevice_alloc(HostSim *s, SimIctx *ictx, void *cmd,
                          const SimUaccess *ua);
/* HWPT_ALLOC with a vIOMMU as pt_id: the core's and driver's checks. */
int sim_viommu_check_nested(SimDevice *dev, struct iommu_hwpt_alloc *cmd,
                            SimObj *viommu, const SimUaccess *ua,
                            SimNestedData *data);
/* Can @hwpt (nested on a vIOMMU) be attached to @devobj? */
int sim_viommu_attach_ok(SimObj *hwpt, SimObj *devobj);
/* IOMMU_HWPT_INVALIDATE on a vIOMMU (entry_num set as handled). */
int sim_viommu_invalidate(HostSim *s, SimObj *viommu,
                          struct iommu_hwpt_invalidate *cmd,
                          const SimUaccess *ua);
/* The vDEVICE of @devobj on @viommu, or NULL. */
SimObj *sim_vdevice_find(SimObj *viommu, SimObj *devobj);
/* The vDEVICE with @virt_id on @viommu, or NULL. */
SimObj *sim_vdevice_by_id(SimObj *viommu, uint64_t virt_id);
/* Unbinding @devobj: its vDEVICEs go, their ids are lost (tombstones). */
void sim_vdevices_tombstone(HostSim *s, SimObj *devobj);
/* Keep @e in @obj's invalidation log (the newest SIM_INV_LOG_MAX). */
void sim_inv_log_add(SimObj *obj, const SimInvEntry *e);

/* vfio.c */
int sim_vfio_ioctl(HostSim *s, SimFile *f, unsigned long req, uint64_t uarg,
                   const SimUaccess *ua);
ssize_t sim_vfio_rw(HostSim *s, SimFile *f, void *buf, size_t count,
                    off_t off, bool write);

/* sysfs.c: -errno in *err on failure */
char *sim_sysfs_read_file(HostSim *s, const char *path, int *err);
char **sim_sysfs_list_dir(HostSim *s, const char *path, int *err);
char *sim_sysfs_read_link(HostSim *s, const char *path, int *err);
/* The device whose cdev node is @path, or NULL. */
SimDevice *sim_sysfs_cdev_device(HostSim *s, const char *path);

#endif
