package postgres

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
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
func newDatabase(t *testing.T) pgDatabase {
	t.Helper()
	ctx := context.Background()
	server := storetest.PostgresURL(t)
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("stackfit_test_%x", rand.Text()[:12])
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	pool, err := pgxpool.New(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pool.Close()
		admin, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Error(err)
		}
	})
	return pgDatabase{url: u.String(), pool: pool}
}

func (d pgDatabase) Open(t *testing.T, pub stackfit.EventPublisher) storetest.Store {
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

func (d pgDatabase) QueryRow(t *testing.T, query string, args ...any) interface{ Scan(...any) error } {
	return d.pool.QueryRow(context.Background(), query, args...)
}

// The store conformance suite of store/ (SQLite), on PostgreSQL.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Database { return newDatabase(t) })
}
