/* Small numeric helpers shared by the modules (private). */
#ifndef MN_MATH_H
#define MN_MATH_H

#define MN_PI 3.14159265358979323846

static inline double mn__clamp(double x, double lo, double hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

static inline double mn__pos(double x)
{
    return x > 0 ? x : 0;
}

#endif
