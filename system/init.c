/*
 * Every type and every monitor command, registered in one readable place:
 * no constructor ordering, and tests call the same functions.
 */
#include "system/vl.h"
#include "hw/arm/smmuv3.h"
#include "hw/arm/virt.h"
#include "hw/core/machine.h"
#include "hw/i386/intel_iommu.h"
#include "hw/i386/q35.h"
#include "hw/pci/pci.h"
#include "hw/pci/pci-dump.h"
#include "hw/pci/viommu-host.h"
#include "hw/vfio/pci.h"
#include "monitor/monitor.h"
#include "system/host-sim.h"
#include "system/fdset.h"
#include "system/iommufd.h"

void vv_types_init(void)
{
    object_register_types();
    qdev_register_types();
    machine_register_types();
    none_machine_register_types();
    pci_register_types();
    pxb_pcie_register_types();
    q35_register_types();
    virt_register_types();
    iommufd_register_types();
    vfio_register_types();
    intel_iommu_register_types();
    smmuv3_register_types();
}

void monitor_register_all(void)
{
    qmp_core_register();
    qmp_debug_register();
    qdev_monitor_register();
    pci_monitor_register();
    vfio_monitor_register();
    viommu_host_monitor_register();
    host_sim_monitor_register();
    fdset_monitor_register();
}
