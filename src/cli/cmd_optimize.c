/* mnsim optimize [FILE] [--max-sessions N] [--max-downtime D] [--max-pih P] [--patients N]
 *                [--horizon-weeks W] [--iterations N] [--set ...] [--params FILE] [--out DIR] */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/study_args.h"
#include "mnsim/io.h"
#include "mnsim/sweep.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mnsim optimize [FILE] [--max-sessions N] [--max-downtime DAYS]\n"
            "                      [--max-pih P] [--patients N] [--horizon-weeks W]\n"
            "                      [--iterations N] [--set key.path=value]... [--params FILE]\n"
            "                      [--out DIR] [--quiet]\n\n"
            "Finds the protocol that maximises the expected wrinkle improvement (Lemperle\n"
            "grades) at the horizon (default: the scenario's end) for the scenario's patient\n"
            "or cohort (N patients, default 24), subject to: at most N sessions (default 6),\n"
            "mean downtime at most DAYS days of visible erythema (default 7) and mean PIH risk\n"
            "at most P (default 0.05). Sessions, passes (2/4/6/8) and adjuncts (none, prp,\n"
            "growth_factors, prp+vitamin_c) are enumerated; needle length (0.25-2.5 mm) and\n"
            "interval (2-8 weeks) are refined by GSL's Nelder-Mead simplex. Prints the\n"
            "recommendation beside the scenario's own protocol with 95 %% CIs; writes\n"
            "recommended.yaml (run it with `mnsim run`) into DIR (default: output.dir).\n\n"
            "Exit codes: 0 ok (also when no protocol meets the constraints: it says so),\n"
            "1 runtime failure, 2 bad input.\n");
}

static int opt_extra(const char *cmd, int argc, char **argv, int *i, void *user)
{
    mn_optimize_spec *s = user;
    const char *a = argv[*i];
    double v;
    if (strcmp(a, "--max-sessions") && strcmp(a, "--max-downtime") && strcmp(a, "--max-pih") &&
        strcmp(a, "--iterations"))
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "mnsim %s: %s needs a value\n", cmd, a);
        return -1;
    }
    const char *t = argv[++*i];
    if (!strcmp(a, "--max-sessions")) {
        if (mn_cli_number(cmd, a, t, 1, 12, &v) || v != (int)v)
            return -1;
        s->max_sessions = (int)v;
    } else if (!strcmp(a, "--max-downtime")) {
        if (mn_cli_number(cmd, a, t, 0, 365, &v))
            return -1;
        s->max_downtime_days = v;
    } else if (!strcmp(a, "--max-pih")) {
        if (mn_cli_number(cmd, a, t, 0, 1, &v))
            return -1;
        s->max_pih = v;
    } else {
        if (mn_cli_number(cmd, a, t, 1, 1000, &v) || v != (int)v)
            return -1;
        s->max_iterations = (int)v;
    }
    return 1;
}

static void print_protocol(const char *label, const mn_scenario *sc, const mn_protocol_stats *s)
{
    char adj[128] = "";
    size_t used = 0;
    for (int b = 0; b < 4; ++b)
        if (sc->treatment.adjuncts & (1u << b))
            used += (size_t)snprintf(adj + used, sizeof adj - used, "%s%s", used ? "+" : "",
                                     mn_adjunct_name((mn_adjunct)(1u << b)));
    printf("%-12s %d session(s) every %.1f weeks, %.2f mm needles, %d passes, adjuncts: %s\n",
           label, sc->treatment.session_count, sc->treatment.interval_weeks,
           sc->device.needle_length_mm, sc->device.passes, used ? adj : "none");
    if (!s->feasible) {
        printf("             does not fit before the horizon\n");
        return;
    }
    printf("             improvement %.2f grades (95%% CI %.2f to %.2f; patients 5-95%%: "
           "%.2f to %.2f)\n"
           "             responders %.0f%%, downtime %.1f days, PIH risk %.1f%%\n",
           s->improvement_mean, s->improvement_mean - s->improvement_ci95,
           s->improvement_mean + s->improvement_ci95, s->improvement_p5, s->improvement_p95,
           100 * s->responder_fraction, s->downtime_mean, 100 * s->pih_mean);
}

int mn_cli_optimize(int argc, char **argv)
{
    mn_cli_study st = {.patients = 24};
    mn_optimize_spec spec;
    mn_optimize_spec_default(&spec);
    int prc = mn_cli_study_parse("optimize", argc, argv, &st, opt_extra, &spec, usage);
    if (prc)
        return prc > 0 ? MN_EXIT_OK : MN_EXIT_BAD_INPUT;
    spec.patients = st.patients;
    spec.horizon_weeks =
        st.horizon_weeks > 0 ? st.horizon_weeks : mn_scenario_end_hour(&st.sc) / 168.0;
    mn_optimize_result res;
    mn_error err;
    mn_outdir *od = NULL; /* held until recommended.yaml is written */
    int rc = mn_outdir_open(st.sc.output.dir, &od, &err);
    if (!rc)
        rc = mn_optimize_protocol(&st.sc, &st.params, &spec, !st.quiet, &res, &err);
    char path[MN_PATH_MAX];
    if (!rc)
        rc = mn_path_join(path, sizeof path, st.sc.output.dir, "recommended.yaml", &err);
    mn_atomic_file *af = NULL;
    if (!rc)
        rc = mn_atomic_open(path, &af, &err);
    if (!rc) {
        mn_scenario_write_yaml(&res.best, mn_atomic_stream(af));
        rc = mn_atomic_commit(&af, &err);
    }
    mn_outdir_close(&od);
    if (rc) {
        mn_cli_report(&err);
        return mn_cli_exit_code(rc);
    }
    printf("Optimised for %d patients at %.1f weeks after the first session; constraints: "
           "<= %d sessions, downtime <= %.1f days, PIH risk <= %.1f%% (%d evaluations)\n",
           spec.patients, spec.horizon_weeks, spec.max_sessions, spec.max_downtime_days,
           100 * spec.max_pih, res.evaluations);
    print_protocol(res.found ? "recommended" : "best found", &res.best, &res.best_stats);
    print_protocol("default", &st.sc, &res.base_stats);
    if (!res.found)
        printf("No protocol met every constraint: the best found violates them (relax "
               "--max-downtime or --max-pih).\n");
    if (res.base_stats.feasible)
        printf("Expected benefit over the default: %+.2f grades (95%% CI %+.2f to %+.2f, "
               "paired on the same patients)\n",
               res.gain_mean, res.gain_mean - res.gain_ci95, res.gain_mean + res.gain_ci95);
    printf("Wrote %s (run it with `mnsim run`). Research simulation, not medical advice.\n", path);
    return MN_EXIT_OK;
}
