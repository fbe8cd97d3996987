/* migrations.h: the schema migrations compiled into the binary from
 * src/store/sql/NNN_name.sql (see tools/embed_sql.py). */
#ifndef CTIP_MIGRATIONS_H
#define CTIP_MIGRATIONS_H

struct ctip_migration {
	int version;      /* 1, 2, ... in order */
	const char *name; /* from the file name */
	const char *sql;  /* statements, run in one transaction */
};

extern const struct ctip_migration ctip_migrations[];
extern const int ctip_n_migrations;

#endif
