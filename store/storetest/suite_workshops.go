package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"stackfit"
	"stackfit/rules"
	"stackfit/workshop"
)

func keyHash(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

func testCreateAndReadWorkshop(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	created, key, err := st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Billing rewrite", Context: "Q3 kick-off", Anonymous: true})
	if err != nil {
		t.Fatal(err)
	}
	if code, ok := workshop.ParseCode(created.Code); !ok || code != created.Code {
		t.Errorf("code %q is not a canonical join code", created.Code)
	}
	if len(key) != 43 || strings.ContainsAny(key, "+/=") {
		t.Errorf("key %q is not 43 URL-safe characters", key)
	}
	want := stackfit.Workshop{Code: created.Code, Title: "Billing rewrite", Context: "Q3 kick-off", Anonymous: true, CreatedAt: created.CreatedAt,
		Capacity: stackfit.DefaultCapacity}
	if created != want {
		t.Errorf("created %+v, want %+v", created, want)
	}
	// People type codes in lower case and with a dash between the halves.
	typed := strings.ToLower(created.Code[:3] + "-" + created.Code[3:])
	got, err := st.Workshop(ctx, typed)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("read %+v, want %+v", got, want)
	}
}

func testCreateWorkshopRefusesEmptyTitle(t *testing.T, db Database) {
	st := db.Open(t, nil)
	for _, title := range []string{"", " \t\n"} {
		if _, _, err := st.CreateWorkshop(context.Background(), stackfit.NewWorkshop{Title: title}); err == nil {
			t.Errorf("CreateWorkshop(title %q) succeeded", title)
		}
	}
	if n := count(t, db, "workshops"); n != 0 {
		t.Errorf("%d workshops stored, want 0", n)
	}
}

func testFacilitate(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	w, key := createWorkshop(t, st, "A")
	_, otherKey := createWorkshop(t, st, "B")
	changed := []byte(key)
	changed[10] ^= 1

	got, err := st.Facilitate(ctx, w.Code, key)
	if err != nil {
		t.Fatalf("the workshop's own key: %v", err)
	}
	if got != w {
		t.Errorf("got %+v, want %+v", got, w)
	}
	for name, wrong := range map[string]string{
		"another workshop's key": otherKey,
		"empty":                  "",
		"one character changed":  string(changed),
		"the key's hash":         string(keyHash(key)),
	} {
		if _, err := st.Facilitate(ctx, w.Code, wrong); !errors.Is(err, stackfit.ErrWrongKey) {
			t.Errorf("%s: got %v, want ErrWrongKey", name, err)
		}
	}
	if _, err := st.Facilitate(ctx, "ZZZZZZ", key); !errors.Is(err, stackfit.ErrNotFound) {
		t.Errorf("unknown code: got %v, want ErrNotFound", err)
	}
}

func testOnlyTheKeysHashIsStored(t *testing.T, db Database) {
	st := db.Open(t, nil)
	w, key := createWorkshop(t, st, "A")
	var stored []byte
	if err := db.QueryRow(t, `SELECT key_hash FROM workshops WHERE code = $1`, w.Code).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(stored, []byte(key)) {
		t.Error("key_hash contains the key")
	}
	if sum := sha256.Sum256([]byte(key)); !bytes.Equal(stored, sum[:]) {
		t.Errorf("key_hash is %x, want the key's SHA-256 %x", stored, sum)
	}
}

func testJoinSubmitAndResubmit(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	w, _ := createWorkshop(t, st, "A")
	p := mustJoin(t, st, w.Code, "Ada")
	if p.Name != "Ada" || p.Submitted || p.Answers != nil || p.Evaluation != nil || p.ResultID != "" || !p.SubmittedAt.IsZero() {
		t.Errorf("just joined: %+v", p)
	}
	if got, err := st.Participant(ctx, w.Code, p.ID); err != nil || !reflect.DeepEqual(got, p) {
		t.Errorf("read back: %+v, %v; want %+v", got, err, p)
	}

	answers1, ev1 := Evaluation(t, rules.Answers{"python": rules.One("strong")})
	first, err := st.Submit(ctx, w.Code, p.ID, answers1, ev1)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Submitted || first.ResultID == "" || first.SubmittedAt.IsZero() || first.JoinedAt != p.JoinedAt || first.Name != "Ada" {
		t.Errorf("after submitting: %+v", first)
	}
	if got, err := st.Participant(ctx, w.Code, p.ID); err != nil || !reflect.DeepEqual(got, first) {
		t.Errorf("read back: %+v, %v; want %+v", got, err, first)
	}

	answers2, ev2 := Evaluation(t, rules.Answers{"javascript": rules.One("strong")})
	second, err := st.Submit(ctx, w.Code, p.ID, answers2, ev2)
	if err != nil {
		t.Fatal(err)
	}
	if second.ResultID == first.ResultID {
		t.Error("resubmitting reused the result id")
	}
	got, err := st.Participant(ctx, w.Code, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, second) || !reflect.DeepEqual(got.Answers, answers2) {
		t.Errorf("participant does not hold the newest submission: %+v", got)
	}

	// Both share links work, each showing what it showed when made.
	for _, tt := range []struct {
		id      string
		answers rules.Answers
		ev      *rules.Evaluation
	}{{first.ResultID, answers1, ev1}, {second.ResultID, answers2, ev2}} {
		res, err := st.Result(ctx, tt.id)
		if err != nil {
			t.Fatalf("result %s: %v", tt.id, err)
		}
		if !reflect.DeepEqual(res.Answers, tt.answers) || !reflect.DeepEqual(res.Evaluation, tt.ev) {
			t.Errorf("result %s changed: %+v", tt.id, res)
		}
	}
	if n := count(t, db, "results"); n != 2 {
		t.Errorf("%d results, want 2", n)
	}
}

func testJoinAndSubmit(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	w, _ := createWorkshop(t, st, "A")
	answers, ev := Evaluation(t, rules.Answers{"python": rules.One("strong")})
	p, err := st.JoinAndSubmit(ctx, w.Code, "Grace", answers, ev)
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Participant(ctx, w.Code, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, p) || got.Name != "Grace" || !got.Submitted {
		t.Errorf("read back %+v, want %+v", got, p)
	}
	if _, err := st.Result(ctx, p.ResultID); err != nil {
		t.Errorf("the participant's result: %v", err)
	}

	// Half a submission is no submission: without an evaluation nobody joins.
	if _, err := st.JoinAndSubmit(ctx, w.Code, "Linus", answers, nil); err == nil {
		t.Error("JoinAndSubmit without an evaluation succeeded")
	}
	if n := count(t, db, "participants"); n != 1 {
		t.Errorf("%d participants, want 1", n)
	}
}

func testParticipantsInJoiningOrder(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	w, _ := createWorkshop(t, st, "A")
	if ps, err := st.Participants(ctx, w.Code); err != nil || ps == nil || len(ps) != 0 {
		t.Errorf("nobody joined: got %v, %v; want an empty list", ps, err)
	}
	other, _ := createWorkshop(t, st, "B")
	mustJoin(t, st, other.Code, "not in A")

	names := []string{"Charlie", "Alice", "Bob"}
	for _, name := range names {
		mustJoin(t, st, w.Code, name)
		time.Sleep(2 * time.Millisecond) // joined_at has millisecond resolution
	}
	answers, ev := Evaluation(t, rules.Answers{"python": rules.One("strong")})
	if _, err := st.JoinAndSubmit(ctx, w.Code, "Dana", answers, ev); err != nil {
		t.Fatal(err)
	}
	ps, err := st.Participants(ctx, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Name)
	}
	if want := append(names, "Dana"); !slices.Equal(got, want) {
		t.Errorf("participants %v, want %v", got, want)
	}
	if !ps[3].Submitted || !reflect.DeepEqual(ps[3].Evaluation, ev) {
		t.Errorf("Dana's submission is missing from the list: %+v", ps[3])
	}
}

func testRevealAndCloseAreIdempotent(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	w, _ := createWorkshop(t, st, "A")
	for _, tt := range []struct {
		column string
		do     func(context.Context, string) (stackfit.Workshop, error)
		flag   func(stackfit.Workshop) bool
	}{
		{"revealed_at", st.Reveal, func(w stackfit.Workshop) bool { return w.Revealed }},
		{"closed_at", st.CloseWorkshop, func(w stackfit.Workshop) bool { return w.Closed }},
	} {
		stamped := func() string {
			var at string
			if err := db.QueryRow(t, `SELECT coalesce(CAST(`+tt.column+` AS text), '') FROM workshops WHERE code = $1`, w.Code).Scan(&at); err != nil {
				t.Fatal(err)
			}
			return at
		}
		got, err := tt.do(ctx, w.Code)
		if err != nil || !tt.flag(got) {
			t.Fatalf("%s: got %+v, %v", tt.column, got, err)
		}
		first := stamped()
		time.Sleep(2 * time.Millisecond)
		if got, err := tt.do(ctx, w.Code); err != nil || !tt.flag(got) {
			t.Errorf("%s again: got %+v, %v", tt.column, got, err)
		}
		if again := stamped(); again != first || first == "" {
			t.Errorf("%s: %q after the first time, %q after the second", tt.column, first, again)
		}
		if read, err := st.Workshop(ctx, w.Code); err != nil || !tt.flag(read) {
			t.Errorf("%s: Workshop reads %+v, %v", tt.column, read, err)
		}
		if _, err := tt.do(ctx, "ZZZZZZ"); !errors.Is(err, stackfit.ErrNotFound) {
			t.Errorf("%s of an unknown workshop: %v, want ErrNotFound", tt.column, err)
		}
	}
	if got, _ := st.Workshop(ctx, w.Code); !got.Revealed || !got.Closed {
		t.Errorf("closing forgot the reveal: %+v", got)
	}
}

func testClosedWorkshopRefusesSubmissions(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	w, _ := createWorkshop(t, st, "A")
	p := mustJoin(t, st, w.Code, "Ada")
	if _, err := st.CloseWorkshop(ctx, w.Code); err != nil {
		t.Fatal(err)
	}
	participants, results := count(t, db, "participants"), count(t, db, "results")
	answers, ev := Evaluation(t, rules.Answers{"python": rules.One("strong")})

	if _, err := st.Join(ctx, w.Code, "Bob"); !errors.Is(err, stackfit.ErrClosed) {
		t.Errorf("Join: %v, want ErrClosed", err)
	}
	if _, err := st.Submit(ctx, w.Code, p.ID, answers, ev); !errors.Is(err, stackfit.ErrClosed) {
		t.Errorf("Submit: %v, want ErrClosed", err)
	}
	if _, err := st.JoinAndSubmit(ctx, w.Code, "Bob", answers, ev); !errors.Is(err, stackfit.ErrClosed) {
		t.Errorf("JoinAndSubmit: %v, want ErrClosed", err)
	}
	if got := count(t, db, "participants"); got != participants {
		t.Errorf("%d participants after refusals, want %d", got, participants)
	}
	if got := count(t, db, "results"); got != results {
		t.Errorf("%d results after refusals, want %d", got, results)
	}
	if got, err := st.Participant(ctx, w.Code, p.ID); err != nil || got.Submitted {
		t.Errorf("Ada after a refused submission: %+v, %v", got, err)
	}
}

// Hide and Reopen undo Reveal and CloseWorkshop, and keep the rest: a
// reopened workshop takes answers again, still within its capacity and lock.
func testHideAndReopen(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	answers, ev := Evaluation(t, rules.Answers{"python": rules.One("strong")})
	tests := []struct {
		name     string
		capacity int
		lock     bool
		// after reopening: whether a new person may join
		joinErr error
	}{
		{"open to everyone", 0, false, nil},
		{"full", 1, false, stackfit.ErrFull},
		{"locked", 0, true, stackfit.ErrLocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, _, err := st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: tt.name, Capacity: tt.capacity})
			if err != nil {
				t.Fatal(err)
			}
			ada := mustJoin(t, st, w.Code, "Ada")
			if tt.lock {
				if _, err := st.Lock(ctx, w.Code); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := st.Reveal(ctx, w.Code); err != nil {
				t.Fatal(err)
			}
			if _, err := st.CloseWorkshop(ctx, w.Code); err != nil {
				t.Fatal(err)
			}
			got, err := st.Hide(ctx, w.Code)
			if err != nil || got.Revealed || !got.Closed {
				t.Fatalf("Hide: %+v, %v; want hidden and still closed", got, err)
			}
			if _, err := st.Submit(ctx, w.Code, ada.ID, answers, ev); !errors.Is(err, stackfit.ErrClosed) {
				t.Errorf("Submit while closed: %v, want ErrClosed", err)
			}
			got, err = st.Reopen(ctx, w.Code)
			if err != nil || got.Closed || got.Revealed || got.Locked != tt.lock {
				t.Fatalf("Reopen: %+v, %v; want open, hidden, locked %v", got, err, tt.lock)
			}
			if read, err := st.Workshop(ctx, w.Code); err != nil || read.Closed || read.Revealed {
				t.Errorf("Workshop after Hide and Reopen reads %+v, %v", read, err)
			}
			if p, err := st.Submit(ctx, w.Code, ada.ID, answers, ev); err != nil || !p.Submitted {
				t.Errorf("Submit once reopened: %+v, %v", p, err)
			}
			if _, err := st.Join(ctx, w.Code, "Bob"); !errors.Is(err, tt.joinErr) {
				t.Errorf("Join once reopened: %v, want %v", err, tt.joinErr)
			}
			// Undoing twice is as idempotent as doing twice.
			if _, err := st.Reopen(ctx, w.Code); err != nil {
				t.Errorf("Reopen again: %v", err)
			}
			if got, err := st.Hide(ctx, w.Code); err != nil || got.Revealed {
				t.Errorf("Hide again: %+v, %v", got, err)
			}
		})
	}
	for _, undo := range []func(context.Context, string) (stackfit.Workshop, error){st.Hide, st.Reopen} {
		if _, err := undo(ctx, "ZZZZZZ"); !errors.Is(err, stackfit.ErrNotFound) {
			t.Errorf("undo on an unknown workshop: %v, want ErrNotFound", err)
		}
	}
}

func testMalformedOrUnknownIsNotFound(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	w, key := createWorkshop(t, st, "A")
	p := mustJoin(t, st, w.Code, "Ada")
	answers, ev := Evaluation(t, rules.Answers{"python": rules.One("strong")})

	badCodes := []string{"", "ABC", "ABCDEFG", "O0I1L2", "'; DROP TABLE workshops; --", "ÄÖÜßéè", "ZZZZZZ"}
	for _, code := range badCodes {
		calls := map[string]func() error{
			"Workshop":      func() error { _, err := st.Workshop(ctx, code); return err },
			"Facilitate":    func() error { _, err := st.Facilitate(ctx, code, key); return err },
			"Join":          func() error { _, err := st.Join(ctx, code, "Bob"); return err },
			"Participant":   func() error { _, err := st.Participant(ctx, code, p.ID); return err },
			"Submit":        func() error { _, err := st.Submit(ctx, code, p.ID, answers, ev); return err },
			"JoinAndSubmit": func() error { _, err := st.JoinAndSubmit(ctx, code, "Bob", answers, ev); return err },
			"Participants":  func() error { _, err := st.Participants(ctx, code); return err },
			"Reveal":        func() error { _, err := st.Reveal(ctx, code); return err },
			"CloseWorkshop": func() error { _, err := st.CloseWorkshop(ctx, code); return err },
		}
		for name, call := range calls {
			if err := call(); !errors.Is(err, stackfit.ErrNotFound) {
				t.Errorf("%s(%q) = %v, want ErrNotFound", name, code, err)
			}
		}
	}
	for _, id := range []string{"", "nope", strings.Repeat("A", 22), "'; DROP TABLE participants; --", strings.Repeat("é", 11)} {
		if _, err := st.Participant(ctx, w.Code, id); !errors.Is(err, stackfit.ErrNotFound) {
			t.Errorf("Participant(%q) = %v, want ErrNotFound", id, err)
		}
		if _, err := st.Submit(ctx, w.Code, id, answers, ev); !errors.Is(err, stackfit.ErrNotFound) {
			t.Errorf("Submit(%q) = %v, want ErrNotFound", id, err)
		}
	}
	if n := count(t, db, "workshops"); n != 1 {
		t.Errorf("%d workshops, want 1", n)
	}
	if n := count(t, db, "participants"); n != 1 {
		t.Errorf("%d participants, want 1", n)
	}
	if n := count(t, db, "results"); n != 0 {
		t.Errorf("%d results, want 0", n)
	}
}

func testParticipantBelongsToItsWorkshop(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	a, _ := createWorkshop(t, st, "A")
	b, _ := createWorkshop(t, st, "B")
	p := mustJoin(t, st, a.Code, "Ada")
	answers, ev := Evaluation(t, rules.Answers{"python": rules.One("strong")})

	if _, err := st.Participant(ctx, b.Code, p.ID); !errors.Is(err, stackfit.ErrNotFound) {
		t.Errorf("Participant via B: %v, want ErrNotFound", err)
	}
	if _, err := st.Submit(ctx, b.Code, p.ID, answers, ev); !errors.Is(err, stackfit.ErrNotFound) {
		t.Errorf("Submit via B: %v, want ErrNotFound", err)
	}
	if ps, err := st.Participants(ctx, b.Code); err != nil || len(ps) != 0 {
		t.Errorf("B's participants: %v, %v; want none", ps, err)
	}
	if n := count(t, db, "results"); n != 0 {
		t.Errorf("%d results after a refused submission, want 0", n)
	}
}

func testConcurrentJoinAndSubmit(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	w, _ := createWorkshop(t, st, "A")
	answers, ev := Evaluation(t, rules.Answers{"javascript": rules.One("strong")})
	const n = 100
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := st.JoinAndSubmit(ctx, w.Code, "someone", answers, ev); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	ps, err := st.Participants(ctx, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	ids, results := map[string]bool{}, map[string]bool{}
	for _, p := range ps {
		if !p.Submitted {
			t.Errorf("participant %s is not submitted", p.ID)
		}
		ids[p.ID], results[p.ResultID] = true, true
	}
	if len(ps) != n || len(ids) != n || len(results) != n {
		t.Errorf("%d participants, %d ids, %d result ids; want %d each", len(ps), len(ids), len(results), n)
	}
	if got := count(t, db, "results"); got != n {
		t.Errorf("%d results, want %d", got, n)
	}
}

func testWorkshopsSurviveReopen(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	w, key := createWorkshop(t, st, "A")
	answers, ev := Evaluation(t, rules.Answers{"python": rules.One("strong")})
	p, err := st.JoinAndSubmit(ctx, w.Code, "Ada", answers, ev)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = st.Reveal(ctx, w.Code); err != nil {
		t.Fatal(err)
	}
	st.Close()

	st2 := db.Open(t, nil)
	if got, err := st2.Facilitate(ctx, w.Code, key); err != nil || got != w {
		t.Errorf("after reopening: %+v, %v; want %+v", got, err, w)
	}
	ps, err := st2.Participants(ctx, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || !reflect.DeepEqual(ps[0], p) {
		t.Errorf("after reopening: %+v, want [%+v]", ps, p)
	}
}

// TestMigrateFromResultsOnly opens a database as the release before
// workshops left it: migration 1 applied, a result stored.
// Many people joining at once never take more places than there are: the
// count and the insert share the writer's transaction.
func testCapacityUnderConcurrentJoins(t *testing.T, db Database) {
	const capacity, joiners = 7, 40
	st := db.Open(t, &Published{})
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
				answers, ev := Evaluation(t, nil)
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

func testLockRemoveAndRejoin(t *testing.T, db Database) {
	pub := &Published{}
	st := db.Open(t, pub)
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
	if e := pub.Events()[len(pub.Events())-3]; e.Kind != stackfit.EventRemoved || e.Participant != ann.ID {
		t.Errorf("removal published %+v, want removed for %s", e, ann.ID)
	}
}
