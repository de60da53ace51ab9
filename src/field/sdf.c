/* ISO 25178-71 Surface Data File (.sdf) reader, binary and ASCII; the format as mnsim reads it
 * is described in mnsim/field.h. Written from the format's published header table (ISO
 * 25178-71; NIST's and NPL's descriptions of SDF); no other reader's code is used. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field/field_impl.h"
#include "mnsim/field.h"

#define SDF_BINARY_HEADER 81u /* 8 + 10 + 12 + 12 + 2 + 2 + 4 * 8 + 3 bytes */
#define SDF_MAX_HEADER 65536u /* an ASCII header's bytes up to its '*' line */

typedef struct sdf_header {
    unsigned long xres, yres; /* NumPoints (per profile), NumProfiles */
    double xscale, yscale, zscale;
    long compression, dtype, checktype;
} sdf_header;

/* DataType codes of ISO 25178-71: their names and how a binary file stores them. */
static const struct {
    const char *name;
    mn__sample sample;
} sdf_types[8] = {{"unsigned char", MN__U8},
                  {"unsigned int (16 bit)", MN__U16},
                  {"unsigned long (32 bit)", MN__U32},
                  {"float (32 bit)", MN__F32},
                  {"signed char", MN__I8},
                  {"signed int (16 bit)", MN__I16},
                  {"signed long (32 bit)", MN__I32},
                  {"double (64 bit)", MN__F64}};

/* The header checks both variants share; fills the field's physical size. */
static int check_header(sdf_header *h, const char *name, mn_error *err)
{
    if (h->compression != 0)
        return mn_error_set(err, MN_EFORMAT,
                            "%s: Compression = %ld is not supported (only 0, uncompressed)", name,
                            h->compression);
    /* ISO 25178-71 names a checksum type but the checksum's algorithm is not in the published
     * header table this reader follows, so a file that asks for one is refused rather than read
     * unverified. */
    if (h->checktype != 0)
        return mn_error_set(err, MN_EFORMAT,
                            "%s: CheckType = %ld asks for a checksum, but its algorithm is not "
                            "available here (only CheckType 0, no checksum, is read)",
                            name, h->checktype);
    if (h->dtype < 0 || h->dtype > 7)
        return mn_error_set(err, MN_EFORMAT,
                            "%s: DataType = %ld is not one of ISO 25178-71's codes 0-7", name,
                            h->dtype);
    int rc = mn_field_check_size(h->xres, h->yres, 0, name, err);
    if (rc)
        return rc;
    if (!(isfinite(h->xscale) && h->xscale > 0))
        return mn_error_set(err, MN_EFORMAT, "%s: Xscale = %g is not a positive spacing", name,
                            h->xscale);
    if (h->yscale == 0 && h->yres == 1) /* a single profile: square pixels */
        h->yscale = h->xscale;
    if (!(isfinite(h->yscale) && h->yscale > 0))
        return mn_error_set(err, MN_EFORMAT, "%s: Yscale = %g is not a positive spacing", name,
                            h->yscale);
    if (!(isfinite(h->zscale) && h->zscale != 0))
        return mn_error_set(err, MN_EFORMAT, "%s: Zscale = %g is not a finite, non-zero scale",
                            name, h->zscale);
    if (!(isfinite(h->xscale * (double)h->xres) && isfinite(h->yscale * (double)h->yres)))
        return mn_error_set(err, MN_EFORMAT, "%s: Xscale/Yscale out of range", name);
    return MN_OK;
}

static int create(const sdf_header *h, const char *name, mn_field **f, mn_error *err)
{
    int rc = mn_field_create(f, h->xres, h->yres, h->xscale * (double)h->xres,
                             h->yscale * (double)h->yres, MN_FIELD_HEIGHT, err);
    return rc ? mn_error_set(err, rc, "%s: %s", name, mn_strerror(rc)) : MN_OK;
}

static int read_binary(const unsigned char *buf, size_t size, const char *name, mn_field **out,
                       mn_error *err)
{
    if (size < SDF_BINARY_HEADER)
        return mn_error_set(err, MN_EFORMAT,
                            "%s: truncated: a binary SDF header has %u bytes, file has %zu", name,
                            SDF_BINARY_HEADER, size);
    sdf_header h = {.xres = mn__load_u16le(buf + 42),
                    .yres = mn__load_u16le(buf + 44),
                    .xscale = mn__load_f64le(buf + 46),
                    .yscale = mn__load_f64le(buf + 54),
                    .zscale = mn__load_f64le(buf + 62),
                    .compression = buf[78],
                    .dtype = buf[79],
                    .checktype = buf[80]};
    int rc = check_header(&h, name, err);
    if (rc)
        return rc;
    size_t n = h.xres * h.yres, vs = mn__sample_size(sdf_types[h.dtype].sample);
    if (size - SDF_BINARY_HEADER < n * vs)
        return mn_error_set(
            err, MN_EFORMAT, "%s: truncated: %lu x %lu %s values need %zu data bytes, file has %zu",
            name, h.xres, h.yres, sdf_types[h.dtype].name, n * vs, size - SDF_BINARY_HEADER);
    mn_field *f;
    if ((rc = create(&h, name, &f, err)))
        return rc;
    if ((rc = mn__field_fill(&f, buf + SDF_BINARY_HEADER, sdf_types[h.dtype].sample, h.zscale, name,
                             err)))
        return rc;
    *out = f; /* bytes after the data: the trailer, not read */
    return MN_OK;
}

/* ---- ASCII ------------------------------------------------------------------------------ */

static int same_key(const char *a, const char *b)
{
    for (; *a && *b; ++a, ++b)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return !*a && !*b;
}

/* One "Key = Value" line, NUL-terminated and trimmed. */
static int ascii_line(char *line, size_t lineno, sdf_header *h, unsigned *seen, const char *name,
                      mn_error *err)
{
    static const char *const keys[] = {"NumPoints", "NumProfiles", "Xscale",   "Yscale",
                                       "Zscale",    "Compression", "DataType", "CheckType"};
    char *eq = strchr(line, '=');
    if (!eq)
        return *line
                   ? mn_error_set(err, MN_EFORMAT, "%s:%zu: header line without '='", name, lineno)
                   : MN_OK;
    char *val = eq + 1;
    while (eq > line && isspace((unsigned char)eq[-1]))
        --eq;
    *eq = '\0';
    while (isspace((unsigned char)*val))
        ++val;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; ++k) {
        if (!same_key(line, keys[k]))
            continue;
        char *end;
        errno = 0;
        double d = 0;
        long l = 0;
        if (k >= 2 && k <= 4)
            d = strtod(val, &end);
        else
            l = strtol(val, &end, 10);
        if (errno || end == val || *end || l < 0 || !isfinite(d))
            return mn_error_set(err, MN_EFORMAT, "%s:%zu: %s = '%.40s' is not a %s", name, lineno,
                                keys[k], val,
                                k >= 2 && k <= 4 ? "number" : "non-negative whole number");
        if (k < 2 && (unsigned long)l > 65535ul)
            l = 65536; /* more than the format's 16 bits; check_header refuses it */
        unsigned long *counts[] = {&h->xres, &h->yres};
        double *scales[] = {&h->xscale, &h->yscale, &h->zscale};
        long *codes[] = {&h->compression, &h->dtype, &h->checktype};
        if (k < 2)
            *counts[k] = (unsigned long)l;
        else if (k < 5)
            *scales[k - 2] = d;
        else
            *codes[k - 5] = l;
        *seen |= 1u << k;
        return MN_OK;
    }
    return MN_OK; /* ManufacID, CreateDate, ModDate, Zresolution, others: not used */
}

/* The next line of [*p, end) copied, trimmed, into line (cut at its size); NULL at the end. */
static const char *next_line(const char **p, const char *end, char *line, size_t cap)
{
    if (*p >= end)
        return NULL;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    const char *le = nl ? nl : end, *s = *p;
    *p = nl ? nl + 1 : end;
    while (s < le && isspace((unsigned char)*s))
        ++s;
    while (le > s && isspace((unsigned char)le[-1]))
        --le;
    size_t n = (size_t)(le - s) < cap - 1 ? (size_t)(le - s) : cap - 1;
    memcpy(line, s, n);
    line[n] = '\0';
    return line;
}

/* The data of an ASCII file from p: n numbers separated by white space, then '*' or the end. */
static int ascii_data(const char *p, const char *end, const sdf_header *h, const char *name,
                      mn_field **out, mn_error *err)
{
    size_t n = h->xres * h->yres;
    if ((size_t)(end - p) / 2 + 1 < n) /* a digit and a separator each, the last no separator */
        return mn_error_set(err, MN_EFORMAT,
                            "%s: truncated: %lu x %lu values cannot fit in %zu bytes of data", name,
                            h->xres, h->yres, (size_t)(end - p));
    mn_field *f;
    int rc = create(h, name, &f, err);
    if (rc)
        return rc;
    double *z = mn_field_data(f);
    size_t i = 0;
    for (;;) {
        while (p < end && isspace((unsigned char)*p))
            ++p;
        if (p == end || *p == '*')
            break;
        char tok[64];
        size_t k = 0;
        while (p + k < end && !isspace((unsigned char)p[k]) && k < sizeof tok - 1)
            ++k;
        memcpy(tok, p, k);
        tok[k] = '\0';
        p += k;
        char *stop;
        double v = strtod(tok, &stop);
        if (stop == tok || *stop || (p < end && !isspace((unsigned char)*p))) {
            for (size_t j = 0; j < k; ++j)
                if (!isprint((unsigned char)tok[j]))
                    tok[j] = '?';
            mn_field_free(&f);
            return mn_error_set(err, MN_EFORMAT, "%s: data value %zu '%.24s' is not a number", name,
                                i + 1, tok);
        }
        if (i == n) {
            mn_field_free(&f);
            return mn_error_set(err, MN_EFORMAT,
                                "%s: more than NumPoints x NumProfiles = %zu values before '*'",
                                name, n);
        }
        z[i++] = v;
    }
    if (i < n) {
        mn_field_free(&f);
        return mn_error_set(err, MN_EFORMAT, "%s: truncated: %zu of %lu x %lu values", name, i,
                            h->xres, h->yres);
    }
    if ((rc = mn__field_scale(&f, h->zscale, name, err)))
        return rc;
    *out = f; /* after the closing '*': the trailer, not read */
    return MN_OK;
}

static int read_ascii(const unsigned char *buf, size_t size, const char *name, mn_field **out,
                      mn_error *err)
{
    const char *p = (const char *)buf, *end = p + size;
    const char *hend = p + (size < SDF_MAX_HEADER ? size : SDF_MAX_HEADER);
    char line[256];
    sdf_header h = {.compression = 0, .dtype = 7};
    unsigned seen = 0;
    size_t lineno = 1;
    next_line(&p, hend, line, sizeof line); /* the version, e.g. aBCR-1.0 */
    for (;;) {
        if (!next_line(&p, hend, line, sizeof line))
            return mn_error_set(err, MN_EFORMAT,
                                size < SDF_MAX_HEADER
                                    ? "%s: truncated: the header has no closing '*' line"
                                    : "%s: header longer than 64 KiB",
                                name);
        ++lineno;
        if (!strcmp(line, "*"))
            break;
        int rc = ascii_line(line, lineno, &h, &seen, name, err);
        if (rc)
            return rc;
    }
    static const char *const required[] = {"NumPoints", "NumProfiles", "Xscale", "Yscale",
                                           "Zscale"};
    for (unsigned k = 0; k < 5; ++k)
        if (!(seen & 1u << k))
            return mn_error_set(err, MN_EFORMAT, "%s: header lacks %s", name, required[k]);
    int rc = check_header(&h, name, err);
    return rc ? rc : ascii_data(p, end, &h, name, out, err);
}

int mn_field_read_sdf_memory(const void *data, size_t size, const char *name, mn_field **out,
                             mn_error *err)
{
    int rc = mn__field_begin("mn_field_read_sdf_memory", data, size, &name, out, err);
    if (rc)
        return rc;
    const unsigned char *buf = data;
    if (size >= 1 && buf[0] == 'b')
        return read_binary(buf, size, name, out, err);
    if (size >= 1 && buf[0] == 'a') {
        if (memchr(buf, '\0', size))
            return mn_error_set(err, MN_EFORMAT, "%s: NUL byte in an ASCII SDF", name);
        return read_ascii(buf, size, name, out, err);
    }
    return mn_error_set(err, MN_EFORMAT,
                        "%s: not a Surface Data File (the version should start with 'a' for "
                        "ASCII or 'b' for binary, e.g. aBCR-1.0)",
                        name);
}

int mn_field_read_sdf(const char *path, mn_field **out, mn_error *err)
{
    return mn__field_read_path("mn_field_read_sdf", path, mn_field_read_sdf_memory, out, err);
}
