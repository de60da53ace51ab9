#include "mnsim/rng.h"

#include <math.h>

#include "core/mn_math.h"

uint64_t mn_rng_hash(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

void mn_rng_init(mn_rng *r, uint64_t seed, uint64_t stream)
{
    r->key = mn_rng_hash(mn_rng_hash(seed) ^ (stream * 0xd1b54a32d192ed03ULL));
    r->counter = 0;
}

uint64_t mn_rng_u64(mn_rng *r)
{
    return mn_rng_hash(r->key ^ mn_rng_hash(r->counter++));
}

double mn_rng_uniform(mn_rng *r)
{
    return (double)(mn_rng_u64(r) >> 11) * 0x1.0p-53;
}

double mn_rng_normal(mn_rng *r)
{
    double u1 = mn_rng_uniform(r), u2 = mn_rng_uniform(r);
    return sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * MN_PI * u2);
}
