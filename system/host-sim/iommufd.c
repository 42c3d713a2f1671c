/*
 * Simulated host: /dev/iommu.  Command dispatch with the kernel's size
 * rules, the object table, IOAS bookkeeping and DESTROY.
 */
#include "system/host-sim/internal.h"

#include <errno.h>
#include <string.h>

#include "linux/iommufd.h"

#define SIM_PAGE_MASK 0xfffull

/* Bytes @off to @ulen of a user struct must be zero: -E2BIG if not. */
static int copy_zero_tail(const SimUaccess *ua, uint64_t uptr, uint64_t off,
                          uint32_t ulen)
{
    uint8_t extra[256];

    while (off < ulen) {
        size_t n = MIN(sizeof(extra), ulen - off);

        if (!ua->read(ua->opaque, uptr + off, extra, n)) {
            return -EFAULT;
        }
        for (size_t i = 0; i < n; i++) {
            if (extra[i]) {
                return -E2BIG;
            }
        }
        off += n;
    }
    return 0;
}

int sim_copy_data_in(const SimUaccess *ua, uint64_t uptr, uint32_t ulen,
                     void *kbuf, size_t ksize, size_t min)
{
    if (ulen < min) {
        return -EINVAL;
    }
    memset(kbuf, 0, ksize);
    if (!ua->read(ua->opaque, uptr, kbuf, MIN(ulen, ksize))) {
        return -EFAULT;
    }
    return copy_zero_tail(ua, uptr, ksize, ulen);
}

int sim_copy_struct_in(const SimUaccess *ua, uint64_t uarg, void *kbuf,
                       size_t ksize, size_t min, uint32_t *usize)
{
    uint32_t size;
    int r;

    /*
     * One copy takes the size and the struct when the user's memory
     * holds @ksize bytes, as it nearly always does; what lies past a
     * shorter struct is then cleared.  Otherwise the size comes first,
     * as in the kernel, so that only the user's bytes are read.
     */
    if (ua->read(ua->opaque, uarg, kbuf, ksize)) {
        memcpy(&size, kbuf, sizeof(size));
        if (size < min) {
            return -EINVAL;
        }
        if (size < ksize) {
            memset((uint8_t *)kbuf + size, 0, ksize - size);
        }
        r = copy_zero_tail(ua, uarg, ksize, size);
    } else if (!ua->read(ua->opaque, uarg, &size, sizeof(size))) {
        return -EFAULT;
    } else {
        /* The command struct follows the same rules as a driver's data. */
        r = sim_copy_data_in(ua, uarg, size, kbuf, ksize, min);
    }
    if (!r) {
        *usize = size;
    }
    return r;
}

/* ---- objects ---- */

SimIctx *sim_ictx_new(void)
{
    SimIctx *ictx = g_new0(SimIctx, 1);

    ictx->refs = 1;
    ictx->next_id = 1;
    ictx->objs = g_hash_table_new(g_direct_hash, g_direct_equal);
    return ictx;
}

SimIctx *sim_ictx_ref(SimIctx *ictx)
{
    ictx->refs++;
    return ictx;
}

static void sim_obj_free(HostSim *s, SimObj *obj)
{
    if (obj->maps) {
        g_array_unref(obj->maps);
    }
    if (obj->autodomains) {
        g_ptr_array_unref(obj->autodomains);
    }
    if (obj->pasids) {
        g_hash_table_unref(obj->pasids);
    }
    if (obj->inv_log) {
        g_array_unref(obj->inv_log);
    }
    s->live_objs--;
    g_free(obj);
}

void sim_ictx_unref(HostSim *s, SimIctx *ictx)
{
    GHashTableIter it;
    gpointer obj;

    if (--ictx->refs) {
        return;
    }
    /* No device is bound any more, so nothing outside holds an object. */
    g_hash_table_iter_init(&it, ictx->objs);
    while (g_hash_table_iter_next(&it, NULL, &obj)) {
        sim_obj_free(s, obj);
    }
    g_hash_table_unref(ictx->objs);
    g_free(ictx);
}

SimObj *sim_obj_get(SimIctx *ictx, uint32_t id, int type)
{
    SimObj *obj = g_hash_table_lookup(ictx->objs, GUINT_TO_POINTER(id));

    return obj && (type < 0 || obj->type == (SimObjType)type) ? obj : NULL;
}

SimObj *sim_obj_new(HostSim *s, SimIctx *ictx, SimObjType type)
{
    SimObj *obj = g_new0(SimObj, 1);

    obj->type = type;
    obj->ictx = ictx;
    obj->id = ictx->next_id++;
    g_hash_table_insert(ictx->objs, GUINT_TO_POINTER(obj->id), obj);
    s->live_objs++;
    return obj;
}

void sim_obj_remove(HostSim *s, SimObj *obj)
{
    if (obj->parent) {
        obj->parent->users--;
    }
    if (obj->autodomain) {
        g_ptr_array_remove(obj->parent->autodomains, obj);
    }
    if (obj->type == SIM_OBJ_VDEVICE) {
        obj->devobj->vdevices--;
    }
    g_hash_table_remove(obj->ictx->objs, GUINT_TO_POINTER(obj->id));
    sim_obj_free(s, obj);
}

/* ---- IOAS ---- */

static int cmd_destroy(HostSim *s, SimIctx *ictx, void *buf,
                       const SimUaccess *ua)
{
    struct iommu_destroy *cmd = buf;
    SimObj *obj = sim_obj_get(ictx, cmd->id, -1);

    if (!obj) {
        return -ENOENT;
    }
    /* A bound device is held by VFIO; others by what uses them. */
    if (obj->users || obj->type == SIM_OBJ_DEVICE) {
        return -EBUSY;
    }
    sim_obj_remove(s, obj);
    return 0;
}

static int cmd_ioas_alloc(HostSim *s, SimIctx *ictx, void *buf,
                          const SimUaccess *ua)
{
    struct iommu_ioas_alloc *cmd = buf;
    SimObj *ioas;

    if (cmd->flags) {
        return -EOPNOTSUPP;
    }
    ioas = sim_obj_new(s, ictx, SIM_OBJ_IOAS);
    ioas->maps = g_array_new(false, false, sizeof(SimMapping));
    cmd->out_ioas_id = ioas->id;
    return 0;
}

/* Index of the first mapping ending at or after @iova. */
static unsigned ioas_first_from(GArray *maps, uint64_t iova)
{
    unsigned i;

    for (i = 0; i < maps->len; i++) {
        SimMapping *m = &g_array_index(maps, SimMapping, i);

        if (m->iova + m->length - 1 >= iova) {
            break;
        }
    }
    return i;
}

/* The lowest free IOVA for @len bytes with @va's offset in the page. */
static bool ioas_find_space(GArray *maps, uint64_t va, uint64_t len,
                            uint64_t *iova)
{
    uint64_t cand = SIM_PAGE_MASK + 1 + (va & SIM_PAGE_MASK);
    unsigned i;

    for (i = 0; i < maps->len; i++) {
        SimMapping *m = &g_array_index(maps, SimMapping, i);

        if (cand + len - 1 < m->iova) {
            break;
        }
        if (cand <= m->iova + m->length - 1) {
            uint64_t end = m->iova + m->length;

            cand = ((end + SIM_PAGE_MASK) & ~SIM_PAGE_MASK) +
                   (va & SIM_PAGE_MASK);
            if (cand < end) {
                return false;
            }
        }
    }
    if (cand + len - 1 < cand) {
        return false;
    }
    *iova = cand;
    return true;
}

static int cmd_ioas_map(HostSim *s, SimIctx *ictx, void *buf,
                        const SimUaccess *ua)
{
    struct iommu_ioas_map *cmd = buf;
    uint32_t rw = IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE;
    SimObj *ioas;
    SimMapping m;
    unsigned i;

    if ((cmd->flags & ~(rw | IOMMU_IOAS_MAP_FIXED_IOVA)) || cmd->__reserved) {
        return -EOPNOTSUPP;
    }
    if (!(cmd->flags & rw) || !cmd->length) {
        return -EINVAL;
    }
    ioas = sim_obj_get(ictx, cmd->ioas_id, SIM_OBJ_IOAS);
    if (!ioas) {
        return -ENOENT;
    }
    if (cmd->user_va + cmd->length - 1 < cmd->user_va ||
        cmd->iova + cmd->length - 1 < cmd->iova) {
        return -EOVERFLOW;
    }
    if (!(cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA)) {
        uint64_t iova;

        if (!ioas_find_space(ioas->maps, cmd->user_va, cmd->length, &iova)) {
            return -ENOSPC;
        }
        cmd->iova = iova;
    } else if ((cmd->iova ^ cmd->user_va) & SIM_PAGE_MASK) {
        return -EINVAL;
    }
    i = ioas_first_from(ioas->maps, cmd->iova);
    if (i < ioas->maps->len &&
        g_array_index(ioas->maps, SimMapping, i).iova <=
        cmd->iova + cmd->length - 1) {
        return -EEXIST;
    }
    m = (SimMapping) { cmd->iova, cmd->length, cmd->user_va, cmd->flags };
    g_array_insert_val(ioas->maps, i, m);
    return 0;
}

static int cmd_ioas_unmap(HostSim *s, SimIctx *ictx, void *buf,
                          const SimUaccess *ua)
{
    struct iommu_ioas_unmap *cmd = buf;
    SimObj *ioas = sim_obj_get(ictx, cmd->ioas_id, SIM_OBJ_IOAS);
    uint64_t last, done = 0;
    unsigned i, j;

    if (!ioas) {
        return -ENOENT;
    }
    if (!cmd->iova && !cmd->length) {
        last = UINT64_MAX;
    } else if (!cmd->length) {
        return -EINVAL;
    } else if (cmd->iova + cmd->length - 1 < cmd->iova) {
        return -EOVERFLOW;
    } else {
        last = cmd->iova + cmd->length - 1;
    }
    i = ioas_first_from(ioas->maps, cmd->iova);
    for (j = i; j < ioas->maps->len; j++) {
        SimMapping *m = &g_array_index(ioas->maps, SimMapping, j);

        if (m->iova > last) {
            break;
        }
        /* Mappings are not split: a range must cover whole ones. */
        if (m->iova < cmd->iova || m->iova + m->length - 1 > last) {
            return -EINVAL;
        }
        done += m->length;
    }
    if (j == i) {
        return -ENOENT;
    }
    g_array_remove_range(ioas->maps, i, j - i);
    cmd->length = done;
    return 0;
}

/* ---- IOVA ranges ---- */

/* The last IOVA a domain of @iommu can translate (its aperture). */
static uint64_t iommu_aperture_last(const SimIommu *iommu)
{
    unsigned bits = 48;             /* SMMUv3 stage 1 */

    if (iommu->type == IOMMU_HW_INFO_TYPE_INTEL_VTD) {
        bits = ((iommu->cap >> 16) & 0x3f) + 1;     /* CAP.MGAW + 1 */
    } else if (iommu->type == IOMMU_HW_INFO_TYPE_NONE) {
        bits = iommu->iova_width;
    }
    return bits >= 64 ? UINT64_MAX : (1ull << bits) - 1;
}

/* The IOAS a HWPT hangs from, through nesting parents. */
static SimObj *hwpt_ioas(SimObj *obj)
{
    while (obj && obj->type != SIM_OBJ_IOAS) {
        obj = obj->parent;
    }
    return obj;
}

/*
 * Every attached device narrows the IOAS to its IOMMU's aperture, less
 * the MSI window its platform reserves (x86: 0xFEE00000-0xFEEFFFFF;
 * Arm: the software MSI window at 0x8000000), as the kernel does.
 */
static unsigned ioas_ranges(SimIctx *ictx, SimObj *ioas,
                            struct iommu_iova_range r[2])
{
    uint64_t last = UINT64_MAX, msi = 0, msi_len = 0;
    GHashTableIter it;
    gpointer v;

    g_hash_table_iter_init(&it, ictx->objs);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        SimObj *o = v;

        if (o->type != SIM_OBJ_DEVICE || hwpt_ioas(o->attached) != ioas) {
            continue;
        }
        last = MIN(last, iommu_aperture_last(o->dev->iommu));
        if (o->dev->iommu->type == IOMMU_HW_INFO_TYPE_ARM_SMMUV3) {
            msi = 0x8000000, msi_len = 0x100000;
        } else {
            msi = 0xfee00000, msi_len = 0x100000;
        }
    }
    if (!msi_len || msi > last) {
        r[0] = (struct iommu_iova_range) { 0, last };
        return 1;
    }
    r[0] = (struct iommu_iova_range) { 0, msi - 1 };
    r[1] = (struct iommu_iova_range) { msi + msi_len, last };
    return 2;
}

static int cmd_ioas_iova_ranges(HostSim *s, SimIctx *ictx, void *buf,
                                const SimUaccess *ua)
{
    struct iommu_ioas_iova_ranges *cmd = buf;
    SimObj *ioas = sim_obj_get(ictx, cmd->ioas_id, SIM_OBJ_IOAS);
    struct iommu_iova_range r[2];
    unsigned n, max = cmd->num_iovas;

    if (cmd->__reserved) {
        return -EOPNOTSUPP;
    }
    if (!ioas) {
        return -ENOENT;
    }
    n = ioas_ranges(ictx, ioas, r);
    if (MIN(n, max) && !ua->write(ua->opaque, cmd->allowed_iovas, r,
                                  MIN(n, max) * sizeof(r[0]))) {
        return -EFAULT;
    }
    cmd->num_iovas = n;
    cmd->out_iova_alignment = SIM_PAGE_MASK + 1;
    return n > max ? -EMSGSIZE : 0;
}

/* ---- dispatch ---- */

typedef int (*IommufdCmdFunc)(HostSim *s, SimIctx *ictx, void *cmd,
                              const SimUaccess *ua);

typedef struct IommufdOp {
    unsigned long request;
    SimCmd cmd;
    size_t size, min;
    bool respond;                   /* copies the struct back on success */
    bool respond_err;               /* ... and on failure too */
    IommufdCmdFunc fn;
} IommufdOp;

#define OP_ERR(req, nm, type, last, resp, resp_err, f) \
    { req, SIM_CMD_##nm, sizeof(struct type), \
      offsetof(struct type, last) + sizeof(((struct type *)0)->last), \
      resp, resp_err, f }
#define OP(req, nm, type, last, resp, f) \
    OP_ERR(req, nm, type, last, resp, false, f)

static const IommufdOp iommufd_ops[] = {
    OP(IOMMU_DESTROY, DESTROY, iommu_destroy, id, false, cmd_destroy),
    OP(IOMMU_IOAS_ALLOC, IOAS_ALLOC, iommu_ioas_alloc, out_ioas_id, true,
       cmd_ioas_alloc),
    OP_ERR(IOMMU_IOAS_IOVA_RANGES, IOAS_IOVA_RANGES,
           iommu_ioas_iova_ranges, out_iova_alignment, true, true,
           cmd_ioas_iova_ranges),
    OP(IOMMU_IOAS_MAP, IOAS_MAP, iommu_ioas_map, iova, true, cmd_ioas_map),
    OP(IOMMU_IOAS_UNMAP, IOAS_UNMAP, iommu_ioas_unmap, length, true,
       cmd_ioas_unmap),
    OP(IOMMU_HWPT_ALLOC, HWPT_ALLOC, iommu_hwpt_alloc, __reserved, true,
       sim_cmd_hwpt_alloc),
    OP(IOMMU_GET_HW_INFO, GET_HW_INFO, iommu_hw_info, __reserved, true,
       sim_cmd_get_hw_info),
    OP(IOMMU_HWPT_SET_DIRTY_TRACKING, HWPT_SET_DIRTY_TRACKING,
       iommu_hwpt_set_dirty_tracking, __reserved, false, sim_cmd_set_dirty),
    OP_ERR(IOMMU_HWPT_INVALIDATE, HWPT_INVALIDATE, iommu_hwpt_invalidate,
           __reserved, true, true, sim_cmd_hwpt_invalidate),
    OP(IOMMU_VIOMMU_ALLOC, VIOMMU_ALLOC, iommu_viommu_alloc, out_viommu_id,
       true, sim_cmd_viommu_alloc),
    OP(IOMMU_VDEVICE_ALLOC, VDEVICE_ALLOC, iommu_vdevice_alloc, virt_id,
       true, sim_cmd_vdevice_alloc),
};

int sim_iommufd_ioctl(HostSim *s, SimFile *f, unsigned long req,
                      uint64_t uarg, const SimUaccess *ua)
{
    const IommufdOp *op = NULL;
    uint8_t buf[64];
    uint32_t usize;
    unsigned i;
    int r;

    for (i = 0; i < G_N_ELEMENTS(iommufd_ops); i++) {
        if (iommufd_ops[i].request == req) {
            op = &iommufd_ops[i];
        }
    }
    r = sim_call_begin(s, NULL, op ? op->cmd : SIM_CMD_UNKNOWN);
    if (r || !op) {
        return r ? r : -ENOTTY;
    }
    g_assert(op->size <= sizeof(buf));
    r = sim_copy_struct_in(ua, uarg, buf, op->size, op->min, &usize);
    if (r) {
        return r;
    }
    r = op->fn(s, f->ictx, buf, ua);
    if ((op->respond_err || (!r && op->respond)) &&
        !ua->write(ua->opaque, uarg, buf, MIN(usize, op->size))) {
        return -EFAULT;
    }
    return r;
}
