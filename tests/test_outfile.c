/* Documents written to files: whole or not at all, folders made, nothing
 * replaced unless asked, no temp files left behind. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guanjia/outfile.h"

/* The number of entries in a folder (without . and ..). */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void expect_content(const char *path, const char *want)
{
    size_t len = 0;
    char *got = gj_test_slurp(path, &len);
    assert_non_null(got);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(got, want, len);
    free(got);
}

static void test_write_and_read_back(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *path = gj_test_path(dir, "SJ00000042.txt");
    const char *text = "收款收据\nSJ00000042\n¥1,234.50\n";
    struct gj_error err;
    assert_int_equal(gj_write_text_file(path, text, strlen(text), 0, &err), GJ_OK);
    assert_int_equal(err.code, GJ_OK);
    expect_content(path, text);
    assert_int_equal(entries(dir), 1); /* no temp file beside it */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* Replacing when asked: the new text, whole. */
    const char *again = "COPY 1\n";
    assert_int_equal(gj_write_text_file(path, again, strlen(again), 1, &err), GJ_OK);
    expect_content(path, again);
    assert_int_equal(entries(dir), 1);

    /* Only len bytes are written, NULs included; an empty file is fine. */
    assert_int_equal(gj_write_text_file(path, "ab\0cd", 5, 1, &err), GJ_OK);
    size_t len = 0;
    char *got = gj_test_slurp(path, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(got, "ab\0cd", 5);
    free(got);
    assert_int_equal(gj_write_text_file(path, "", 0, 1, &err), GJ_OK);
    assert_int_equal(gj_write_text_file(path, NULL, 0, 1, &err), GJ_OK);
    expect_content(path, "");
    gj_test_rmtree(dir);
}

static void test_creates_folders(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    char path[1024];
    snprintf(path, sizeof path, "%s/receipts/2026/11//SJ1.txt", dir);
    struct gj_error err;
    assert_int_equal(gj_write_text_file(path, "x\n", 2, 0, &err), GJ_OK);
    expect_content(path, "x\n");
    struct stat st;
    assert_int_equal(stat(gj_test_path(dir, "receipts"), &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(gj_test_path(dir, "receipts/2026/11"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);

    /* A relative path, from the current folder. */
    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(gj_write_text_file("notices/N1.txt", "n\n", 2, 0, &err), GJ_OK);
    assert_int_equal(gj_write_text_file("plain.txt", "p\n", 2, 0, &err), GJ_OK);
    assert_int_equal(chdir(cwd), 0);
    expect_content(gj_test_path(dir, "notices/N1.txt"), "n\n");
    expect_content(gj_test_path(dir, "plain.txt"), "p\n");
    gj_test_rmtree(dir);
}

static void test_refuses_to_replace(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *path = gj_test_path(dir, "report.txt");
    struct gj_error err;
    assert_int_equal(gj_write_text_file(path, "first\n", 6, 0, &err), GJ_OK);
    assert_int_equal(gj_write_text_file(path, "second\n", 7, 0, &err), GJ_ECONSTRAINT);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "already exists"));
    expect_content(path, "first\n");
    assert_int_equal(entries(dir), 1);

    /* A folder in the way is not replaced either. */
    assert_int_equal(mkdir(gj_test_path(dir, "taken"), 0700), 0);
    assert_int_equal(gj_write_text_file(gj_test_path(dir, "taken"), "x", 1, 0, &err),
                     GJ_ECONSTRAINT);
    /* Asked to replace, a folder still cannot be: a clear failure, no temp file. */
    assert_int_equal(gj_write_text_file(gj_test_path(dir, "taken"), "x", 1, 1, &err), GJ_EIO);
    assert_non_null(strstr(err.msg, "taken"));
    assert_int_equal(entries(dir), 2);
    assert_int_equal(entries(gj_test_path(dir, "taken")), 0);

    /* A dangling symbolic link counts as there. */
    assert_int_equal(symlink("nowhere", gj_test_path(dir, "link.txt")), 0);
    assert_int_equal(gj_write_text_file(gj_test_path(dir, "link.txt"), "x", 1, 0, &err),
                     GJ_ECONSTRAINT);
    assert_int_equal(entries(dir), 3);
    gj_test_rmtree(dir);
}

static void test_failures_leave_nothing(void **state)
{
    (void)state;
    const char *dir = gj_test_tmpdir();
    const char *plain = gj_test_path(dir, "plain");
    assert_int_equal(gj_test_copy_file("/dev/null", plain), 0);
    struct gj_error err;
    char path[1024];

    /* A path under a plain file. */
    snprintf(path, sizeof path, "%s/sub/out.txt", plain);
    assert_int_equal(gj_write_text_file(path, "x", 1, 1, &err), GJ_EIO);
    assert_non_null(strstr(err.msg, plain));
    assert_non_null(strstr(err.msg, "not a folder"));
    snprintf(path, sizeof path, "%s/out.txt", plain);
    assert_int_equal(gj_write_text_file(path, "x", 1, 1, &err), GJ_EIO);
    assert_non_null(strstr(err.msg, "not a folder"));
    assert_int_equal(entries(dir), 1);

    /* A folder that cannot be written (not when running as root). */
    const char *ro = gj_test_path(dir, "readonly");
    assert_int_equal(mkdir(ro, 0500), 0);
    if (geteuid() != 0) {
        snprintf(path, sizeof path, "%s/out.txt", ro);
        assert_int_equal(gj_write_text_file(path, "x", 1, 1, &err), GJ_EIO);
        assert_non_null(strstr(err.msg, ro));
        snprintf(path, sizeof path, "%s/deeper/out.txt", ro);
        assert_int_equal(gj_write_text_file(path, "x", 1, 1, &err), GJ_EIO);
        assert_non_null(strstr(err.msg, "cannot create the folder"));
        assert_int_equal(entries(ro), 0);
    }
    chmod(ro, 0700);
    assert_int_equal(entries(dir), 2);
    gj_test_rmtree(dir);
}

static void test_bad_paths(void **state)
{
    (void)state;
    struct gj_error err;
    assert_int_equal(gj_write_text_file("", "x", 1, 0, &err), GJ_EINVAL);
    assert_int_equal(gj_write_text_file(NULL, "x", 1, 0, &err), GJ_EINVAL);
    const char *dir = gj_test_tmpdir();
    assert_int_equal(gj_write_text_file(gj_test_path(dir, "x"), NULL, 3, 0, &err), GJ_EINVAL);

    /* Too long as a whole: a clear error, and nothing made. */
    size_t n = PATH_MAX + 10;
    char *path = malloc(n + 1);
    assert_non_null(path);
    int k = snprintf(path, n + 1, "%s/", dir);
    for (size_t i = (size_t)k; i < n; i++)
        path[i] = (i % 100 == 99) ? '/' : 'a';
    path[n] = '\0';
    assert_int_equal(gj_write_text_file(path, "x", 1, 0, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "too long"));
    assert_true(strlen(err.msg) < 400); /* the path is shortened in the message */
    assert_int_equal(entries(dir), 0);

    /* One name too long. */
    char name[300];
    memset(name, 'n', 290);
    name[290] = '\0';
    snprintf(path, n + 1, "%s/%s", dir, name);
    assert_int_equal(gj_write_text_file(path, "x", 1, 0, &err), GJ_EINVAL);
    assert_non_null(strstr(err.msg, "file name is too long"));
    /* A long name that still fits: the temp file gets a short name. */
    memset(name, 'm', 252);
    name[252] = '\0';
    snprintf(path, n + 1, "%s/%s", dir, name);
    assert_int_equal(gj_write_text_file(path, "ok\n", 3, 0, &err), GJ_OK);
    expect_content(path, "ok\n");
    assert_int_equal(entries(dir), 1);

    /* A folder name, not a file. */
    snprintf(path, n + 1, "%s/sub/", dir);
    assert_int_equal(gj_write_text_file(path, "x", 1, 0, &err), GJ_EINVAL);
    free(path);
    gj_test_rmtree(dir);
}

static void expect_dir(const char *db, const char *sub, const char *want)
{
    char out[256];
    struct gj_error err;
    assert_int_equal(gj_document_dir(db, sub, out, sizeof out, &err), GJ_OK);
    assert_string_equal(out, want);
}

static void test_document_dir(void **state)
{
    (void)state;
    expect_dir("/srv/guanjia/estate.db", "receipts", "/srv/guanjia/receipts");
    expect_dir("/srv/guanjia//estate.db", "notices", "/srv/guanjia/notices");
    expect_dir("data/estate.db", "reports", "data/reports");
    expect_dir("estate.db", "receipts", "./receipts");
    expect_dir(":memory:", "receipts", "./receipts");
    expect_dir("/estate.db", "receipts", "/receipts");

    char out[16];
    struct gj_error err;
    assert_int_equal(
        gj_document_dir("/a/very/long/folder/estate.db", "receipts", out, sizeof out, &err),
        GJ_EINVAL);
    assert_string_equal(out, "");
    assert_non_null(strstr(err.msg, "too long"));
    assert_int_equal(gj_document_dir("/a/b.db", "x/y", out, sizeof out, &err), GJ_EINVAL);
    assert_int_equal(gj_document_dir("/a/b.db", "..", out, sizeof out, &err), GJ_EINVAL);
    assert_int_equal(gj_document_dir("/a/b.db", "", out, sizeof out, &err), GJ_EINVAL);
    assert_int_equal(gj_document_dir("", "r", out, sizeof out, &err), GJ_EINVAL);
    assert_int_equal(gj_document_dir(NULL, "r", out, sizeof out, &err), GJ_EINVAL);
    assert_int_equal(gj_document_dir("/a/b.db", "r", out, 0, &err), GJ_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_and_read_back), cmocka_unit_test(test_creates_folders),
        cmocka_unit_test(test_refuses_to_replace),  cmocka_unit_test(test_failures_leave_nothing),
        cmocka_unit_test(test_bad_paths),           cmocka_unit_test(test_document_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
