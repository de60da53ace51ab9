/* Shared helpers for the cmocka tests. */
#ifndef MN_TESTUTIL_H
#define MN_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mnsim/field.h"

/* Creates a fresh temporary directory; returns its path (static storage per call site). */
const char *mn_test_tmpdir(char *buf, size_t size);
/* Writes text to dir/name and returns the full path in buf. */
const char *mn_test_write(char *buf, size_t size, const char *dir, const char *name,
                          const char *text);
/* Runs a shell command; returns its exit status (0..255) and captures stderr+stdout into out. */
int mn_test_run(const char *command, char *out, size_t out_size);
/* Reads a whole file into a malloc'd buffer (NUL-terminated); NULL on error. */
char *mn_test_read(const char *path, size_t *size);
/* Removes a directory tree (best effort). */
void mn_test_rmtree(const char *path);
/* Calls each(path, name, user) for every file of the fuzz corpus fuzz/corpus/<sub> of the
 * source tree (names starting with '.' skipped); fails the test when the directory is missing
 * or empty. */
void mn_test_corpus_each(const char *sub,
                         void (*each)(const char *path, const char *name, void *user), void *user);

/* Asserts that read (mn_field_read_gsf_memory or a sibling) refuses the n bytes at b, read as
 * `name`, with code and a message that starts with name and contains needle, leaving no field. */
typedef int (*mn_test_field_reader)(const void *data, size_t size, const char *name, mn_field **out,
                                    mn_error *err);
void mn_test_field_refused(mn_test_field_reader read, const void *b, size_t n, const char *name,
                           int code, const char *needle);

#ifdef MNSIM_HAVE_JPEG
/* A w x h baseline JPEG (quality 95) of one R'G'B' colour, malloc'd by libjpeg (free it). */
unsigned char *mn_test_jpeg_rgb(unsigned w, unsigned h, const unsigned char rgb[3],
                                unsigned long *size);
#endif

/* Relative closeness: |a-b| <= tol*max(|a|,|b|,tiny). */
#define assert_close(a, b, tol)                                                                    \
    do {                                                                                           \
        double mn__a = (a), mn__b = (b);                                                           \
        double mn__s = fmax(fmax(fabs(mn__a), fabs(mn__b)), 1e-300);                               \
        if (!(fabs(mn__a - mn__b) <= (tol)*mn__s))                                                 \
            fail_msg("%s = %.10g, %s = %.10g: not within %g relative", #a, mn__a, #b, mn__b,       \
                     (double)(tol));                                                               \
    } while (0)

#define assert_true_msg(cond, ...)                                                                 \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fail_msg(__VA_ARGS__);                                                                 \
    } while (0)

#define assert_int_equal_msg(a, b, msg)                                                            \
    do {                                                                                           \
        long long mn__x = (long long)(a), mn__y = (long long)(b);                                  \
        if (mn__x != mn__y)                                                                        \
            fail_msg("%s = %lld, expected %lld: %s", #a, mn__x, mn__y, (msg));                     \
    } while (0)

#endif
