/* The Gwyddion native (.gwy) reader: files written byte by byte here (known values, units,
 * pixel sizes), read back directly and through mn_measure_read; malformed files refused with a
 * message naming the file and what is wrong. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/field.h"
#include "mnsim/measure.h"
#include "testutil.h"

/* A little-endian GWY writer: objects are opened, filled with components and closed (which
 * patches their size). */
typedef struct gbuf {
    unsigned char b[8192];
    size_t n;
} gbuf;

static void put(gbuf *g, const void *p, size_t n)
{
    assert_true(g->n + n <= sizeof g->b);
    memcpy(g->b + g->n, p, n);
    g->n += n;
}

static void put_str(gbuf *g, const char *s)
{
    put(g, s, strlen(s) + 1);
}

static void put_u32(gbuf *g, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    put(g, b, 4);
}

static void put_f64(gbuf *g, double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    put_u32(g, (uint32_t)u);
    put_u32(g, (uint32_t)(u >> 32));
}

static size_t open_obj(gbuf *g, const char *type)
{
    put_str(g, type);
    size_t at = g->n;
    put_u32(g, 0);
    return at;
}

static void close_obj(gbuf *g, size_t at)
{
    uint32_t size = (uint32_t)(g->n - at - 4);
    for (int i = 0; i < 4; ++i)
        g->b[at + (size_t)i] = (unsigned char)(size >> 8 * i);
}

static void comp(gbuf *g, const char *name, char type)
{
    put_str(g, name);
    put(g, &type, 1);
}

static void comp_i(gbuf *g, const char *name, int32_t v)
{
    comp(g, name, 'i');
    put_u32(g, (uint32_t)v);
}

static void comp_d(gbuf *g, const char *name, double v)
{
    comp(g, name, 'd');
    put_f64(g, v);
}

static void comp_unit(gbuf *g, const char *name, const char *unit)
{
    comp(g, name, 'o');
    size_t at = open_obj(g, "GwySIUnit");
    comp(g, "unitstr", 's');
    put_str(g, unit);
    close_obj(g, at);
}

/* What a data field holds; values are v[i] (count ndata, or xres * yres when ndata < 0). */
typedef struct spec {
    const char *type; /* of the /0/data object; NULL = GwyDataField */
    int32_t xres, yres;
    double xreal, yreal;
    const char *unit_xy, *unit_z; /* NULL = no GwySIUnit component */
    const double *v;
    int ndata;
} spec;

static void data_field(gbuf *g, const char *key, const spec *s)
{
    comp(g, key, 'o');
    size_t at = open_obj(g, s->type ? s->type : "GwyDataField");
    comp_i(g, "xres", s->xres);
    comp_i(g, "yres", s->yres);
    comp_d(g, "xreal", s->xreal);
    comp_d(g, "yreal", s->yreal);
    comp_d(g, "xoff", 5e-6);
    if (s->unit_xy)
        comp_unit(g, "si_unit_xy", s->unit_xy);
    if (s->unit_z)
        comp_unit(g, "si_unit_z", s->unit_z);
    int n = s->ndata >= 0 ? s->ndata : s->xres * s->yres;
    comp(g, "data", 'D');
    put_u32(g, (uint32_t)n);
    for (int i = 0; i < n; ++i)
        put_f64(g, s->v[i]);
    close_obj(g, at);
}

/* A container as Gwyddion writes one: a title, the channel, a mask, a metadata container, a
 * flag and an integer array around it. */
static void make_gwy(gbuf *g, const spec *s)
{
    g->n = 0;
    put(g, "GWYP", 4);
    size_t top = open_obj(g, "GwyContainer");
    comp(g, "/0/data/title", 's');
    put_str(g, "Height");
    data_field(g, "/0/data", s);
    spec mask = {.xres = 1, .yres = 1, .xreal = 1, .yreal = 1, .v = (double[]){1}, .ndata = -1};
    data_field(g, "/0/mask", &mask);
    comp(g, "/0/meta", 'o');
    size_t meta = open_obj(g, "GwyContainer");
    comp(g, "Operator", 's');
    put_str(g, "mnsim");
    close_obj(g, meta);
    comp(g, "/0/data/visible", 'b');
    put(g, "\1", 1);
    comp(g, "/0/select/list", 'I');
    put_u32(g, 2);
    put_u32(g, 7);
    put_u32(g, 8);
    close_obj(g, top);
}

static const double v6[6] = {1, -2, 3, 4.5, 5, 6};

static spec good(void)
{
    return (spec){.xres = 3,
                  .yres = 2,
                  .xreal = 30,
                  .yreal = 20,
                  .unit_xy = "um",
                  .unit_z = "nm",
                  .v = v6,
                  .ndata = -1};
}

static void test_read(void **state)
{
    (void)state;
    gbuf g;
    spec s = good();
    make_gwy(&g, &s);
    mn_field *f = NULL;
    mn_error err;
    assert_int_equal(mn_field_read_gwy_memory(g.b, g.n, "a.gwy", &f, &err), 0);
    assert_int_equal(mn_field_xres(f), 3);
    assert_int_equal(mn_field_yres(f), 2);
    assert_close(mn_field_dx_m(f), 10e-6, 1e-12);
    assert_close(mn_field_dy_m(f), 10e-6, 1e-12);
    assert_int_equal(mn_field_get_kind(f), MN_FIELD_HEIGHT);
    for (size_t i = 0; i < 6; ++i)
        assert_close(mn_field_cdata(f)[i], v6[i] * 1e-9, 1e-12);
    assert_close(mn_field_get(f, 0, 1), 4.5e-9, 1e-12); /* row 1 = second row */
    mn_field_free(&f);

    /* Gwyddion's own files: base units (m), values in metres; µm spelled in UTF-8; mm */
    const char *units[][2] = {{"m", "m"}, {"\xc2\xb5m", "mm"}, {"", ""}};
    const double xy[] = {1, 1e-6, 1}, zs[] = {1, 1e-3, 1};
    for (int k = 0; k < 3; ++k) {
        s.unit_xy = units[k][0];
        s.unit_z = units[k][1];
        make_gwy(&g, &s);
        assert_int_equal(mn_field_read_gwy_memory(g.b, g.n, "b.gwy", &f, &err), 0);
        assert_close(mn_field_xreal_m(f), 30 * xy[k], 1e-9 * xy[k]);
        assert_close(mn_field_get(f, 2, 0), 3 * zs[k], 1e-9 * zs[k]);
        mn_field_free(&f);
    }
    s.unit_xy = s.unit_z = NULL; /* no GwySIUnit at all: metres */
    make_gwy(&g, &s);
    assert_int_equal(mn_field_read_gwy_memory(g.b, g.n, "c.gwy", &f, &err), 0);
    assert_close(mn_field_yreal_m(f), 20, 1e-9);
    mn_field_free(&f);
}

/* The lowest-numbered /N/data when there is no /0/data; through a file and the sniffing. */
static void test_channel_and_file(void **state)
{
    (void)state;
    gbuf g = {.n = 0};
    spec s = good(), t = good();
    t.xres = 2;
    t.yres = 3;
    put(&g, "GWYP", 4);
    size_t top = open_obj(&g, "GwyContainer");
    data_field(&g, "/3/data", &s);
    data_field(&g, "/1/data", &t);
    close_obj(&g, top);
    char dir[256], path[512];
    mn_test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/scan.gwy", dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(g.b, 1, g.n, fp), g.n);
    fclose(fp);
    mn_field *f = NULL;
    mn_error err;
    assert_int_equal(mn_field_read_gwy(path, &f, &err), 0);
    assert_int_equal(mn_field_xres(f), 2); /* /1/data */
    mn_field_free(&f);
    mn_measure_read_opts o = {0};
    assert_int_equal(mn_measure_read(path, &o, &f, &err), 0);
    assert_int_equal(mn_field_yres(f), 3);
    assert_close(mn_field_dx_m(f), 15e-6, 1e-12);
    mn_field_free(&f);
    o.pixel_um = 2; /* the user's pixel size wins */
    assert_int_equal(mn_measure_read(path, &o, &f, &err), 0);
    assert_close(mn_field_dx_m(f), 2e-6, 1e-12);
    mn_field_free(&f);
    assert_int_equal(mn_field_read_gwy("/nonexistent/x.gwy", &f, &err), MN_EIO);
    assert_non_null(strstr(err.message, "/nonexistent/x.gwy"));
    mn_test_rmtree(dir);
}

/* Channels picked by number or title (/N/data/title, before or after its data), the title
 * exactly before ignoring case; a missing one is MN_EINVAL listing the file's channels; a
 * channel of another format is refused by mn_measure_read_channel_memory. */
static void test_pick_channel(void **state)
{
    (void)state;
    gbuf g = {.n = 0};
    spec h = good(), p = good(), q = good();
    p.xres = 2;
    p.yres = 3;
    q.xres = 1;
    q.yres = 6;
    put(&g, "GWYP", 4);
    size_t top = open_obj(&g, "GwyContainer");
    comp(&g, "/0/data/title", 's');
    put_str(&g, "Height");
    data_field(&g, "/0/data", &h);
    data_field(&g, "/2/data", &p);
    comp(&g, "/2/data/title", 's'); /* after its channel */
    put_str(&g, "Phase");
    data_field(&g, "/5/data", &q);
    comp(&g, "/5/data/title", 's');
    put_str(&g, "height");
    close_obj(&g, top);
    const struct {
        const char *pick;
        size_t xres;
    } cases[] = {{NULL, 3},    {"", 3},      {"0", 3},      {"2", 2},     {"5", 1},
                 {"Phase", 2}, {"PHASE", 2}, {"height", 1}, {"Height", 3}};
    mn_error err;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; ++k) {
        mn_field *f = NULL;
        assert_int_equal(
            mn_field_read_gwy_channel_memory(g.b, g.n, "m.gwy", cases[k].pick, &f, &err), 0);
        assert_int_equal(mn_field_xres(f), cases[k].xres);
        mn_field_free(&f);
        mn_measure_read_opts o = {0};
        assert_int_equal(
            mn_measure_read_channel_memory(g.b, g.n, "m.gwy", &o, cases[k].pick, &f, &err), 0);
        assert_int_equal(mn_field_xres(f), cases[k].xres);
        mn_field_free(&f);
    }
    mn_field *f = NULL;
    assert_int_equal(mn_field_read_gwy_channel_memory(g.b, g.n, "m.gwy", "Amplitude", &f, &err),
                     MN_EINVAL);
    assert_null(f);
    assert_string_equal(err.message, "m.gwy: no channel 'Amplitude' (the file has 0 'Height', "
                                     "2 'Phase', 5 'height')");
    assert_int_equal(mn_field_read_gwy_channel_memory(g.b, g.n, "m.gwy", "3", &f, &err), MN_EINVAL);
    assert_non_null(strstr(err.message, "no channel '3'"));
    mn_measure_read_opts o = {.pixel_um = 1};
    const char csv[] = "1 2\n3 4\n";
    assert_int_equal(
        mn_measure_read_channel_memory(csv, sizeof csv - 1, "a.csv", &o, "1", &f, &err), MN_EINVAL);
    assert_null(f);
    assert_non_null(strstr(err.message, "a.csv: a channel ('1') can be chosen only in a Gwyddion"));
    assert_int_equal(mn_measure_read_channel_memory(csv, sizeof csv - 1, "a.csv", &o, "", &f, &err),
                     0);
    mn_field_free(&f);
}

static void expect(const unsigned char *b, size_t n, int code, const char *needle)
{
    mn_test_field_refused(mn_field_read_gwy_memory, b, n, "bad.gwy", code, needle);
}

static void expect_spec(const spec *s, int code, const char *needle)
{
    gbuf g;
    make_gwy(&g, s);
    expect(g.b, g.n, code, needle);
}

static void test_malformed(void **state)
{
    (void)state;
    gbuf g;
    spec s = good();
    make_gwy(&g, &s);
    for (size_t cut = 1; cut + 4 <= g.n; cut += 7) /* every truncation is refused */
        expect(g.b, g.n - cut, MN_EFORMAT, "truncated");
    expect(g.b, 0, MN_EFORMAT, "GWYP");
    memcpy(g.b, "GWYO", 4);
    expect(g.b, g.n, MN_EFORMAT, "Gwyddion 1");
    memcpy(g.b, "GWYX", 4);
    expect(g.b, g.n, MN_EFORMAT, "not a Gwyddion file");

    double nanv[6] = {1, 2, NAN, 4, 5, 6}, infv[6] = {1, 2, 3, 4, 5, INFINITY};
    spec t = good();
    t.v = nanv;
    expect_spec(&t, MN_EFORMAT, "row 0, column 2 is not finite");
    t.v = infv;
    expect_spec(&t, MN_EFORMAT, "not finite");
    t = good();
    t.xres = t.yres = 20000; /* oversized: refused before anything is allocated */
    t.ndata = 6;
    expect_spec(&t, MN_ERANGE, "too large");
    t.xres = 0;
    expect_spec(&t, MN_EFORMAT, "0 x 20000");
    t = good();
    t.ndata = 5;
    expect_spec(&t, MN_EFORMAT, "5 data values");
    t = good();
    t.unit_z = "V";
    expect_spec(&t, MN_EFORMAT, "si_unit_z 'V' is not a length unit");
    t = good();
    t.unit_xy = "deg";
    expect_spec(&t, MN_EFORMAT, "si_unit_xy 'deg'");
    t = good();
    t.xreal = -1;
    expect_spec(&t, MN_EFORMAT, "xreal/yreal");
    t = good();
    t.type = "GwyGraphModel";
    expect_spec(&t, MN_EFORMAT, "/0/data is a GwyGraphModel, not a GwyDataField");

    /* no channel, only a volume brick; a bare GwyDataField; a wrong type; an unknown type */
    g.n = 0;
    put(&g, "GWYP", 4);
    size_t top = open_obj(&g, "GwyContainer");
    comp(&g, "/brick/0", 'o');
    close_obj(&g, open_obj(&g, "GwyBrick"));
    close_obj(&g, top);
    expect(g.b, g.n, MN_EFORMAT, "GwyBrick at '/brick/0'");
    g.n = 0;
    put(&g, "GWYP", 4);
    close_obj(&g, open_obj(&g, "GwyDataField"));
    expect(g.b, g.n, MN_EFORMAT, "the top-level object is a GwyDataField, not a GwyContainer");
    g.n = 0;
    put(&g, "GWYP", 4);
    top = open_obj(&g, "GwyContainer");
    comp_d(&g, "/0/data", 1.0);
    close_obj(&g, top);
    expect(g.b, g.n, MN_EFORMAT, "'/0/data' has type 'd', expected 'o'");
    g.n = 0;
    put(&g, "GWYP", 4);
    top = open_obj(&g, "GwyContainer");
    comp(&g, "/0/odd", 'z');
    close_obj(&g, top);
    expect(g.b, g.n, MN_EFORMAT, "unknown type 'z'");
    g.n = 0; /* an array claiming 2^32 - 1 doubles */
    put(&g, "GWYP", 4);
    top = open_obj(&g, "GwyContainer");
    comp(&g, "/0/big", 'D');
    put_u32(&g, 0xffffffffu);
    close_obj(&g, top);
    expect(g.b, g.n, MN_EFORMAT, "truncated");
    g.n = 0; /* xres stored as a double */
    put(&g, "GWYP", 4);
    top = open_obj(&g, "GwyContainer");
    comp(&g, "/0/data", 'o');
    size_t df = open_obj(&g, "GwyDataField");
    comp_d(&g, "xres", 3);
    close_obj(&g, df);
    close_obj(&g, top);
    expect(g.b, g.n, MN_EFORMAT, "'xres' has type 'd', expected 'i'");
    g.n = 0; /* a field without data */
    put(&g, "GWYP", 4);
    top = open_obj(&g, "GwyContainer");
    comp(&g, "/0/data", 'o');
    df = open_obj(&g, "GwyDataField");
    comp_i(&g, "xres", 3);
    comp_i(&g, "yres", 3);
    comp_d(&g, "xreal", 3);
    comp_d(&g, "yreal", 3);
    close_obj(&g, df);
    close_obj(&g, top);
    expect(g.b, g.n, MN_EFORMAT, "has no 'data'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_channel_and_file),
        cmocka_unit_test(test_pick_channel),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
