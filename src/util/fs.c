/* fs.c: whole-file reads and private writes. */
#include "util/fs.h"
#include "util/arena.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

enum ctip_status
ctip_fs_replace(const char *path, const void *data, size_t len,
		struct ctip_err *err)
{
	char tmp[4096];
	enum ctip_status rc;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", path) >= sizeof(tmp))
		return ctip_err_set(err, CTIP_EINVAL, "path too long");
	unlink(tmp);
	rc = ctip_fs_write_new(tmp, data, len, err);
	if (rc != CTIP_OK)
		return rc;
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		return ctip_err_set(err, CTIP_EIO,
				    "could not replace \"%s\": %s", path,
				    strerror(errno));
	}
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
