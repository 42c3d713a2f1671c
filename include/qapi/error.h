/*
 * Error reporting: the Error ** out-parameter contract.
 *
 * An Error is a GError in the VV_ERROR domain; its code is the QMP error
 * class, so the edge that reports it (command line or QMP) needs nothing
 * else.  Functions that can fail take "Error **errp" last, return false
 * (or NULL) on failure and set *errp exactly once.  Passing NULL ignores
 * the error.
 */
#ifndef QAPI_ERROR_H
#define QAPI_ERROR_H

#include <glib.h>
#include <stdbool.h>

typedef GError Error;

#define VV_ERROR vv_error_quark()
GQuark vv_error_quark(void);

/* QMP error classes, in QEMU's spelling (see error_class_name()). */
typedef enum ErrorClass {
    ERROR_CLASS_GENERIC_ERROR,
    ERROR_CLASS_COMMAND_NOT_FOUND,
    ERROR_CLASS_DEVICE_NOT_ACTIVE,
    ERROR_CLASS_DEVICE_NOT_FOUND,
} ErrorClass;

#define error_setg(errp, ...) \
    g_set_error((errp), VV_ERROR, ERROR_CLASS_GENERIC_ERROR, __VA_ARGS__)
#define error_set(errp, cls, ...) \
    g_set_error((errp), VV_ERROR, (cls), __VA_ARGS__)

/* Like error_setg() followed by ": strerror(errnum)". */
void error_setg_errno(Error **errp, int errnum, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

#define error_prepend(errp, ...) g_prefix_error((errp), __VA_ARGS__)
#define error_propagate(dst, src) g_propagate_error((dst), (src))
#define error_free(err) g_error_free(err)

static inline const char *error_get_pretty(const Error *err)
{
    return err->message;
}

/* "GenericError", "CommandNotFound", ... */
const char *error_class_name(const Error *err);

/*
 * Reports go to stderr as "vfio-viommu: [LOCATION: ]MESSAGE", the way
 * QEMU prints them.  The location is the command-line option being
 * processed, if any (see loc_push_option()).
 */
void error_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void warn_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void error_report_err(Error *err);      /* reports and frees */
void warn_report_err(Error *err);       /* reports and frees */

/* The option text that later reports are prefixed with, or NULL. */
void loc_set_option(const char *option, const char *arg);
void loc_clear(void);

#endif
