/*
 * Simulated host: the sysfs and /dev paths that lead to VFIO devices.
 *
 *   /dev/iommu, /dev/vfio/devices/vfioN
 *   /sys/bus/pci/devices/BDF/{vendor,device,class}
 *   /sys/bus/pci/devices/BDF/vfio-dev/vfioN/dev      "MAJ:MIN"
 *   /sys/bus/pci/devices/BDF/{iommu_group,driver,iommu}   (links)
 * /sys/devices/pci0000:00/BDF is the same directory.
 */
#include "system/host-sim/internal.h"

#include <errno.h>
#include <string.h>

#define SYS_PCI "/sys/bus/pci/devices"
#define SYS_DEV "/sys/devices/pci0000:00"
#define DEV_VFIO "/dev/vfio/devices"

/* "vfio<index>" at the end of @buf: no printf on every open's path. */
static const char *cdev_name(unsigned index, char buf[16])
{
    char *p = buf + 15;

    *p = '\0';
    do {
        *--p = '0' + index % 10;
        index /= 10;
    } while (index);
    p -= 4;
    memcpy(p, "vfio", 4);
    return p;
}

static char **strv_new(GPtrArray *a)
{
    g_ptr_array_add(a, NULL);
    return (char **)g_ptr_array_free(a, false);
}

SimDevice *sim_sysfs_cdev_device(HostSim *s, const char *path)
{
    uint64_t n;

    if (!g_str_has_prefix(path, DEV_VFIO "/vfio") ||
        !g_ascii_string_to_unsigned(path + strlen(DEV_VFIO "/vfio"), 10, 0,
                                    s->ndevices - 1, &n, NULL)) {
        return NULL;
    }
    return sim_host_device(s, n);
}

/*
 * Split @path into its device and the rest below the device's directory
 * ("" for the directory itself).  NULL if it is not below a device.
 */
static SimDevice *sysfs_split(HostSim *s, const char *path, const char **rest)
{
    const char *p = NULL;
    char bdf[13];
    SimDevice *dev;

    if (g_str_has_prefix(path, SYS_PCI "/")) {
        p = path + strlen(SYS_PCI "/");
    } else if (g_str_has_prefix(path, SYS_DEV "/")) {
        p = path + strlen(SYS_DEV "/");
    }
    if (!p || strlen(p) < 12 || (p[12] && p[12] != '/')) {
        return NULL;
    }
    memcpy(bdf, p, 12);
    bdf[12] = '\0';
    dev = sim_host_find_device(s, bdf);
    *rest = p[12] ? p + 13 : "";
    return dev;
}

/* @path without trailing slashes, so "dir/" and "dir" are the same. */
static char *sysfs_norm(const char *path)
{
    char *p = g_strdup(path);
    size_t n = strlen(p);

    while (n > 1 && p[n - 1] == '/') {
        p[--n] = '\0';
    }
    return p;
}

char *sim_sysfs_read_file(HostSim *s, const char *path, int *err)
{
    g_autofree char *p = sysfs_norm(path);
    g_autofree char *vdev = NULL;
    const char *rest;
    SimDevice *dev = sysfs_split(s, p, &rest);
    const uint8_t *c;

    if (!dev) {
        *err = ENOENT;
        return NULL;
    }
    c = dev->hw_config;
    vdev = g_strdup_printf("vfio-dev/vfio%u/dev", dev->index);
    if (!strcmp(rest, "vendor")) {
        return g_strdup_printf("0x%04x\n", c[0] | (c[1] << 8));
    } else if (!strcmp(rest, "device")) {
        return g_strdup_printf("0x%04x\n", c[2] | (c[3] << 8));
    } else if (!strcmp(rest, "class")) {
        return g_strdup_printf("0x%02x%02x%02x\n", c[11], c[10], c[9]);
    } else if (!strcmp(rest, vdev)) {
        return g_strdup_printf("%u:%u\n", SIM_VFIO_MAJOR, dev->index);
    }
    *err = (!*rest || !strcmp(rest, "vfio-dev") ||
            g_str_has_prefix(vdev, rest)) ? EISDIR : ENOENT;
    return NULL;
}

static char **sysfs_list_device(SimDevice *dev, const char *rest, int *err)
{
    GPtrArray *a = g_ptr_array_new();
    char buf[16];
    const char *vname = cdev_name(dev->index, buf);

    if (!*rest) {
        static const char *const names[] = {
            "vendor", "device", "class", "vfio-dev", "iommu_group", "driver",
            "iommu",
        };
        unsigned i;

        for (i = 0; i < G_N_ELEMENTS(names); i++) {
            g_ptr_array_add(a, g_strdup(names[i]));
        }
    } else if (!strcmp(rest, "vfio-dev")) {
        g_ptr_array_add(a, g_strdup(vname));
    } else if (g_str_has_prefix(rest, "vfio-dev/") &&
               !strcmp(rest + strlen("vfio-dev/"), vname)) {
        g_ptr_array_add(a, g_strdup("dev"));
    } else {
        g_ptr_array_unref(a);
        *err = ENOENT;
        return NULL;
    }
    return strv_new(a);
}

char **sim_sysfs_list_dir(HostSim *s, const char *path, int *err)
{
    g_autofree char *p = sysfs_norm(path);
    GPtrArray *a;
    const char *rest;
    SimDevice *dev;
    unsigned i;

    if (!strcmp(p, SYS_PCI) || !strcmp(p, SYS_DEV) || !strcmp(p, DEV_VFIO)) {
        bool cdev = !strcmp(p, DEV_VFIO);

        a = g_ptr_array_new();
        for (i = 0; i < s->ndevices; i++) {
            char name[13];

            sim_host_device_name(s, i, name);
            g_ptr_array_add(a, cdev ? g_strdup_printf("vfio%u", i)
                                    : g_strdup(name));
        }
        return strv_new(a);
    }
    dev = sysfs_split(s, p, &rest);
    if (!dev) {
        *err = ENOENT;
        return NULL;
    }
    return sysfs_list_device(dev, rest, err);
}

char *sim_sysfs_read_link(HostSim *s, const char *path, int *err)
{
    g_autofree char *p = sysfs_norm(path);
    const char *rest;
    SimDevice *dev = sysfs_split(s, p, &rest);

    if (!dev) {
        *err = ENOENT;
        return NULL;
    }
    if (!*rest && g_str_has_prefix(p, SYS_PCI)) {
        return g_strdup_printf("../../../devices/pci0000:00/%s", dev->bdf);
    } else if (!strcmp(rest, "iommu_group")) {
        return g_strdup_printf("../../../kernel/iommu_groups/%u", dev->group);
    } else if (!strcmp(rest, "driver")) {
        return g_strdup("../../../bus/pci/drivers/vfio-pci");
    } else if (!strcmp(rest, "iommu")) {
        return g_strdup_printf("../../virtual/iommu/%s", dev->iommu->id);
    }
    *err = EINVAL;                  /* exists but is not a link, or absent */
    return NULL;
}
