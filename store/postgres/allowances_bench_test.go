package postgres

import (
	"context"
	"strconv"
	"testing"

	"stackfit"
	"stackfit/events"
	"stackfit/rules"
	"stackfit/rules/rulestest"
	"stackfit/store/storetest"
)

// BenchmarkAllowancesTake is one take of a limit kept in the database, from
// 1,000 addresses, one at a time and from many goroutines; compare with
// BenchmarkAddressLimiter (the root package), the same take in memory:
//
//	scripts/postgres go test ./store/postgres -run '^$' -bench AllowancesTake
//	go test . -run '^$' -bench AddressLimiter
func BenchmarkAllowancesTake(b *testing.B) {
	db := newDatabase(b)
	st, err := Open(context.Background(), db.url)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	al, err := st.Allowances(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer al.Close()
	r := stackfit.Rate{Burst: 1 << 30, PerMinute: 1} // every take goes ahead, as most do
	take := func(i int) {
		if _, err := al.Take(context.Background(), "bench", "10.0.0."+strconv.Itoa(i%1000), r); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("serial", func(b *testing.B) {
		i := 0
		for b.Loop() {
			take(i)
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				take(i)
				i++
			}
		})
	})
}

// BenchmarkBurstLimits is storetest.BenchmarkWorkshopBurst through the App:
// 300 people joining and submitting to one workshop at once, all from one
// office address, with the submission limit kept in memory and in the
// database (where all 300 take from one row). The difference is what the
// limit shared by instances costs a burst.
//
//	STACKFIT_TEST_POSTGRES_FSYNC=on scripts/postgres go test ./store/postgres -run '^$' -bench BurstLimits -benchtime 5x -count 3
func BenchmarkBurstLimits(b *testing.B) {
	db := newDatabase(b)
	ctx := context.Background()
	st, err := Open(ctx, db.url)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	al, err := st.Allowances(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer al.Close()
	rs := rulestest.Builtin(b)
	limits := stackfit.DefaultLimits()
	limits.Submissions = stackfit.Rate{Burst: 1 << 30, PerMinute: 1}
	apps := []struct {
		name string
		app  *stackfit.App
	}{
		{"memory", stackfit.New(rs, st, events.NewHub(), stackfit.WithLimits(limits))},
		{"database", stackfit.New(rs, st, events.NewHub(), stackfit.WithLimits(limits), stackfit.WithAllowances(al, nil))},
	}
	answers := rules.Answers{"python": rules.One("strong")}
	const n = 300
	for _, a := range apps {
		b.Run(a.name, func(b *testing.B) {
			var lat storetest.Latencies
			for b.Loop() {
				w, _, err := st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Kick-off", Capacity: n})
				if err != nil {
					b.Fatal(err)
				}
				lat.Burst(b, n, func() error {
					_, err := a.app.JoinAndSubmit(ctx, "office", w.Code, "someone", answers)
					return err
				})
			}
			lat.Report(b, true)
		})
	}
}
