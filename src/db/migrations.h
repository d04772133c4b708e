/* The embedded schema migrations (generated from src/db/migrations/). */
#ifndef GUANJIA_MIGRATIONS_H
#define GUANJIA_MIGRATIONS_H

struct gj_migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct gj_migration gj_migrations[];
extern const int gj_migration_count;

#endif
