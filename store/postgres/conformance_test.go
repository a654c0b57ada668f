package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"stackfit"
	"stackfit/store/storetest"
)

// pgDatabase is a database of its own on the test server, dropped at the
// test's end.
type pgDatabase struct {
	url  string
	pool *pgxpool.Pool // past the store's API, for QueryRow
}

// newDatabase creates an empty database for one test.
func newDatabase(t testing.TB) pgDatabase {
	t.Helper()
	url := storetest.PostgresDatabase(t)
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close) // before the database is dropped: cleanups run last first
	return pgDatabase{url: url, pool: pool}
}

// holdLocks runs sql in a transaction of another session and leaves it
// open, holding the locks it took, until the caller commits or rolls it
// back, or the test ends.
func (d pgDatabase) holdLocks(t testing.TB, sql string, args ...any) pgx.Tx {
	t.Helper()
	ctx := context.Background()
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback(ctx) })
	if _, err := tx.Exec(ctx, sql, args...); err != nil {
		t.Fatal(err)
	}
	return tx
}

func (d pgDatabase) Open(t testing.TB, pub stackfit.EventPublisher) storetest.Store {
	t.Helper()
	var opts []Option
	if pub != nil {
		opts = append(opts, PublishTo(pub))
	}
	st, err := Open(context.Background(), d.url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func (d pgDatabase) QueryRow(t testing.TB, query string, args ...any) interface{ Scan(...any) error } {
	return d.pool.QueryRow(context.Background(), query, args...)
}

// The store conformance suite of store/ (SQLite), on PostgreSQL.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Database { return newDatabase(t) })
}
