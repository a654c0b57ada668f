package postgres

import (
	"context"
	"testing"

	"stackfit"
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

// BenchmarkCreateWorkshop: a workshop of the default capacity, whose places
// (one row each) are made with it.
func BenchmarkCreateWorkshop(b *testing.B) {
	st := newDatabase(b).Open(b, nil)
	for b.Loop() {
		if _, _, err := st.CreateWorkshop(context.Background(), stackfit.NewWorkshop{Title: "Kick-off", Capacity: stackfit.DefaultCapacity}); err != nil {
			b.Fatal(err)
		}
	}
}
