package storetest

import (
	"context"
	"testing"

	"stackfit"
	"stackfit/rules"
)

// BenchmarkWorkshopBurst is 300 people joining and submitting to one
// workshop at once, each iteration a new workshop: the hot path of a big
// kick-off, where one workshop's writes meet (SQLite's one writer,
// PostgreSQL's places and the workshop's row). It reports submissions a second and the
// p50 and p99 latency of one submission. store/ and store/postgres run it.
func BenchmarkWorkshopBurst(b *testing.B, db Database) {
	ctx := context.Background()
	st := db.Open(b, nil)
	answers, ev := Evaluation(b, rules.Answers{"python": rules.One("strong")})
	const n = 300
	var lat Latencies
	for b.Loop() {
		w, _, err := st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Kick-off", Capacity: n})
		if err != nil {
			b.Fatal(err)
		}
		lat.Burst(b, n, func() error {
			_, err := st.JoinAndSubmit(ctx, w.Code, "someone", answers, ev)
			return err
		})
	}
	lat.Report(b, true)
}
