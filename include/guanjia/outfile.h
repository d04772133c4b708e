/* Documents written to files (out/): receipts, notices, reports. The only
 * code besides db/ and cli/ that writes files; core/ makes the text. */
#ifndef GUANJIA_OUTFILE_H
#define GUANJIA_OUTFILE_H

#include <stddef.h>
#include "guanjia/error.h"

/* Writes len bytes of text to path: creates the missing folders (0700),
 * writes a temp file beside it (0600), fsyncs, renames into place, fsyncs
 * the folder: never a half-written file, and no temp file left behind
 * when anything fails. replace 0 refuses an existing file (or anything
 * else at path) with GJ_ECONSTRAINT (error.h has no GJ_EEXIST) and a
 * message naming the path; the check and the move are one step (a hard
 * link), so two writers cannot both win. Other failures are GJ_EIO (a
 * folder or file that cannot be made or written), GJ_EINVAL (an empty
 * path, one longer than PATH_MAX - 1 bytes, a file name longer than
 * NAME_MAX bytes, a path ending in '/'). Messages say what and where; a
 * long path is shown by its end. */
int gj_write_text_file(const char *path, const char *text, size_t len, int replace,
                       struct gj_error *err);

/* The folder for documents of a kind beside the database:
 * dirname(db_path)/<sub> (e.g. ".../receipts"); ":memory:" (and a name
 * without a folder) gives the current folder's <sub> ("./receipts").
 * sub is one folder name (no '/', not "." or ".."). GJ_EINVAL when an
 * argument is missing or out cannot hold the path. Nothing is created. */
int gj_document_dir(const char *db_path, const char *sub, char *out, size_t outsz,
                    struct gj_error *err);

#endif
