/* Form removal: least-squares plane or second-order polynomial, on centred coordinates scaled
 * to [-1, 1] so the 6 x 6 normal equations stay well conditioned; solved by SVD (GSL), which
 * also copes with a single row or column. */
#include <gsl/gsl_linalg.h>
#include <math.h>

#include "measure/measure_impl.h"

static int basis(double u, double v, int np, double *b)
{
    double all[6] = {1.0, u, v, u * u, u * v, v * v};
    for (int i = 0; i < np; ++i)
        b[i] = all[i];
    return np;
}

int mn_measure_remove_form(mn_field *field, mn_form form, mn_error *err)
{
    if (!field)
        return mn_error_set(err, MN_EINVAL, "mn_measure_remove_form: NULL field");
    if (form == MN_FORM_NONE)
        return MN_OK;
    if (form != MN_FORM_PLANE && form != MN_FORM_POLY2)
        return mn_error_set(err, MN_EINVAL, "form removal: unknown form %d", (int)form);
    int np = form == MN_FORM_PLANE ? 3 : 6;
    size_t xres = mn_field_xres(field), yres = mn_field_yres(field);
    double *z = mn_field_data(field);
    double hx = xres > 1 ? 0.5 * (double)(xres - 1) : 1.0;
    double hy = yres > 1 ? 0.5 * (double)(yres - 1) : 1.0;
    double ata[36] = {0}, atz[6] = {0}, b[6];
    for (size_t y = 0; y < yres; ++y)
        for (size_t x = 0; x < xres; ++x) {
            basis(((double)x - hx) / hx, ((double)y - hy) / hy, np, b);
            double zz = z[y * xres + x];
            for (int i = 0; i < np; ++i) {
                atz[i] += b[i] * zz;
                for (int j = 0; j < np; ++j)
                    ata[i * np + j] += b[i] * b[j];
            }
        }
    gsl_matrix_view a = gsl_matrix_view_array(ata, (size_t)np, (size_t)np);
    gsl_vector_view rhs = gsl_vector_view_array(atz, (size_t)np);
    double vbuf[36], sbuf[6], wbuf[6], cbuf[6];
    gsl_matrix_view v = gsl_matrix_view_array(vbuf, (size_t)np, (size_t)np);
    gsl_vector_view s = gsl_vector_view_array(sbuf, (size_t)np);
    gsl_vector_view w = gsl_vector_view_array(wbuf, (size_t)np);
    gsl_vector_view coef = gsl_vector_view_array(cbuf, (size_t)np);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int grc = gsl_linalg_SV_decomp(&a.matrix, &v.matrix, &s.vector, &w.vector);
    if (!grc) {
        for (int i = 0; i < np; ++i) /* drop directions the grid cannot resolve */
            if (sbuf[i] <= 1e-10 * sbuf[0])
                sbuf[i] = 0.0;
        grc = gsl_linalg_SV_solve(&a.matrix, &v.matrix, &s.vector, &rhs.vector, &coef.vector);
    }
    gsl_set_error_handler(old);
    if (grc)
        return mn_error_set(err, MN_ENUMERIC, "form removal: least-squares fit failed");
    for (size_t y = 0; y < yres; ++y)
        for (size_t x = 0; x < xres; ++x) {
            basis(((double)x - hx) / hx, ((double)y - hy) / hy, np, b);
            double f = 0.0;
            for (int i = 0; i < np; ++i)
                f += cbuf[i] * b[i];
            z[y * xres + x] -= f;
        }
    return MN_OK;
}
