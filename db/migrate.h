/*
 * migrate.h - the compiled-in migrations (generated from db/migrations/).
 */
#ifndef LSR_MIGRATE_H
#define LSR_MIGRATE_H

struct db_migration {
	int version;      /* NNNN of the file name */
	const char *slug; /* the rest of the file name */
	const char *sql;  /* its content */
};

extern const struct db_migration db_migrations[];
extern const int db_migrations_count;

#endif
