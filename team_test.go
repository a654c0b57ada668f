package stackfit_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"stackfit"
	"stackfit/events"
	"stackfit/rules"
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

// TestSummarySeesThePagesOwnWrite: two instances over one database, as
// behind a round-robin proxy; other never hears this one's events, as an
// instance whose notification has not yet arrived. Its kept summary misses
// a submission made here, so Summarize alone may show a person a team
// without their own answers; SummarizeSeeing, given the participant the page
// read, tallies afresh and says not to keep what it made.
func TestSummarySeesThePagesOwnWrite(t *testing.T) {
	var st stackfit.Store
	a := newAppOver(t, func(s stackfit.Store) stackfit.Store { st = s; return s })
	otherHub := events.NewHub()
	other := stackfit.New(a.rules, st, otherHub) // hears nothing unless told
	w, _ := a.workshop(stackfit.NewWorkshop{Title: "Kickoff"})
	ctx := t.Context()

	responses := func(app *stackfit.App) int {
		t.Helper()
		team, err := app.Summarize(ctx, w.Code)
		if err != nil {
			t.Fatal(err)
		}
		return team.Summary.Responses
	}
	// seeing is what the page of participant id sees on app.
	seeing := func(app *stackfit.App, id string) (stackfit.Participant, int, bool) {
		t.Helper()
		p, err := app.Participant(ctx, w.Code, id)
		if err != nil {
			t.Fatal(err)
		}
		team, kept, err := app.SummarizeSeeing(ctx, w.Code, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range team.Participants {
			if q.ID == p.ID && (q.ResultID != p.ResultID || q.Submitted != p.Submitted) {
				t.Errorf("the summary lists %s with result %q (submitted %v); the page read %q (%v)", p.ID, q.ResultID, q.Submitted, p.ResultID, p.Submitted)
			}
		}
		return p, team.Summary.Responses, kept
	}

	if n := responses(other); n != 0 {
		t.Fatalf("before any submission the other instance counts %d", n)
	}
	first, err := a.JoinAndSubmit(ctx, client, w.Code, "Ada", a.complete())
	if err != nil {
		t.Fatal(err)
	}
	// The condition the page must survive: the other instance keeps the
	// summary from before the submission.
	if n := responses(other); n != 0 {
		t.Fatalf("the other instance heard nothing, yet counts %d: the test no longer shows a stale summary", n)
	}

	changed := a.complete()
	q := a.rules.Questions()[0]
	changed[q.ID] = rules.Choice{Options: []string{q.Options[len(q.Options)-1].ID}, Multiple: q.Multiple}
	steps := []struct {
		name      string
		write     func() error
		app       *stackfit.App
		responses int
		kept      bool
	}{
		{"on the instance that wrote", nil, a.App, 1, true},
		{"on one that has not heard", nil, other, 1, false},
		{"answers changed, on one that has not heard", func() error {
			_, err := a.Submit(ctx, client, w.Code, first.ID, changed)
			return err
		}, other, 1, false},
		{"answers changed, on the instance that wrote", nil, a.App, 1, true},
	}
	var lastResult string
	for _, s := range steps {
		if s.write != nil {
			if err := s.write(); err != nil {
				t.Fatal(err)
			}
		}
		p, n, kept := seeing(s.app, first.ID)
		if n != s.responses || kept != s.kept {
			t.Errorf("%s: %d responses, kept %v; want %d, %v", s.name, n, kept, s.responses, s.kept)
		}
		lastResult = p.ResultID
	}
	if lastResult == first.ResultID {
		t.Errorf("the changed answers kept the share link %s: has() cannot tell the submissions apart", lastResult)
	}
	// The fresh tallies were not kept: the other instance's summary moves
	// on with its events, as before.
	if n := responses(other); n != 0 {
		t.Errorf("a fresh tally was kept under the old version: %d responses", n)
	}

	// The notifications reach the other instance, which then keeps a
	// summary listing Ada. The facilitator removes her here; the board
	// after it may be on the other instance.
	otherHub.Publish(w.Code, stackfit.EventSubmitted, first.ID)
	if n := responses(other); n != 1 {
		t.Fatalf("the other instance, told of the submission, counts %d", n)
	}
	if err := a.RemoveParticipant(ctx, w.Code, first.ID); err != nil {
		t.Fatal(err)
	}
	for _, app := range []*stackfit.App{a.App, other} {
		team, kept, err := app.SummarizeWithout(ctx, w.Code, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(team.Participants) != 0 || kept != (app == a.App) {
			t.Errorf("after the removal: %d participants, kept %v", len(team.Participants), kept)
		}
	}
}
