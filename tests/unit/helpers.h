/* helpers.h: what the unit tests share: temporary directories and file
 * checks, a database fixture (store, key file, reference data), reads and
 * writes on the database file past the store, and users and persons to
 * act with. Include after the ctip headers; it brings cmocka.h. */
#ifndef CTIP_TEST_HELPERS_H
#define CTIP_TEST_HELPERS_H

#include "core/access.h"
#include "core/auth.h"
#include "core/casework.h"
#include "core/org.h"
#include "core/refdata.h"
#include "util/common.h"
#include "util/crypto.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>

/* The clock of every fixture write. */
#define NOW "2026-01-02T03:04:05Z"

/* Communes of Hà Nội (01). */
#define BA_DINH "00004"
#define NGOC_HA "00008"

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

/* --- a database fixture --- */

/* A store in a file of a private temporary directory, with a key file. */
struct db_fixture {
	char dir[64];           /* removed with all it holds at teardown */
	char db[192];           /* dir/ctip.db */
	char key[128];          /* dir/ctip.key */
	struct ctip_store *st;  /* migrated; a test may close it and clear st */
	struct ctip_keyring kr; /* loaded from key */
	struct ctip_arena arena; /* 16 MiB, for anything a test keeps */
	struct ctip_access ax;   /* st and kr, no audit queue */
};

/*
 * Fill f (zeroed by the caller): a new directory with a new key file and a
 * migrated store, the reference data of CTIP_TEST_DATA loaded if load.
 * 0 on success; otherwise -1, with the reason printed.
 */
static inline int
db_fixture_open(struct db_fixture *f, bool load)
{
	struct ctip_err err = { 0 };
	int applied;

	if (!tmpdir_make(f->dir, sizeof(f->dir)))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/ctip.db", f->dir);
	snprintf(f->key, sizeof(f->key), "%s/ctip.key", f->dir);
	ctip_arena_init(&f->arena, 16 << 20);
	if (ctip_keyring_create(f->key, &err) != CTIP_OK ||
	    ctip_keyring_load(&f->kr, f->key, &err) != CTIP_OK ||
	    ctip_store_open(&f->st, f->db, CTIP_OPEN_CREATE, &err) != CTIP_OK ||
	    f->st->ops->migrate(&applied, f->st, &err) != CTIP_OK ||
	    (load &&
	     ctip_refdata_load(f->st, CTIP_TEST_DATA, &err) != CTIP_OK)) {
		print_error("fixture: %s\n", err.msg);
		return -1;
	}
	f->ax.st = f->st;
	f->ax.kr = &f->kr;
	return 0;
}

/* Undo db_fixture_open, also after it failed half way; f is not freed. */
static inline void
db_fixture_close(struct db_fixture *f)
{
	if (f->st != NULL)
		f->st->ops->close(f->st);
	ctip_keyring_wipe(&f->kr);
	ctip_arena_free(&f->arena);
	tmpdir_remove(f->dir);
}

/* A calloc'd db_fixture into *state, opened with load; see below. */
static inline int
db_setup(void **state, bool load)
{
	struct db_fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	*state = f;
	return db_fixture_open(f, load);
}

/* cmocka setup: a struct db_fixture with the reference data loaded. */
static inline int
db_setup_loaded(void **state)
{
	return db_setup(state, true);
}

/* cmocka setup: a struct db_fixture with empty reference tables. */
static inline int
db_setup_empty(void **state)
{
	return db_setup(state, false);
}

/* cmocka teardown of db_setup_loaded and db_setup_empty. */
static inline int
db_teardown(void **state)
{
	struct db_fixture *f = *state;

	db_fixture_close(f);
	free(f);
	return 0;
}

/* A cmocka test on a fresh db_fixture, with reference data or without. */
#define LOADED(t)                                                              \
	cmocka_unit_test_setup_teardown(t, db_setup_loaded, db_teardown)
#define EMPTY(t) cmocka_unit_test_setup_teardown(t, db_setup_empty, db_teardown)

/* The store's count of kind. */
static inline long
store_count(struct ctip_store *st, enum ctip_count_kind kind)
{
	struct ctip_err err = { 0 };
	long n = -1;

	assert_int_equal(st->ops->count(&n, st, kind, &err), CTIP_OK);
	return n;
}

/* --- the database file, as someone with the file would see it --- */

/*
 * sql prepared on a read-only connection of its own to the database file
 * db; fails the test if it does not prepare. Finish with raw_done().
 */
static inline sqlite3_stmt *
raw_query(const char *db, const char *sql)
{
	sqlite3 *conn = NULL;
	sqlite3_stmt *q = NULL;

	assert_int_equal(sqlite3_open_v2(db, &conn, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	sqlite3_busy_timeout(conn, 10000);
	if (sqlite3_prepare_v2(conn, sql, -1, &q, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(conn));
	return q;
}

/* Finalize q and close the connection raw_query opened for it. */
static inline void
raw_done(sqlite3_stmt *q)
{
	sqlite3 *conn = sqlite3_db_handle(q);

	sqlite3_finalize(q);
	sqlite3_close(conn);
}

/* The first value of sql on the file db (?1 bound to arg as text unless
 * NULL) as text in a, NULL when there is no row or the value is NULL. */
static inline char *
raw_text(struct ctip_arena *a, const char *db, const char *sql, const char *arg)
{
	sqlite3_stmt *q = raw_query(db, sql);
	char *out = NULL;

	if (arg != NULL)
		sqlite3_bind_text(q, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		out = ctip_arena_strdup(
			a, (const char *)sqlite3_column_text(q, 0));
	raw_done(q);
	return out;
}

/* The first value of sql on the file db (?1 bound to arg as text unless
 * NULL) as an integer, -1 when there is no row or the value is NULL. */
static inline long
raw_long(const char *db, const char *sql, const char *arg)
{
	sqlite3_stmt *q = raw_query(db, sql);
	long n = -1;

	if (arg != NULL)
		sqlite3_bind_text(q, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW &&
	    sqlite3_column_type(q, 0) != SQLITE_NULL)
		n = (long)sqlite3_column_int64(q, 0);
	raw_done(q);
	return n;
}

/* Run sql on a connection of its own to the file db; the SQLite code. */
static inline int
raw_exec(const char *db, const char *sql)
{
	sqlite3 *conn = NULL;
	int rc;

	assert_int_equal(sqlite3_open(db, &conn), SQLITE_OK);
	sqlite3_busy_timeout(conn, 10000);
	rc = sqlite3_exec(conn, sql, NULL, NULL, NULL);
	sqlite3_close(conn);
	return rc;
}

/* --- users and persons --- */

/* The org unit of agency at the admin unit admin (created if need be). */
static inline int64_t
unit_at(struct db_fixture *f, const char *agency, const char *admin)
{
	struct ctip_err err = { 0 };
	int64_t id = 0;

	assert_int_equal(ctip_org_ensure(&id, f->st, agency, admin, NOW, &err),
			 CTIP_OK);
	return id;
}

/*
 * A principal for a new user of agency's unit at admin with roles (a
 * comma-separated list), filled as for a signed-in request from
 * 192.0.2.7. The user has no usable password (no Argon2 cost) and need
 * not change it.
 */
static inline struct ctip_principal
user_at(struct db_fixture *f, const char *username, const char *agency,
	const char *admin, const char *roles)
{
	struct ctip_principal p;
	struct ctip_err err = { 0 };
	const char *list[10];
	char *copy = ctip_arena_strdup(&f->arena, roles), *save = NULL, *r;
	int64_t id = 0;
	int n = 0;

	for (r = strtok_r(copy, ",", &save); r != NULL && n < 9;
	     r = strtok_r(NULL, ",", &save))
		list[n++] = r;
	list[n] = NULL;
	assert_int_equal(f->st->ops->user_insert(&id, f->st, username, username,
						 unit_at(f, agency, admin), "-",
						 list, NOW, &err),
			 CTIP_OK);
	assert_int_equal(
		f->st->ops->user_set_password(f->st, id, "-", false, NOW, &err),
		CTIP_OK);
	assert_int_equal(ctip_auth_principal(&p, f->st, id, &err), CTIP_OK);
	snprintf(p.ip, sizeof(p.ip), "192.0.2.7");
	return p;
}

/* How a victim registered in a test was identified (Law Art. 32-33): on
 * the day of reception, by a return certificate. */
static inline const struct ctip_step_input *
by_return_certificate(void)
{
	static const struct ctip_step_input id = {
		.evidence = { "a", "e" },
		.n_evidence = 2,
		.doc_type = "return_certificate",
		.doc_issuer = "Đồn Biên phòng cửa khẩu quốc tế Lào Cai",
		.doc_number = "01/GCN",
		.doc_date = "2020-01-01",
	};

	return &id;
}

/* A valid adult victim of Ba Đình with every identity field filled. */
static inline struct ctip_person_input
person_dao(void)
{
	struct ctip_person_input p;

	memset(&p, 0, sizeof(p));
	p.province_code = "01";
	p.commune_code = BA_DINH;
	p.role = "victim";
	p.sex = "F";
	p.birth_date = "1999-05-01";
	p.ethnicity_code = "01";
	p.nationality = "VN";
	p.citizenship = "vn_citizen";
	p.full_name = "Nguyễn Thị Đào";
	p.citizen_id = "001199012345";
	p.phone = "+84 912-345 678";
	p.address = "Xóm Quýt, ngõ 7";
	p.identification = by_return_certificate();
	return p;
}

/* The stored row of person id; its strings live in f's arena. */
static inline struct ctip_person_rec
person(struct db_fixture *f, int64_t id)
{
	struct ctip_person_rec rec;
	struct ctip_err err = { 0 };

	assert_int_equal(
		f->st->ops->person_get(&rec, f->st, id, &f->arena, &err),
		CTIP_OK);
	return rec;
}

#endif
