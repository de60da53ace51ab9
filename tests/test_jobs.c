/* The parallel-jobs helper (src/core/jobs.c): every job runs once, the error reported is that
 * of the lowest failing index whatever the timing, MN_JOBS_STOP stops without an error, and
 * thread counts are bounded by the CPUs available. */
#include <string.h>

#include "mnsim/jobs.h"
#include "testutil.h"

typedef struct counts {
    int ran[1000];
    long fail_from; /* jobs with index >= this fail (and every 7th of them) */
    long stop_at;   /* this job returns MN_JOBS_STOP */
} counts;

static int job(void *user, long i, mn_error *err)
{
    counts *c = user;
#ifdef _OPENMP
#pragma omp atomic update
#endif
    c->ran[i]++;
    if (i == c->stop_at)
        return MN_JOBS_STOP;
    if (i >= c->fail_from && (i - c->fail_from) % 7 == 0)
        return mn_error_set(err, MN_ENUMERIC, "job %ld failed", i);
    return MN_OK;
}

static void test_every_job_once(void **state)
{
    (void)state;
    for (int threads = 1; threads <= 2; ++threads) {
        counts c;
        memset(&c, 0, sizeof c);
        c.fail_from = 1000000;
        c.stop_at = -1;
        mn_error err;
        mn_error_clear(&err);
        assert_int_equal(mn_jobs_run(1000, threads, 3, job, &c, &err), MN_OK);
        for (int i = 0; i < 1000; ++i)
            assert_true_msg(c.ran[i] == 1, "job %d ran %d times", i, c.ran[i]);
    }
}

static void test_lowest_failure_reported(void **state)
{
    (void)state;
    for (int rep = 0; rep < 20; ++rep)
        for (int threads = 1; threads <= 2; ++threads) {
            counts c;
            memset(&c, 0, sizeof c);
            c.fail_from = 300;
            c.stop_at = -1;
            mn_error err;
            mn_error_clear(&err);
            assert_int_equal(mn_jobs_run(1000, threads, 1, job, &c, &err), MN_ENUMERIC);
            assert_string_equal(err.message, "job 300 failed");
            for (int i = 0; i < 300; ++i) /* every job below the failure still runs */
                assert_int_equal(c.ran[i], 1);
            int after = 0;
            for (int i = 301; i < 1000; ++i)
                after += c.ran[i];
            /* One thread: nothing after it starts. Two: how many do is timing (not asserted). */
            if (threads == 1)
                assert_int_equal(after, 0);
        }
}

static void test_stop_is_not_an_error(void **state)
{
    (void)state;
    counts c;
    memset(&c, 0, sizeof c);
    c.fail_from = 1000000;
    c.stop_at = 10;
    mn_error err;
    mn_error_clear(&err);
    assert_int_equal(mn_jobs_run(1000, 1, 1, job, &c, &err), MN_OK);
    int ran = 0;
    for (int i = 0; i < 1000; ++i)
        ran += c.ran[i];
    assert_int_equal(ran, 11); /* one thread: jobs 0..10, then nothing */
}

static void test_thread_bounds(void **state)
{
    (void)state;
    const int cpus = mn_cpus_available();
    assert_true(cpus >= 1);
    assert_true(mn_threads_for(100000, 1000000) <= cpus);
    assert_true(mn_threads_for(0, 1000000) <= cpus);
    assert_int_equal(mn_threads_for(8, 1), 1);
    assert_true(mn_threads_for(-5, 10) >= 1);
    mn_error err;
    assert_int_equal(mn_jobs_run(-1, 1, 1, job, NULL, &err), MN_EINVAL);
    assert_int_equal(mn_jobs_run(10, 1, 0, job, NULL, &err), MN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_job_once),
        cmocka_unit_test(test_lowest_failure_reported),
        cmocka_unit_test(test_stop_is_not_an_error),
        cmocka_unit_test(test_thread_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
