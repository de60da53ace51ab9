/* mnsim optimize [FILE] [--max-sessions N] [--max-downtime D] [--max-pih P] [--patients N]
 *                [--horizon-weeks W] [--iterations N] [--set ...] [--params FILE] [--out DIR] */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/study_args.h"
#include "mnsim/io.h"
#include "mnsim/sweep.h"

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
    const mn_cli_option options[] = {
        {"max-sessions", 0, MN_CLI_INT, .to.integer = &spec.max_sessions, .min = 1, .max = 12,
         .arg = "N", .help = "at most N sessions (default 6)"},
        {"max-downtime", 0, MN_CLI_DOUBLE, .to.num = &spec.max_downtime_days, .min = 0, .max = 365,
         .arg = "DAYS", .help = "mean days of visible erythema at most (default 7)"},
        {"max-pih", 0, MN_CLI_DOUBLE, .to.num = &spec.max_pih, .min = 0, .max = 1, .arg = "P",
         .help = "mean PIH risk at most (default 0.05)"},
        MN_CLI_STUDY_OPTIONS(&st),
        {"min-follow-up", 0, MN_CLI_DOUBLE, .to.num = &spec.min_follow_up_weeks, .min = 0,
         .max = 520, .arg = "WEEKS",
         .help = "every plan leaves at least WEEKS after its last session (default: as long as "
                 "the scenario's plan)"},
        {"weight-downtime", 0, MN_CLI_DOUBLE, .to.num = &spec.weight_downtime, .min = 0,
         .max = 10, .arg = "G", .help = "objective: minus G grades per day of downtime (default 0)"},
        {"weight-pain", 0, MN_CLI_DOUBLE, .to.num = &spec.weight_pain, .min = 0, .max = 10,
         .arg = "G", .help = "objective: minus G grades per VAS point of session pain (default 0)"},
        {"needle-step", 0, MN_CLI_DOUBLE, .to.num = &spec.needle_step_mm, .min = 0.01, .max = 1,
         .arg = "MM", .help = "needle lengths in steps of MM (default 0.25, a pen's dial)"},
        {"iterations", 0, MN_CLI_INT, .to.integer = &spec.max_iterations, .min = 1, .max = 1000,
         .arg = "N", .help = "simplex iterations per refined candidate (default 25)"},
        MN_CLI_INPUT_OPTIONS(&st.in),
        {"quiet", 'q', MN_CLI_FLAG, .to.flag = &st.quiet, .help = "no progress on stderr"},
        {0}};
    const mn_cli_option args[] = {MN_CLI_FILE_ARG(&st.in), {0}};
    const mn_cli_command cmd = {
        "optimize",
        .description =
            "Finds the protocol that maximises the expected wrinkle improvement (Lemperle\n"
            "grades) at the horizon (default: the scenario's end) for the scenario's patient\n"
            "or cohort (N patients, default 24), subject to: at most N sessions (default 6),\n"
            "mean downtime at most DAYS days of visible erythema (default 7) and mean PIH risk\n"
            "at most P (default 0.05). Sessions, passes (2/4/6/8) and adjuncts (none, prp,\n"
            "growth_factors, prp+vitamin_c) are enumerated; needle length (0.25-2.5 mm) and\n"
            "interval (2-8 weeks) are refined by GSL's Nelder-Mead simplex, then rounded to\n"
            "what a clinic can schedule (0.25 mm steps, whole weeks). Needles never reach\n"
            "below the dermis of the scenario's site. Every plan is scored on the same day\n"
            "after the first session, leaving as long after its last session as the\n"
            "scenario's plan (--min-follow-up). Prints the\n"
            "recommendation beside the scenario's own protocol with 95 % CIs; writes\n"
            "recommended.yaml (run it with `mnsim run`) into DIR (default: output.dir).",
        .epilog = "Exit codes: 0 ok (also when no protocol meets the constraints: it says so),\n"
                  "1 runtime failure, 2 bad input.",
        .options = options, .positional = args};
    int ex = mn_cli_study_parse(&cmd, argc, argv, &st);
    if (ex != MN_CLI_PARSED)
        return ex;
    mn_cli_free(&cmd);
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
    printf("Every plan scored on week %.1f after its first session, >= %.1f weeks after its "
           "last; needles at most %.2f mm at this site (channel within the dermis)\n",
           spec.horizon_weeks, res.min_follow_up_weeks, res.site_needle_max_mm);
    print_protocol(res.found ? "recommended" : "best found", &res.best, &res.best_stats);
    printf("             session pain %.1f / 10\n", res.best_pain_vas);
    print_protocol("default", &st.sc, &res.base_stats);
    printf("             session pain %.1f / 10\n", res.base_pain_vas);
    if (st.sc.device.needle_length_mm > res.site_needle_max_mm + 1e-9)
        printf("Note: the scenario's %.2f mm needles reach below the dermis at this site "
               "(deepest allowed %.2f mm): the plans are not compared at equal risk.\n",
               st.sc.device.needle_length_mm, res.site_needle_max_mm);
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
