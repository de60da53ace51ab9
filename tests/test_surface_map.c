/* The surface height map (surface.h): determinism, the mean-depth contract, site patterns,
 * the evaluation grid against the full map, the mechanics' relations per wrinkle, and the
 * Gwyddion Simple Field export as a third-party reader sees it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mn_math.h"
#include "mnsim/field.h"
#include "mnsim/measure.h"
#include "mnsim/patient.h"
#include "mnsim/surface.h"
#include "testutil.h"

typedef struct fixture {
    mn_scenario sc;
    mn_params p;
    mn_patient pt;
    mn_dermal_state base;
} fixture;

static void setup(fixture *f, mn_site site)
{
    mn_error err;
    mn_scenario_default(&f->sc);
    mn_params_default(&f->p);
    f->sc.patient.site = site;
    assert_int_equal(mn_patient_init(&f->pt, &f->sc, &f->p, &err), 0);
    /* A plausible baseline dermal state (the mechanics only compare states with it). */
    f->base = (mn_dermal_state){.epidermis_um = f->pt.layer_um[MN_LAYER_EPIDERMIS] + 12.0,
                                .dermis_um = f->pt.layer_um[MN_LAYER_PAPILLARY] +
                                             f->pt.layer_um[MN_LAYER_RETICULAR],
                                .modulus_kpa = 30.0,
                                .collagen_upper_rel = 0.8,
                                .elastin_rel = 0.8,
                                .edema = 0.0};
}

static mn_surface *make(const fixture *f, double size_mm)
{
    mn_surface_options o;
    mn_surface_options_default(&o);
    o.size_mm = size_mm;
    mn_surface *s = NULL;
    mn_error err;
    int rc = mn_surface_create(&f->sc, &f->pt, &f->p, &o, &s, &err);
    assert_int_equal_msg(rc, 0, err.message);
    mn_surface_set_baseline(s, &f->base);
    return s;
}

static void test_deterministic(void **state)
{
    (void)state;
    fixture f;
    setup(&f, MN_SITE_PERIORBITAL);
    mn_surface *a = make(&f, 6.0), *b = make(&f, 6.0);
    mn_field *ma = NULL, *mb = NULL;
    mn_error err;
    assert_int_equal(mn_surface_height_map(a, -1, &ma, &err), 0);
    assert_int_equal(mn_surface_height_map(b, -1, &mb, &err), 0);
    size_t n = mn_field_xres(ma) * mn_field_yres(ma);
    assert_int_equal(n, 300 * 300);
    assert_memory_equal(mn_field_cdata(ma), mn_field_cdata(mb), n * sizeof(double));
    mn_field_free(&mb);
    mn_surface_free(&b);
    /* Another seed, another surface. */
    f.sc.simulate.seed = 2;
    b = make(&f, 6.0);
    assert_int_equal(mn_surface_height_map(b, -1, &mb, &err), 0);
    assert_true(memcmp(mn_field_cdata(ma), mn_field_cdata(mb), n * sizeof(double)) != 0);
    mn_field_free(&ma);
    mn_field_free(&mb);
    mn_surface_free(&a);
    mn_surface_free(&b);
    mn_surface_free(&b); /* safe twice */
    assert_null(b);
}

static mn_surface *make_like(const fixture *f, double size_mm, const mn_surface *like)
{
    mn_surface_options o;
    mn_surface_options_default(&o);
    o.size_mm = size_mm;
    o.like = like;
    mn_surface *s = NULL;
    mn_error err;
    int rc = mn_surface_create(&f->sc, &f->pt, &f->p, &o, &s, &err);
    assert_int_equal_msg(rc, 0, err.message);
    mn_surface_set_baseline(s, &f->base);
    return s;
}

static void assert_metrics_identical(const mn_surface_metrics *a, const mn_surface_metrics *b)
{
    assert_true(a->sa_um == b->sa_um && a->sq_um == b->sq_um && a->sz_um == b->sz_um &&
                a->wrinkle_depth_um == b->wrinkle_depth_um);
}

/* A surface made "like" another (mn_surface_options.like: the band's draws) gives bit for bit
 * the metrics of one made from scratch, whether it can copy the other's evaluation grid (same
 * scenario and parameters) or must draw its own (another seed, another microrelief cell). */
static void test_like_is_exact(void **state)
{
    (void)state;
    fixture f;
    setup(&f, MN_SITE_PERIORBITAL);
    mn_surface *a = make(&f, 8.0), *b = make_like(&f, 8.0, a);
    mn_dermal_state stiff = f.base;
    stiff.modulus_kpa *= 1.4;
    stiff.edema = 0.3;
    mn_surface_metrics ma, mb;
    mn_surface_evaluate(a, &stiff, &ma);
    mn_surface_evaluate(b, &stiff, &mb);
    assert_metrics_identical(&ma, &mb);
    fixture g = f;
    g.sc.simulate.seed = 7;
    g.p.microrelief_cell_um *= 1.3;
    mn_surface *c = make_like(&g, 8.0, a), *d = make(&g, 8.0);
    mn_surface_metrics mc, md;
    mn_surface_evaluate(c, &stiff, &mc);
    mn_surface_evaluate(d, &stiff, &md);
    assert_metrics_identical(&mc, &md);
    assert_true(mc.sa_um != ma.sa_um); /* it did draw its own */
    mn_surface_free(&a);
    mn_surface_free(&b);
    mn_surface_free(&c);
    mn_surface_free(&d);
}

/* The per-sample Sa, Sq, Sz (split partial sums) against the ISO 25178-2 definitions summed
 * plainly in long double over the same evaluation-grid map. */
static void test_metrics_definitions(void **state)
{
    (void)state;
    fixture f;
    setup(&f, MN_SITE_FOREHEAD);
    mn_surface *s = make(&f, 7.0);
    mn_surface_metrics m;
    mn_surface_evaluate(s, &f.base, &m);
    mn_field *map = NULL;
    mn_error err;
    const int base = -1;
    assert_int_equal_msg(mn_surface_preview_maps(s, 1, &base, &map, &err), 0, err.message);
    const size_t n = mn_field_xres(map) * mn_field_yres(map);
    assert_int_equal(n, mn_surface_eval_xres(s) * mn_surface_eval_xres(s));
    const double *z = mn_field_cdata(map);
    long double mean = 0, sa = 0, sq = 0;
    double lo = z[0], hi = z[0];
    for (size_t i = 0; i < n; ++i)
        mean += z[i];
    mean /= (long double)n;
    for (size_t i = 0; i < n; ++i) {
        long double d = z[i] - mean;
        sa += fabsl(d), sq += d * d;
        lo = fmin(lo, z[i]), hi = fmax(hi, z[i]);
    }
    /* The map is in metres, the metrics in µm. */
    assert_close(m.sa_um, (double)(sa / n) * 1e6, 1e-9);
    assert_close(m.sq_um, sqrt((double)(sq / n)) * 1e6, 1e-9);
    assert_close(m.sz_um, (hi - lo) * 1e6, 1e-9);
    mn_field_free(&map);
    mn_surface_free(&s);
}

/* The mean over the wrinkles of each one's maximum depth is the patient's representative
 * wrinkle depth at baseline (the quantity the mechanics describe), and evaluate reports it. */
static void test_mean_depth_contract(void **state)
{
    (void)state;
    for (int site = 0; site < MN_SITE_COUNT; ++site) {
        fixture f;
        setup(&f, (mn_site)site);
        mn_surface *s = make(&f, 20.0);
        int n = mn_surface_wrinkle_count(s);
        assert_true(n >= 2);
        double sum = 0;
        for (int i = 0; i < n; ++i) {
            mn_surface_wrinkle w;
            assert_int_equal(mn_surface_wrinkle_get(s, i, &w), 0);
            assert_true(w.depth_um > 0 && w.width_um > 0 && w.length_mm > 0);
            assert_true(w.compression > 1.0);
            sum += w.depth_um;
        }
        assert_close(sum / n, f.pt.wrinkle_depth_um, 1e-9);
        mn_surface_metrics m;
        mn_surface_evaluate(s, &f.base, &m);
        assert_close(m.wrinkle_depth_um, f.pt.wrinkle_depth_um, 1e-9);
        /* Sz is at least the deepest wrinkle's depth. */
        assert_true(m.sz_um > 0.9 * f.pt.wrinkle_depth_um);
        assert_true(m.sq_um >= m.sa_um);
        mn_surface_free(&s);
    }
}

/* Mean direction of the main wrinkles, folded into [0, 90] degrees from horizontal. */
static double mean_main_angle(const mn_surface *s, double *spread)
{
    double sum = 0, sum2 = 0;
    int n = 0;
    for (int i = 0; i < mn_surface_wrinkle_count(s); ++i) {
        mn_surface_wrinkle w;
        mn_surface_wrinkle_get(s, i, &w);
        if (w.fine)
            continue;
        double a = fmod(fabs(w.angle_deg), 180.0);
        a = a > 90 ? 180 - a : a;
        sum += a, sum2 += a * a, ++n;
    }
    *spread = sqrt(fmax(0, sum2 / n - (sum / n) * (sum / n)));
    return sum / n;
}

static void test_site_patterns(void **state)
{
    (void)state;
    fixture f;
    double spread;
    setup(&f, MN_SITE_FOREHEAD);
    mn_surface *s = make(&f, 20.0);
    assert_true(mean_main_angle(s, &spread) < 10.0); /* horizontal lines */
    mn_surface_free(&s);
    setup(&f, MN_SITE_GLABELLA);
    s = make(&f, 20.0);
    assert_true(mean_main_angle(s, &spread) > 75.0); /* vertical frown lines */
    mn_surface_free(&s);
    setup(&f, MN_SITE_PERIORBITAL);
    s = make(&f, 20.0);
    /* Crow's feet fan out: signed directions spread over tens of degrees. */
    double sum = 0, sum2 = 0;
    int nm = 0;
    for (int i = 0; i < mn_surface_wrinkle_count(s); ++i) {
        mn_surface_wrinkle w;
        mn_surface_wrinkle_get(s, i, &w);
        if (!w.fine)
            sum += w.angle_deg, sum2 += w.angle_deg * w.angle_deg, ++nm;
    }
    assert_true(fabs(sum / nm) < 20.0);
    assert_true(sqrt(sum2 / nm - (sum / nm) * (sum / nm)) > 15.0);
    int young_n, old_n;
    mn_surface_free(&s);
    /* Older, more photoaged skin: more wrinkles. */
    f.sc.patient.age_years = 30;
    f.sc.patient.photoaging = 1;
    mn_error err;
    mn_patient_init(&f.pt, &f.sc, &f.p, &err);
    s = make(&f, 20.0);
    young_n = mn_surface_wrinkle_count(s);
    mn_surface_free(&s);
    f.sc.patient.age_years = 70;
    f.sc.patient.photoaging = 4;
    mn_patient_init(&f.pt, &f.sc, &f.p, &err);
    s = make(&f, 20.0);
    old_n = mn_surface_wrinkle_count(s);
    mn_surface_free(&s);
    assert_true_msg(old_n > young_n, "%d wrinkles at 70/Glogau 4, %d at 30/Glogau 1", old_n,
                    young_n);
}

/* A stiffer dermis (higher critical strain) and a thicker, denser dermis (less crease deficit)
 * each make every wrinkle shallower and the surface smoother; swelling flattens it too. */
static void test_stiffer_thicker_shallower(void **state)
{
    (void)state;
    fixture f;
    setup(&f, MN_SITE_PERIORBITAL);
    mn_surface *s = make(&f, 10.0);
    mn_surface_metrics m0, m1, m2;
    mn_surface_evaluate(s, &f.base, &m0);
    mn_dermal_state stiff = f.base;
    stiff.modulus_kpa *= 1.4;
    mn_surface_evaluate(s, &stiff, &m1);
    for (int i = 0; i < mn_surface_wrinkle_count(s); ++i)
        assert_true(mn_surface_wrinkle_ratio(s, i, &stiff) < 1.0);
    assert_true(m1.wrinkle_depth_um < m0.wrinkle_depth_um);
    assert_true(m1.sa_um < m0.sa_um && m1.sq_um < m0.sq_um);
    mn_dermal_state thick = f.base;
    thick.dermis_um *= 1.15;
    thick.collagen_upper_rel *= 1.2;
    mn_surface_evaluate(s, &thick, &m2);
    for (int i = 0; i < mn_surface_wrinkle_count(s); ++i)
        assert_true(mn_surface_wrinkle_ratio(s, i, &thick) < 1.0);
    assert_true(m2.wrinkle_depth_um < m0.wrinkle_depth_um && m2.sa_um < m0.sa_um);
    /* Both together: shallower than either alone. */
    mn_dermal_state both = thick;
    both.modulus_kpa = stiff.modulus_kpa;
    mn_surface_metrics m3;
    mn_surface_evaluate(s, &both, &m3);
    assert_true(m3.wrinkle_depth_um < fmin(m1.wrinkle_depth_um, m2.wrinkle_depth_um));
    /* Fine lines (low compression) lose more of their depth than main wrinkles. */
    double fine = 0, main = 0;
    int nf = 0, nm = 0;
    for (int i = 0; i < mn_surface_wrinkle_count(s); ++i) {
        mn_surface_wrinkle w;
        mn_surface_wrinkle_get(s, i, &w);
        double r = mn_surface_wrinkle_ratio(s, i, &stiff);
        if (w.fine)
            fine += r, ++nf;
        else
            main += r, ++nm;
    }
    if (nf && nm)
        assert_true(fine / nf < main / nm);
    /* A weaker dermis: deeper. */
    mn_dermal_state weak = f.base;
    weak.modulus_kpa *= 0.8;
    weak.collagen_upper_rel *= 0.85;
    mn_surface_evaluate(s, &weak, &m1);
    assert_true(m1.wrinkle_depth_um > m0.wrinkle_depth_um && m1.sa_um > m0.sa_um);
    mn_surface_free(&s);
}

/* The per-sample metrics on the coarse evaluation grid agree with the full-resolution map
 * (docs/surface.md states the tolerance). */
static void test_eval_grid_matches_full(void **state)
{
    (void)state;
    fixture f;
    setup(&f, MN_SITE_PERIORBITAL);
    mn_surface *s = make(&f, 20.0);
    mn_dermal_state after = f.base;
    after.modulus_kpa *= 1.3;
    after.collagen_upper_rel *= 1.1;
    const mn_dermal_state *states[2] = {&f.base, &after};
    for (int k = 0; k < 2; ++k) {
        mn_surface_metrics coarse, full;
        mn_error err;
        mn_surface_evaluate(s, states[k], &coarse);
        assert_int_equal(mn_surface_evaluate_full(s, states[k], &full, &err), 0);
        assert_close(coarse.wrinkle_depth_um, full.wrinkle_depth_um, 1e-12);
        assert_close(coarse.sa_um, full.sa_um, 0.05);
        assert_close(coarse.sq_um, full.sq_um, 0.05);
        assert_close(coarse.sz_um, full.sz_um, 0.10);
    }
    mn_surface_free(&s);
}

/* Header of a .gsf parsed the way a third-party reader (Gwyddion's gsf module) does: magic
 * line, "Key = Value" lines, NUL padding to a multiple of 4, then float32 data. */
static void test_gsf_export(void **state)
{
    (void)state;
    fixture f;
    setup(&f, MN_SITE_FOREHEAD);
    mn_surface *s = make(&f, 4.0);
    mn_field *map = NULL, *back = NULL;
    mn_error err;
    assert_int_equal(mn_surface_height_map(s, -1, &map, &err), 0);
    char dir[256], path[512];
    mn_test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/before.gsf", dir);
    assert_int_equal(mn_field_write_gsf(map, path, &err), 0);
    size_t size = 0;
    char *buf = mn_test_read(path, &size);
    assert_non_null(buf);
    const char magic[] = "Gwyddion Simple Field 1.0\n";
    assert_memory_equal(buf, magic, strlen(magic));
    size_t hl = strlen(buf); /* header ends at the first NUL */
    size_t pad = 4 - hl % 4;
    assert_int_equal((hl + pad) % 4, 0);
    for (size_t i = hl; i < hl + pad; ++i)
        assert_int_equal(buf[i], 0);
    long xres = 0, yres = 0;
    double xreal = 0, yreal = 0;
    char xyu[16] = "", zu[16] = "";
    for (char *line = strtok(buf + strlen(magic), "\n"); line; line = strtok(NULL, "\n")) {
        sscanf(line, "XRes = %ld", &xres);
        sscanf(line, "YRes = %ld", &yres);
        sscanf(line, "XReal = %lf", &xreal);
        sscanf(line, "YReal = %lf", &yreal);
        sscanf(line, "XYUnits = %15s", xyu);
        sscanf(line, "ZUnits = %15s", zu);
    }
    assert_int_equal(xres, 200);
    assert_int_equal(yres, 200);
    assert_close(xreal, 4e-3, 1e-6);
    assert_close(yreal, 4e-3, 1e-6);
    assert_string_equal(xyu, "m");
    assert_string_equal(zu, "m");
    assert_int_equal(size, hl + pad + 4 * 200 * 200);
    free(buf);
    /* And our own reader gets the same heights back (float32). */
    assert_int_equal(mn_field_read_gsf(path, &back, &err), 0);
    const double *a = mn_field_cdata(map), *b = mn_field_cdata(back);
    for (size_t i = 0; i < 200 * 200; ++i)
        assert_true(fabs(a[i] - b[i]) <= 1e-6 * fabs(a[i]) + 1e-12);
    mn_field_free(&back);
    mn_field_free(&map);
    mn_surface_free(&s);
    mn_test_rmtree(dir);
}

/* Sa, Sq, Sz of the map agree with the measure module's ISO 25178 parameters (no filter, no
 * form removal: the map has no form). */
static void test_agrees_with_measure(void **state)
{
    (void)state;
    fixture f;
    setup(&f, MN_SITE_CHEEK);
    mn_surface *s = make(&f, 6.0);
    mn_field *map = NULL;
    mn_error err;
    mn_surface_metrics m;
    mn_texture t;
    assert_int_equal(mn_surface_evaluate_full(s, &f.base, &m, &err), 0);
    assert_int_equal(mn_surface_height_map(s, -1, &map, &err), 0);
    assert_int_equal(mn_measure_texture(map, &t, &err), 0);
    assert_close(m.sa_um, t.sa_um, 1e-6);
    assert_close(m.sq_um, t.sq_um, 1e-6);
    assert_close(m.sz_um, t.sz_um, 1e-6);
    mn_field_free(&map);
    mn_surface_free(&s);
}

static void test_bad_options(void **state)
{
    (void)state;
    fixture f;
    setup(&f, MN_SITE_CHEEK);
    mn_surface_options o;
    mn_surface_options_default(&o);
    o.size_mm = 0.1;
    mn_surface *s = (mn_surface *)&o;
    mn_error err;
    assert_int_equal(mn_surface_create(&f.sc, &f.pt, &f.p, &o, &s, &err), MN_EINVAL);
    assert_null(s);
    assert_non_null(strstr(err.message, "size"));
    mn_surface_options_default(&o);
    o.pixel_um = NAN;
    assert_int_equal(mn_surface_create(&f.sc, &f.pt, &f.p, &o, &s, &err), MN_EINVAL);
    mn_field *map = NULL;
    s = make(&f, 2.0);
    assert_int_equal(mn_surface_height_map(s, 5, &map, &err), MN_ERANGE);
    assert_null(map);
    mn_surface_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_mean_depth_contract),
        cmocka_unit_test(test_site_patterns),
        cmocka_unit_test(test_stiffer_thicker_shallower),
        cmocka_unit_test(test_eval_grid_matches_full),
        cmocka_unit_test(test_gsf_export),
        cmocka_unit_test(test_agrees_with_measure),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_like_is_exact),
        cmocka_unit_test(test_metrics_definitions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
