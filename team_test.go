package stackfit_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"stackfit"
)

// countingStore is the real SQLite store, counting the reads a tally makes.
type countingStore struct {
	stackfit.Store
	tallies atomic.Int64
}

func (s *countingStore) Participants(ctx context.Context, code string) ([]stackfit.Participant, error) {
	s.tallies.Add(1)
	return s.Store.Participants(ctx, code)
}

func newCountingApp(t *testing.T) (*testApp, *countingStore) {
	t.Helper()
	cs := &countingStore{}
	app := newAppOver(t, func(st stackfit.Store) stackfit.Store { cs.Store = st; return cs })
	return app, cs
}

// submit joins one more participant with complete answers.
func (a *testApp) submit(code string) {
	a.t.Helper()
	if _, err := a.JoinAndSubmit(a.t.Context(), client, code, "P", a.complete()); err != nil {
		a.t.Fatal(err)
	}
}

// summarizeAll asks for the summary from n pages at once, as the open
// pages of a workshop do after a change, and returns what each saw.
func summarizeAll(t *testing.T, a *testApp, code string, n int) []int {
	t.Helper()
	seen := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			team, err := a.Summarize(t.Context(), code)
			if err != nil {
				t.Error(err)
			}
			seen[i] = team.Summary.Responses
		})
	}
	wg.Wait()
	return seen
}

func TestSummaryIsTalliedOncePerChange(t *testing.T) {
	a, st := newCountingApp(t)
	w, _ := a.workshop(stackfit.NewWorkshop{Title: "Kickoff"})
	steps := []struct {
		name        string
		change      func()
		pages       int
		wantTallies int64
		wantSeen    int
	}{
		{"first read, 300 pages", func() {}, 300, 1, 0},
		{"no change, read again", func() {}, 300, 0, 0},
		{"a submission", func() { a.submit(w.Code) }, 300, 1, 1},
		{"reveal", func() {
			if _, err := a.Reveal(t.Context(), w.Code); err != nil {
				t.Fatal(err)
			}
		}, 300, 1, 1},
		{"two submissions", func() { a.submit(w.Code); a.submit(w.Code) }, 1, 1, 3},
		{"another workshop's change", func() {
			other, _ := a.workshop(stackfit.NewWorkshop{Title: "Other"})
			a.submit(other.Code)
		}, 300, 0, 3},
		// Events may have been missed (the PostgreSQL listener reconnected):
		// the kept summary is not trusted.
		{"a resync", a.hub.Resync, 300, 1, 3},
		{"no change after the resync", func() {}, 300, 0, 3},
	}
	for _, step := range steps {
		step.change()
		before := st.tallies.Load()
		seen := summarizeAll(t, a, w.Code, step.pages)
		if got := st.tallies.Load() - before; got != step.wantTallies {
			t.Errorf("%s: %d pages made %d tallies, want %d", step.name, step.pages, got, step.wantTallies)
		}
		for i, n := range seen {
			if n != step.wantSeen {
				t.Errorf("%s: page %d saw %d responses, want %d", step.name, i, n, step.wantSeen)
				break
			}
		}
	}
}

// TestSummaryIsNeverOlderThanItsEvent has pages read the summary while
// people submit: a page that heard of the k-th submission must see at
// least k responses, however the reads and writes interleave.
func TestSummaryIsNeverOlderThanItsEvent(t *testing.T) {
	a, _ := newCountingApp(t)
	w, _ := a.workshop(stackfit.NewWorkshop{Title: "Kickoff"})
	evs, stop := a.Subscribe(w.Code)
	defer stop()
	const submissions, pages = 40, 8
	var heard atomic.Int64 // submissions whose event has arrived
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range submissions {
			if _, ok := <-evs; !ok {
				t.Error("event stream closed")
				return
			}
			heard.Add(1)
		}
	}()
	var wg sync.WaitGroup
	for range pages {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				want := heard.Load()
				team, err := a.Summarize(t.Context(), w.Code)
				if err != nil {
					t.Error(err)
					return
				}
				if got := int64(team.Summary.Responses); got < want {
					t.Errorf("after %d submission events a page saw %d responses", want, got)
					return
				}
			}
		})
	}
	var writers sync.WaitGroup
	for range 4 {
		writers.Go(func() {
			for range submissions / 4 {
				if _, err := a.JoinAndSubmit(t.Context(), client, w.Code, "P", a.complete()); err != nil {
					t.Error(err)
				}
			}
		})
	}
	writers.Wait()
	<-done
	wg.Wait()
	team, err := a.Summarize(t.Context(), w.Code)
	if err != nil {
		t.Fatal(err)
	}
	if team.Summary.Responses != submissions {
		t.Errorf("after every submission the summary counts %d, want %d", team.Summary.Responses, submissions)
	}
}
