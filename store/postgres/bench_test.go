package postgres

import (
	"testing"

	"stackfit/store/storetest"
)

// BenchmarkWorkshopBurst: storetest.BenchmarkWorkshopBurst on PostgreSQL.
// scripts/postgres runs its cluster with fsync=off for the tests; set
// STACKFIT_TEST_POSTGRES_FSYNC=on to compare durable commits with SQLite's.
//
//	scripts/postgres go test ./store/postgres -run '^$' -bench WorkshopBurst -benchtime 5x
func BenchmarkWorkshopBurst(b *testing.B) {
	storetest.BenchmarkWorkshopBurst(b, newDatabase(b))
}
