#include "mnsim/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const char *mn_strerror(int code)
{
    switch (code) {
#define MN__CASE(name, value, text)                                                                \
    case name:                                                                                     \
        return text;
        MN_ERROR_LIST(MN__CASE)
#undef MN__CASE
    default:
        return "unknown error";
    }
}

int mn_error_set(mn_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

void mn_error_clear(mn_error *err)
{
    if (err) {
        err->code = MN_OK;
        err->message[0] = '\0';
    }
}

void mn_free(void *ptr)
{
    free(ptr);
}

const char *mn_version(void)
{
    return MNSIM_VERSION;
}
