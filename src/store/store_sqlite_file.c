/* store_sqlite_file.c: whole-file operations of the SQLite backend:
 * backup, restore, and the writability check `ctip serve` runs at start. */
#include "store/migrations.h"
#include "store/sqlite_int.h"
#include "util/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Remove a staging file and what SQLite may have left beside it. */
static void
unlink_db(const char *path)
{
	static const char *const sfx[] = { "", "-journal", "-wal", "-shm" };
	char p[4200];
	size_t i;

	for (i = 0; i < CTIP_NELEM(sfx); i++) {
		snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
		unlink(p);
	}
}

/*
 * Give the complete file tmp the name path, which must not exist: synced
 * first, so that what appears under path after a power cut is the whole
 * copy, and the directory synced after, as ctip_fs_replace does (best
 * effort: the copy is in place and whole, and a failure then would call
 * it not made). link() fails if path appeared meanwhile instead of
 * replacing it; where links are not supported, rename() after a last
 * check.
 */
static enum ctip_status
publish(const char *tmp, const char *path, struct ctip_err *err)
{
	char dir[4096];
	int e;

	if ((e = ctip_fs_sync(tmp)) != 0)
		return ctip_err_set(err, CTIP_EIO, "could not sync \"%s\": %s",
				    tmp, strerror(e));
	if (link(tmp, path) == 0) {
		unlink(tmp);
	} else if (errno == EEXIST || access(path, F_OK) == 0) {
		return ctip_err_set(err, CTIP_EEXIST,
				    "could not write \"%s\": the file exists",
				    path);
	} else if (rename(tmp, path) != 0) {
		return ctip_err_set(err, CTIP_EIO, "could not write \"%s\": %s",
				    path, strerror(errno));
	}
	ctip_fs_dir_of(dir, sizeof(dir), path);
	(void)ctip_fs_sync(dir);
	return CTIP_OK;
}

/* A new empty file beside path, mode 0600 (mkstemp), named in tmp. */
static enum ctip_status
stage_file(char *tmp, size_t n, const char *path, const char *what,
	   struct ctip_err *err)
{
	int fd;

	if ((size_t)snprintf(tmp, n, "%s.%s-XXXXXX", path, what) >= n)
		return ctip_err_set(err, CTIP_EINVAL, "path too long: \"%s\"",
				    path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return ctip_err_set(
			err, errno == ENOENT ? CTIP_ENOTFOUND : CTIP_EIO,
			"could not create \"%s\": %s", path, strerror(errno));
	close(fd);
	return CTIP_OK;
}

void
sq_readonly_cause(char *out, size_t n, const char *path, sqlite3 *db)
{
	char dir[4096], shm[4200];

	ctip_fs_dir_of(dir, sizeof(dir), path);
	snprintf(shm, sizeof(shm), "%s-shm", path);
	if (access(path, W_OK) != 0)
		snprintf(out, n,
			 "the file is not writable by this account (%s)",
			 strerror(errno));
	else if (access(dir, W_OK | X_OK) != 0)
		snprintf(out, n,
			 "its directory \"%s\" is not writable by this account "
			 "(SQLite keeps the -wal and -shm files there)",
			 dir);
	else if (access(shm, F_OK) == 0 && access(shm, W_OK) != 0)
		snprintf(out, n,
			 "\"%s\" is not writable by this account: remove it "
			 "while no ctip uses the database",
			 shm);
	else
		snprintf(out, n, "%s",
			 db != NULL ? sqlite3_errmsg(db) : "read-only");
}

int
sq_writable(struct ctip_store *st, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	const char *path = sqlite3_db_filename(s->db, "main");
	char why[4400];
	int rc;

	if (path == NULL || path[0] == '\0')
		return CTIP_OK;
	/* SQLite opens a file it may not write read-only without a word;
	 * a trial write transaction also meets a read-only -shm or
	 * directory. A busy database is writable, just not now. */
	rc = sqlite3_db_readonly(s->db, "main") == 1
		     ? SQLITE_READONLY
		     : sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY)
		return CTIP_OK;
	if ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN) {
		sq_readonly_cause(why, sizeof(why), path, s->db);
		return ctip_err_set(err, CTIP_ESTORE,
				    "database \"%s\" is read-only: %s", path,
				    why);
	}
	return ctip_err_set(err, CTIP_ESTORE,
			    "could not write to database \"%s\": %s", path,
			    sqlite3_errmsg(s->db));
}

/*
 * Copy database src into dst in one step. With -1 the copy is one read
 * transaction on src: one snapshot, and in WAL mode writers go on beside
 * it. In steps, every commit by another connection restarted the copy,
 * so it never finished on a busy server. BUSY or LOCKED come only before
 * the copy starts (a lock being taken): retried for up to 10 s, as the
 * busy timeout waits.
 */
static int
copy_db(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc, tries = 0;

	if (b == NULL)
		return sqlite3_errcode(dst);
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (
		(rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
		++tries < 500);
	sqlite3_backup_finish(b);
	return rc == SQLITE_DONE ? SQLITE_OK
	       : rc == SQLITE_OK ? SQLITE_BUSY
				 : rc;
}

int
sq_backup(struct ctip_store *st, const char *path, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	char tmp[4200];
	sqlite3 *dst = NULL;
	enum ctip_status rc;
	int src;

	if (access(path, F_OK) == 0)
		return ctip_err_set(err, CTIP_EEXIST,
				    "could not back up to \"%s\": the file "
				    "exists",
				    path);
	/* The copy grows under a temporary name and gets path only when
	 * complete: a backup that fails or is killed (cron's timeout,
	 * Ctrl-C, a reboot) leaves no file that looks like a backup. */
	if ((rc = stage_file(tmp, sizeof(tmp), path, "incomplete", err)) !=
	    CTIP_OK)
		return rc;
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		ctip_err_set(err, CTIP_EIO, "could not create \"%s\": %s", path,
			     dst ? sqlite3_errmsg(dst) : "out of memory");
		sqlite3_close(dst);
		unlink_db(tmp);
		return CTIP_EIO;
	}
	src = copy_db(dst, s->db);
	/* The copy is a single self-contained file, not WAL. */
	if (src == SQLITE_OK)
		src = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL,
				   NULL, NULL);
	if (src != SQLITE_OK) {
		ctip_err_set(err, CTIP_ESTORE, "could not back up: %s",
			     sqlite3_errstr(src));
		sqlite3_close(dst);
		unlink_db(tmp);
		return CTIP_ESTORE;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		unlink_db(tmp);
		return ctip_err_set(err, CTIP_ESTORE,
				    "could not back up: could not close the "
				    "copy");
	}
	if ((rc = publish(tmp, path, err)) != CTIP_OK) {
		unlink_db(tmp);
		if (rc == CTIP_EEXIST)
			return ctip_err_set(err, CTIP_EEXIST,
					    "could not back up to \"%s\": the "
					    "file exists",
					    path);
	}
	return rc;
}

/* Whether db passes PRAGMA integrity_check; the first problem in why. */
static bool
raw_intact(sqlite3 *db, char *why, size_t n)
{
	sqlite3_stmt *q;
	bool ok = false;

	snprintf(why, n, "%s", "the check could not run");
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &q, NULL) !=
	    SQLITE_OK)
		return false;
	if (sqlite3_step(q) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(q, 0);

		char *c;

		ok = t != NULL && strcmp(t, "ok") == 0;
		snprintf(why, n, "%s", t != NULL ? t : "no answer");
		/* One line: the check may answer "*** in database main
		 * ***\nPage 5: ..." */
		for (c = why; *c != '\0'; c++)
			if (*c == '\n')
				*c = ' ';
	} else {
		snprintf(why, n, "%s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(q);
	return ok;
}

/*
 * Copy the backup at from to the staging file stage and check it there:
 * a ctip database, not newer than this ctip, intact. The backup itself is
 * opened read-only and not changed.
 */
static enum ctip_status
stage_backup(int *version, const char *stage, const char *from,
	     struct ctip_err *err)
{
	sqlite3 *src = NULL, *dst = NULL;
	char why[512];
	enum ctip_status rc = CTIP_OK;
	int e;

	if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		rc = ctip_err_set(err, CTIP_EIO,
				  "could not open backup \"%s\": %s", from,
				  src ? sqlite3_errmsg(src) : "out of memory");
		goto out;
	}
	if (sqlite3_open_v2(stage, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		rc = ctip_err_set(err, CTIP_EIO, "could not open \"%s\": %s",
				  stage,
				  dst ? sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	e = copy_db(dst, src);
	if (e != SQLITE_OK) {
		rc = ctip_err_set(err,
				  (e & 0xff) == SQLITE_NOTADB ||
						  (e & 0xff) == SQLITE_CORRUPT
					  ? CTIP_EINVAL
					  : CTIP_ESTORE,
				  "could not read backup \"%s\": %s", from,
				  sqlite3_errstr(e));
		goto out;
	}
	if (sq_version_of(dst, version) != SQLITE_OK)
		rc = ctip_err_set(err, CTIP_EINVAL,
				  "could not read backup \"%s\": %s", from,
				  sqlite3_errmsg(dst));
	else if (*version == 0)
		rc = ctip_err_set(err, CTIP_EINVAL,
				  "backup \"%s\" is not a ctip database", from);
	else if (*version > ctip_n_migrations)
		rc = ctip_err_set(err, CTIP_EINVAL,
				  "backup \"%s\" is at schema version %d, "
				  "newer than this ctip (%d): upgrade ctip",
				  from, *version, ctip_n_migrations);
	else if (!raw_intact(dst, why, sizeof(why)))
		rc = ctip_err_set(err, CTIP_EINVAL,
				  "backup \"%s\" is damaged (integrity check: "
				  "%s)",
				  from, why);
	/* No session of the backup comes back: one signed out, or ended
	 * by a password reset or a disabled account since (a stolen
	 * cookie revoked), would be valid again. Everyone signs in anew.
	 * Sessions exist from migration 2 (002_access.sql). */
	else if (*version >= 2 && sqlite3_exec(dst, "DELETE FROM session", NULL,
					       NULL, NULL) != SQLITE_OK)
		rc = ctip_err_set(err, CTIP_ESTORE,
				  "could not end the backup's sessions: %s",
				  sqlite3_errmsg(dst));
out:
	sqlite3_close(src);
	if (sqlite3_close(dst) != SQLITE_OK && rc == CTIP_OK)
		rc = ctip_err_set(err, CTIP_EIO, "could not close \"%s\"",
				  stage);
	return rc;
}

/*
 * Copy stage into the existing database at path through SQLite, so that
 * the target's own -wal is checkpointed into its own pages first (never
 * replayed onto the restored ones) and the copy is one transaction.
 *
 * Detecting a server: every connection to a WAL database keeps a shared
 * lock on the file while open (SQLite checkpoints and deletes the WAL at
 * the last close by taking an exclusive one), so leaving WAL mode fails
 * with SQLITE_BUSY while any other process has the database open, idle
 * or not. This holds for processes on this host and file systems with
 * working POSIX locks; it is not guaranteed on network file systems. The
 * exclusive lock is then kept (locking_mode=EXCLUSIVE) until the copy is
 * done: a server that starts meanwhile waits, then finds the restored
 * database. The target is left in rollback-journal mode; the next ctip
 * that opens it switches it back to WAL.
 */
static enum ctip_status
copy_into(const char *path, const char *stage, struct ctip_err *err)
{
	sqlite3 *dst = NULL, *src = NULL;
	sqlite3_stmt *q = NULL;
	enum ctip_status rc = CTIP_OK;
	const char *mode;
	int e;

	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		goto damaged;
	sqlite3_busy_timeout(dst, 1000);
	if (sqlite3_exec(dst, "PRAGMA locking_mode = EXCLUSIVE", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(dst, "PRAGMA journal_mode = DELETE", -1, &q,
			       NULL) != SQLITE_OK)
		goto damaged;
	e = sqlite3_step(q);
	mode = e == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : "";
	if (e == SQLITE_ROW && strcmp(mode, "delete") != 0)
		goto in_use;
	if (e != SQLITE_ROW)
		goto damaged;
	sqlite3_finalize(q);
	q = NULL;
	if (sqlite3_exec(dst, "BEGIN EXCLUSIVE; COMMIT", NULL, NULL, NULL) !=
	    SQLITE_OK)
		goto damaged;
	if (sqlite3_open_v2(stage, &src, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		rc = ctip_err_set(err, CTIP_EIO, "could not open \"%s\": %s",
				  stage,
				  src ? sqlite3_errmsg(src) : "out of memory");
		goto out;
	}
	/* A failed copy is rolled back by SQLite: the target stays as it
	 * was. */
	if ((e = copy_db(dst, src)) != SQLITE_OK)
		rc = ctip_err_set(err, CTIP_ESTORE,
				  "could not copy the backup into \"%s\": %s "
				  "(the database is as it was)",
				  path, sqlite3_errstr(e));
	goto out;
damaged:
	e = dst != NULL ? sqlite3_errcode(dst) & 0xff : SQLITE_NOMEM;
	if (e == SQLITE_BUSY || e == SQLITE_LOCKED) {
	in_use:
		rc = ctip_err_set(err, CTIP_ECONFLICT,
				  "database \"%s\" is in use by another "
				  "process (a running \"ctip serve\"?): stop "
				  "it, then restore; nothing was changed",
				  path);
		goto out;
	}
	rc = ctip_err_set(err, CTIP_ESTORE,
			  "could not open database \"%s\" to restore into it: "
			  "%s; if it is damaged, move it and its -wal and -shm "
			  "files aside and restore to its name",
			  path, dst ? sqlite3_errmsg(dst) : "out of memory");
out:
	sqlite3_finalize(q);
	sqlite3_close(src);
	if (sqlite3_close(dst) != SQLITE_OK && rc == CTIP_OK)
		rc = ctip_err_set(err, CTIP_ESTORE,
				  "could not close database \"%s\"", path);
	return rc;
}

enum ctip_status
ctip_store_sqlite_restore(struct ctip_restore_info *out, const char *path,
			  const char *from, ctip_restore_check check, void *arg,
			  struct ctip_err *err)
{
	static const char *const stale[] = { "-wal", "-journal" };
	char stage[4200], side[4200];
	struct ctip_store *copy = NULL;
	enum ctip_status rc;
	struct stat sb;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (stat(from, &sb) != 0)
		return ctip_err_set(err,
				    errno == ENOENT ? CTIP_ENOTFOUND : CTIP_EIO,
				    "could not restore from \"%s\": %s", from,
				    errno == ENOENT ? "it does not exist"
						    : strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return ctip_err_set(err, CTIP_EINVAL,
				    "could not restore from \"%s\": it is not "
				    "a file",
				    from);
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		return ctip_err_set(err, CTIP_EINVAL,
				    "could not restore to \"%s\": it is not a "
				    "file",
				    path);
	out->created = access(path, F_OK) != 0;
	/* A new database file beside the -wal of another one would get
	 * that WAL's pages replayed onto it at the first open. */
	for (i = 0; out->created && i < CTIP_NELEM(stale); i++) {
		snprintf(side, sizeof(side), "%s%s", path, stale[i]);
		if (access(side, F_OK) == 0)
			return ctip_err_set(err, CTIP_EEXIST,
					    "could not restore to \"%s\": "
					    "\"%s\" of another database is "
					    "beside it: move it aside (with "
					    "%s-shm) first",
					    path, side, path);
	}
	if ((rc = stage_file(stage, sizeof(stage), path, "restore", err)) !=
	    CTIP_OK)
		return rc;
	rc = stage_backup(&out->schema_version, stage, from, err);
	/* The caller's checks (the key file's) see the copy as a store. */
	if (rc == CTIP_OK && check != NULL) {
		rc = ctip_store_sqlite_open(&copy, stage, CTIP_OPEN_EXISTING,
					    err);
		if (rc == CTIP_OK)
			rc = check(copy, arg, err);
		if (copy != NULL)
			copy->ops->close(copy);
	}
	if (rc == CTIP_OK && out->created)
		rc = publish(stage, path, err);
	else if (rc == CTIP_OK)
		rc = copy_into(path, stage, err);
	unlink_db(stage);
	return rc;
}
