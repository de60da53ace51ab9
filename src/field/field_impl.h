/* Internal helpers shared by the field and measure readers. */
#ifndef MN_FIELD_IMPL_H
#define MN_FIELD_IMPL_H

#include <stddef.h>

#include "mnsim/error.h"

/* Largest input file any reader loads (1 GiB). */
#define MN__FIELD_MAX_FILE_BYTES ((size_t)1 << 30)

/* Reads the whole file into a malloc'd buffer (NUL-terminated, *size excludes the NUL).
 * Checks the length against MN__FIELD_MAX_FILE_BYTES before allocating. */
int mn__field_slurp(const char *path, unsigned char **data, size_t *size, mn_error *err);

/* Checks xres, yres against MN_FIELD_MAX_RES / max_pixels (0 = MN_FIELD_MAX_PIXELS). */
int mn__field_check_size(size_t xres, size_t yres, size_t max_pixels, const char *name,
                         mn_error *err);

#endif
