// Leak by construction: sessions live in an in-memory SQLite database and expired ones are
// only marked (expired = 1), never deleted, so the database's pages and SQLite's heap grow
// with every login (~2 KB/s on a ~12 MB baseline, +50 % over 45 minutes) and are never given
// back. The page cache is unbounded for :memory:, as SQLite keeps every page of it.
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

int main(int argc, char** argv) {
  const int rows_per_second = argc > 1 ? atoi(argv[1]) : 8;
  sqlite3* db;
  sqlite3_open(":memory:", &db);
  Exec(db, "CREATE TABLE session(id INTEGER PRIMARY KEY, user TEXT, token TEXT, expired INT)");
  Exec(db, "CREATE INDEX session_user ON session(user)");
  // Baseline: the sessions already open at start.
  Exec(db,
       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000) "
       "INSERT INTO session(user, token, expired) "
       "SELECT 'user' || (i % 5000), hex(randomblob(96)), 0 FROM n");
  sqlite3_stmt* insert;
  sqlite3_prepare_v2(db, "INSERT INTO session(user, token, expired) VALUES(?, hex(randomblob(96)), 0)",
                     -1, &insert, NULL);
  srand(25);
  for (;;) {
    Exec(db, "BEGIN");
    for (int i = 0; i < rows_per_second; i++) {
      char user[32];
      snprintf(user, sizeof user, "user%d", rand() % 20000);
      sqlite3_bind_text(insert, 1, user, -1, SQLITE_TRANSIENT);
      sqlite3_step(insert);
      sqlite3_reset(insert);
    }
    Exec(db, "UPDATE session SET expired = 1 WHERE id IN (SELECT id FROM session WHERE expired = 0 "
             "ORDER BY id LIMIT 8)");
    Exec(db, "COMMIT");
    sleep(1);
  }
}
