#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

const char *gj_test_tmpdir(void)
{
    static char dirs[8][256];
    static int next;
    char *d = dirs[next++ % 8];
    const char *base = getenv("TMPDIR");
    snprintf(d, 256, "%s/guanjia-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(d))
        fail_msg("mkdtemp: %s", strerror(errno));
    return d;
}

void gj_test_rmtree(const char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        execlp("rm", "rm", "-rf", path, (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
}

const char *gj_test_path(const char *dir, const char *name)
{
    static char bufs[8][512];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, 512, "%s/%s", dir, name);
    return b;
}

static char *drain(int fd, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int gj_test_run(const char *const *argv, const char *const *env, const char *stdin_text, char **out,
                char **errout)
{
    const char *bin = getenv("GUANJIA_BIN");
    assert_non_null(bin);
    int in_p[2], out_p[2], err_p[2];
    assert_int_equal(pipe(in_p), 0);
    assert_int_equal(pipe(out_p), 0);
    assert_int_equal(pipe(err_p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(in_p[0], 0);
        dup2(out_p[1], 1);
        dup2(err_p[1], 2);
        close(in_p[0]);
        close(in_p[1]);
        close(out_p[0]);
        close(out_p[1]);
        close(err_p[0]);
        close(err_p[1]);
        for (const char *const *e = env; e && *e; e++)
            putenv((char *)*e);
        size_t argc = 0;
        while (argv[argc])
            argc++;
        char **args = calloc(argc + 2, sizeof *args);
        args[0] = (char *)bin;
        for (size_t i = 0; i < argc; i++)
            args[i + 1] = (char *)argv[i];
        execv(bin, args);
        _exit(127);
    }
    close(in_p[0]);
    close(out_p[1]);
    close(err_p[1]);
    /* The program may exit before it reads its input (a refused path, say):
       the write then fails with EPIPE instead of killing the test. */
    signal(SIGPIPE, SIG_IGN);
    if (stdin_text) {
        size_t left = strlen(stdin_text);
        const char *p = stdin_text;
        while (left > 0) {
            ssize_t w = write(in_p[1], p, left);
            if (w <= 0)
                break;
            p += w;
            left -= (size_t)w;
        }
    }
    close(in_p[1]);
    /* Read both pipes without deadlocking on a full one. */
    size_t cap_o = 4096, n_o = 0, cap_e = 4096, n_e = 0;
    char *o = malloc(cap_o), *e = malloc(cap_e);
    struct pollfd fds[2] = {{out_p[0], POLLIN, 0}, {err_p[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char **buf = i == 0 ? &o : &e;
            size_t *n = i == 0 ? &n_o : &n_e, *cap = i == 0 ? &cap_o : &cap_e;
            if (*n + 4096 >= *cap) {
                *cap *= 2;
                *buf = realloc(*buf, *cap);
            }
            ssize_t r = read(fds[i].fd, *buf + *n, *cap - *n - 1);
            if (r <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            } else {
                *n += (size_t)r;
            }
        }
    }
    o[n_o] = '\0';
    e[n_e] = '\0';
    int status = 0;
    waitpid(pid, &status, 0);
    if (out)
        *out = o;
    else
        free(o);
    if (errout)
        *errout = e;
    else
        free(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

char *gj_test_slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    char *buf = drain(fd, len);
    close(fd);
    return buf;
}

int gj_test_same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *x = gj_test_slurp(a, &la), *y = gj_test_slurp(b, &lb);
    int same = x && y && la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

int gj_test_copy_file(const char *from, const char *to)
{
    size_t len;
    char *buf = gj_test_slurp(from, &len);
    if (!buf)
        return -1;
    FILE *f = fopen(to, "wb");
    int rc = f && fwrite(buf, 1, len, f) == len ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(buf);
    return rc;
}
