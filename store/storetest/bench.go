package storetest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"stackfit"
	"stackfit/rules"
)

// BenchmarkWorkshopBurst is 300 people joining and submitting to one
// workshop at once, each iteration a new workshop: the hot path of a big
// kick-off, where every write takes its turn on the workshop (SQLite's one
// writer, PostgreSQL's row lock). It reports submissions a second and the
// p50 and p99 latency of one submission. store/ and store/postgres run it.
func BenchmarkWorkshopBurst(b *testing.B, db Database) {
	ctx := context.Background()
	st := db.Open(b, nil)
	answers, ev := Evaluation(b, rules.Answers{"python": rules.One("strong")})
	const n = 300
	var (
		lat     []time.Duration
		mu      sync.Mutex
		elapsed time.Duration
	)
	for b.Loop() {
		w, _, err := st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Kick-off", Capacity: n})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				t0 := time.Now()
				_, err := st.JoinAndSubmit(ctx, w.Code, "someone", answers, ev)
				d := time.Since(t0)
				if err != nil {
					b.Error(err)
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			})
		}
		wg.Wait()
		elapsed += time.Since(start)
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "submissions/s")
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}
