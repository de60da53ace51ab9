/* Binary-image helpers for the wrinkle detector: Otsu's threshold and Zhang-Suen thinning. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure/measure_impl.h"

/* Otsu (1979): the threshold that maximises the between-class variance of a 256-bin histogram
 * spanning [0, max v]. */
double mn__otsu(const double *v, size_t n)
{
    double vmax = 0.0;
    for (size_t i = 0; i < n; ++i)
        vmax = fmax(vmax, v[i]);
    if (!(vmax > 0))
        return 0.0;
    double hist[256] = {0};
    for (size_t i = 0; i < n; ++i) {
        int b = (int)(v[i] / vmax * 255.0);
        hist[b < 0 ? 0 : b > 255 ? 255 : b] += 1.0;
    }
    double total = (double)n, sum = 0.0;
    for (int b = 0; b < 256; ++b)
        sum += b * hist[b];
    double w0 = 0.0, sum0 = 0.0, best = -1.0;
    int tbest = 0;
    for (int t = 0; t < 255; ++t) {
        w0 += hist[t];
        sum0 += t * hist[t];
        double w1 = total - w0;
        if (w0 <= 0 || w1 <= 0)
            continue;
        double mu0 = sum0 / w0, mu1 = (sum - sum0) / w1;
        double between = w0 * w1 * (mu0 - mu1) * (mu0 - mu1);
        if (between > best) {
            best = between;
            tbest = t;
        }
    }
    return (tbest + 1) / 256.0 * vmax; /* upper edge of the last background bin */
}

/* Zhang & Suen (1984), "A fast parallel algorithm for thinning digital patterns", with the
 * correction of Lu & Wang (1986) (3 <= B(P) instead of 2) that keeps two-pixel-thick diagonal
 * lines from vanishing; pixels outside the image count as background. */
void mn__thin(unsigned char *img, size_t xres, size_t yres)
{
    unsigned char *del = calloc(xres * yres, 1);
    if (!del)
        return;
    int changed = 1;
    while (changed) {
        changed = 0;
        for (int step = 0; step < 2; ++step) {
            size_t ndel = 0;
            for (size_t y = 0; y < yres; ++y)
                for (size_t x = 0; x < xres; ++x) {
                    if (!img[y * xres + x])
                        continue;
                    /* P2..P9 clockwise from north */
                    static const int ox[8] = {0, 1, 1, 1, 0, -1, -1, -1};
                    static const int oy[8] = {-1, -1, 0, 1, 1, 1, 0, -1};
                    int p[8];
                    for (int k = 0; k < 8; ++k) {
                        long xx = (long)x + ox[k], yy = (long)y + oy[k];
                        p[k] = xx >= 0 && yy >= 0 && xx < (long)xres && yy < (long)yres &&
                               img[(size_t)yy * xres + (size_t)xx];
                    }
                    int b = 0, a = 0;
                    for (int k = 0; k < 8; ++k) {
                        b += p[k];
                        a += !p[k] && p[(k + 1) % 8];
                    }
                    if (b < 3 || b > 6 || a != 1)
                        continue;
                    if (step == 0 ? (p[0] && p[2] && p[4]) || (p[2] && p[4] && p[6])
                                  : (p[0] && p[2] && p[6]) || (p[0] && p[4] && p[6]))
                        continue;
                    del[y * xres + x] = 1;
                    ++ndel;
                }
            if (ndel) {
                changed = 1;
                for (size_t i = 0; i < xres * yres; ++i)
                    if (del[i]) {
                        img[i] = 0;
                        del[i] = 0;
                    }
            }
        }
    }
    free(del);
}

/* Removes staircase corners left by thinning, so the skeleton is a minimal 8-connected path:
 * a pixel goes when two of its 4-neighbours are diagonal neighbours of each other (N and E,
 * ...) and its other neighbours stay connected without it. */
void mn__prune_corners(unsigned char *img, size_t xres, size_t yres)
{
    static const int ox[8] = {0, 1, 1, 1, 0, -1, -1, -1};
    static const int oy[8] = {-1, -1, 0, 1, 1, 1, 0, -1};
    for (size_t y = 0; y < yres; ++y)
        for (size_t x = 0; x < xres; ++x) {
            if (!img[y * xres + x])
                continue;
            int p[8], n = 0;
            for (int k = 0; k < 8; ++k) {
                long xx = (long)x + ox[k], yy = (long)y + oy[k];
                p[k] = xx >= 0 && yy >= 0 && xx < (long)xres && yy < (long)yres &&
                       img[(size_t)yy * xres + (size_t)xx];
                n += p[k];
            }
            int corner = (p[0] && p[2]) || (p[2] && p[4]) || (p[4] && p[6]) || (p[6] && p[0]);
            if (n < 2 || !corner)
                continue;
            /* components of the neighbour ring: ring neighbours touch, and so do two
             * 4-neighbours a quarter turn apart */
            int lab[8], nc = 0;
            for (int k = 0; k < 8; ++k)
                lab[k] = p[k] ? k : -1;
            for (int it = 0; it < 8; ++it)
                for (int k = 0; k < 8; ++k) {
                    if (lab[k] < 0)
                        continue;
                    int a = (k + 1) % 8, b = (k + 2) % 8;
                    if (lab[a] >= 0 && lab[a] != lab[k])
                        lab[a] = lab[k] = lab[a] < lab[k] ? lab[a] : lab[k];
                    if (k % 2 == 0 && lab[b] >= 0 && lab[b] != lab[k])
                        lab[b] = lab[k] = lab[b] < lab[k] ? lab[b] : lab[k];
                }
            for (int k = 0; k < 8; ++k)
                nc += lab[k] == k;
            if (nc == 1)
                img[y * xres + x] = 0;
        }
}
