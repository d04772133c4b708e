#include "guanjia/error.h"

#include <stdarg.h>
#include <stdio.h>

int gj_err(struct gj_error *err, enum gj_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return (int)code;
}

void gj_err_clear(struct gj_error *err)
{
    if (err) {
        err->code = GJ_OK;
        err->msg[0] = '\0';
    }
}
