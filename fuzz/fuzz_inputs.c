/* libFuzzer harness of one mnsim reader: fuzz/run.sh builds it once per target with
 * -DFUZZ_TARGET=mn_fuzz_<target> (fuzz_targets.h), linked with fuzz_targets.c and the
 * instrumented library. Without libFuzzer, fuzz_main.c replays files through the same entry. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_targets.h"

#ifndef FUZZ_TARGET
#error "build with -DFUZZ_TARGET=mn_fuzz_<target>"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mn_error err;
    mn_error_clear(&err);
    FUZZ_TARGET(data, size, &err);
    return 0;
}
