package store

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"stackfit"
)

// published records the events a store publishes.
type published struct {
	mu     sync.Mutex
	events []stackfit.Event
}

func (p *published) Publish(code string, kind stackfit.EventKind, participant string) stackfit.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := stackfit.Event{ID: uint64(len(p.events) + 1), Kind: kind, Participant: participant}
	p.events = append(p.events, e)
	return e
}

func (p *published) last() stackfit.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.events) == 0 {
		return stackfit.Event{}
	}
	return p.events[len(p.events)-1]
}

func openPublishing(t *testing.T) (*Store, *published) {
	t.Helper()
	pub := &published{}
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "stackfit.db"), PublishTo(pub))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, pub
}

// Many people joining at once never take more places than there are: the
// count and the insert share the writer's transaction.
func TestCapacityUnderConcurrentJoins(t *testing.T) {
	const capacity, joiners = 7, 40
	st, _ := openPublishing(t)
	ctx := context.Background()
	w, _, err := st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Small room", Capacity: capacity})
	if err != nil {
		t.Fatal(err)
	}
	if w.Capacity != capacity {
		t.Fatalf("capacity %d, want %d", w.Capacity, capacity)
	}
	codes := make(chan string, joiners)
	var wg sync.WaitGroup
	for i := range joiners {
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				_, err = st.Join(ctx, w.Code, "Ann")
			} else {
				answers, ev := evaluation(t, nil)
				_, err = st.JoinAndSubmit(ctx, w.Code, "Bob", answers, ev)
			}
			codes <- stackfit.ErrorCode(err)
		})
	}
	wg.Wait()
	close(codes)
	got := map[string]int{}
	for c := range codes {
		got[c]++
	}
	if got[""] != capacity || got[stackfit.EFULL] != joiners-capacity {
		t.Errorf("outcomes %v, want %d joined and %d refused as full", got, capacity, joiners-capacity)
	}
	ps, err := st.Participants(ctx, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != capacity {
		t.Errorf("%d participants stored, want %d", len(ps), capacity)
	}
}

func TestLockRemoveAndRejoin(t *testing.T) {
	st, pub := openPublishing(t)
	ctx := context.Background()
	w, _, err := st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Kick-off", Capacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	ann, err := st.Join(ctx, w.Code, "Ann")
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		do      func() error
		errCode string
		event   stackfit.EventKind // the last event published after the step
		people  int                // participants afterwards
	}{
		{"full", func() error { _, err := st.Join(ctx, w.Code, "Bob"); return err }, stackfit.EFULL, stackfit.EventJoined, 1},
		{"lock", func() error {
			w, err := st.Lock(ctx, w.Code)
			if err == nil && !w.Locked {
				t.Error("Lock returned an unlocked workshop")
			}
			return err
		}, "", stackfit.EventLocked, 1},
		{"remove", func() error { return st.RemoveParticipant(ctx, w.Code, ann.ID) }, "", stackfit.EventRemoved, 0},
		{"remove again", func() error { return st.RemoveParticipant(ctx, w.Code, ann.ID) }, stackfit.ENOTFOUND, stackfit.EventRemoved, 0},
		{"join while locked, with a place free", func() error { _, err := st.Join(ctx, w.Code, "Bob"); return err }, stackfit.EFULL, stackfit.EventRemoved, 0},
		{"unlock", func() error {
			w, err := st.Unlock(ctx, w.Code)
			if err == nil && w.Locked {
				t.Error("Unlock returned a locked workshop")
			}
			return err
		}, "", stackfit.EventUnlocked, 0},
		{"join the freed place", func() error { _, err := st.Join(ctx, w.Code, "Bob"); return err }, "", stackfit.EventJoined, 1},
	}
	for _, s := range steps {
		err := s.do()
		if got := stackfit.ErrorCode(err); got != s.errCode {
			t.Errorf("%s: error %v, want code %q", s.name, err, s.errCode)
		}
		if e := pub.last(); e.Kind != s.event {
			t.Errorf("%s: last event %s, want %s", s.name, e.Kind, s.event)
		}
		ps, err := st.Participants(ctx, w.Code)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != s.people {
			t.Errorf("%s: %d participants, want %d", s.name, len(ps), s.people)
		}
	}
	if e := pub.events[len(pub.events)-3]; e.Kind != stackfit.EventRemoved || e.Participant != ann.ID {
		t.Errorf("removal published %+v, want removed for %s", e, ann.ID)
	}
}
