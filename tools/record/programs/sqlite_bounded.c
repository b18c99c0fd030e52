// Not a leak: a session store in a small file database in /tmp with a 4 MB page cache
// (PRAGMA cache_size = -4000); logins insert, a sweeper deletes expired rows, so the table
// holds ~20 000 rows and SQLite's heap stays under its cache bound.
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void Exec(sqlite3* db, const char* sql) {
  char* error = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) {
    fprintf(stderr, "sqlite: %s\n", error);
    exit(1);
  }
}

int main(void) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/perfleak_sqlite_bounded.%d.db", (int)getpid());
  unlink(path);
  sqlite3* db;
  sqlite3_open(path, &db);
  Exec(db, "PRAGMA cache_size = -4000");
  Exec(db, "PRAGMA journal_mode = WAL");
  Exec(db, "PRAGMA synchronous = OFF");
  Exec(db, "CREATE TABLE session(id INTEGER PRIMARY KEY, user TEXT, token TEXT)");
  Exec(db, "CREATE INDEX session_user ON session(user)");
  // Preloaded to its steady size, so the store is warm from the first sample.
  Exec(db,
       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
       "INSERT INTO session(user, token) SELECT 'user' || (i % 20000), hex(randomblob(96)) "
       "FROM n");
  srand(26);
  for (;;) {
    Exec(db, "BEGIN");
    Exec(db, "INSERT INTO session(user, token) SELECT 'user' || abs(random() % 20000), "
             "hex(randomblob(96)) FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 "
             "UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 "
             "UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10)");
    Exec(db, "DELETE FROM session WHERE id <= (SELECT max(id) FROM session) - 20000");
    Exec(db, "SELECT count(*) FROM session WHERE user = 'user42'");
    Exec(db, "COMMIT");
    sleep(1);
  }
}
