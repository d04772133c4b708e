/* Helpers shared by the cmocka tests. Include after cmocka.h. */
#ifndef GUANJIA_TESTUTIL_H
#define GUANJIA_TESTUTIL_H

#include <stddef.h>

/* A new empty folder under $TMPDIR; removed by gj_test_rmtree. The string
 * is static storage for up to 8 folders per process. */
const char *gj_test_tmpdir(void);
/* rm -rf path. */
void gj_test_rmtree(const char *path);
/* path joined with name into a static buffer (one of 8 rotating). */
const char *gj_test_path(const char *dir, const char *name);

/* Runs the guanjia binary ($GUANJIA_BIN) with argv (NULL-terminated,
 * without argv[0]), feeding stdin_text (may be NULL) on standard input.
 * Stores its standard output and standard error (malloc'd, caller frees;
 * either pointer may be NULL) and returns the exit status, or -1 when it
 * died from a signal. Extra environment entries "K=V" may be given in env
 * (NULL-terminated, may be NULL). */
int gj_test_run(const char *const *argv, const char *const *env, const char *stdin_text, char **out,
                char **errout);

/* Reads a whole file (malloc'd, NUL-terminated); *len gets its size. NULL
 * when it cannot be read. */
char *gj_test_slurp(const char *path, size_t *len);

/* 1 when both files exist and have the same bytes. */
int gj_test_same_file(const char *a, const char *b);
/* Copies a file byte for byte; 0 on success. */
int gj_test_copy_file(const char *from, const char *to);

#endif
