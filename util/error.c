/*
 * Error reporting, on top of GError.
 */
#include "qapi/error.h"

#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK(vfio-viommu-error-quark, vv_error)

/* The option being processed when a report is made, e.g. "-device foo". */
static char *cur_loc;

void error_setg_errno(Error **errp, int errnum, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    if (!errp) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(errp, VV_ERROR, ERROR_CLASS_GENERIC_ERROR, "%s: %s", msg,
                g_strerror(errnum));
}

const char *error_class_name(const Error *err)
{
    static const char *const names[] = {
        [ERROR_CLASS_GENERIC_ERROR] = "GenericError",
        [ERROR_CLASS_COMMAND_NOT_FOUND] = "CommandNotFound",
        [ERROR_CLASS_DEVICE_NOT_ACTIVE] = "DeviceNotActive",
        [ERROR_CLASS_DEVICE_NOT_FOUND] = "DeviceNotFound",
    };

    if (err->domain == VV_ERROR && err->code >= 0 &&
        (size_t)err->code < G_N_ELEMENTS(names)) {
        return names[err->code];
    }
    return "GenericError";
}

void loc_set_option(const char *option, const char *arg)
{
    g_free(cur_loc);
    cur_loc = arg ? g_strdup_printf("%s %s", option, arg) : g_strdup(option);
}

void loc_clear(void)
{
    g_clear_pointer(&cur_loc, g_free);
}

static void vreport(const char *kind, const char *fmt, va_list ap)
{
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);

    fprintf(stderr, "vfio-viommu: %s%s%s%s\n", cur_loc ? cur_loc : "",
            cur_loc ? ": " : "", kind, msg);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

void error_report_err(Error *err)
{
    error_report("%s", err->message);
    g_error_free(err);
}

void warn_report_err(Error *err)
{
    warn_report("%s", err->message);
    g_error_free(err);
}
