/* mnsim error codes and messages.
 * Every public function returns 0 (MN_OK) or a negative MN_E* code; functions that can fail for
 * reasons a user must see also fill an mn_error with a message naming file, line and field. */
#ifndef MNSIM_ERROR_H
#define MNSIM_ERROR_H

#include "mnsim/export.h"

#include <stddef.h>

/* One list generates the enum and the code→text table, so they cannot drift apart. */
#define MN_ERROR_LIST(X)                                                                           \
    X(MN_OK, 0, "success")                                                                         \
    X(MN_EINVAL, -1, "invalid argument")                                                           \
    X(MN_ENOMEM, -2, "out of memory")                                                              \
    X(MN_EIO, -3, "input/output error")                                                            \
    X(MN_ESCENARIO, -4, "invalid scenario")                                                        \
    X(MN_EFORMAT, -5, "malformed input file")                                                      \
    X(MN_ENUMERIC, -6, "numerical failure")                                                        \
    X(MN_ERANGE, -7, "value out of range")                                                         \
    X(MN_ENOTSUP, -8, "not supported in this build")

enum mn_status {
#define MN__ENUM(name, value, text) name = value,
    MN_ERROR_LIST(MN__ENUM)
#undef MN__ENUM
};

#define MN_ERROR_MESSAGE_MAX 1024

/* Filled by functions that report errors to people: `message` is one complete sentence such as
 * "scenario.yaml:4:14: patient.age_years: 230 is out of range (allowed 18 to 100)". */
typedef struct mn_error {
    int code;
    char message[MN_ERROR_MESSAGE_MAX];
} mn_error;

/* Text for a status code; never NULL. */
MN_EXPORT const char *mn_strerror(int code);

/* Sets *err (when err is not NULL) and returns code, so callers can `return mn_error_set(...)`. */
MN_EXPORT int mn_error_set(mn_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears *err to MN_OK and an empty message. */
MN_EXPORT void mn_error_clear(mn_error *err);

/* Frees memory the library returned to the caller (the strings of mn_results_json_text,
 * mn_run_json, mn_measure_json); safe on NULL. */
MN_EXPORT void mn_free(void *ptr);

/* The library's version, "MAJOR.MINOR.PATCH" (the one it was built as, whatever headers the
 * caller compiled against). */
MN_EXPORT const char *mn_version(void);

#endif
