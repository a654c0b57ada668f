package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"stackfit"
	"stackfit/store/storetest"
)

// sqliteDatabase is one SQLite file in the test's temporary directory.
type sqliteDatabase struct{ path string }

func (d sqliteDatabase) Open(t testing.TB, pub stackfit.EventPublisher) storetest.Store {
	t.Helper()
	var opts []Option
	if pub != nil {
		opts = append(opts, PublishTo(pub))
	}
	st, err := Open(context.Background(), d.path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func (d sqliteDatabase) QueryRow(t testing.TB, query string, args ...any) interface{ Scan(...any) error } {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+d.path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db.QueryRow(query, args...)
}

// The store conformance suite, which store/postgres runs too.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Database {
		return sqliteDatabase{path: filepath.Join(t.TempDir(), "stackfit.db")}
	})
}
