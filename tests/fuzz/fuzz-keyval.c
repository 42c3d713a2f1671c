/*
 * Option strings in both forms (key=value and JSON).
 */
#include "fuzz.h"
#include "qemu/keyval.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *text = g_strndup((const char *)data, size);
    g_autoptr(GError) err = NULL;
    KeyValList *kv = keyval_parse(text, "driver", &err);

    if (kv) {
        g_free(keyval_take(kv, "driver"));
        g_ptr_array_unref(kv);
    } else {
        g_assert_nonnull(err);
    }
    return 0;
}
