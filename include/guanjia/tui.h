/* The full-screen console. Only src/tui includes curses; callers see this. */
#ifndef GUANJIA_TUI_H
#define GUANJIA_TUI_H

#include <stdio.h>

/* Runs the console on the database at db_path until the user quits.
 * Returns the process exit status (0, or 1 after printing why to stderr). */
int gj_tui_run(const char *db_path);

/* Writes the key reference generated from the actions table: format "md"
 * (docs/keys.md) or "man" (the KEYS section of docs/guanjia.1). */
void gj_tui_keys_doc(FILE *out, const char *format);

#endif
