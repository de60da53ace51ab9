/* Counter-based random numbers: the value for (seed, stream, counter) is a pure function, so
 * every puncture, wrinkle or patient draws from its own reproducible stream whatever the order
 * or the number of threads and processes. SplitMix64 finaliser (Steele, Lea & Flood 2014,
 * "Fast splittable pseudorandom number generators", OOPSLA) applied to a mixed key. */
#ifndef MNSIM_RNG_H
#define MNSIM_RNG_H

#include "mnsim/export.h"

#include <stdint.h>

typedef struct mn_rng {
    uint64_t key;     /* from seed and stream */
    uint64_t counter; /* next draw */
} mn_rng;

MN_EXPORT uint64_t mn_rng_hash(uint64_t x);
MN_EXPORT void mn_rng_init(mn_rng *r, uint64_t seed, uint64_t stream);
MN_EXPORT uint64_t mn_rng_u64(mn_rng *r);
/* Uniform in [0, 1) with 53 random bits. */
MN_EXPORT double mn_rng_uniform(mn_rng *r);
/* Standard normal (Box–Muller; consumes two draws). */
MN_EXPORT double mn_rng_normal(mn_rng *r);

#endif
