/* gettext wrappers. English is the source language. */
#ifndef GUANJIA_I18N_H
#define GUANJIA_I18N_H

#include <libintl.h>

#define GJ_TEXTDOMAIN "guanjia"
#define _(s)          gettext(s)
#define N_(s)         (s)

#endif
