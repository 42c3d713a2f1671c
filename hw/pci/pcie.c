/*
 * PCI Express: the extended capability list (0x100..0xFFF) and the
 * capability builders of include/hw/pci/pcie.h.
 */
#include "hw/pci/pcie.h"

#include <stdio.h>
#include <string.h>

#ifndef DIV_ROUND_UP
#define DIV_ROUND_UP(n, d)  (((n) + (d) - 1) / (d))
#endif
#ifndef ROUND_UP
#define ROUND_UP(n, d)      (DIV_ROUND_UP(n, d) * (d))
#endif
#define PCIE_EXT_CAP_MAX    64      /* 0xF00 bytes / 4-byte minimum, capped */
#define PCIE_MAX_LINK_WIDTH 32      /* x32, the widest Max Link Width */

/* ---- extended capability list ---- */

typedef struct ExtCap {
    uint16_t offset;
    uint16_t id;
    uint16_t size;      /* bytes, at least the 4-byte header */
} ExtCap;

/* Flat or packed storage (pci_config_pack()) alike. */
static uint32_t pcie_ext_long(PCIDevice *pdev, uint32_t pos)
{
    return pci_default_read_config(pdev, pos, 4);
}

uint16_t pcie_find_capability(PCIDevice *pdev, uint16_t cap_id)
{
    uint16_t pos = PCI_CONFIG_SPACE_SIZE;

    if (pci_config_size(pdev) < PCIE_CONFIG_SPACE_SIZE) {
        return 0;
    }
    for (int ttl = PCIE_EXT_CAP_MAX; pos && ttl; ttl--) {
        uint32_t header = pcie_ext_long(pdev, pos);

        if (!header || header == UINT32_MAX) {
            return 0;
        }
        if (PCI_EXT_CAP_ID(header) == cap_id) {
            return pos;
        }
        pos = PCI_EXT_CAP_NEXT(header);
        if (pos < PCI_CONFIG_SPACE_SIZE) {
            return 0;
        }
    }
    return 0;
}

static const char *const ext_cap_names[] = {
    [0] = "Null",
    [PCI_EXT_CAP_ID_ERR] = "AER",
    [PCI_EXT_CAP_ID_VC] = "VC",
    [PCI_EXT_CAP_ID_DSN] = "DSN",
    [PCI_EXT_CAP_ID_PWR] = "Power Budgeting",
    [PCI_EXT_CAP_ID_RCLD] = "RCLD",
    [PCI_EXT_CAP_ID_RCILC] = "RCILC",
    [PCI_EXT_CAP_ID_RCEC] = "RCEC",
    [PCI_EXT_CAP_ID_MFVC] = "MFVC",
    [PCI_EXT_CAP_ID_VC9] = "VC",
    [PCI_EXT_CAP_ID_RCRB] = "RCRB",
    [PCI_EXT_CAP_ID_VNDR] = "Vendor Specific",
    [PCI_EXT_CAP_ID_ACS] = "ACS",
    [PCI_EXT_CAP_ID_ARI] = "ARI",
    [PCI_EXT_CAP_ID_ATS] = "ATS",
    [PCI_EXT_CAP_ID_SRIOV] = "SR-IOV",
    [PCI_EXT_CAP_ID_MRIOV] = "MR-IOV",
    [PCI_EXT_CAP_ID_MCAST] = "Multicast",
    [PCI_EXT_CAP_ID_PRI] = "PRI",
    [PCI_EXT_CAP_ID_REBAR] = "Resizable BAR",
    [PCI_EXT_CAP_ID_DPA] = "DPA",
    [PCI_EXT_CAP_ID_TPH] = "TPH",
    [PCI_EXT_CAP_ID_LTR] = "LTR",
    [PCI_EXT_CAP_ID_SECPCI] = "Secondary PCIe",
    [PCI_EXT_CAP_ID_PMUX] = "PMUX",
    [PCI_EXT_CAP_ID_PASID] = "PASID",
    [PCI_EXT_CAP_ID_DPC] = "DPC",
    [PCI_EXT_CAP_ID_L1SS] = "L1 PM Substates",
    [PCI_EXT_CAP_ID_PTM] = "PTM",
    [PCI_EXT_CAP_ID_DVSEC] = "DVSEC",
    [PCI_EXT_CAP_ID_DLF] = "Data Link Feature",
    [PCI_EXT_CAP_ID_PL_16GT] = "Physical Layer 16.0 GT/s",
    [PCI_EXT_CAP_ID_LNR] = "LN Requester",
    [PCI_EXT_CAP_ID_RTR] = "Readiness Time Reporting",
    [PCI_EXT_CAP_ID_VF_REBAR] = "VF Resizable BAR",
    [PCI_EXT_CAP_ID_LMR] = "Lane Margining at Receiver",
    [PCI_EXT_CAP_ID_NPEM] = "NPEM",
    [PCI_EXT_CAP_ID_PL_32GT] = "Physical Layer 32.0 GT/s",
    [PCI_EXT_CAP_ID_DOE] = "DOE",
    [PCI_EXT_CAP_ID_DEV3] = "Device 3",
    [PCI_EXT_CAP_ID_PL_64GT] = "Physical Layer 64.0 GT/s",
};

const char *pcie_ext_cap_name(uint16_t cap_id, char buf[16])
{
    if (cap_id < G_N_ELEMENTS(ext_cap_names) && ext_cap_names[cap_id]) {
        return ext_cap_names[cap_id];
    }
    snprintf(buf, 16, "ID 0x%x", cap_id);
    return buf;
}

/*
 * Fixed sizes; 0 = computed from the capability's registers below, or
 * unknown (see pcie_ext_cap_size()).
 */
static const uint16_t ext_cap_fixed_size[] = {
    [0] = 4,                        /* null capability: a header only */
    [PCI_EXT_CAP_ID_DSN] = PCI_EXT_CAP_DSN_SIZEOF,
    [PCI_EXT_CAP_ID_PWR] = 16,
    [PCI_EXT_CAP_ID_RCILC] = 8,
    [PCI_EXT_CAP_ID_RCEC] = 8,
    [PCI_EXT_CAP_ID_ARI] = PCI_EXT_CAP_ARI_SIZEOF,
    [PCI_EXT_CAP_ID_ATS] = PCI_EXT_CAP_ATS_SIZEOF,
    [PCI_EXT_CAP_ID_SRIOV] = PCI_SRIOV_SIZEOF,
    [PCI_EXT_CAP_ID_MCAST] = 0x30,
    [PCI_EXT_CAP_ID_PRI] = PCI_EXT_CAP_PRI_SIZEOF,
    [PCI_EXT_CAP_ID_LTR] = PCI_EXT_CAP_LTR_SIZEOF,
    [PCI_EXT_CAP_ID_PASID] = PCI_EXT_CAP_PASID_SIZEOF,
    [PCI_EXT_CAP_ID_L1SS] = PCI_EXT_CAP_L1SS_SIZEOF,
    [PCI_EXT_CAP_ID_PTM] = PCI_EXT_CAP_PTM_SIZEOF,
    [PCI_EXT_CAP_ID_DLF] = PCI_EXT_CAP_DLF_SIZEOF,
    [PCI_EXT_CAP_ID_LNR] = PCI_EXT_CAP_LNR_SIZEOF,
    [PCI_EXT_CAP_ID_RTR] = PCI_EXT_CAP_RTR_SIZEOF,
    [PCI_EXT_CAP_ID_NPEM] = PCI_EXT_CAP_NPEM_SIZEOF,
    [PCI_EXT_CAP_ID_DOE] = PCI_EXT_CAP_DOE_SIZEOF,
    [PCI_EXT_CAP_ID_DEV3] = PCI_EXT_CAP_DEV3_SIZEOF,
};

/*
 * @fixed bytes, then @per_lane bytes for each lane of the link (Max Link
 * Width of the PCIe capability).  When that cannot be read (no PCIe
 * capability, or an RCiEP's zeroed link fields) the widest link is
 * assumed: the body is bounded by the layout even if the lanes are not,
 * and a bound that is too large only refuses placements, never
 * overwrites registers.
 */
static uint16_t pcie_lane_size(PCIDevice *pdev, unsigned fixed,
                               unsigned per_lane)
{
    unsigned lanes = 0;

    if (pdev->exp_cap) {
        lanes = (pci_get_long(pdev->config + pdev->exp_cap +
                              PCI_EXP_LNKCAP) & PCI_EXP_LNKCAP_MLW) >> 4;
    }
    if (!lanes) {
        lanes = PCIE_MAX_LINK_WIDTH;
    }
    return fixed + ROUND_UP(lanes * per_lane, 4);
}

static uint16_t pcie_aer_size(PCIDevice *pdev, uint16_t pos)
{
    int type = pcie_cap_get_type(pdev);
    uint32_t cap = pcie_ext_long(pdev, pos + PCI_ERR_CAP);

    /* TLP Prefix Log Present: the log runs to the end of the layout. */
    if (cap & (1u << 11)) {
        return PCI_ERR_SIZEOF;
    }
    if (type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_RC_EC) {
        return PCI_ERR_TLP_PREFIX_LOG;
    }
    return PCI_ERR_ROOT_COMMAND;
}

static uint16_t pcie_variable_size(PCIDevice *pdev, uint16_t id, uint16_t pos)
{
    uint8_t c[12];          /* the registers the sizes depend on */

    for (unsigned i = 0; i < sizeof(c); i++) {
        c[i] = pci_config_byte(pdev, PCI_CONFIG_VALUES, pos + i);
    }

    switch (id) {
    case PCI_EXT_CAP_ID_ERR:
        return pcie_aer_size(pdev, pos);
    case PCI_EXT_CAP_ID_VC:
    case PCI_EXT_CAP_ID_VC9:
    case PCI_EXT_CAP_ID_MFVC:
        /* one 12-byte resource per VC after the 0x10-byte port registers */
        return 0x10 + 12 * ((c[4] & 7) + 1);
    case PCI_EXT_CAP_ID_ACS: {
        uint16_t cap = pci_get_word(c + PCI_ACS_CAP);
        unsigned bits = (cap >> 8) ? (cap >> 8) : 256;

        return PCI_ACS_SIZEOF +
               ((cap & PCI_ACS_EC) ? DIV_ROUND_UP(bits, 32) * 4 : 0);
    }
    case PCI_EXT_CAP_ID_REBAR:
    case PCI_EXT_CAP_ID_VF_REBAR:
        return 4 + 8 * MAX((c[8] >> 5) & 7, 1);
    case PCI_EXT_CAP_ID_TPH: {
        uint32_t cap = pci_get_long(c + 4);
        /* ST table in this capability: bits 10:9 == 01b */
        unsigned entries = ((cap >> 9) & 3) == 1 ? ((cap >> 16) & 0x7ff) + 1
                                                 : 0;

        return 12 + ROUND_UP(entries * 2, 4);
    }
    case PCI_EXT_CAP_ID_SECPCI:
        /* lane equalization: 2 bytes per lane of the maximum link width */
        return pcie_lane_size(pdev, 12, 2);
    case PCI_EXT_CAP_ID_PL_16GT:
    case PCI_EXT_CAP_ID_PL_32GT:
    case PCI_EXT_CAP_ID_PL_64GT:
        return pcie_lane_size(pdev, PCI_PL_GT_LE_CTRL, 1);
    case PCI_EXT_CAP_ID_LMR:
        return pcie_lane_size(pdev, PCI_LMR_LANE_CTRL, 4);
    case PCI_EXT_CAP_ID_DPC:
        /* RP Extensions for DPC adds the RP PIO registers */
        return (pci_get_word(c + 4) & 0x20) ? PCI_EXT_CAP_DPC_SIZEOF : 0x18;
    case PCI_EXT_CAP_ID_VNDR:
    case PCI_EXT_CAP_ID_DVSEC:
        return MAX(PCI_VNDR_HEADER_LEN(pci_get_long(c + PCI_VNDR_HEADER)), 8);
    default:
        return 0;
    }
}

/*
 * Bytes from @offset to the next capability of the chain in address
 * order (not link order: a relinked chain need not be sorted), or 0 when
 * none lies above it.
 */
static uint16_t pcie_ext_cap_gap(PCIDevice *pdev, uint16_t offset)
{
    uint16_t pos = PCI_CONFIG_SPACE_SIZE;
    unsigned next = PCIE_CONFIG_SPACE_SIZE;

    for (int ttl = (PCIE_CONFIG_SPACE_SIZE - PCI_CONFIG_SPACE_SIZE) / 4;
         pos >= PCI_CONFIG_SPACE_SIZE && ttl; ttl--) {
        uint32_t header = pcie_ext_long(pdev, pos);

        if (!header || header == UINT32_MAX) {
            break;
        }
        if (pos > offset && pos < next) {
            next = pos;
        }
        pos = PCI_EXT_CAP_NEXT(header);
    }
    return next < PCIE_CONFIG_SPACE_SIZE ? next - offset : 0;
}

uint16_t pcie_ext_cap_size(PCIDevice *pdev, uint16_t offset)
{
    uint16_t id = PCI_EXT_CAP_ID(pcie_ext_long(pdev, offset));
    uint16_t size;

    if (id < G_N_ELEMENTS(ext_cap_fixed_size) && ext_cap_fixed_size[id]) {
        size = ext_cap_fixed_size[id];
    } else {
        size = pcie_variable_size(pdev, id, offset);
    }
    if (!size) {
        /* Unknown layout: assume it fills the gap up to its successor. */
        size = pcie_ext_cap_gap(pdev, offset);
    }
    return MIN(size, PCIE_CONFIG_SPACE_SIZE - offset);
}

/* The chain as the guest walks it, in chain order. */
static int pcie_ext_cap_collect(PCIDevice *pdev, ExtCap *caps, int max)
{
    uint16_t pos = PCI_CONFIG_SPACE_SIZE;
    int n = 0;

    while (pos && n < max) {
        uint32_t header = pcie_ext_long(pdev, pos);

        if (!header || header == UINT32_MAX) {
            break;
        }
        caps[n].offset = pos;
        caps[n].id = PCI_EXT_CAP_ID(header);
        caps[n].size = MAX(pcie_ext_cap_size(pdev, pos), 4);
        n++;
        pos = PCI_EXT_CAP_NEXT(header);
        if (pos < PCI_CONFIG_SPACE_SIZE) {
            break;
        }
    }
    return n;
}

static bool pcie_ext_cap_check(PCIDevice *pdev, uint16_t cap_id,
                               uint16_t offset, uint16_t size,
                               const ExtCap *caps, int n, Error **errp)
{
    char b1[16], b2[16];
    const char *name = pcie_ext_cap_name(cap_id, b1);

    if (offset & 3) {
        error_setg(errp, "%s capability offset 0x%x is not dword aligned",
                   name, offset);
        return false;
    }
    if (offset < PCI_CONFIG_SPACE_SIZE) {
        error_setg(errp, "%s capability offset 0x%x is below 0x100", name,
                   offset);
        return false;
    }
    if (size < 4 || offset + size > PCIE_CONFIG_SPACE_SIZE) {
        error_setg(errp, "%s capability at 0x%x with size 0x%x runs past the "
                   "end of extended config space (0xfff)", name, offset,
                   size);
        return false;
    }
    for (int i = 0; i < n; i++) {
        const char *other = pcie_ext_cap_name(caps[i].id, b2);
        unsigned start = caps[i].offset, end = start + caps[i].size;

        if (offset < start + 4 && start < offset + size) {
            error_setg(errp, "%s capability at 0x%x (size 0x%x) overlaps the "
                       "header of the %s capability at 0x%x", name, offset,
                       size, other, start);
            return false;
        }
        if (offset < end && start < offset + size) {
            error_setg(errp, "%s capability at 0x%x (size 0x%x) overlaps the "
                       "body of the %s capability at 0x%x (0x%x-0x%x)", name,
                       offset, size, other, start, start + 4, end - 1);
            return false;
        }
    }
    return true;
}

static void pcie_ext_cap_set_next(PCIDevice *pdev, uint16_t pos,
                                  uint16_t next)
{
    uint32_t header = pcie_ext_long(pdev, pos);

    pci_config_reserve(pdev, pos, 4);
    pci_set_long(pci_config_cell(pdev, PCI_CONFIG_VALUES, pos),
                 (header & 0x000fffff) | ((uint32_t)next << 20));
}

static bool pcie_has_ext_space(PCIDevice *pdev, uint16_t cap_id,
                               Error **errp)
{
    char b[16];

    if (pci_config_size(pdev) < PCIE_CONFIG_SPACE_SIZE) {
        error_setg(errp, "%s capability: %s has no extended config space",
                   pcie_ext_cap_name(cap_id, b),
                   object_get_typename(OBJECT(pdev)));
        return false;
    }
    return true;
}

bool pcie_check_capability(PCIDevice *pdev, uint16_t cap_id,
                           uint16_t offset, uint16_t size, Error **errp)
{
    ExtCap caps[PCIE_EXT_CAP_MAX];
    int n;

    if (!pcie_has_ext_space(pdev, cap_id, errp)) {
        return false;
    }
    n = pcie_ext_cap_collect(pdev, caps, PCIE_EXT_CAP_MAX);
    return pcie_ext_cap_check(pdev, cap_id, offset, size, caps, n, errp);
}

bool pcie_add_capability(PCIDevice *pdev, uint16_t cap_id, uint8_t ver,
                         uint16_t offset, uint16_t size, Error **errp)
{
    ExtCap caps[PCIE_EXT_CAP_MAX];
    char b[16];
    int n, prev = -1;
    uint16_t next = 0;

    if (!pcie_has_ext_space(pdev, cap_id, errp)) {
        return false;
    }
    n = pcie_ext_cap_collect(pdev, caps, PCIE_EXT_CAP_MAX);
    if (!offset) {
        if (n) {
            error_setg(errp, "%s capability needs an offset: the extended "
                       "capability list is not empty",
                       pcie_ext_cap_name(cap_id, b));
            return false;
        }
        offset = PCI_CONFIG_SPACE_SIZE;
    }
    if (!pcie_ext_cap_check(pdev, cap_id, offset, size, caps, n, errp)) {
        return false;
    }
    if (!n && offset != PCI_CONFIG_SPACE_SIZE) {
        /* The list must start at 0x100: a null header points onwards. */
        pci_config_reserve(pdev, PCI_CONFIG_SPACE_SIZE, 4);
        pci_set_long(pci_config_cell(pdev, PCI_CONFIG_VALUES,
                                     PCI_CONFIG_SPACE_SIZE), 0);
        caps[0] = (ExtCap){ .offset = PCI_CONFIG_SPACE_SIZE, .size = 4 };
        n = 1;
    }
    /* Link after the highest capability below us, before its successor. */
    for (int i = 0; i < n; i++) {
        if (caps[i].offset < offset &&
            (prev < 0 || caps[i].offset > caps[prev].offset)) {
            prev = i;
        }
    }
    if (prev >= 0) {
        next = PCI_EXT_CAP_NEXT(pcie_ext_long(pdev, caps[prev].offset));
        pcie_ext_cap_set_next(pdev, caps[prev].offset, offset);
    }
    pci_config_reserve(pdev, offset, size);
    for (int a = PCI_CONFIG_VALUES; a <= PCI_CONFIG_W1CMASK; a++) {
        memset(pci_config_cell(pdev, a, offset), 0, size);
    }
    pci_set_long(pci_config_cell(pdev, PCI_CONFIG_VALUES, offset),
                 PCI_EXT_CAP_HEADER(cap_id, ver, next));
    return true;
}

/* ---- PCIe capability ---- */

int pcie_cap_get_type(PCIDevice *pdev)
{
    if (!pdev->exp_cap) {
        return -1;
    }
    return (pci_get_word(pdev->config + pdev->exp_cap + PCI_EXP_FLAGS) &
            PCI_EXP_FLAGS_TYPE) >> 4;
}

static void pcie_cap_init_link(PCIDevice *pdev, uint8_t pos, uint8_t port)
{
    uint8_t *c = pdev->config + pos;

    pci_set_long(c + PCI_EXP_LNKCAP, ((uint32_t)port << 24) |
                 (1 << 4) | PCI_EXP_LNKCAP_SLS_2_5GB);
    pci_set_word(c + PCI_EXP_LNKSTA, (1 << PCI_EXP_LNKSTA_NLW_SHIFT) | 1);
    pci_set_word(pdev->wmask + pos + PCI_EXP_LNKCTL,
                 PCI_EXP_LNKCTL_ASPMC | PCI_EXP_LNKCTL_CCC |
                 PCI_EXP_LNKCTL_ES);
    pci_set_long(c + PCI_EXP_LNKCAP2, PCI_EXP_LNKCAP2_SLS_2_5GB);
    pci_set_word(c + PCI_EXP_LNKCTL2, PCI_EXP_LNKCTL2_TLS_2_5GT);
    pci_set_word(pdev->wmask + pos + PCI_EXP_LNKCTL2, PCI_EXP_LNKCTL2_TLS);
}

uint8_t pcie_cap_init(PCIDevice *pdev, uint8_t offset, uint8_t type,
                      uint8_t port, Error **errp)
{
    uint8_t pos = pci_add_capability(pdev, PCI_CAP_ID_EXP, offset,
                                     PCI_EXP_CAP_SIZEOF, errp);
    uint8_t *c;

    if (!pos) {
        return 0;
    }
    c = pdev->config + pos;
    pdev->exp_cap = pos;
    pci_set_word(c + PCI_EXP_FLAGS, (type << 4) | 2);
    pci_set_long(c + PCI_EXP_DEVCAP, PCI_EXP_DEVCAP_RBER |
                 (type == PCI_EXP_TYPE_ENDPOINT || type == PCI_EXP_TYPE_RC_END
                  ? PCI_EXP_DEVCAP_FLR : 0));
    pci_set_word(pdev->wmask + pos + PCI_EXP_DEVCTL,
                 PCI_EXP_DEVCTL_CERE | PCI_EXP_DEVCTL_NFERE |
                 PCI_EXP_DEVCTL_FERE | PCI_EXP_DEVCTL_URRE |
                 PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_PAYLOAD |
                 PCI_EXP_DEVCTL_EXT_TAG | PCI_EXP_DEVCTL_NOSNOOP_EN |
                 PCI_EXP_DEVCTL_READRQ);
    /* Max Read Request 512 bytes, relaxed ordering and no-snoop on. */
    pci_set_word(c + PCI_EXP_DEVCTL, 0x2000 | PCI_EXP_DEVCTL_RELAX_EN |
                 PCI_EXP_DEVCTL_NOSNOOP_EN);
    pci_set_word(pdev->w1cmask + pos + PCI_EXP_DEVSTA,
                 PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED |
                 PCI_EXP_DEVSTA_FED | PCI_EXP_DEVSTA_URD);
    if (type != PCI_EXP_TYPE_RC_END && type != PCI_EXP_TYPE_RC_EC) {
        pcie_cap_init_link(pdev, pos, port);
    }
    pci_set_long(c + PCI_EXP_DEVCAP2, PCI_EXP_DEVCAP2_COMP_TMOUT_DIS);
    pci_set_word(pdev->wmask + pos + PCI_EXP_DEVCTL2,
                 PCI_EXP_DEVCTL2_COMP_TIMEOUT |
                 PCI_EXP_DEVCTL2_COMP_TMOUT_DIS);
    if (type == PCI_EXP_TYPE_ROOT_PORT) {
        pci_set_word(pdev->wmask + pos + PCI_EXP_RTCTL,
                     PCI_EXP_RTCTL_SECEE | PCI_EXP_RTCTL_SENFEE |
                     PCI_EXP_RTCTL_SEFEE | PCI_EXP_RTCTL_PMEIE);
        pci_set_long(pdev->w1cmask + pos + PCI_EXP_RTSTA, PCI_EXP_RTSTA_PME);
    }
    return pos;
}

void pcie_cap_set_tlp_prefix(PCIDevice *pdev, unsigned max_prefixes)
{
    uint8_t *p = pdev->config + pdev->exp_cap + PCI_EXP_DEVCAP2;
    uint32_t v = pci_get_long(p) & ~PCI_EXP_DEVCAP2_EE_PREFIX_MAX;

    /* The 2-bit field encodes 4 as 00b. */
    v |= PCI_EXP_DEVCAP2_EE_PREFIX |
         ((max_prefixes & 3) << PCI_EXP_DEVCAP2_EE_PREFIX_MAX_SHIFT);
    pci_set_long(p, v);
}

void pcie_cap_arifwd_init(PCIDevice *pdev)
{
    uint8_t pos = pdev->exp_cap;

    pci_set_long(pdev->config + pos + PCI_EXP_DEVCAP2,
                 pci_get_long(pdev->config + pos + PCI_EXP_DEVCAP2) |
                 PCI_EXP_DEVCAP2_ARI);
    pci_set_word(pdev->wmask + pos + PCI_EXP_DEVCTL2,
                 pci_get_word(pdev->wmask + pos + PCI_EXP_DEVCTL2) |
                 PCI_EXP_DEVCTL2_ARI);
}

/* ---- slot ---- */

void pcie_cap_slot_init(PCIDevice *pdev, uint16_t slot)
{
    uint8_t pos = pdev->exp_cap;
    uint8_t *c = pdev->config + pos;

    pci_set_word(c + PCI_EXP_FLAGS,
                 pci_get_word(c + PCI_EXP_FLAGS) | PCI_EXP_FLAGS_SLOT);
    pci_set_long(c + PCI_EXP_LNKCAP,
                 pci_get_long(c + PCI_EXP_LNKCAP) | PCI_EXP_LNKCAP_DLLLARC);
    pci_set_long(c + PCI_EXP_SLTCAP,
                 ((uint32_t)slot << PCI_EXP_SLTCAP_PSN_SHIFT) |
                 PCI_EXP_SLTCAP_ABP | PCI_EXP_SLTCAP_PCP |
                 PCI_EXP_SLTCAP_AIP | PCI_EXP_SLTCAP_PIP |
                 PCI_EXP_SLTCAP_HPS | PCI_EXP_SLTCAP_HPC |
                 PCI_EXP_SLTCAP_NCCS);
    /* Indicators off, power on. */
    pci_set_word(c + PCI_EXP_SLTCTL, PCI_EXP_SLTCTL_ATTN_IND_OFF |
                 (3 << 8));
    pci_set_word(pdev->wmask + pos + PCI_EXP_SLTCTL,
                 PCI_EXP_SLTCTL_ABPE | PCI_EXP_SLTCTL_PDCE |
                 PCI_EXP_SLTCTL_CCIE | PCI_EXP_SLTCTL_HPIE |
                 PCI_EXP_SLTCTL_AIC | PCI_EXP_SLTCTL_PIC |
                 PCI_EXP_SLTCTL_PCC | PCI_EXP_SLTCTL_DLLSCE);
    pci_set_word(pdev->w1cmask + pos + PCI_EXP_SLTSTA,
                 PCI_EXP_SLTSTA_ABP | PCI_EXP_SLTSTA_PFD |
                 PCI_EXP_SLTSTA_MRLSC | PCI_EXP_SLTSTA_PDC |
                 PCI_EXP_SLTSTA_CC | PCI_EXP_SLTSTA_DLLSC);
}

static void pcie_word_update(uint8_t *p, uint16_t clear, uint16_t set)
{
    pci_set_word(p, (pci_get_word(p) & ~clear) | set);
}

void pcie_cap_slot_set_presence(PCIDevice *port, bool present, bool event)
{
    uint8_t *c;

    if (!port->exp_cap) {
        return;
    }
    c = port->config + port->exp_cap;
    if (!(pci_get_word(c + PCI_EXP_FLAGS) & PCI_EXP_FLAGS_SLOT)) {
        return;
    }
    pcie_word_update(c + PCI_EXP_SLTSTA, PCI_EXP_SLTSTA_PDS,
                     present ? PCI_EXP_SLTSTA_PDS : 0);
    pcie_word_update(c + PCI_EXP_LNKSTA, PCI_EXP_LNKSTA_DLLLA,
                     present ? PCI_EXP_LNKSTA_DLLLA : 0);
    if (event) {
        pcie_word_update(c + PCI_EXP_SLTSTA, 0,
                         PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_DLLSC);
    }
}

void pcie_cap_slot_reset(PCIDevice *port)
{
    bool present = false;

    for (int devfn = 0; port->sec_bus && devfn < 256; devfn++) {
        present |= port->sec_bus->devices[devfn] != NULL;
    }
    pcie_cap_slot_set_presence(port, present, false);
}

/* ---- ACS and AER ---- */

bool pcie_acs_init(PCIDevice *pdev, uint16_t offset, uint16_t caps,
                   Error **errp)
{
    if (!pcie_add_capability(pdev, PCI_EXT_CAP_ID_ACS, 1, offset,
                             PCI_ACS_SIZEOF, errp)) {
        return false;
    }
    pci_set_word(pdev->config + offset + PCI_ACS_CAP, caps);
    pci_set_word(pdev->wmask + offset + PCI_ACS_CTRL, caps);
    return true;
}

bool pcie_aer_init(PCIDevice *pdev, uint16_t offset, Error **errp)
{
    bool root = pcie_cap_get_type(pdev) == PCI_EXP_TYPE_ROOT_PORT;
    uint16_t size = root ? PCI_ERR_TLP_PREFIX_LOG : PCI_ERR_ROOT_COMMAND;

    if (!pcie_add_capability(pdev, PCI_EXT_CAP_ID_ERR, 2, offset, size,
                             errp)) {
        return false;
    }
    pci_set_long(pdev->w1cmask + offset + PCI_ERR_UNCOR_STATUS,
                 PCI_ERR_UNC_SUPPORTED);
    pci_set_long(pdev->wmask + offset + PCI_ERR_UNCOR_MASK,
                 PCI_ERR_UNC_SUPPORTED);
    pci_set_long(pdev->config + offset + PCI_ERR_UNCOR_SEVER,
                 PCI_ERR_UNC_SEVERITY_DEFAULT);
    pci_set_long(pdev->wmask + offset + PCI_ERR_UNCOR_SEVER,
                 PCI_ERR_UNC_SUPPORTED);
    pci_set_long(pdev->w1cmask + offset + PCI_ERR_COR_STATUS,
                 PCI_ERR_COR_SUPPORTED);
    pci_set_long(pdev->config + offset + PCI_ERR_COR_MASK,
                 PCI_ERR_COR_MASK_DEFAULT);
    pci_set_long(pdev->wmask + offset + PCI_ERR_COR_MASK,
                 PCI_ERR_COR_SUPPORTED);
    if (root) {
        pci_set_long(pdev->wmask + offset + PCI_ERR_ROOT_COMMAND,
                     PCI_ERR_ROOT_CMD_EN_MASK);
        pci_set_long(pdev->w1cmask + offset + PCI_ERR_ROOT_STATUS,
                     PCI_ERR_ROOT_STATUS_W1C);
    }
    return true;
}
