package storetest

import (
	"os"
	"testing"
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
