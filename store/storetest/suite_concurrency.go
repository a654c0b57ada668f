package storetest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"stackfit"
	"stackfit/rules"
)

// Fifty people joining twenty places at once through two servers on one
// database: exactly twenty get in, whichever server they reached.
func testCapacityAcrossInstances(t *testing.T, db Database) {
	const capacity, joiners = 20, 50
	ctx := context.Background()
	a, b := db.Open(t, nil), db.Open(t, nil)
	w, _, err := a.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Town hall", Capacity: capacity})
	if err != nil {
		t.Fatal(err)
	}
	answers, ev := Evaluation(t, nil)
	var joined, full atomic.Int32
	var wg sync.WaitGroup
	for i := range joiners {
		st := []Store{a, b}[i%2]
		wg.Go(func() {
			var err error
			if i%3 == 0 {
				_, err = st.JoinAndSubmit(ctx, w.Code, "Bob", answers, ev)
			} else {
				_, err = st.Join(ctx, w.Code, "Ann")
			}
			switch stackfit.ErrorCode(err) {
			case "":
				joined.Add(1)
			case stackfit.EFULL:
				full.Add(1)
			default:
				t.Errorf("join %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if joined.Load() != capacity || full.Load() != joiners-capacity {
		t.Errorf("%d joined and %d refused as full, want %d and %d", joined.Load(), full.Load(), capacity, joiners-capacity)
	}
	if n := count(t, db, "participants"); n != capacity {
		t.Errorf("%d participants stored, want %d", n, capacity)
	}
	if got, err := b.Workshop(ctx, w.Code); err != nil || got.Joined != capacity || got.PlacesLeft() != 0 {
		t.Errorf("the workshop reads %+v, %v; want %d joined, no place left", got, err, capacity)
	}
}

// A close racing submissions (through two servers): every submission
// acknowledged is stored, every refused one stored nothing, and none that
// started after the close was acknowledged gets in.
func testCloseRacingSubmissions(t *testing.T, db Database) {
	const submitters = 60
	ctx := context.Background()
	pub := &Published{}
	a, b := db.Open(t, pub), db.Open(t, pub)
	w, _, err := a.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Race"})
	if err != nil {
		t.Fatal(err)
	}
	answers, ev := Evaluation(t, rules.Answers{"python": rules.One("strong")})
	var (
		closed           atomic.Bool // set once CloseWorkshop has returned
		stored, refused  atomic.Int32
		wg               sync.WaitGroup
		startAfterClosed = make(chan struct{})
	)
	for i := range submitters {
		st := []Store{a, b}[i%2]
		wg.Go(func() {
			if i == submitters/2 {
				if _, err := st.CloseWorkshop(ctx, w.Code); err != nil {
					t.Error(err)
				}
				closed.Store(true)
				close(startAfterClosed)
				return
			}
			if i > submitters/2+submitters/4 {
				<-startAfterClosed // these start only once the close is committed
			}
			after := closed.Load()
			_, err := st.JoinAndSubmit(ctx, w.Code, "Racer", answers, ev)
			switch {
			case err == nil && after:
				t.Errorf("submission %d began after the close committed, and was stored", i)
			case err == nil:
				stored.Add(1)
			case errors.Is(err, stackfit.ErrClosed):
				refused.Add(1)
			default:
				t.Errorf("submission %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if got := stored.Load() + refused.Load(); got != submitters-1 {
		t.Errorf("%d submissions answered, want %d", got, submitters-1)
	}
	if n := count(t, db, "participants"); n != int(stored.Load()) {
		t.Errorf("%d participants stored, %d submissions acknowledged", n, stored.Load())
	}
	if n := count(t, db, "results"); n != int(stored.Load()) {
		t.Errorf("%d results stored, %d submissions acknowledged", n, stored.Load())
	}
	submitted := 0
	for _, e := range pub.Events() {
		if e.Kind == stackfit.EventSubmitted {
			submitted++
		}
	}
	if submitted != int(stored.Load()) {
		t.Errorf("%d submission events, %d submissions acknowledged", submitted, stored.Load())
	}
	if refused.Load() == 0 {
		t.Error("no submission was refused: the close did not race them")
	}
}

// readingPublisher reads, at each event, the workshop through another
// server: what it announces must already be committed.
type readingPublisher struct {
	st   stackfit.Store
	mu   sync.Mutex
	seen map[stackfit.EventKind]stackfit.Workshop
}

func (p *readingPublisher) Publish(code string, kind stackfit.EventKind, participant string) stackfit.Event {
	w, _ := p.st.Workshop(context.Background(), code)
	p.mu.Lock()
	p.seen[kind] = w
	p.mu.Unlock()
	return stackfit.Event{}
}

func testEventsAfterCommit(t *testing.T, db Database) {
	ctx := context.Background()
	pub := &readingPublisher{st: db.Open(t, nil), seen: map[stackfit.EventKind]stackfit.Workshop{}}
	st := db.Open(t, pub)
	w, _ := createWorkshop(t, st, "Committed")
	answers, ev := Evaluation(t, rules.Answers{"python": rules.One("strong")})
	tests := []struct {
		kind  stackfit.EventKind
		write func() error
		check func(stackfit.Workshop) bool
	}{
		{stackfit.EventJoined, func() error { _, err := st.Join(ctx, w.Code, "Ada"); return err },
			func(w stackfit.Workshop) bool { return w.Joined == 1 }},
		{stackfit.EventSubmitted, func() error { _, err := st.JoinAndSubmit(ctx, w.Code, "Bo", answers, ev); return err },
			func(w stackfit.Workshop) bool { return w.Joined == 2 }},
		{stackfit.EventLocked, func() error { _, err := st.Lock(ctx, w.Code); return err },
			func(w stackfit.Workshop) bool { return w.Locked }},
		{stackfit.EventRevealed, func() error { _, err := st.Reveal(ctx, w.Code); return err },
			func(w stackfit.Workshop) bool { return w.Revealed }},
		{stackfit.EventClosed, func() error { _, err := st.CloseWorkshop(ctx, w.Code); return err },
			func(w stackfit.Workshop) bool { return w.Closed }},
	}
	for _, tt := range tests {
		if err := tt.write(); err != nil {
			t.Fatalf("%s: %v", tt.kind, err)
		}
		if got, ok := pub.seen[tt.kind]; !ok || !tt.check(got) {
			t.Errorf("%s published while another server read %+v: before its commit", tt.kind, got)
		}
	}
}

// A close or a lock racing joins (Join and JoinAndSubmit, through two
// servers): every join acknowledged is stored, every refused one stored
// nothing, and none that started after the change committed gets in.
func testChangeRacingJoins(t *testing.T, db Database) {
	tests := []struct {
		name   string
		change func(stackfit.Store, context.Context, string) (stackfit.Workshop, error)
		refuse error
	}{
		{"close", stackfit.Store.CloseWorkshop, stackfit.ErrClosed},
		{"lock", stackfit.Store.Lock, stackfit.ErrLocked},
	}
	const joiners = 60
	ctx := context.Background()
	a, b := db.Open(t, nil), db.Open(t, nil)
	answers, ev := Evaluation(t, rules.Answers{"python": rules.One("strong")})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, _ := createWorkshop(t, a, "Race to "+tt.name)
			var (
				changed         atomic.Bool // set once the change has returned
				joined, refused atomic.Int32
				wg              sync.WaitGroup
				afterChange     = make(chan struct{})
			)
			for i := range joiners {
				st := []Store{a, b}[i%2]
				wg.Go(func() {
					if i == joiners/2 {
						if _, err := tt.change(st, ctx, w.Code); err != nil {
							t.Error(err)
						}
						changed.Store(true)
						close(afterChange)
						return
					}
					if i > joiners/2+joiners/4 {
						<-afterChange
					}
					after := changed.Load()
					var err error
					if i%3 == 0 {
						_, err = st.Join(ctx, w.Code, "Ann")
					} else {
						_, err = st.JoinAndSubmit(ctx, w.Code, "Bob", answers, ev)
					}
					switch {
					case err == nil && after:
						t.Errorf("join %d began after the %s committed, and got in", i, tt.name)
					case err == nil:
						joined.Add(1)
					case errors.Is(err, tt.refuse):
						refused.Add(1)
					default:
						t.Errorf("join %d: %v, want nil or %v", i, err, tt.refuse)
					}
				})
			}
			wg.Wait()
			if got := joined.Load() + refused.Load(); got != joiners-1 {
				t.Errorf("%d joins answered, want %d", got, joiners-1)
			}
			ps, err := b.Participants(ctx, w.Code)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != int(joined.Load()) {
				t.Errorf("%d participants stored, %d joins acknowledged", len(ps), joined.Load())
			}
			if refused.Load() == 0 {
				t.Errorf("no join was refused: the %s did not race them", tt.name)
			}
		})
	}
}

// Removals racing joins into a full workshop (through two servers): the
// joins take at most the places freed, and afterwards exactly the places
// still free can be taken, no more: a removal frees its place for good.
func testRemovalsRacingJoins(t *testing.T, db Database) {
	const capacity, removals, joiners = 10, 4, 30
	ctx := context.Background()
	a, b := db.Open(t, nil), db.Open(t, nil)
	w, _, err := a.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Musical chairs", Capacity: capacity})
	if err != nil {
		t.Fatal(err)
	}
	var in []stackfit.Participant
	for range capacity {
		in = append(in, mustJoin(t, a, w.Code, "Early"))
	}
	var joined atomic.Int32
	var wg sync.WaitGroup
	for _, p := range in[:removals] {
		wg.Go(func() {
			if err := a.RemoveParticipant(ctx, w.Code, p.ID); err != nil {
				t.Error(err)
			}
		})
	}
	for i := range joiners {
		st := []Store{a, b}[i%2]
		wg.Go(func() {
			_, err := st.Join(ctx, w.Code, "Late")
			switch stackfit.ErrorCode(err) {
			case "":
				joined.Add(1)
			case stackfit.EFULL:
			default:
				t.Errorf("join %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if joined.Load() > removals {
		t.Fatalf("%d joined into %d freed places", joined.Load(), removals)
	}
	// Fill what is left, one at a time, through either server.
	more := 0
	for i := 0; ; i++ {
		_, err := []Store{a, b}[i%2].Join(ctx, w.Code, "Last")
		if errors.Is(err, stackfit.ErrFull) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if more++; more > capacity {
			t.Fatalf("joins go on past the capacity of %d", capacity)
		}
	}
	if want := removals - int(joined.Load()); more != want {
		t.Errorf("%d joined once the race was over, want %d (%d places freed, %d taken in the race)", more, want, removals, joined.Load())
	}
	if got, err := b.Workshop(ctx, w.Code); err != nil || got.Joined != capacity || got.PlacesLeft() != 0 {
		t.Errorf("the workshop reads %+v, %v; want %d joined, no place left", got, err, capacity)
	}
}
