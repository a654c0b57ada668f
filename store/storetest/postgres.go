package storetest

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// PostgresURL is the PostgreSQL server the tests may use
// (STACKFIT_TEST_POSTGRES, which scripts/postgres sets). Without one the
// test is skipped, or fails when STACKFIT_REQUIRE_POSTGRES=1 (scripts/test
// sets it, so a missing server cannot pass unnoticed there).
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	url := os.Getenv("STACKFIT_TEST_POSTGRES")
	switch {
	case url != "":
		return url
	case os.Getenv("STACKFIT_REQUIRE_POSTGRES") == "1":
		tb.Fatal("STACKFIT_TEST_POSTGRES is unset but STACKFIT_REQUIRE_POSTGRES=1: run the tests through ./scripts/test, or scripts/postgres go test ./...")
	default:
		tb.Skip("no PostgreSQL: set STACKFIT_TEST_POSTGRES (scripts/postgres go test ./... starts a throwaway server and sets it)")
	}
	return ""
}

// PostgresDatabase creates an empty database of its own on the test server
// (PostgresURL), dropped at the test's end, and returns its URL.
func PostgresDatabase(tb testing.TB) string {
	tb.Helper()
	ctx := context.Background()
	server := PostgresURL(tb)
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close(ctx)
	name := "stackfit_test_" + strings.ToLower(rand.Text()[:16])
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		tb.Fatal(err)
	}
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	tb.Cleanup(func() {
		admin, err := pgx.Connect(ctx, server)
		if err != nil {
			tb.Error(err)
			return
		}
		defer admin.Close(ctx)
		// FORCE: connections a test left open (a killed server's) go too.
		if _, err := admin.Exec(ctx, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			tb.Error(err)
		}
	})
	return u.String()
}
