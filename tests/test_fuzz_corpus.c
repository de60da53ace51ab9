/* Regression: every file of every fuzz target's corpus (fuzz/corpus/<target>/: the seeds and
 * the reproducers of what the fuzzers found) goes through the same reader entry point as the
 * harness (fuzz/fuzz_targets.c) and either reads or fails with a library error code and a
 * message; never a crash or a sanitizer report (make test-sanitize runs it under ASan+UBSan).
 * The seeds that are valid inputs must read; the reproducers (crash-*) must be refused. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz/fuzz_targets.h"
#include "testutil.h"

static int known_code(int rc)
{
    return rc == MN_EINVAL || rc == MN_ENOMEM || rc == MN_EIO || rc == MN_ESCENARIO ||
           rc == MN_EFORMAT || rc == MN_ENUMERIC || rc == MN_ERANGE || rc == MN_ENOTSUP;
}

static int run_one(const mn_fuzz_target *t, const char *path, mn_error *err)
{
    size_t size;
    char *data = mn_test_read(path, &size);
    assert_non_null(data);
    mn_error_clear(err);
    int rc = t->fn((const uint8_t *)data, size, err);
    free(data);
    assert_true_msg(rc == MN_OK || (known_code(rc) && err->message[0]),
                    "%s: code %d without a message (%s)", path, rc, err->message);
    return rc;
}

static void replay_one(const char *path, const char *name, void *user)
{
    mn_error err;
    int rc = run_one(user, path, &err);
    if (strncmp(name, "crash-", 6) == 0)
        assert_true_msg(rc != MN_OK, "%s: a reproducer was accepted", path);
}

static void replay(const mn_fuzz_target *t)
{
    mn_test_corpus_each(t->name, replay_one, (void *)t);
}

static void test_every_corpus(void **state)
{
    (void)state;
    int targets = 0;
    for (const mn_fuzz_target *t = mn_fuzz_targets; t->name; ++t, ++targets)
        replay(t);
    assert_int_equal(targets, 13);
}

static const mn_fuzz_target *target(const char *name)
{
    for (const mn_fuzz_target *t = mn_fuzz_targets; t->name; ++t)
        if (strcmp(t->name, name) == 0)
            return t;
    fail_msg("no target %s", name);
    return NULL;
}

/* The seeds are valid inputs: each reads (so the fuzzers start from inputs that reach past
 * the first check). */
static void test_seeds_read(void **state)
{
    (void)state;
    const char *seeds[][2] = {{"scenario", "default.yaml"},
                              {"scenario", "cohort.yaml"},
                              {"scenario", "sessions_3d.yaml"},
                              {"set", "basic.txt"},
                              {"set", "model.txt"},
                              {"params", "all.yaml"},
                              {"params", "two.yaml"},
                              {"study", "chu_2021_erythema.yaml"},
                              {"checkpoint", "column_day6.mnck"},
                              {"journal", "after_5_patients.bin"},
                              {"pngcrc", "rgb8.png"}};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; ++i) {
        char path[2048];
        snprintf(path, sizeof path, "%s/fuzz/corpus/%s/%s", MNSIM_SOURCE_DIR, seeds[i][0],
                 seeds[i][1]);
        mn_error err;
        int rc = run_one(target(seeds[i][0]), path, &err);
        assert_true_msg(rc == MN_OK, "%s: %s", path, err.message);
    }
}

/* The checkpoint fuzzer's finding: a checkpoint (checksum valid) whose parameters hold
 * microrelief_cell_um = 0 made the microrelief's cell range infinite, converted to long
 * (undefined behaviour) in src/surface. It is refused naming the parameter. */
static void test_microrelief_cell_zero(void **state)
{
    (void)state;
    char path[2048];
    snprintf(path, sizeof path, "%s/fuzz/corpus/checkpoint/crash-microrelief_cell_um_0.mnck",
             MNSIM_SOURCE_DIR);
    mn_error err;
    int rc = run_one(target("checkpoint"), path, &err);
    assert_int_not_equal(rc, MN_OK);
    assert_true_msg(strstr(err.message, "microrelief_cell_um") != NULL, "%s", err.message);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_corpus),
        cmocka_unit_test(test_seeds_read),
        cmocka_unit_test(test_microrelief_cell_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
