/* fs.h: whole-file reads and private writes. */
#ifndef CTIP_FS_H
#define CTIP_FS_H

#include "util/err.h"

/*
 * Read the whole file at path into a malloc'd, NUL-terminated *out of
 * *out_len bytes (the caller frees). CTIP_ENOTFOUND if it does not exist,
 * CTIP_ETOOBIG if larger than limit, CTIP_EIO otherwise; err says which
 * file and why.
 */
CTIP_MUST_CHECK enum ctip_status ctip_fs_read(char **out, size_t *out_len,
					      const char *path, size_t limit,
					      struct ctip_err *err);

/*
 * Create path with mode 0600 and write data to it, failing with
 * CTIP_EEXIST if it already exists; the data is fsync'd.
 */
CTIP_MUST_CHECK enum ctip_status ctip_fs_write_new(const char *path,
						   const void *data, size_t len,
						   struct ctip_err *err);

/*
 * Replace path atomically (temp file, fsync, rename, fsync of the
 * directory). An existing file keeps its owner, group and owner's mode
 * bits (CTIP_EIO, path unchanged, if they cannot be kept); group and others
 * get no access; a new file gets mode 0600. A
 * symlink at path stays: the file it points to is replaced.
 */
CTIP_MUST_CHECK enum ctip_status ctip_fs_replace(const char *path,
						 const void *data, size_t len,
						 struct ctip_err *err);

/* The directory part of path into dir (n bytes): "." for a bare name,
 * "/" for a file at the root. path is not changed (dirname() may). */
void ctip_fs_dir_of(char *dir, size_t n, const char *path);

/* fsync path, a file or a directory (a directory once a file in it was
 * created or renamed, so that the name survives a power cut): 0, or the
 * errno of the failure. */
int ctip_fs_sync(const char *path);

/* mkdir -p of the directory part of path (mode 0700). */
CTIP_MUST_CHECK enum ctip_status ctip_fs_mkparent(const char *path,
						  struct ctip_err *err);

#endif
