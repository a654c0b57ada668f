// Package storetest holds what tests of several packages need of a real
// database: the conformance suite every stackfit.Store passes (Run, run by
// store/ on SQLite and store/postgres on PostgreSQL), the PostgreSQL server
// the tests may use (PostgresURL), and SQLite's write lock held as another
// process would (HoldWriteLock). Only tests import it.
package storetest

import (
	"context"
	"database/sql"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// HoldWriteLock takes SQLite's write lock on path from a second connection,
// as another process would, until the returned function (or the test's
// end) releases it.
func HoldWriteLock(tb testing.TB, path string) (release func()) {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		tb.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		tb.Fatal(err)
	}
	done := false
	release = func() {
		if done {
			return
		}
		done = true
		conn.ExecContext(context.Background(), "ROLLBACK")
		conn.Close()
		db.Close()
	}
	tb.Cleanup(release)
	return release
}
