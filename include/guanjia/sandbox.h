/* The practice estate (沙盘) of a login: a demo estate of its own beside the
 * real database, where a trainee may take payments, dispatch orders and
 * register complaints without touching real records. It is made by
 * running this very program's `demo` command in a child process, so the
 * real database is never opened here. */
#ifndef GUANJIA_SANDBOX_H
#define GUANJIA_SANDBOX_H

#include <stddef.h>
#include <stdint.h>
#include "guanjia/error.h"

/* The practice estate of a login: <folder of the real database>/sandbox/<login>.db,
 * the login in lower case (logins ignore letter case). login is 2..32 of
 * A-Z a-z 0-9 . _ - (as users.login), not "." or "..". GJ_EINVAL for a
 * bad argument or a path that does not fit in out; GJ_ECONSTRAINT when the
 * sandbox path would be the real database itself (the same name, or the
 * same file reached through a link). Nothing is created. */
int gj_sandbox_path(const char *real_db_path, const char *login, char *out, size_t outsz,
                    struct gj_error *err);

/* Makes a fresh sandbox: removes the old file (and its -wal, -shm and
 * -journal), then runs this very program (/proc/self/exe, or the path in
 * GUANJIA_BIN when set) as `guanjia --db PATH demo` with stdout and
 * stderr to /dev/null (stdin too), and waits; it never touches the real
 * database. The child's clock is this program's (gj_now), except before
 * the 21st of a month, when it is moved back to the last day of the month
 * before (same time of day): the demo draws its estate differently while
 * payments of the current month are still to come, and the practice tasks
 * (practice.h) name work orders and complaints by number, so every
 * sandbox must hold the same estate. out_path (may be NULL) gets the
 * path. A failure says what and where (GJ_EIO for files and the child,
 * GJ_EINVAL / GJ_ECONSTRAINT as gj_sandbox_path); the sandbox's files are
 * gone after a failure. */
int gj_sandbox_create(const char *real_db_path, const char *login, char *out_path, size_t outsz,
                      struct gj_error *err);

/* The clock the sandbox's demo runs at when made at now (see above): now
 * from the 21st of a month on, else the last day of the month before at
 * the same time of day. */
int64_t gj_sandbox_demo_clock(int64_t now);

#endif
