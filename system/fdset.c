/*
 * Named fds and fd sets.  Ownership: a named fd belongs to us until a
 * property takes it; an fd in a set stays ours until remove-fd (users
 * get dups).  Everything left is closed at exit.
 */
#include "system/fdset.h"
#include "monitor/monitor.h"
#include "monitor/qmp-args.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qemu/keyval.h"

typedef struct FdsetFd {
    int fd;
    char *opaque;
} FdsetFd;

typedef struct Fdset {
    int64_t id;
    GPtrArray *fds;             /* FdsetFd *, newest first as QEMU lists */
} Fdset;

static GHashTable *named_fds;   /* name -> fd */
static GPtrArray *fdsets;       /* Fdset *, by increasing id */

static void fdset_fd_free(gpointer p)
{
    FdsetFd *f = p;

    close(f->fd);
    g_free(f->opaque);
    g_free(f);
}

static void fdset_free(gpointer p)
{
    Fdset *set = p;

    g_ptr_array_unref(set->fds);
    g_free(set);
}

static Fdset *fdset_find(int64_t id)
{
    for (guint i = 0; fdsets && i < fdsets->len; i++) {
        Fdset *set = g_ptr_array_index(fdsets, i);

        if (set->id == id) {
            return set;
        }
    }
    return NULL;
}

/* Lowest unused id when none is asked for, as QEMU picks. */
static int64_t fdset_free_id(void)
{
    int64_t id = 0;

    while (fdset_find(id)) {
        id++;
    }
    return id;
}

static Fdset *fdset_get(int64_t id)
{
    Fdset *set = fdset_find(id);
    guint pos = 0;

    if (set) {
        return set;
    }
    if (!fdsets) {
        fdsets = g_ptr_array_new_with_free_func(fdset_free);
    }
    while (pos < fdsets->len &&
           ((Fdset *)g_ptr_array_index(fdsets, pos))->id < id) {
        pos++;
    }
    set = g_new0(Fdset, 1);
    set->id = id;
    set->fds = g_ptr_array_new_with_free_func(fdset_fd_free);
    g_ptr_array_insert(fdsets, pos, set);
    return set;
}

static void fdset_add(Fdset *set, int fd, const char *opaque)
{
    FdsetFd *f = g_new0(FdsetFd, 1);

    f->fd = fd;
    f->opaque = g_strdup(opaque);
    g_ptr_array_insert(set->fds, 0, f);
}

static bool parse_nonneg(const char *str, int64_t *val)
{
    char *end;

    if (!str || !g_ascii_isdigit(str[0])) {
        return false;
    }
    errno = 0;
    *val = strtoll(str, &end, 10);
    return !*end && !errno;
}

bool fdset_add_fd_opt(const char *arg, Error **errp)
{
    g_autoptr(KeyValList) kv = keyval_parse(arg, NULL, errp);
    int64_t fd = -1, set = -1;
    int flags, dupfd;

    if (!kv) {
        return false;
    }
    parse_nonneg(keyval_get(kv, "fd"), &fd);
    parse_nonneg(keyval_get(kv, "set"), &set);
    for (guint i = 0; i < kv->len; i++) {
        const char *key = ((KeyVal *)g_ptr_array_index(kv, i))->key;

        if (strcmp(key, "fd") && strcmp(key, "set") && strcmp(key, "opaque")) {
            error_setg(errp, "Invalid parameter '%s'", key);
            return false;
        }
    }
    if (fd < 0 || fd > INT32_MAX) {
        error_setg(errp, "fd option is required and must be non-negative");
        return false;
    }
    if (fd <= STDERR_FILENO) {
        error_setg(errp, "fd cannot be a standard I/O stream");
        return false;
    }
    /* Inherited fds have FD_CLOEXEC clear; every fd of ours has it set. */
    flags = fcntl(fd, F_GETFD);
    if (flags == -1 || (flags & FD_CLOEXEC)) {
        error_setg(errp, "fd is not valid or already in use");
        return false;
    }
    if (set < 0) {
        error_setg(errp, "set option is required and must be non-negative");
        return false;
    }
    dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (dupfd < 0) {
        error_setg_errno(errp, errno, "error duplicating fd");
        return false;
    }
    fdset_add(fdset_get(set), dupfd, keyval_get(kv, "opaque"));
    return true;
}

/* "/dev/fdset/N": a dup of the set's first fd open for reading and writing. */
static bool fdset_dup(const char *path, int *fd, Error **errp)
{
    int64_t id;
    Fdset *set;

    if (!parse_nonneg(path + strlen("/dev/fdset/"), &id) ||
        !(set = fdset_find(id))) {
        error_setg_errno(errp, ENOENT, "Could not open '%s'", path);
        return false;
    }
    for (guint i = 0; i < set->fds->len; i++) {
        FdsetFd *f = g_ptr_array_index(set->fds, i);
        int fl = fcntl(f->fd, F_GETFL);

        if (fl != -1 && (fl & O_ACCMODE) == O_RDWR) {
            *fd = fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
            if (*fd < 0) {
                error_setg_errno(errp, errno, "Could not open '%s'", path);
                return false;
            }
            return true;
        }
    }
    error_setg_errno(errp, EACCES, "Could not open '%s'", path);
    return false;
}

bool fd_param_get(const char *str, int *fd, bool *owned, Error **errp)
{
    int64_t num;
    gpointer key, val;

    *owned = true;
    if (g_str_has_prefix(str, "/dev/fdset/")) {
        return fdset_dup(str, fd, errp);
    }
    if (g_ascii_isdigit(str[0])) {
        if (!parse_nonneg(str, &num) || num > INT32_MAX) {
            error_setg(errp, "Invalid file descriptor number '%s'", str);
            return false;
        }
        *fd = num;
        *owned = false;
        return true;
    }
    /* A named fd passes to its user, as QEMU's monitor_get_fd(). */
    if (!named_fds || !g_hash_table_steal_extended(named_fds, str, &key,
                                                   &val)) {
        error_setg(errp, "File descriptor named '%s' has not been found",
                   str);
        return false;
    }
    g_free(key);
    *fd = GPOINTER_TO_INT(val);
    return true;
}

static int fdset_take_passed_fd(Error **errp)
{
    int fd = qmp_take_passed_fd();

    if (fd < 0) {
        error_setg(errp, "No file descriptor supplied via SCM_RIGHTS");
    }
    return fd;
}

static void named_fd_close(gpointer fd)
{
    close(GPOINTER_TO_INT(fd));
}

static JsonNode *qmp_getfd(JsonObject *args, Error **errp)
{
    const char *name = json_object_get_string_member(args, "fdname");
    int fd = fdset_take_passed_fd(errp);

    if (fd < 0) {
        return NULL;
    }
    if (g_ascii_isdigit(name[0])) {
        close(fd);
        error_setg(errp, "Parameter 'fdname' expects a name not starting "
                   "with a digit");
        return NULL;
    }
    if (!named_fds) {
        named_fds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          named_fd_close);
    }
    /* A name given again closes the fd it had. */
    g_hash_table_replace(named_fds, g_strdup(name), GINT_TO_POINTER(fd));
    return qmp_return_empty();
}

static JsonNode *qmp_closefd(JsonObject *args, Error **errp)
{
    const char *name = json_object_get_string_member(args, "fdname");

    if (!named_fds || !g_hash_table_remove(named_fds, name)) {
        error_setg(errp, "File descriptor named '%s' not found", name);
        return NULL;
    }
    return qmp_return_empty();
}

static JsonNode *qmp_add_fd(JsonObject *args, Error **errp)
{
    int64_t id = qmp_arg_int(args, "fdset-id", -1);
    JsonObject *ret;
    int fd;

    if (json_object_has_member(args, "fdset-id") && id < 0) {
        error_setg(errp, "Parameter 'fdset-id' expects a non-negative value");
        return NULL;
    }
    fd = fdset_take_passed_fd(errp);
    if (fd < 0) {
        return NULL;
    }
    if (id < 0) {
        id = fdset_free_id();
    }
    fdset_add(fdset_get(id), fd, qmp_arg_str(args, "opaque", NULL));
    ret = json_object_new();
    json_object_set_int_member(ret, "fdset-id", id);
    json_object_set_int_member(ret, "fd", fd);
    return qmp_return_object(ret);
}

static JsonNode *qmp_remove_fd(JsonObject *args, Error **errp)
{
    int64_t id = json_object_get_int_member(args, "fdset-id");
    bool has_fd = json_object_has_member(args, "fd");
    int64_t fd = qmp_arg_int(args, "fd", -1);
    Fdset *set = fdset_find(id);
    g_autofree char *what = NULL;
    bool found = false;

    for (guint i = 0; set && i < set->fds->len; i++) {
        FdsetFd *f = g_ptr_array_index(set->fds, i);

        if (!has_fd || f->fd == fd) {
            g_ptr_array_remove_index(set->fds, i--);
            found = true;
        }
    }
    if (found) {
        if (!set->fds->len) {
            g_ptr_array_remove(fdsets, set);
        }
        return qmp_return_empty();
    }
    what = has_fd ? g_strdup_printf("fdset-id:%" PRId64 ", fd:%" PRId64,
                                    id, fd)
                  : g_strdup_printf("fdset-id:%" PRId64, id);
    error_setg(errp, "File descriptor named '%s' not found", what);
    return NULL;
}

static JsonNode *qmp_query_fdsets(JsonObject *args, Error **errp)
{
    JsonArray *list = json_array_new();

    for (guint i = 0; fdsets && i < fdsets->len; i++) {
        Fdset *set = g_ptr_array_index(fdsets, i);
        JsonObject *info = json_object_new();
        JsonArray *fds = json_array_new();

        for (guint j = 0; j < set->fds->len; j++) {
            FdsetFd *f = g_ptr_array_index(set->fds, j);
            JsonObject *fi = json_object_new();

            json_object_set_int_member(fi, "fd", f->fd);
            if (f->opaque) {
                json_object_set_string_member(fi, "opaque", f->opaque);
            }
            json_array_add_object_element(fds, fi);
        }
        json_object_set_int_member(info, "fdset-id", set->id);
        json_object_set_array_member(info, "fds", fds);
        json_array_add_object_element(list, info);
    }
    return qmp_return_array(list);
}

void fdset_monitor_register(void)
{
    static const QmpArgSpec fdname_args[] = {
        { "fdname", QMP_ARG_STRING },
        { NULL }
    };
    static const QmpArgSpec add_fd_args[] = {
        { "fdset-id", QMP_ARG_INT, true },
        { "opaque", QMP_ARG_STRING, true },
        { NULL }
    };
    static const QmpArgSpec remove_fd_args[] = {
        { "fdset-id", QMP_ARG_INT },
        { "fd", QMP_ARG_INT, true },
        { NULL }
    };
    static const QmpCommandDef cmds[] = {
        { "getfd", qmp_getfd, fdname_args, QMP_CMD_RET_EMPTY },
        { "closefd", qmp_closefd, fdname_args, QMP_CMD_RET_EMPTY },
        { "add-fd", qmp_add_fd, add_fd_args },
        { "remove-fd", qmp_remove_fd, remove_fd_args, QMP_CMD_RET_EMPTY },
        { "query-fdsets", qmp_query_fdsets },
    };

    qmp_register_commands(cmds, G_N_ELEMENTS(cmds));
}

void fdset_reset(void)
{
    g_clear_pointer(&named_fds, g_hash_table_destroy);
    g_clear_pointer(&fdsets, g_ptr_array_unref);
}
