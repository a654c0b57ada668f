package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"stackfit/rules"
	"stackfit/store/storetest"
)

// BenchmarkBurst300 is 300 concurrent SaveResult calls per iteration, as a
// 300-person workshop submitting at once. It reports the p50 and p99 of
// their latencies, and the time of one durable commit on this disk (a
// SaveResult alone) to compare them with.
//
//	go test ./store -run '^$' -bench Burst300 -benchtime 5x
func BenchmarkBurst300(b *testing.B) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(b.TempDir(), "stackfit.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	rs, err := rules.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	answers, err := rs.Check(rules.Answers{"python": rules.One("strong")})
	if err != nil {
		b.Fatal(err)
	}
	ev, err := rs.Evaluate(answers)
	if err != nil {
		b.Fatal(err)
	}

	var single []time.Duration
	for range 20 {
		start := time.Now()
		if _, err := st.SaveResult(ctx, "", answers, ev); err != nil {
			b.Fatal(err)
		}
		single = append(single, time.Since(start))
	}
	slices.Sort(single)

	const n = 300
	var lat storetest.Latencies
	b.ResetTimer()
	for b.Loop() {
		lat.Burst(b, n, func() error {
			_, err := st.SaveResult(ctx, "", answers, ev)
			return err
		})
	}
	lat.Report(b, false)
	b.ReportMetric(float64(single[len(single)/2].Microseconds())/1000, "commit-ms")
}

// BenchmarkWorkshopBurst: storetest.BenchmarkWorkshopBurst on SQLite, to
// set beside store/postgres's.
//
//	go test ./store -run '^$' -bench WorkshopBurst -benchtime 5x
func BenchmarkWorkshopBurst(b *testing.B) {
	storetest.BenchmarkWorkshopBurst(b, sqliteDatabase{path: filepath.Join(b.TempDir(), "stackfit.db")})
}
