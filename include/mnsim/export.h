/* MN_EXPORT marks the public API: libmnsim.so is built with -fvisibility=hidden, so only the
 * functions and variables declared with MN_EXPORT in include/mnsim/ are in its dynamic symbol
 * table (tests/check_exports.py checks that each declaration is, and nothing else). */
#ifndef MNSIM_EXPORT_H
#define MNSIM_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define MN_EXPORT __attribute__((visibility("default")))
#else
#define MN_EXPORT
#endif

#endif
