package stackfit_test

import (
	"path/filepath"
	"sync"
	"testing"

	"stackfit"
	"stackfit/rules"
	"stackfit/stackfittest"
)

// BenchmarkRevealFanOut is a facilitator revealing a workshop of 300
// participants while 300 of their pages are open: each page asks for the
// team summary at once, as the live streams do after the event. It reports
// the CPU and allocations of the whole fan-out, per reveal.
func BenchmarkRevealFanOut(b *testing.B) {
	const participants, pages = 300, 300
	limits := stackfit.DefaultLimits()
	limits.Off = true
	c := stackfittest.Open(b, filepath.Join(b.TempDir(), "stackfit.db"), stackfittest.Options{App: []stackfit.Option{stackfit.WithLimits(limits)}})
	defer c.Store.Close()
	app, rs := c.App, c.Rules
	w, _, err := app.CreateWorkshop(b.Context(), client, stackfit.NewWorkshop{Title: "Kickoff", Capacity: participants})
	if err != nil {
		b.Fatal(err)
	}
	answers := rules.Answers{}
	for i, q := range rs.Questions() {
		// Spread the answers, so the tally has something to weigh.
		answers[q.ID] = rules.Choice{Options: []string{q.Options[i%len(q.Options)].ID}, Multiple: q.Multiple}
	}
	for range participants {
		if _, err := app.JoinAndSubmit(b.Context(), client, w.Code, "P", answers); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := app.Reveal(b.Context(), w.Code); err != nil {
			b.Fatal(err)
		}
		var wg sync.WaitGroup
		for range pages {
			wg.Go(func() {
				if _, err := app.Summarize(b.Context(), w.Code); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
	}
}
