/* The x–y pass of the LOD solver (lod.h): per plane, the cyclic x lines, then the cyclic y
 * lines, in place. */
#include "patch3d/lod_impl.h"

/* Forward elimination of the cyclic y-lines over rows ya … yb − 1 and columns xa … xb − 1 of
 * a plane P[ny][nx], vectorised over x, summing each column's y0 in f (lod.h). Run on each
 * block of rows as soon as the x sweep has solved it, while the block is still in cache. */
static inline __attribute__((always_inline)) void y_fwd(const mn__lod_cyclic *c, int nx, int ya,
                                                        int yb, int xa, int xb, float *P, float *f)
{
    for (int y = ya; y < yb; ++y) {
        float *row = P + (size_t)y * nx;
        if (y == 0) {
            const float inv = c->inv[0];
            MN_SIMD
            for (int x = xa; x < xb; ++x)
                f[x] = row[x] = row[x] * inv;
            continue;
        }
        const float *prev = row - nx;
        const float inv = c->inv[y], ri = c->ri[y], wy = c->w[y];
        MN_SIMD
        for (int x = xa; x < xb; ++x) {
            row[x] = ri * prev[x] + row[x] * inv;
            f[x] = wy * row[x] + f[x];
        }
    }
}

/* The corrected back substitution of the y-lines (lod.h), from the last row up, columns
 * xa … xb − 1. */
static inline __attribute__((always_inline)) void y_back(const mn__lod_cyclic *c, int ny, int nx,
                                                         int xa, int xb, float *P, float *f)
{
    const float q = c->q, s = c->s;
    float *last = P + (size_t)(ny - 1) * nx;
    {
        const float z = c->zf[ny - 1];
        MN_SIMD
        for (int x = xa; x < xb; ++x) {
            f[x] = (f[x] + q * last[x]) * s;
            last[x] = last[x] - f[x] * z;
        }
    }
    for (int y = ny - 2; y >= 0; --y) {
        float *row = P + (size_t)y * nx;
        const float *next = row + nx;
        const float cp = c->cp[y], z = c->zf[y];
        MN_SIMD
        for (int x = xa; x < xb; ++x)
            row[x] = (row[x] - f[x] * z) - cp * next[x];
    }
}

#if defined(__GNUC__) && !defined(__clang__)
#define MN_LOD_SHUFFLE 1
typedef float v8f __attribute__((vector_size(32)));
typedef int v8i __attribute__((vector_size(32)));

/* 8 × 8 transpose in registers: out[j][i] = in[i][j] (unpack, 64-bit shuffle, 128-bit lane
 * swap; the standard AVX sequence, written with GCC's generic shuffles). */
static inline __attribute__((always_inline)) void tr8(const v8f in[8], v8f out[8])
{
    const v8i lo = {0, 8, 1, 9, 4, 12, 5, 13}, hi = {2, 10, 3, 11, 6, 14, 7, 15};
    const v8i lo2 = {0, 1, 8, 9, 4, 5, 12, 13}, hi2 = {2, 3, 10, 11, 6, 7, 14, 15};
    const v8i lo4 = {0, 1, 2, 3, 8, 9, 10, 11}, hi4 = {4, 5, 6, 7, 12, 13, 14, 15};
    v8f t[8], u[8];
    _Pragma("GCC unroll 8") for (int i = 0; i < 8; i += 2)
    {
        t[i] = __builtin_shuffle(in[i], in[i + 1], lo);
        t[i + 1] = __builtin_shuffle(in[i], in[i + 1], hi);
    }
    _Pragma("GCC unroll 8") for (int i = 0; i < 8; i += 4)
    {
        u[i] = __builtin_shuffle(t[i], t[i + 2], lo2);
        u[i + 1] = __builtin_shuffle(t[i], t[i + 2], hi2);
        u[i + 2] = __builtin_shuffle(t[i + 1], t[i + 3], lo2);
        u[i + 3] = __builtin_shuffle(t[i + 1], t[i + 3], hi2);
    }
    _Pragma("GCC unroll 8") for (int j = 0; j < 4; ++j)
    {
        out[j] = __builtin_shuffle(u[j], u[j + 4], lo4);
        out[j + 4] = __builtin_shuffle(u[j], u[j + 4], hi4);
    }
}

#endif

/* Without GCC's vector shuffles (clang): recurrences of one block of w ≤ XB rows (w a multiple of 8
 * or XB itself, so the compiler unrolls a full block into independent SIMD chains that hide the
 * latency of each). */
static inline __attribute__((always_inline)) void x_block(const mn__lod_cyclic *c, int nx, int w,
                                                          const float *const *rows, int nb,
                                                          float *P0, float *T)
{
    const float q = c->q, s = c->s;
    float f[XB];
    {
        const float inv = c->inv[0];
        for (int b = 0; b < w; ++b)
            f[b] = T[b] = (b < nb ? rows[b][0] : 0.0f) * inv;
    }
    for (int x = 1; x < nx; ++x) {
        float *t = T + x * XB;
        const float *tp = t - XB;
        const float inv = c->inv[x], ri = c->ri[x], wx = c->w[x];
        float in[XB];
        for (int b = 0; b < w; ++b)
            in[b] = b < nb ? rows[b][x] : 0.0f;
        MN_SIMD
        for (int b = 0; b < w; ++b) {
            t[b] = ri * tp[b] + in[b] * inv;
            f[b] = wx * t[b] + f[b];
        }
    }
    const float *last = T + (nx - 1) * XB;
    MN_SIMD
    for (int b = 0; b < w; ++b)
        f[b] = (f[b] + q * last[b]) * s;
    for (int x = nx - 1; x >= 0; --x) {
        float *t = T + x * XB;
        const float *tn = t + XB;
        const float cp = c->cp[x], z = c->zf[x];
        if (x == nx - 1) {
            MN_SIMD
            for (int b = 0; b < w; ++b)
                t[b] = t[b] - f[b] * z;
        } else {
            MN_SIMD
            for (int b = 0; b < w; ++b)
                t[b] = (t[b] - f[b] * z) - cp * tn[b];
        }
        for (int b = 0; b < nb; ++b)
            P0[(size_t)b * nx + x] = t[b];
    }
}

#ifdef MN_LOD_SHUFFLE
#define ld8(p)                                                                                     \
    __extension__({                                                                                \
        v8f v_;                                                                                    \
        memcpy(&v_, (p), sizeof v_);                                                               \
        v_;                                                                                        \
    })
#define st8(p, v)                                                                                  \
    __extension__({                                                                                \
        v8f w_ = (v);                                                                              \
        memcpy((p), &w_, sizeof w_);                                                               \
    })
#define splat(a)                                                                                   \
    __extension__({                                                                                \
        float a_ = (a);                                                                            \
        (v8f){a_, a_, a_, a_, a_, a_, a_, a_};                                                     \
    })

/* The y sweep on G registers of 8 columns at a time, the previous row and the sums f kept in
 * registers down the rows (G independent recurrence chains; the loops above store and reload
 * f every row). The same operations per element as y_fwd, y_back. */
static inline __attribute__((always_inline)) void y_fwd_g(const mn__lod_cyclic *c, int nx, int ya,
                                                          int yb, int x0, int G, float *P, float *f)
{
    v8f v[4], s[4];
    int y = ya;
    if (y == 0) {
        const v8f inv = splat(c->inv[0]);
        _Pragma("GCC unroll 4") for (int g = 0; g < G; ++g)
        {
            v[g] = ld8(P + x0 + 8 * g) * inv;
            s[g] = v[g];
            st8(P + x0 + 8 * g, v[g]);
        }
        ++y;
    } else {
        _Pragma("GCC unroll 4") for (int g = 0; g < G; ++g)
        {
            v[g] = ld8(P + (size_t)(y - 1) * nx + x0 + 8 * g);
            s[g] = ld8(f + x0 + 8 * g);
        }
    }
    for (; y < yb; ++y) {
        float *row = P + (size_t)y * nx + x0;
        const v8f inv = splat(c->inv[y]), ri = splat(c->ri[y]), wy = splat(c->w[y]);
        _Pragma("GCC unroll 4") for (int g = 0; g < G; ++g)
        {
            v[g] = ri * v[g] + ld8(row + 8 * g) * inv;
            s[g] = wy * v[g] + s[g];
            st8(row + 8 * g, v[g]);
        }
    }
    _Pragma("GCC unroll 4") for (int g = 0; g < G; ++g) st8(f + x0 + 8 * g, s[g]);
}

static inline __attribute__((always_inline)) void y_back_g(const mn__lod_cyclic *c, int ny, int nx,
                                                           int x0, int G, float *P, float *f)
{
    v8f v[4], fr[4];
    {
        float *last = P + (size_t)(ny - 1) * nx + x0;
        const v8f q = splat(c->q), s = splat(c->s), z = splat(c->zf[ny - 1]);
        _Pragma("GCC unroll 4") for (int g = 0; g < G; ++g)
        {
            fr[g] = (ld8(f + x0 + 8 * g) + q * ld8(last + 8 * g)) * s;
            v[g] = ld8(last + 8 * g) - fr[g] * z;
            st8(last + 8 * g, v[g]);
        }
    }
    for (int y = ny - 2; y >= 0; --y) {
        float *row = P + (size_t)y * nx + x0;
        const v8f cp = splat(c->cp[y]), z = splat(c->zf[y]);
        _Pragma("GCC unroll 4") for (int g = 0; g < G; ++g)
        {
            v[g] = (ld8(row + 8 * g) - fr[g] * z) - cp * v[g];
            st8(row + 8 * g, v[g]);
        }
    }
}

/* The same on one register of 4 columns (the right edge of a plane nx ≡ 4…7 mod 8 wide, which
 * the scalar loops above would leave to run element by element). */
typedef float v4f __attribute__((vector_size(16)));
#define ld4(p)                                                                                     \
    __extension__({                                                                                \
        v4f v_;                                                                                    \
        memcpy(&v_, (p), sizeof v_);                                                               \
        v_;                                                                                        \
    })
#define st4(p, v)                                                                                  \
    __extension__({                                                                                \
        v4f w_ = (v);                                                                              \
        memcpy((p), &w_, sizeof w_);                                                               \
    })
#define splat4(a)                                                                                  \
    __extension__({                                                                                \
        float a_ = (a);                                                                            \
        (v4f){a_, a_, a_, a_};                                                                     \
    })

static inline __attribute__((always_inline)) void y_fwd_4(const mn__lod_cyclic *c, int nx, int ya,
                                                          int yb, int x0, float *P, float *f)
{
    v4f v, s;
    int y = ya;
    if (y == 0) {
        v = ld4(P + x0) * splat4(c->inv[0]);
        s = v;
        st4(P + x0, v);
        ++y;
    } else {
        v = ld4(P + (size_t)(y - 1) * nx + x0);
        s = ld4(f + x0);
    }
    for (; y < yb; ++y) {
        float *row = P + (size_t)y * nx + x0;
        v = splat4(c->ri[y]) * v + ld4(row) * splat4(c->inv[y]);
        s = splat4(c->w[y]) * v + s;
        st4(row, v);
    }
    st4(f + x0, s);
}

static inline __attribute__((always_inline)) void y_back_4(const mn__lod_cyclic *c, int ny, int nx,
                                                           int x0, float *P, float *f)
{
    float *last = P + (size_t)(ny - 1) * nx + x0;
    const v4f fr = (ld4(f + x0) + splat4(c->q) * ld4(last)) * splat4(c->s);
    v4f v = ld4(last) - fr * splat4(c->zf[ny - 1]);
    st4(last, v);
    for (int y = ny - 2; y >= 0; --y) {
        float *row = P + (size_t)y * nx + x0;
        v = (ld4(row) - fr * splat4(c->zf[y])) - splat4(c->cp[y]) * v;
        st4(row, v);
    }
}

/* Rows ya … yb − 1 (forward) or the whole plane (back, ya < 0) of the y sweep: groups of 32
 * columns, then of 8, then 4, then the last nx mod 4 columns by the loops above. */
static inline __attribute__((always_inline)) void y_pass(const mn__lod_cyclic *c, int ny, int nx,
                                                         int ya, int yb, float *P, float *f)
{
    int x0 = 0;
    for (; x0 + 32 <= nx; x0 += 32)
        ya < 0 ? y_back_g(c, ny, nx, x0, 4, P, f) : y_fwd_g(c, nx, ya, yb, x0, 4, P, f);
    for (; x0 + 8 <= nx; x0 += 8)
        ya < 0 ? y_back_g(c, ny, nx, x0, 1, P, f) : y_fwd_g(c, nx, ya, yb, x0, 1, P, f);
    if (x0 + 4 <= nx) {
        ya < 0 ? y_back_4(c, ny, nx, x0, P, f) : y_fwd_4(c, nx, ya, yb, x0, P, f);
        x0 += 4;
    }
    if (x0 < nx) {
        if (ya < 0)
            y_back(c, ny, nx, x0, nx, P, f);
        else
            y_fwd(c, nx, ya, yb, x0, nx, P, f);
    }
}

/* Solves the nb cyclic x-lines of a block of rows P[nb][nx] in place through its transpose
 * T[nx][L] (L = nb rounded up to 8; the lanes past nb repeat the last row and are never
 * stored): the lines are solved as columns of T, vectorised over all rows at once (L/8
 * independent SIMD chains). Each 8 × 8 tile of P is transposed in registers and eliminated
 * forward before it is stored into T, adding its share of the first unknown y0 (Σ w·d, one
 * sum per row kept in the L floats after T); the back substitution, corrected (lod.h), runs
 * from the right tile by tile in registers, and each tile is transposed back and stored into
 * P. Strips narrower than 8 columns (the right edge) go through T element by element. */
static inline __attribute__((always_inline)) void
x_rows(const mn__lod_cyclic *c, int nb, int nx, float *P, float *T, const char *pf, size_t pf_bytes)
{
    const int strips = (nx + 7) / 8;
    const size_t pf_step = (pf_bytes / 64 + (size_t)strips - 1) / (size_t)strips * 64;
    const int L = (nb + 7) & ~7;
    const float q = c->q, s = c->s;
    /* Local copies: the stores through T would otherwise make the compiler reload them. */
    const float *const cinv = c->inv, *const cri = c->ri, *const cw = c->w, *const ccp = c->cp,
                       *const czf = c->zf;
    /* Σ w·d, then the correction factor, per row; past the tiles */
    float *f = T + (size_t)((nx + 7) & ~7) * L;
    /* From 8 columns on, T is kept tile by tile (8 rows × 8 columns, a column's 8 floats
     * together): one pointer reaches all of a tile at constant offsets, so the tile loop needs
     * no pointer per column. */
#define TT(x0, r0, j) (T + (size_t)(x0)*L + 8 * (size_t)(r0) + 8 * (j))
    for (int x0 = 0; x0 < nx; x0 += 8) {
        const int w = nx - x0 < 8 ? nx - x0 : 8;
        if (pf) {
            const size_t b0 = (size_t)(x0 / 8) * pf_step;
            for (size_t b = b0; b < b0 + pf_step && b < pf_bytes; b += 64)
                __builtin_prefetch(pf + b, 1, 3);
        }
        if (w == 8) {
            for (int r0 = 0; r0 < L; r0 += 8) {
                /* as in the back substitution below */
                const float *rc = cri + x0, *ic = cinv + x0, *wc = cw + x0;
                __asm__("" : "+r"(rc), "+r"(ic), "+r"(wc));
                v8f in[8], out[8];
                if (r0 + 8 <= nb) { /* rows at a stride kept in a register (no per-row clamp) */
                    const float *pr = P + (size_t)r0 * nx + x0;
                    size_t sn = (size_t)nx;
                    __asm__("" : "+r"(pr), "+r"(sn));
                    _Pragma("GCC unroll 8") for (int i = 0; i < 8; ++i) in[i] = ld8(pr + i * sn);
                } else {
                    _Pragma("GCC unroll 8") for (int i = 0; i < 8; ++i) in[i] =
                        ld8(P + (size_t)(r0 + i < nb ? r0 + i : nb - 1) * nx + x0);
                }
                tr8(in, out);
                /* d = ri·d_prev + in·inv: one fused step on the recurrence's path */
                v8f v = x0 == 0 ? splat(0.0f) : ld8(TT(x0 - 8, r0, 7));
                v8f y0 = x0 == 0 ? splat(0.0f) : ld8(f + r0);
                _Pragma("GCC unroll 8") for (int j = 0; j < 8; ++j)
                {
                    v = splat(rc[j]) * v + out[j] * splat(ic[j]);
                    y0 = splat(wc[j]) * v + y0;
                    st8(TT(x0, r0, j), v);
                }
                st8(f + r0, y0);
            }
            continue;
        }
        if (nx >= 8) { /* the right edge: the last 8 columns loaded, the w new ones used */
            const int sh = 8 - w;
            for (int r0 = 0; r0 < L; r0 += 8) {
                v8f in[8], out[8];
                _Pragma("GCC unroll 8") for (int i = 0; i < 8; ++i) in[i] =
                    ld8(P + (size_t)(r0 + i < nb ? r0 + i : nb - 1) * nx + nx - 8);
                tr8(in, out);
                v8f v = ld8(TT(x0 - 8, r0, 7)), y0 = ld8(f + r0);
                for (int j = 0; j < w; ++j) {
                    v = splat(cri[x0 + j]) * v + out[sh + j] * splat(cinv[x0 + j]);
                    y0 = splat(cw[x0 + j]) * v + y0;
                    st8(TT(x0, r0, j), v);
                }
                st8(f + r0, y0);
            }
            continue;
        }
        for (int y = 0; y < L; ++y)
            for (int j = 0; j < w; ++j)
                T[(size_t)(x0 + j) * L + y] = P[(size_t)(y < nb ? y : nb - 1) * nx + x0 + j];
        for (int x = x0; x < x0 + w; ++x) {
            float *t = T + (size_t)x * L;
            const float inv = cinv[x], ri = cri[x], wx = cw[x];
            if (x == 0) {
                MN_SIMD
                for (int y = 0; y < L; ++y)
                    f[y] = t[y] = t[y] * inv;
                continue;
            }
            const float *tp = t - L;
            MN_SIMD
            for (int y = 0; y < L; ++y) {
                t[y] = ri * tp[y] + t[y] * inv;
                f[y] = wx * t[y] + f[y];
            }
        }
    }
    if (nx >= 8) {
        const int xl = (nx - 1) / 8 * 8;
        for (int r0 = 0; r0 < L; r0 += 8)
            st8(f + r0, (ld8(f + r0) + splat(q) * ld8(TT(xl, r0, nx - 1 - xl))) * splat(s));
    } else {
        const float *last = T + (size_t)(nx - 1) * L;
        MN_SIMD
        for (int y = 0; y < L; ++y)
            f[y] = (f[y] + q * last[y]) * s;
    }
    for (int x0 = (nx - 1) / 8 * 8; x0 >= 0; x0 -= 8) {
        const int w = nx - x0 < 8 ? nx - x0 : 8;
        if (w == 8) {
            for (int r0 = 0; r0 < L; r0 += 8) {
                /* one base register each, the coefficients at constant offsets (the empty asm
                 * keeps the compiler from hoisting a pointer per coefficient out of the loop) */
                const float *zc = czf + x0, *cc = ccp + x0;
                __asm__("" : "+r"(zc), "+r"(cc));
                v8f in[8], out[8];
                const v8f fr = ld8(f + r0);
                /* x = (d − f·zf) − cp·x_next; past the last column x_next = 0 (exact) */
                v8f v = x0 + 8 < nx ? ld8(TT(x0 + 8, r0, 0)) : splat(0.0f);
                _Pragma("GCC unroll 8") for (int j = 7; j >= 0; --j)
                {
                    v = (ld8(TT(x0, r0, j)) - fr * splat(zc[j])) - splat(cc[j]) * v;
                    in[j] = v;
                }
                st8(TT(x0, r0, 0), v);
                tr8(in, out);
                const int m = nb - r0 < 8 ? nb - r0 : 8;
                /* unrolled with constant indices in both cases, so that out[] stays in
                 * registers */
                float *pr = P + (size_t)r0 * nx + x0;
                size_t sn = (size_t)nx;
                __asm__("" : "+r"(pr), "+r"(sn));
                if (m == 8) {
                    _Pragma("GCC unroll 8") for (int i = 0; i < 8; ++i) st8(pr + i * sn, out[i]);
                } else {
                    _Pragma("GCC unroll 8") for (int i = 0; i < 8; ++i) if (i < m)
                        st8(pr + i * sn, out[i]);
                }
            }
            continue;
        }
        if (nx >= 8) { /* the right edge, as above: the 8 − w columns before it stored unchanged */
            const int sh = 8 - w;
            const v8i lane = {0, 1, 2, 3, 4, 5, 6, 7};
            const v8i mine = lane >= (v8i){sh, sh, sh, sh, sh, sh, sh, sh};
            for (int r0 = 0; r0 < L; r0 += 8) {
                v8f in[8], out[8];
                const v8f fr = ld8(f + r0);
                v8f v = splat(0.0f);
                for (int j = 0; j < sh; ++j)
                    in[j] = v;
                for (int j = w - 1; j >= 0; --j) {
                    v = (ld8(TT(x0, r0, j)) - fr * splat(czf[x0 + j])) - splat(ccp[x0 + j]) * v;
                    in[sh + j] = v;
                }
                st8(TT(x0, r0, 0), v);
                tr8(in, out);
                const int m = nb - r0 < 8 ? nb - r0 : 8;
                for (int i = 0; i < m; ++i) {
                    float *row = P + (size_t)(r0 + i) * nx + nx - 8;
                    st8(row, (v8f)((mine & (v8i)out[i]) | (~mine & (v8i)ld8(row))));
                }
            }
            continue;
        }
        for (int x = x0 + w - 1; x >= x0; --x) {
            float *t = T + (size_t)x * L;
            const float z = czf[x], cp = ccp[x];
            if (x == nx - 1) {
                MN_SIMD
                for (int y = 0; y < L; ++y)
                    t[y] = t[y] - f[y] * z;
                continue;
            }
            const float *tn = t + L;
            MN_SIMD
            for (int y = 0; y < L; ++y)
                t[y] = (t[y] - f[y] * z) - cp * tn[y];
        }
        for (int y = 0; y < nb; ++y)
            for (int j = 0; j < w; ++j)
                P[(size_t)y * nx + x0 + j] = T[(size_t)(x0 + j) * L + y];
    }
}

#undef TT

/* Blocks of up to XR rows (all of a default plane): enough independent vectors per step to
 * keep the recurrences throughput-bound, and at most XT bytes of rows, so that the block, its
 * transpose and the next block being prefetched stay in L2 together. */
MN_CLONES static void cyclic_solve_xy(const mn__lod_cyclic *c, const mn__lod_cyclic *cy, int ny,
                                      int nx, float *P, float *T, const float *next)
{
    int xr = (int)(XT / ((size_t)nx * sizeof(float))) & ~7;
    xr = xr < 8 ? 8 : xr > XR ? XR : xr;
    const int L = (ny < xr ? ny : xr) + 7;
    /* past the transposed block and its sums */
    float *fy = T + ((size_t)((nx + 7) & ~7) + 1) * (size_t)L;
    for (int y0 = 0; y0 < ny; y0 += xr) {
        const float *pf = y0 + xr < ny ? P + (size_t)(y0 + xr) * nx : next;
        const int pf_rows = y0 + xr < ny ? ny - y0 - xr : ny;
        const int nb = ny - y0 < xr ? ny - y0 : xr;
        if (c->r > 0)
            x_rows(c, nb, nx, P + (size_t)y0 * nx, T, (const char *)pf,
                   (size_t)(pf_rows < xr ? pf_rows : xr) * (size_t)nx * sizeof(float));
        if (cy->r > 0) /* the block just solved in x is still in cache */
            y_pass(cy, ny, nx, y0, y0 + nb, P, fy);
    }
    if (cy->r > 0)
        y_pass(cy, ny, nx, -1, 0, P, fy);
}
#else
/* Solves the ny cyclic x-lines of a plane P[ny][nx] in place. Blocks of XB rows run their
 * recurrences along x on XB lanes at once in T[nx][XB]: the transpose into T is fused with the
 * forward elimination (which also sums the first unknown for the periodic correction) and the
 * transpose back with the corrected back substitution, so a block is read and written once and
 * T is swept twice. The last, partial block runs on as many lanes as it needs, rounded up to 8. */
MN_CLONES static void cyclic_solve_x(const mn__lod_cyclic *c, int ny, int nx, float *P, float *T)
{
    for (int y0 = 0; y0 < ny; y0 += XB) {
        const int nb = ny - y0 < XB ? ny - y0 : XB;
        const float *rows[XB];
        for (int b = 0; b < XB; ++b)
            rows[b] = P + (size_t)(y0 + (b < nb ? b : 0)) * nx;
        if (nb == XB)
            x_block(c, nx, XB, rows, XB, P + (size_t)y0 * nx, T);
        else
            x_block(c, nx, (nb + 7) & ~7, rows, nb, P + (size_t)y0 * nx, T);
    }
}

/* Without the register transposes: the x sweep, then the y sweep over the whole plane. */
MN_CLONES static void cyclic_solve_xy(const mn__lod_cyclic *c, const mn__lod_cyclic *cy, int ny,
                                      int nx, float *P, float *T, const float *next)
{
    (void)next;
    if (c->r > 0)
        cyclic_solve_x(c, ny, nx, P, T);
    if (cy->r > 0) {
        y_fwd(cy, nx, 0, ny, 0, nx, P, T);
        y_back(cy, ny, nx, 0, nx, P, T);
    }
}
#endif

/* The x–y pass: planes shared out statically among the threads of the enclosing parallel
 * region (orphaned work-sharing: serial outside one). */
void mn__lod_xy_planes(mn__lod *l, const mn__lod_op *op, float *u)
{
    const int nx = l->g.nx, ny = l->g.ny, nz = l->g.nz;
    const size_t plane = (size_t)nx * ny;
    /* a block transposed, its sums, nx floats */
    float *S = (float *)l->scratch[mn__lod_thread_id()];
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (int k = 0; k < nz; ++k) {
        const mn__lod_cyclic *cx = &op->xk[k], *cy = &op->yk[k];
        float *uk = u + (size_t)k * plane;
        if (cx->r > 0 || cy->r > 0)
            cyclic_solve_xy(cx, cy, ny, nx, uk, S, k + 1 < nz ? uk + plane : NULL);
    }
}

void mn__lod_sweep_xy(mn__lod *l, const mn__lod_op *op, float *u)
{
#ifdef _OPENMP
#pragma omp parallel if (MN_LOD_PARALLEL(l))
#endif
    mn__lod_xy_planes(l, op, u);
}
