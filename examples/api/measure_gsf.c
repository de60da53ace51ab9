/* Measures a height map (.gsf): ISO 25178 Sa, Sq, Sz and the wrinkles, as `mnsim measure`.
 * usage: measure_gsf FILE.gsf
 * build: cc measure_gsf.c $(pkg-config --cflags --libs mnsim) -o measure_gsf */
#include <stdio.h>

#include <mnsim/mnsim.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: measure_gsf FILE.gsf\n");
        return 2;
    }
    mn_error err;
    mn_field *field = NULL;
    mn_measure_settings settings;
    mn_measure_settings_default(&settings);
    mn_measure_result m;
    int rc = mn_field_read_gsf(argv[1], &field, &err);
    if (!rc)
        rc = mn_measure_field(field, argv[1], &settings, &m, NULL, &err);
    if (rc) {
        fprintf(stderr, "measure_gsf: %s\n", err.message);
        mn_field_free(&field);
        return 1;
    }
    printf("%zu x %zu pixels of %.4g um\n", m.xres, m.yres, m.dx_um);
    printf("Sa_um %.10g\nSq_um %.10g\nSz_um %.10g\n", m.texture.sa_um, m.texture.sq_um,
           m.texture.sz_um);
    printf("wrinkle_count %d\nwrinkle_depth_um %.10g\n", m.wrinkles.count,
           m.wrinkles.depth_mean_um);
    mn_field_free(&field);
    return 0;
}
