/* A replay driver for builds without libFuzzer (GCC, valgrind). Two builds:
 *   with -DFUZZ_TARGET=mn_fuzz_<target> and fuzz_inputs.c: `fuzz_X FILE...` runs each file once
 *   through LLVMFuzzerTestOneInput, as a libFuzzer binary does when given files;
 *   without (CMake's fuzz_replay): `fuzz_replay TARGET FILE...` through that target's entry
 *   point (fuzz_targets.h), printing each file's code and message.
 * Exit 0 when every file was run (whatever the reader said), 1 when one could not be read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            uint8_t *more = realloc(buf, cap *= 2);
            if (!more)
                free(buf);
            buf = more;
        }
    }
    fclose(f);
    *size = n;
    return buf;
}

int main(int argc, char **argv)
{
    int first = 1;
#ifndef FUZZ_TARGET
    const mn_fuzz_target *t = NULL;
    for (const mn_fuzz_target *k = mn_fuzz_targets; argc > 1 && k->name; ++k)
        if (strcmp(k->name, argv[1]) == 0)
            t = k;
    if (!t) {
        fprintf(stderr, "usage: fuzz_replay TARGET FILE...; targets:");
        for (const mn_fuzz_target *k = mn_fuzz_targets; k->name; ++k)
            fprintf(stderr, " %s", k->name);
        fprintf(stderr, "\n");
        return 2;
    }
    first = 2;
#endif
    for (int i = first; i < argc; ++i) {
        size_t n = 0;
        uint8_t *buf = read_all(argv[i], &n);
        if (!buf) {
            fprintf(stderr, "%s: cannot read\n", argv[i]);
            return 1;
        }
#ifdef FUZZ_TARGET
        LLVMFuzzerTestOneInput(buf, n);
        printf("%s: ran\n", argv[i]);
#else
        mn_error err;
        mn_error_clear(&err);
        int rc = t->fn(buf, n, &err);
        printf("%s: %d %s\n", argv[i], rc, rc ? err.message : "ok");
#endif
        free(buf);
    }
    return 0;
}
