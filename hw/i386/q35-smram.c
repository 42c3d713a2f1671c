/*
 * The MCH's SMM registers as firmware and QEMU's q35 tests see them:
 * SMRAM (0x9d), ESMRAMC (0x9e), the extended TSEG size (0x50) and
 * QEMU's SMRAM-at-SMBASE negotiation (0x9c).  Register behaviour only:
 * no guest CPU runs SMM code here, so nothing is remapped.
 */
#include "hw/i386/q35.h"

/* SMRAM.D_LCK freezes everything but D_CLS, and ESMRAMC entirely. */
static void mch_smram_update(PCIDevice *pdev)
{
    uint8_t *smram = &pdev->config[MCH_HOST_BRIDGE_SMRAM];

    if (*smram & MCH_HOST_BRIDGE_SMRAM_D_LCK) {
        *smram &= ~MCH_HOST_BRIDGE_SMRAM_D_OPEN;
        pdev->wmask[MCH_HOST_BRIDGE_SMRAM] = MCH_HOST_BRIDGE_SMRAM_WMASK_LCK;
        pdev->wmask[MCH_HOST_BRIDGE_ESMRAMC] =
            MCH_HOST_BRIDGE_ESMRAMC_WMASK_LCK;
    }
}

/* A QUERY in 0x50 is answered with the extended TSEG size in MiB. */
static void mch_ext_tseg_update(PCIDevice *pdev)
{
    uint8_t *reg = pdev->config + MCH_HOST_BRIDGE_EXT_TSEG_MBYTES;

    if (pci_get_word(reg) == MCH_HOST_BRIDGE_EXT_TSEG_MBYTES_QUERY) {
        pci_set_word(reg, MCH_EXT_TSEG_MBYTES_DEFAULT);
    }
}

/*
 * 0x9c: firmware writes QUERY and reads IN_RAM back (the feature is
 * there), then writes LCK, after which the register reads LCK and
 * ignores writes until reset.
 */
static void mch_smbase_update(PCIDevice *pdev)
{
    uint8_t *reg = &pdev->config[MCH_HOST_BRIDGE_F_SMBASE];

    if (*reg == MCH_HOST_BRIDGE_F_SMBASE_QUERY) {
        pdev->wmask[MCH_HOST_BRIDGE_F_SMBASE] = MCH_HOST_BRIDGE_F_SMBASE_LCK;
        *reg = MCH_HOST_BRIDGE_F_SMBASE_IN_RAM;
        return;
    }
    if (*reg == MCH_HOST_BRIDGE_F_SMBASE_IN_RAM) {
        pdev->wmask[MCH_HOST_BRIDGE_F_SMBASE] = MCH_HOST_BRIDGE_F_SMBASE_LCK;
        return;
    }
    if (*reg & MCH_HOST_BRIDGE_F_SMBASE_LCK) {
        pdev->wmask[MCH_HOST_BRIDGE_F_SMBASE] = 0;
        *reg = MCH_HOST_BRIDGE_F_SMBASE_LCK;
    }
}

static bool ranges_overlap(uint32_t a, int alen, uint32_t b, int blen)
{
    return a < b + blen && b < a + alen;
}

void mch_smram_config_written(PCIDevice *pdev, uint32_t addr, int len)
{
    if (ranges_overlap(addr, len, MCH_HOST_BRIDGE_SMRAM, 2)) {
        mch_smram_update(pdev);
    }
    if (ranges_overlap(addr, len, MCH_HOST_BRIDGE_EXT_TSEG_MBYTES, 2)) {
        mch_ext_tseg_update(pdev);
    }
    if (ranges_overlap(addr, len, MCH_HOST_BRIDGE_F_SMBASE, 1)) {
        mch_smbase_update(pdev);
    }
}

void mch_smram_reset(PCIDevice *pdev)
{
    pdev->config[MCH_HOST_BRIDGE_SMRAM] = MCH_HOST_BRIDGE_SMRAM_DEFAULT;
    pdev->config[MCH_HOST_BRIDGE_ESMRAMC] = MCH_HOST_BRIDGE_ESMRAMC_DEFAULT;
    pdev->wmask[MCH_HOST_BRIDGE_SMRAM] = MCH_HOST_BRIDGE_SMRAM_WMASK;
    pdev->wmask[MCH_HOST_BRIDGE_ESMRAMC] = MCH_HOST_BRIDGE_ESMRAMC_WMASK;
    pci_set_word(pdev->config + MCH_HOST_BRIDGE_EXT_TSEG_MBYTES,
                 MCH_HOST_BRIDGE_EXT_TSEG_MBYTES_QUERY);
    pdev->config[MCH_HOST_BRIDGE_F_SMBASE] = 0;
    pdev->wmask[MCH_HOST_BRIDGE_F_SMBASE] = 0xff;
    mch_smram_update(pdev);
    mch_ext_tseg_update(pdev);
    mch_smbase_update(pdev);
}
