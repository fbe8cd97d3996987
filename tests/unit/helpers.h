/* helpers.h: temporary directories and file checks shared by the unit
 * tests. Include after the ctip headers and before cmocka.h. */
#ifndef CTIP_TEST_HELPERS_H
#define CTIP_TEST_HELPERS_H

#include "util/common.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fresh private directory under /tmp into out (at least 64 bytes). */
static inline bool
tmpdir_make(char *out, size_t cap)
{
	if ((size_t)snprintf(out, cap, "/tmp/ctip-test-XXXXXX") >= cap)
		return false;
	return mkdtemp(out) != NULL;
}

/* rm -r path; quiet if it does not exist. */
static inline void
tmpdir_remove(const char *path)
{
	char sub[4096];
	struct dirent *d;
	struct stat st;
	DIR *dir;

	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	dir = opendir(path);
	while (dir != NULL && (d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path,
				     d->d_name) < sizeof(sub))
			tmpdir_remove(sub);
	}
	if (dir != NULL)
		closedir(dir);
	rmdir(path);
}

/* Permission bits of path, -1 if it does not exist. */
static inline int
file_mode(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return -1;
	return (int)(st.st_mode & 07777);
}

static inline bool
file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Write (create or truncate) path with mode, true on success. */
static inline bool
file_put(const char *path, const void *data, size_t len, int mode)
{
	const char *p = data;
	ssize_t k;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, (mode_t)mode);
	if (fd < 0)
		return false;
	while (len > 0) {
		k = write(fd, p, len);
		if (k <= 0) {
			close(fd);
			return false;
		}
		p += k;
		len -= (size_t)k;
	}
	close(fd);
	return chmod(path, (mode_t)mode) == 0;
}

static inline bool
file_puts(const char *path, const char *text)
{
	return file_put(path, text, strlen(text), 0600);
}

/* The whole file at path, malloc'd and NUL-terminated; NULL if missing. */
static inline char *
file_get(const char *path, size_t *len)
{
	struct stat st;
	size_t got = 0;
	ssize_t k;
	char *data;
	int fd;

	*len = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return NULL;
	}
	data = malloc((size_t)st.st_size + 1);
	while (data != NULL && got < (size_t)st.st_size) {
		k = read(fd, data + got, (size_t)st.st_size - got);
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	if (data != NULL)
		data[got] = '\0';
	*len = got;
	return data;
}

/* True if needle occurs in hay[0..n) (memmem is not in C11 or POSIX). */
static inline bool
bytes_contain(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; k > 0 && i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return true;
	return false;
}

/* True if the file at path holds needle anywhere. */
static inline bool
file_contains(const char *path, const char *needle)
{
	size_t n = 0;
	char *data = file_get(path, &n);
	bool found;

	if (data == NULL)
		return false;
	found = bytes_contain(data, n, needle);
	free(data);
	return found;
}

#endif
