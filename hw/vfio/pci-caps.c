/*
 * vfio-pci capability chains as the guest sees them.
 *
 * Each capability the host shows is looked up in a descriptor table:
 * hidden (unlinked, reads as zero), emulated (served from config[]), or
 * passed through (body to the device, header emulated because we relink
 * it), plus a setup hook for the registers that need rewriting.
 * Unknown capabilities pass through, as QEMU's do.
 */
#include "hw/vfio/pci-internal.h"
#include "hw/pci/pcie.h"

/* MSI and MSI-X registers (relative to the capability). */
#define MSI_FLAGS               2
#define  MSI_FLAGS_ENABLE       0x0001
#define  MSI_FLAGS_QSIZE        0x0070
#define  MSI_FLAGS_64BIT        0x0080
#define  MSI_FLAGS_MASKBIT      0x0100
#define MSI_ADDRESS_LO          4
#define MSIX_FLAGS_HI           3           /* Enable and Function Mask */
#define  MSIX_FLAGS_HI_WMASK    0xc0
#define PM_CTRL                 4

typedef enum VFIOCapPolicy {
    VFIO_CAP_HIDE,              /* unlinked, reads as zero */
    VFIO_CAP_PASSTHROUGH,       /* header emulated, body goes to the host */
    VFIO_CAP_EMULATE,           /* served from config[] entirely */
} VFIOCapPolicy;

typedef struct VFIOCap {
    uint16_t pos;
    uint16_t id;
    uint8_t ver;                /* extended only */
    uint16_t size;
} VFIOCap;

typedef struct VFIOCapDesc {
    uint16_t id;
    VFIOCapPolicy policy;
    /* Fixed size in bytes; 0: ask the capability's registers. */
    uint16_t size;
    /* Emulated registers, write masks and rewrites after the copy. */
    void (*setup)(VFIOPCIDevice *vdev, const VFIOCap *cap);
} VFIOCapDesc;

/* ---- capability setup hooks ---- */

/*
 * The hooks touch config[], emulated[] and the masks only through these,
 * and only inside the capability's own (possibly clamped) bytes: a
 * capability cut short by its neighbour must not write into it.
 */
static unsigned vfio_cap_span(const VFIOCap *cap, unsigned rel,
                              unsigned len)
{
    return rel < cap->size ? MIN(len, cap->size - rel) : 0u;
}

/* @len (<= 4) bytes of @val, little endian, into @array at @rel. */
static void vfio_cap_set(uint8_t *array, const VFIOCap *cap, unsigned rel,
                         unsigned len, uint32_t val)
{
    unsigned n = vfio_cap_span(cap, rel, len);

    for (unsigned i = 0; i < n; i++) {
        array[cap->pos + rel + i] = val >> (8 * i);
    }
}

static void vfio_cap_emu(PCIDevice *pdev, const VFIOCap *cap, unsigned rel,
                         unsigned len, uint8_t bits)
{
    emu_range(pdev, cap->pos + rel, vfio_cap_span(cap, rel, len), bits);
}

static void vfio_cap_zero(PCIDevice *pdev, const VFIOCap *cap, unsigned rel,
                          unsigned len)
{
    memset(pdev->config + cap->pos + rel, 0, vfio_cap_span(cap, rel, len));
}

static void vfio_cap_setup_pm(VFIOPCIDevice *vdev, const VFIOCap *cap)
{
    /* PMC read-only from config[]; PMCSR and the rest to the device. */
    vfio_cap_emu(&vdev->pdev, cap, 2, 2, 0xff);
    vfio_cap_emu(&vdev->pdev, cap, PM_CTRL, cap->size, 0);
}

static void vfio_cap_setup_msi(VFIOPCIDevice *vdev, const VFIOCap *cap)
{
    PCIDevice *pdev = &vdev->pdev;
    uint16_t flags = pci_get_word(pdev->config + cap->pos + MSI_FLAGS);
    unsigned data = (flags & MSI_FLAGS_64BIT) ? 0xc : 0x8;

    /* Interrupts are set up by the VMM: the guest's view starts disabled. */
    flags &= ~(MSI_FLAGS_ENABLE | MSI_FLAGS_QSIZE);
    vfio_cap_set(pdev->config, cap, MSI_FLAGS, 2, flags);
    vfio_cap_set(pdev->wmask, cap, MSI_FLAGS, 2,
                 MSI_FLAGS_ENABLE | MSI_FLAGS_QSIZE);
    vfio_cap_set(pdev->wmask, cap, MSI_ADDRESS_LO, 4, 0xfffffffc);
    if (flags & MSI_FLAGS_64BIT) {
        vfio_cap_set(pdev->wmask, cap, MSI_ADDRESS_LO + 4, 4, 0xffffffff);
    }
    vfio_cap_set(pdev->wmask, cap, data, 2, 0xffff);
    if (flags & MSI_FLAGS_MASKBIT) {
        vfio_cap_set(pdev->wmask, cap, data + 4, 4, 0xffffffff);
    }
}

static void vfio_cap_setup_msix(VFIOPCIDevice *vdev, const VFIOCap *cap)
{
    PCIDevice *pdev = &vdev->pdev;

    vfio_cap_set(pdev->config, cap, MSIX_FLAGS_HI, 1,
                 pdev->config[cap->pos + MSIX_FLAGS_HI] &
                 ~MSIX_FLAGS_HI_WMASK);
    vfio_cap_set(pdev->wmask, cap, MSIX_FLAGS_HI, 1, MSIX_FLAGS_HI_WMASK);
}

/*
 * The PCIe capability: an RCiEP on a root bus, an Endpoint below a port
 * (DESIGN §8); device, link and DevCtl2 controls go to the device.
 */
static void vfio_cap_setup_exp(VFIOPCIDevice *vdev, const VFIOCap *cap)
{
    PCIDevice *pdev = &vdev->pdev;
    bool rciep = pci_bus_is_root(pdev->bus);
    uint16_t flags = pci_get_word(pdev->config + cap->pos + PCI_EXP_FLAGS);

    pdev->exp_cap = cap->pos;
    flags = (flags & ~PCI_EXP_FLAGS_TYPE & ~PCI_EXP_FLAGS_SLOT) |
            ((rciep ? PCI_EXP_TYPE_RC_END : PCI_EXP_TYPE_ENDPOINT) << 4);
    vfio_cap_set(pdev->config, cap, PCI_EXP_FLAGS, 2, flags);
    vfio_cap_emu(pdev, cap, PCI_EXP_DEVCTL, 4, 0);
    vfio_cap_emu(pdev, cap, PCI_EXP_DEVCTL2, 2, 0);
    if (rciep) {
        /* An RCiEP has no link. */
        vfio_cap_zero(pdev, cap, PCI_EXP_LNKCAP, 8);
        vfio_cap_zero(pdev, cap, PCI_EXP_LNKCAP2, 12);
    } else {
        vfio_cap_emu(pdev, cap, PCI_EXP_LNKCTL, 2, 0);
    }
    /* Endpoints have no slot or root registers. */
    vfio_cap_zero(pdev, cap, PCI_EXP_SLTCAP,
                  PCI_EXP_DEVCAP2 - PCI_EXP_SLTCAP);
    vfio_cap_zero(pdev, cap, PCI_EXP_SLTCAP2, 8);
}

void vfio_pci_advertise_tlp_prefix(VFIOPCIDevice *vdev)
{
    PCIDevice *pdev = &vdev->pdev;
    uint8_t *p;
    uint32_t devcap2;

    if (!pdev->exp_cap) {
        return;
    }
    p = pdev->config + pdev->exp_cap + PCI_EXP_DEVCAP2;
    devcap2 = pci_get_long(p);
    if (!(devcap2 & PCI_EXP_DEVCAP2_EE_PREFIX)) {
        /* One prefix is all a PASID TLP needs. */
        devcap2 = (devcap2 & ~PCI_EXP_DEVCAP2_EE_PREFIX_MAX) |
                  PCI_EXP_DEVCAP2_EE_PREFIX |
                  (1u << PCI_EXP_DEVCAP2_EE_PREFIX_MAX_SHIFT);
    }
    pci_set_long(p, devcap2);
}

/* ---- descriptor tables ---- */

static const VFIOCapDesc vfio_std_caps[] = {
    { PCI_CAP_ID_PM, VFIO_CAP_PASSTHROUGH, 8, vfio_cap_setup_pm },
    { PCI_CAP_ID_MSI, VFIO_CAP_EMULATE, 0, vfio_cap_setup_msi },
    { PCI_CAP_ID_MSIX, VFIO_CAP_EMULATE, 12, vfio_cap_setup_msix },
    { PCI_CAP_ID_EXP, VFIO_CAP_EMULATE, PCI_EXP_CAP_SIZEOF,
      vfio_cap_setup_exp },
    { PCI_CAP_ID_VNDR, VFIO_CAP_PASSTHROUGH, 0, NULL },
};

static const VFIOCapDesc vfio_ext_caps[] = {
    { 0, VFIO_CAP_HIDE, 4, NULL },      /* masked by the host kernel */
    { PCI_EXT_CAP_ID_SRIOV, VFIO_CAP_HIDE, 0, NULL },  /* VF BARs are host's */
    { PCI_EXT_CAP_ID_ARI, VFIO_CAP_HIDE, 0, NULL },   /* needs function virt. */
    { PCI_EXT_CAP_ID_REBAR, VFIO_CAP_HIDE, 0, NULL }, /* BAR sizes are fixed */
    /* A PASID capability the host shows is kept, as it is (rule 2). */
    { PCI_EXT_CAP_ID_PASID, VFIO_CAP_PASSTHROUGH, 8, NULL },
};

/* Unknown capabilities pass through, as QEMU's do. */
static const VFIOCapDesc vfio_cap_default = { 0, VFIO_CAP_PASSTHROUGH, 0,
                                              NULL };

static const VFIOCapDesc *vfio_cap_desc(const VFIOCapDesc *table, size_t n,
                                        uint16_t id)
{
    for (size_t i = 0; i < n; i++) {
        if (table[i].id == id) {
            return &table[i];
        }
    }
    return &vfio_cap_default;
}

/* ---- capability chains ---- */

/* Bytes from @pos to the next capability (or @end): an upper bound. */
static uint16_t vfio_cap_room(const GArray *caps, uint16_t pos, uint16_t end)
{
    uint16_t room = end - pos;

    for (guint i = 0; i < caps->len; i++) {
        uint16_t other = g_array_index(caps, VFIOCap, i).pos;

        if (other > pos && other - pos < room) {
            room = other - pos;
        }
    }
    return room;
}

static uint16_t vfio_std_cap_size(const uint8_t *cfg, const VFIOCap *cap,
                                  const VFIOCapDesc *desc, uint16_t room)
{
    uint16_t flags = pci_get_word(cfg + cap->pos + MSI_FLAGS);
    uint16_t size = desc->size;

    if (!size) {
        switch (cap->id) {
        case PCI_CAP_ID_MSI:
            size = 10 + ((flags & MSI_FLAGS_64BIT) ? 4 : 0) +
                   ((flags & MSI_FLAGS_MASKBIT) ? 10 : 0);
            break;
        case PCI_CAP_ID_VNDR:
            size = MAX(cfg[cap->pos + PCI_CAP_FLAGS], 3);
            break;
        default:
            size = room;
        }
    }
    return MIN(size, room);
}

/* The host's standard list, in link order; a looping list is cut. */
static GArray *vfio_collect_std_caps(const uint8_t *cfg)
{
    GArray *caps = g_array_new(false, true, sizeof(VFIOCap));
    uint8_t pos = 0;

    if (pci_get_word(cfg + PCI_STATUS) & PCI_STATUS_CAP_LIST) {
        pos = cfg[PCI_CAPABILITY_LIST] & ~3;
    }
    for (int ttl = 48; pos >= PCI_STD_HEADER_SIZEOF && ttl; ttl--) {
        VFIOCap cap = { .pos = pos, .id = cfg[pos + PCI_CAP_LIST_ID] };

        g_array_append_val(caps, cap);
        pos = cfg[pos + PCI_CAP_LIST_NEXT] & ~3;
    }
    return caps;
}

static void vfio_pci_build_std_caps(VFIOPCIDevice *vdev)
{
    PCIDevice *pdev = &vdev->pdev;
    g_autoptr(GArray) caps = vfio_collect_std_caps(vdev->host_config);
    unsigned link = PCI_CAPABILITY_LIST;

    /* Past the header, pci_init_header() left config[] and masks zero. */
    emu_range(pdev, PCI_STD_HEADER_SIZEOF,
              PCI_CONFIG_SPACE_SIZE - PCI_STD_HEADER_SIZEOF, 0xff);
    for (guint i = 0; i < caps->len; i++) {
        VFIOCap *cap = &g_array_index(caps, VFIOCap, i);
        const VFIOCapDesc *desc = vfio_cap_desc(vfio_std_caps,
                                                G_N_ELEMENTS(vfio_std_caps),
                                                cap->id);
        uint16_t room = vfio_cap_room(caps, cap->pos, PCI_CONFIG_SPACE_SIZE);

        cap->size = vfio_std_cap_size(vdev->host_config, cap, desc, room);
        if (desc->policy == VFIO_CAP_HIDE) {
            continue;
        }
        memcpy(pdev->config + cap->pos, vdev->host_config + cap->pos,
               cap->size);
        emu_range(pdev, cap->pos, cap->size,
                  desc->policy == VFIO_CAP_EMULATE ? 0xff : 0);
        emu_range(pdev, cap->pos, 2, 0xff);         /* ID and next */
        pdev->config[link] = cap->pos;
        pdev->config[cap->pos + PCI_CAP_LIST_NEXT] = 0;
        link = cap->pos + PCI_CAP_LIST_NEXT;
        if (desc->setup) {
            desc->setup(vdev, cap);
        }
    }
    if (link != PCI_CAPABILITY_LIST) {
        pdev->config[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
    }
}

/* The host's extended list, in link order; a looping list is cut. */
static GArray *vfio_collect_ext_caps(const uint8_t *cfg)
{
    GArray *caps = g_array_new(false, true, sizeof(VFIOCap));
    uint16_t pos = PCI_CONFIG_SPACE_SIZE;

    for (int ttl = (PCIE_CONFIG_SPACE_SIZE - PCI_CONFIG_SPACE_SIZE) / 4;
         pos >= PCI_CONFIG_SPACE_SIZE && ttl; ttl--) {
        uint32_t header = pci_get_long(cfg + pos);
        VFIOCap cap = { .pos = pos, .id = PCI_EXT_CAP_ID(header),
                        .ver = PCI_EXT_CAP_VER(header) };

        if (!header || header == 0xffffffff) {
            break;
        }
        g_array_append_val(caps, cap);
        pos = PCI_EXT_CAP_NEXT(header);
    }
    return caps;
}

/*
 * Sizes come from the PCI core (config[] holding the host's list), which
 * also owns the rule for unknown layouts: up to the next capability.  Its
 * one gap, an unknown last capability, is passed through to the end of
 * config space here, since the device may use all of it.  A size running
 * into the next capability is cut there.
 */
static void vfio_ext_cap_sizes(VFIOPCIDevice *vdev, GArray *caps)
{
    PCIDevice *pdev = &vdev->pdev;

    for (guint i = 0; i < caps->len; i++) {
        VFIOCap *cap = &g_array_index(caps, VFIOCap, i);
        const VFIOCapDesc *desc = vfio_cap_desc(vfio_ext_caps,
                                                G_N_ELEMENTS(vfio_ext_caps),
                                                cap->id);
        uint16_t room = vfio_cap_room(caps, cap->pos, PCIE_CONFIG_SPACE_SIZE);
        uint16_t size = desc->size ? desc->size
                                   : pcie_ext_cap_size(pdev, cap->pos);

        cap->size = MIN(size ? size : room, room);
    }
}

static void vfio_pci_build_ext_caps(VFIOPCIDevice *vdev)
{
    PCIDevice *pdev = &vdev->pdev;
    const unsigned ext = PCI_CONFIG_SPACE_SIZE;
    g_autoptr(GArray) caps = vfio_collect_ext_caps(vdev->host_config);
    int link = -1;                  /* header whose next we fill */

    memcpy(pdev->config + ext, vdev->host_config + ext,
           PCIE_CONFIG_SPACE_SIZE - ext);
    vfio_ext_cap_sizes(vdev, caps);
    /* The host's list was there for the sizes; the masks are still zero. */
    memset(pdev->config + ext, 0, PCIE_CONFIG_SPACE_SIZE - ext);
    emu_range(pdev, ext, PCIE_CONFIG_SPACE_SIZE - ext, 0xff);
    for (guint i = 0; i < caps->len; i++) {
        const VFIOCap *cap = &g_array_index(caps, VFIOCap, i);
        const VFIOCapDesc *desc = vfio_cap_desc(vfio_ext_caps,
                                                G_N_ELEMENTS(vfio_ext_caps),
                                                cap->id);

        if (desc->policy == VFIO_CAP_HIDE) {
            continue;
        }
        if (link < 0 && cap->pos != ext) {
            /* The list must start at 0x100: a null capability leads on. */
            pci_set_long(pdev->config + ext, 0);
            link = ext;
        }
        if (link >= 0) {
            pci_set_long(pdev->config + link, pci_get_long(pdev->config + link)
                         | ((uint32_t)cap->pos << 20));
        }
        memcpy(pdev->config + cap->pos, vdev->host_config + cap->pos,
               cap->size);
        emu_range(pdev, cap->pos, cap->size,
                  desc->policy == VFIO_CAP_EMULATE ? 0xff : 0);
        emu_range(pdev, cap->pos, 4, 0xff);        /* header: we link it */
        pci_set_long(pdev->config + cap->pos,
                     PCI_EXT_CAP_HEADER(cap->id, cap->ver, 0));
        link = cap->pos;
        if (desc->setup) {
            desc->setup(vdev, cap);
        }
    }
}

void vfio_pci_build_caps(VFIOPCIDevice *vdev)
{
    vfio_pci_build_std_caps(vdev);
    vfio_pci_build_ext_caps(vdev);
}
