package postgres

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"stackfit"
	"stackfit/events"
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

// BenchmarkEventAcrossInstances: how long after a change starts on one
// instance (its transaction, NOTIFY, commit) another instance's board hears
// of it (LISTEN, hub), one change at a time; ns/op is the whole round.
//
//	scripts/postgres go test ./store/postgres -run '^$' -bench EventAcrossInstances
func BenchmarkEventAcrossInstances(b *testing.B) {
	ctx := context.Background()
	d := newDatabase(b)
	open := func() (*Store, *events.Hub) {
		hub := events.NewHub()
		st, err := Open(ctx, d.url, PublishTo(hub))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		l, err := st.Listen(ctx, hub, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(l.Close)
		return st, hub
	}
	a, _ := open()
	_, hubB := open()
	w, _, err := a.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Heard"})
	if err != nil {
		b.Fatal(err)
	}
	onB, stop := hubB.Subscribe(w.Code)
	defer stop()
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := a.Lock(ctx, w.Code); err != nil {
			b.Fatal(err)
		}
		select {
		case <-onB:
		case <-time.After(10 * time.Second):
			b.Fatal("B heard nothing in 10 s")
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), "heard-p50-ms")
	b.ReportMetric(q(0.99), "heard-p99-ms")
}
