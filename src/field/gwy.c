/* Gwyddion native file (.gwy) reader; the format as mnsim reads it is described in
 * mnsim/field.h. Written from Gwyddion's user guide ("Gwyddion native file format") and checked
 * against files libgwyddion 2.x serializes; no Gwyddion code is used. */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field/field_impl.h"
#include "mnsim/field.h"

/* A byte range being parsed: [p, end). */
typedef struct cursor {
    const unsigned char *p, *end;
} cursor;

static size_t left(const cursor *c)
{
    return (size_t)(c->end - c->p);
}

static int truncated(const char *name, const char *what, uint64_t need, size_t have, mn_error *err)
{
    return mn_error_set(err, MN_EFORMAT,
                        "%s: truncated or corrupt: %s needs %" PRIu64 " bytes, %zu left", name,
                        what, need, have);
}

/* A NUL-terminated string at c->p. */
static int take_string(cursor *c, const char **s, const char *what, const char *name, mn_error *err)
{
    const unsigned char *nul = memchr(c->p, '\0', left(c));
    if (!nul)
        return mn_error_set(err, MN_EFORMAT, "%s: truncated or corrupt: %s has no terminating NUL",
                            name, what);
    *s = (const char *)c->p;
    c->p = nul + 1;
    return MN_OK;
}

static int take_bytes(cursor *c, uint64_t n, const char *what, const char *name, mn_error *err)
{
    if (n > left(c))
        return truncated(name, what, n, left(c), err);
    c->p += n;
    return MN_OK;
}

static int take_u32(cursor *c, uint32_t *v, const char *what, const char *name, mn_error *err)
{
    if (left(c) < 4)
        return truncated(name, what, 4, left(c), err);
    *v = mn__load_u32le(c->p);
    c->p += 4;
    return MN_OK;
}

/* A serialized object at c->p: its type name, a 32-bit size and that many bytes of components,
 * which *body then spans. */
static int take_object(cursor *c, const char **type, cursor *body, const char *name, mn_error *err)
{
    uint32_t size = 0;
    *type = "an object";
    int rc = take_string(c, type, "an object's type name", name, err);
    if (!rc)
        rc = take_u32(c, &size, "an object's size", name, err);
    if (rc)
        return rc;
    body->p = c->p;
    rc = take_bytes(c, size, *type, name, err);
    body->end = c->p;
    return rc;
}

/* The object at c->p, which must be of type want; `what` names it in messages. */
static int take_object_of(cursor *c, const char *want, const char *what, cursor *body,
                          const char *name, mn_error *err)
{
    const char *type;
    int rc = take_object(c, &type, body, name, err);
    if (!rc && strcmp(type, want))
        rc = mn_error_set(err, MN_EFORMAT, "%s: %s is a %.64s, not a %s", name, what, type, want);
    return rc;
}

/* Element sizes of the fixed-size types (scalar lower case, array upper case); 0 otherwise. */
static size_t fixed_size(char t)
{
    switch (t) {
    case 'b':
    case 'c':
    case 'C':
        return 1;
    case 'i':
    case 'I':
        return 4;
    case 'q':
    case 'd':
    case 'Q':
    case 'D':
        return 8;
    default:
        return 0;
    }
}

/* Steps over one component value of type t (checked against the bytes left, never recursing:
 * an object is skipped by its size). */
static int skip_value(cursor *c, char t, const char *cname, const char *name, mn_error *err)
{
    const char *s;
    cursor body;
    uint32_t n = 1;
    int rc = MN_OK;
    if (t >= 'A' && t <= 'Z' && (rc = take_u32(c, &n, cname, name, err)))
        return rc;
    switch (t) {
    case 'b':
    case 'c':
    case 'i':
    case 'q':
    case 'd':
    case 'C':
    case 'I':
    case 'Q':
    case 'D':
        return take_bytes(c, (uint64_t)n * fixed_size(t), cname, name, err);
    case 's':
    case 'S':
        if (n > left(c)) /* every string takes at least its NUL */
            return truncated(name, cname, n, left(c), err);
        for (uint32_t i = 0; i < n && !rc; ++i)
            rc = take_string(c, &s, cname, name, err);
        return rc;
    case 'o':
    case 'O':
        if (n > left(c) / 5) /* a type name's NUL and a size at least */
            return truncated(name, cname, (uint64_t)n * 5, left(c), err);
        for (uint32_t i = 0; i < n && !rc; ++i)
            rc = take_object(c, &s, &body, name, err);
        return rc;
    default:
        return mn_error_set(err, MN_EFORMAT,
                            "%s: component '%.64s' has an unknown type '%c' (0x%02x)", name, cname,
                            t >= 0x20 && t < 0x7f ? t : '?', (unsigned char)t);
    }
}

/* The next component of an object body: its name, its type and its value's bytes. */
static int next_component(cursor *body, const char **cname, char *type, cursor *value,
                          const char *name, mn_error *err)
{
    int rc = take_string(body, cname, "a component name", name, err);
    if (rc)
        return rc;
    if (!left(body))
        return truncated(name, "a component type", 1, 0, err);
    *type = (char)*body->p++;
    value->p = body->p;
    rc = skip_value(body, *type, *cname, name, err);
    value->end = body->p;
    return rc;
}

static int wrong_type(const char *obj, const char *cname, char type, char want, const char *name,
                      mn_error *err)
{
    return mn_error_set(err, MN_EFORMAT, "%s: %s component '%s' has type '%c', expected '%c'", name,
                        obj, cname, type >= 0x20 && type < 0x7f ? type : '?', want);
}

/* A GwySIUnit's metres per unit: unitstr m, mm, um/µm, nm, pm (empty or absent: metres). */
static int read_unit(cursor value, const char *which, double *scale, const char *name,
                     mn_error *err)
{
    const char *cname, *unit = "";
    cursor body, v;
    char t;
    int rc = take_object_of(&value, "GwySIUnit", which, &body, name, err);
    if (rc)
        return rc;
    while (left(&body)) {
        if ((rc = next_component(&body, &cname, &t, &v, name, err)))
            return rc;
        if (!strcmp(cname, "unitstr")) {
            if (t != 's')
                return wrong_type("GwySIUnit", cname, t, 's', name, err);
            unit = (const char *)v.p;
        }
    }
    *scale = *unit ? mn__field_unit_to_m(unit) : 1.0;
    if (!*scale)
        return mn_error_set(err, MN_EFORMAT,
                            "%s: %s '%.32s' is not a length unit (m, mm, um, nm, pm)", name, which,
                            unit);
    return MN_OK;
}

typedef struct gwy_field {
    int32_t xres, yres;
    double xreal, yreal, xy_scale, z_scale;
    int have_xres, have_yres, have_xreal, have_yreal;
    const unsigned char *data;
    uint32_t ndata;
} gwy_field;

/* One GwyDataField component into f. */
static int field_component(const char *cname, char t, cursor v, gwy_field *f, const char *name,
                           mn_error *err)
{
    static const char obj[] = "GwyDataField";
    int is_res = !strcmp(cname, "xres") || !strcmp(cname, "yres");
    int is_real = !strcmp(cname, "xreal") || !strcmp(cname, "yreal");
    if (is_res || is_real) {
        char want = is_res ? 'i' : 'd';
        if (t != want)
            return wrong_type(obj, cname, t, want, name, err);
        int x = cname[0] == 'x';
        if (is_res) {
            *(x ? &f->xres : &f->yres) = (int32_t)mn__load_u32le(v.p);
            *(x ? &f->have_xres : &f->have_yres) = 1;
        } else {
            *(x ? &f->xreal : &f->yreal) = mn__load_f64le(v.p);
            *(x ? &f->have_xreal : &f->have_yreal) = 1;
        }
        return MN_OK;
    }
    if (!strcmp(cname, "si_unit_xy") || !strcmp(cname, "si_unit_z")) {
        if (t != 'o')
            return wrong_type(obj, cname, t, 'o', name, err);
        return read_unit(v, cname, cname[8] == 'x' ? &f->xy_scale : &f->z_scale, name, err);
    }
    if (!strcmp(cname, "data")) {
        if (t != 'D')
            return wrong_type(obj, cname, t, 'D', name, err);
        f->ndata = mn__load_u32le(v.p);
        f->data = v.p + 4;
    }
    return MN_OK; /* xoff, yoff and anything else: not needed */
}

/* The GwyDataField serialized at value into *out. */
static int read_data_field(cursor value, const char *key, const char *name, mn_field **out,
                           mn_error *err)
{
    const char *cname;
    cursor body, v;
    char t;
    int rc = take_object_of(&value, "GwyDataField", key, &body, name, err);
    if (rc)
        return rc;
    gwy_field f = {.xy_scale = 1.0, .z_scale = 1.0};
    while (left(&body) && !rc)
        if (!(rc = next_component(&body, &cname, &t, &v, name, err)))
            rc = field_component(cname, t, v, &f, name, err);
    if (rc)
        return rc;
    const char *missing = !f.have_xres    ? "xres"
                          : !f.have_yres  ? "yres"
                          : !f.have_xreal ? "xreal"
                          : !f.have_yreal ? "yreal"
                          : !f.data       ? "data"
                                          : NULL;
    if (missing)
        return mn_error_set(err, MN_EFORMAT, "%s: %s (GwyDataField) has no '%s'", name, key,
                            missing);
    if (f.xres <= 0 || f.yres <= 0)
        return mn_error_set(err, MN_EFORMAT, "%s: %s: %" PRId32 " x %" PRId32 " pixels", name, key,
                            f.xres, f.yres);
    rc = mn_field_check_size((size_t)f.xres, (size_t)f.yres, 0, name, err);
    if (rc)
        return rc;
    size_t n = (size_t)f.xres * (size_t)f.yres;
    if (f.ndata != n)
        return mn_error_set(err, MN_EFORMAT,
                            "%s: %s: %" PRId32 " x %" PRId32 " pixels but %" PRIu32 " data values",
                            name, key, f.xres, f.yres, f.ndata);
    double xreal = f.xreal * f.xy_scale, yreal = f.yreal * f.xy_scale;
    if (!(isfinite(xreal) && isfinite(yreal) && xreal > 0 && yreal > 0))
        return mn_error_set(err, MN_EFORMAT, "%s: %s: xreal/yreal %g x %g is not a positive size",
                            name, key, f.xreal, f.yreal);
    mn_field *field;
    rc =
        mn_field_create(&field, (size_t)f.xres, (size_t)f.yres, xreal, yreal, MN_FIELD_HEIGHT, err);
    if (rc)
        return mn_error_set(err, rc, "%s: %s", name, mn_strerror(rc));
    rc = mn__field_fill(&field, f.data, MN__F64, f.z_scale, name, err);
    if (rc)
        return rc;
    *out = field;
    return MN_OK;
}

/* The channel number of a container key "/N/data" (suffix "/data") or "/N/data/title" (suffix
 * "/data/title"), or -1. */
static long channel_of(const char *key, const char *suffix)
{
    if (key[0] != '/' || key[1] < '0' || key[1] > '9')
        return -1;
    char *end;
    long n = strtol(key + 1, &end, 10);
    return end - key <= 10 && !strcmp(end, suffix) ? n : -1;
}

/* The image channels of a container: /N/data objects and their /N/data/title strings. Channels
 * beyond the table are not selectable by name or number, only reported as many. */
#define GWY_MAX_CHANNELS 256
typedef struct gwy_channels {
    int n;
    long num[GWY_MAX_CHANNELS];
    cursor value[GWY_MAX_CHANNELS];
    const char *title[GWY_MAX_CHANNELS]; /* NULL when the container has none */
    const char *other, *other_type;      /* the first other object, for the message */
} gwy_channels;

static int find_channels(cursor body, gwy_channels *chs, const char *name, mn_error *err)
{
    const char *cname, *titles[GWY_MAX_CHANNELS] = {NULL};
    long title_num[GWY_MAX_CHANNELS];
    int nt = 0, rc;
    cursor v;
    char t;
    while (left(&body)) {
        if ((rc = next_component(&body, &cname, &t, &v, name, err)))
            return rc;
        long ch = channel_of(cname, "/data"), tch = channel_of(cname, "/data/title");
        if (ch >= 0 && t != 'o')
            return wrong_type("GwyContainer", cname, t, 'o', name, err);
        if (ch >= 0 && chs->n < GWY_MAX_CHANNELS) {
            chs->num[chs->n] = ch;
            chs->value[chs->n] = v;
            chs->title[chs->n++] = NULL;
        } else if (tch >= 0 && t == 's' && nt < GWY_MAX_CHANNELS) {
            title_num[nt] = tch;
            titles[nt++] = (const char *)v.p;
        } else if (ch < 0 && t == 'o' && !chs->other) {
            chs->other = cname;
            chs->other_type = (const char *)v.p; /* the object's type name, NUL-terminated */
        }
    }
    for (int i = 0; i < chs->n; ++i)
        for (int k = 0; k < nt; ++k)
            if (title_num[k] == chs->num[i])
                chs->title[i] = titles[k];
    return MN_OK;
}

/* "0 'Height', 1 'Phase'" into buf: the channels a user may pick. */
static void list_channels(const gwy_channels *chs, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < chs->n && len < cap; ++i) {
        int w = chs->title[i] ? snprintf(buf + len, cap - len, "%s%ld '%.40s'", i ? ", " : "",
                                         chs->num[i], chs->title[i])
                              : snprintf(buf + len, cap - len, "%s%ld (untitled)", i ? ", " : "",
                                         chs->num[i]);
        len += w > 0 ? (size_t)w : 0;
    }
}

static int same_ignoring_case(const char *a, const char *b)
{
    for (; *a && *b; ++a, ++b)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return !*a && !*b;
}

/* The index in chs of the channel `want` names: NULL or "" the lowest-numbered, digits its
 * number, anything else its title (exactly, else ignoring case); -1 when none matches. */
static int pick_channel(const gwy_channels *chs, const char *want)
{
    int best = -1;
    if (!want || !*want) {
        for (int i = 0; i < chs->n; ++i)
            if (best < 0 || chs->num[i] < chs->num[best])
                best = i;
        return best;
    }
    if (strspn(want, "0123456789") == strlen(want)) {
        char *end;
        long n = strtol(want, &end, 10);
        for (int i = 0; i < chs->n; ++i)
            if (chs->num[i] == n)
                return i;
        return -1;
    }
    for (int pass = 0; pass < 2 && best < 0; ++pass)
        for (int i = 0; i < chs->n; ++i)
            if (chs->title[i] &&
                (pass ? same_ignoring_case(chs->title[i], want) : !strcmp(chs->title[i], want)) &&
                (best < 0 || chs->num[i] < chs->num[best]))
                best = i;
    return best;
}

int mn_field_read_gwy_channel_memory(const void *data, size_t size, const char *name,
                                     const char *channel, mn_field **out, mn_error *err)
{
    int rc = mn__field_begin("mn_field_read_gwy_memory", data, size, &name, out, err);
    if (rc)
        return rc;
    const unsigned char *buf = data;
    if (size >= 4 && !memcmp(buf, "GWYO", 4))
        return mn_error_set(err, MN_EFORMAT,
                            "%s: a Gwyddion 1 file (magic GWYO) is not supported; save it again "
                            "with Gwyddion 2",
                            name);
    if (size < 4 || memcmp(buf, "GWYP", 4))
        return mn_error_set(err, MN_EFORMAT, "%s: not a Gwyddion file (missing magic 'GWYP')",
                            name);
    cursor c = {buf + 4, buf + size}, body;
    rc = take_object_of(&c, "GwyContainer", "the top-level object", &body, name, err);
    if (rc)
        return rc;
    gwy_channels chs = {.n = 0};
    if ((rc = find_channels(body, &chs, name, err)))
        return rc;
    if (chs.n == 0) {
        if (chs.other)
            return mn_error_set(err, MN_EFORMAT,
                                "%s: no image channel (/N/data); the container holds a %.64s at "
                                "'%.64s', which mnsim does not read",
                                name, chs.other_type, chs.other);
        return mn_error_set(err, MN_EFORMAT, "%s: no image channel (/N/data) in the container",
                            name);
    }
    int k = pick_channel(&chs, channel);
    if (k < 0) {
        char list[512];
        list_channels(&chs, list, sizeof list);
        return mn_error_set(err, MN_EINVAL, "%s: no channel '%.64s' (the file has %s)", name,
                            channel, list);
    }
    char key[32];
    snprintf(key, sizeof key, "/%ld/data", chs.num[k]);
    return read_data_field(chs.value[k], key, name, out, err);
}

int mn_field_read_gwy_memory(const void *data, size_t size, const char *name, mn_field **out,
                             mn_error *err)
{
    return mn_field_read_gwy_channel_memory(data, size, name, NULL, out, err);
}

int mn_field_read_gwy(const char *path, mn_field **out, mn_error *err)
{
    return mn__field_read_path("mn_field_read_gwy", path, mn_field_read_gwy_memory, out, err);
}
