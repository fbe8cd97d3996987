/* fs.c: whole-file reads and private writes. */
#include "util/fs.h"
#include "util/arena.h"

#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

void
ctip_fs_dir_of(char *dir, size_t n, const char *path)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(dir, n, "%s", dirname(tmp));
}

int
ctip_fs_sync(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return errno;
	/* Some file systems cannot sync a directory: nothing to wait for. */
	if (fsync(fd) != 0 && errno != EINVAL)
		rc = errno;
	close(fd);
	return rc;
}

enum ctip_status
ctip_fs_read(char **out, size_t *out_len, const char *path, size_t limit,
	     struct ctip_err *err)
{
	struct stat st;
	size_t got = 0;
	ssize_t k;
	char *data;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ctip_err_set(
			err, errno == ENOENT ? CTIP_ENOTFOUND : CTIP_EIO,
			"could not open \"%s\": %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ctip_err_set(err, CTIP_EIO,
				    "could not read \"%s\": not a regular file",
				    path);
	}
	if ((uintmax_t)st.st_size > limit) {
		close(fd);
		return ctip_err_set(err, CTIP_ETOOBIG,
				    "could not read \"%s\": larger than %zu "
				    "bytes",
				    path, limit);
	}
	data = ctip_xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		k = read(fd, data + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			free(data);
			close(fd);
			return ctip_err_set(
				err, CTIP_EIO, "could not read \"%s\": %s",
				path, k < 0 ? strerror(errno) : "file shrank");
		}
		got += (size_t)k;
	}
	close(fd);
	data[got] = '\0';
	*out = data;
	*out_len = got;
	return CTIP_OK;
}

static enum ctip_status
write_all(int fd, const char *path, const void *data, size_t len,
	  struct ctip_err *err)
{
	const char *p = data;
	ssize_t k;

	while (len > 0) {
		k = write(fd, p, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return ctip_err_set(err, CTIP_EIO,
					    "could not write \"%s\": %s", path,
					    strerror(errno));
		p += k;
		len -= (size_t)k;
	}
	if (fsync(fd) != 0)
		return ctip_err_set(err, CTIP_EIO, "could not sync \"%s\": %s",
				    path, strerror(errno));
	return CTIP_OK;
}

enum ctip_status
ctip_fs_write_new(const char *path, const void *data, size_t len,
		  struct ctip_err *err)
{
	enum ctip_status rc;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return ctip_err_set(
			err, errno == EEXIST ? CTIP_EEXIST : CTIP_EIO,
			"could not create \"%s\": %s", path, strerror(errno));
	rc = write_all(fd, path, data, len, err);
	close(fd);
	if (rc != CTIP_OK)
		unlink(path);
	return rc;
}

/*
 * Give fd the owner, group and owner's mode bits (0400 stays 0400) of the
 * file st describes, so that the replacement is readable by the same
 * account: a key file rotated by root for a server running as a service
 * account must stay the service's. Group and others get nothing: the
 * files replaced hold secrets.
 */
static enum ctip_status
keep_owner(int fd, const char *path, const struct stat *st,
	   struct ctip_err *err)
{
	if ((st->st_uid != geteuid() || st->st_gid != getegid()) &&
	    fchown(fd, st->st_uid, st->st_gid) != 0)
		return ctip_err_set(err, CTIP_EIO,
				    "could not give the new \"%s\" its owner "
				    "and group (uid %ld, gid %ld): %s; run "
				    "this as its owner; nothing was changed",
				    path, (long)st->st_uid, (long)st->st_gid,
				    strerror(errno));
	if (fchmod(fd, st->st_mode & 0700) != 0)
		return ctip_err_set(err, CTIP_EIO,
				    "could not give the new \"%s\" its mode: "
				    "%s; nothing was changed",
				    path, strerror(errno));
	return CTIP_OK;
}

enum ctip_status
ctip_fs_replace(const char *path, const void *data, size_t len,
		struct ctip_err *err)
{
	char tmp[4096], dir[4096], *real;
	enum ctip_status rc;
	struct stat st;
	bool existed;
	int fd;

	/* A symlink stays a symlink: its target is replaced (the key may
	 * live on another mount, with its backups). */
	real = realpath(path, NULL);
	if (real == NULL && errno != ENOENT)
		return ctip_err_set(err, CTIP_EIO,
				    "could not resolve \"%s\": %s", path,
				    strerror(errno));
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", real ? real : path) >=
	    sizeof(tmp)) {
		free(real);
		return ctip_err_set(err, CTIP_EINVAL, "path too long");
	}
	existed = stat(real ? real : path, &st) == 0;
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = ctip_err_set(err, CTIP_EIO, "could not create \"%s\": %s",
				  tmp, strerror(errno));
		free(real);
		return rc;
	}
	rc = existed ? keep_owner(fd, path, &st, err) : CTIP_OK;
	if (rc == CTIP_OK)
		rc = write_all(fd, tmp, data, len, err);
	close(fd);
	if (rc == CTIP_OK && rename(tmp, real ? real : path) != 0)
		rc = ctip_err_set(err, CTIP_EIO, "could not replace \"%s\": %s",
				  path, strerror(errno));
	if (rc != CTIP_OK) {
		unlink(tmp);
		free(real);
		return rc;
	}
	/* The rename itself survives a power cut once the directory is
	 * synced. Best effort: the file is in place and whole, and a
	 * failure now would say "not replaced" of a file that was. */
	ctip_fs_dir_of(dir, sizeof(dir), real ? real : path);
	free(real);
	(void)ctip_fs_sync(dir);
	return CTIP_OK;
}

enum ctip_status
ctip_fs_mkparent(const char *path, struct ctip_err *err)
{
	char dir[4096];
	char *p;

	if ((size_t)snprintf(dir, sizeof(dir), "%s", path) >= sizeof(dir))
		return ctip_err_set(err, CTIP_EINVAL, "path too long");
	p = strrchr(dir, '/');
	if (p == NULL || p == dir)
		return CTIP_OK;
	*p = '\0';
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return ctip_err_set(err, CTIP_EIO,
					    "could not create directory "
					    "\"%s\": %s",
					    dir, strerror(errno));
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return ctip_err_set(err, CTIP_EIO,
				    "could not create directory \"%s\": %s",
				    dir, strerror(errno));
	return CTIP_OK;
}
