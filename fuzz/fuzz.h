/* What the fuzz targets share. Each fuzz/fuzz_<name>.c defines
 * LLVMFuzzerTestOneInput (one input: never crash, never leak, and the
 * properties it checks with FUZZ_CHECK hold) and LLVMFuzzerInitialize.
 * Built two ways: with libFuzzer (GUANJIA_FUZZ=ON, clang), and in every
 * build with replay_main.c, which runs the seed corpus under
 * tests/fuzz/<name>/ through the same function as a ctest. */
#ifndef GUANJIA_FUZZ_H
#define GUANJIA_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A property that must hold for every input: abort (a crash the fuzzer
 * keeps, a failed ctest) with where and what when it does not. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: property does not hold: %s\n", __FILE__, __LINE__, #cond);     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The environment of the test suite: local time is China's (the date
 * functions work in local time), text is UTF-8. */
static inline void gj_fuzz_env(void)
{
    setenv("TZ", "CST-8", 1);
    tzset();
}

/* A NUL-terminated copy of the input (NULL when out of memory). Inputs
 * with a NUL byte are cut there, as C strings are. */
static inline char *gj_fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        if (size)
            memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

#endif
