/* Helpers the field module's file readers share (private to src/field/). */
#ifndef MNSIM_FIELD_IMPL_H
#define MNSIM_FIELD_IMPL_H

#include <stdint.h>
#include <string.h>

/* Metres per unit for a length unit (m, mm, um, µm, micron, nm, pm, km); 0 when not a length. */
double mn__field_unit_to_m(const char *unit);

#include "mnsim/field.h"

/* Stored sample types the readers convert (all little-endian). */
typedef enum mn__sample {
    MN__U8,
    MN__U16,
    MN__U32,
    MN__I8,
    MN__I16,
    MN__I32,
    MN__F32,
    MN__F64
} mn__sample;

/* Fills the field's xres * yres values with the samples at p (of type t, one after the other)
 * times scale; on a value that is not finite frees *f and fails naming its row and column. */
int mn__field_fill(mn_field **f, const unsigned char *p, mn__sample t, double scale,
                   const char *name, mn_error *err);
/* Multiplies the field's values by scale in place; fails as mn__field_fill. */
int mn__field_scale(mn_field **f, double scale, const char *name, mn_error *err);
/* The checks every memory reader starts with (the arguments; *out = NULL; *name defaults to
 * "<memory>"); `fn` names the reader in messages. */
int mn__field_begin(const char *fn, const void *data, size_t size, const char **name,
                    mn_field **out, mn_error *err);
/* Bytes of one sample of type t. */
size_t mn__sample_size(mn__sample t);

/* A reader of a whole file held in memory, as mn_field_read_gsf_memory. */
typedef int (*mn__field_memory_reader)(const void *data, size_t size, const char *name,
                                       mn_field **out, mn_error *err);
/* Loads path (mn_field_read_file) and hands it to read; `fn` names the caller in messages. */
int mn__field_read_path(const char *fn, const char *path, mn__field_memory_reader read,
                        mn_field **out, mn_error *err);

static inline uint16_t mn__load_u16le(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t mn__load_u32le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t mn__load_u64le(const unsigned char *p)
{
    return (uint64_t)mn__load_u32le(p) | (uint64_t)mn__load_u32le(p + 4) << 32;
}

static inline float mn__load_f32le(const unsigned char *p)
{
    uint32_t u = mn__load_u32le(p);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static inline double mn__load_f64le(const unsigned char *p)
{
    uint64_t u = mn__load_u64le(p);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

#endif
