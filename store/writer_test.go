package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"stackfit/store/storetest"
	"sync"
	"testing"
	"time"

	"stackfit"
	"stackfit/rules"
)

// holdWriter keeps the writer goroutine busy inside a write of its own until
// release is called, so the writes asked for meanwhile wait in the queue and
// are then gathered into one transaction.
func holdWriter(t *testing.T, st *Store) (release func()) {
	t.Helper()
	started, hold, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- st.inTx(context.Background(), func(context.Context, *sql.Tx) error {
			close(started)
			<-hold
			return nil
		})
	}()
	<-started
	var once sync.Once
	release = func() {
		once.Do(func() {
			close(hold)
			if err := <-done; err != nil {
				t.Errorf("holding write: %v", err)
			}
		})
	}
	t.Cleanup(release)
	return release
}

// waitQueued waits until n writes wait in the writer's queue.
func waitQueued(t *testing.T, st *Store, n int) {
	t.Helper()
	for len(st.queue) < n {
		time.Sleep(time.Millisecond)
	}
}

// settingWrite stores name in settings, or fails with fail after writing it
// (the savepoint must undo it).
func settingWrite(name string, fail error) func(context.Context, *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES (?, x'00')`, name); err != nil {
			return err
		}
		return fail
	}
}

func hasSetting(t *testing.T, st *Store, name string) bool {
	t.Helper()
	var n int
	if err := st.read.QueryRow(`SELECT count(*) FROM settings WHERE name = ?`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// A batch keeps the writes that succeed whatever the others in it do: each
// runs in its own savepoint, and a failure that ends the whole transaction
// makes the writer run the batch again without it.
func TestBatchKeepsTheWritesThatSucceed(t *testing.T) {
	errPlain := errors.New("refused")
	tests := []struct {
		name string
		fail map[int]error // write index → the error it fails with
		// endsTx: the failing write ends SQLite's transaction itself, as
		// SQLITE_FULL or an I/O error may.
		endsTx bool
	}{
		{name: "all succeed", fail: nil},
		{name: "first fails", fail: map[int]error{0: errPlain}},
		{name: "one in the middle fails", fail: map[int]error{3: errPlain}},
		{name: "last fails", fail: map[int]error{7: errPlain}},
		{name: "several fail", fail: map[int]error{1: errPlain, 2: stackfit.ErrClosed, 6: errPlain}},
		{name: "all fail", fail: map[int]error{0: errPlain, 1: errPlain, 2: errPlain, 3: errPlain, 4: errPlain, 5: errPlain, 6: errPlain, 7: errPlain}},
		{name: "a failure ends the transaction", fail: map[int]error{4: errPlain}, endsTx: true},
	}
	const n = 8
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _ := openTemp(t)
			release := holdWriter(t, st)
			before := st.commits.Load()
			errs := make([]chan error, n)
			for i := range n {
				errs[i] = make(chan error, 1)
				write := settingWrite(fmt.Sprint("w", i), tt.fail[i])
				if tt.fail[i] != nil && tt.endsTx {
					write = func(ctx context.Context, tx *sql.Tx) error {
						settingWrite(fmt.Sprint("w", i), nil)(ctx, tx)
						tx.ExecContext(ctx, "ROLLBACK") // SQLite's own rollback
						return tt.fail[i]
					}
				}
				go func() { errs[i] <- st.inTx(context.Background(), write) }()
				waitQueued(t, st, i+1)
			}
			release()
			for i := range n {
				err := <-errs[i]
				if want := tt.fail[i]; !errors.Is(err, want) || (want == nil) != (err == nil) {
					t.Errorf("write %d: %v, want %v", i, err, want)
				}
				if got, want := hasSetting(t, st, fmt.Sprint("w", i)), tt.fail[i] == nil; got != want {
					t.Errorf("write %d stored: %v, want %v", i, got, want)
				}
			}
			// The holding write's commit, then one for the batch (two when
			// it had to run again).
			commits := st.commits.Load() - before
			if want := int64(2); tt.endsTx {
				want = 3
				if commits > want {
					t.Errorf("%d commits, want at most %d", commits, want)
				}
			} else if len(tt.fail) < n && commits != want {
				t.Errorf("%d commits, want %d: the queued writes were not gathered into one", commits, want)
			}
		})
	}
}

// A write that panics fails alone: the writer goroutine survives, the
// others in its batch are stored, and later writes still go through.
func TestPanickingWriteFailsAlone(t *testing.T) {
	st, _ := openTemp(t)
	release := holdWriter(t, st)
	errs := make([]chan error, 3)
	for i := range errs {
		errs[i] = make(chan error, 1)
		write := settingWrite(fmt.Sprint("p", i), nil)
		if i == 1 {
			write = func(ctx context.Context, tx *sql.Tx) error {
				settingWrite("p1", nil)(ctx, tx)
				panic("a bug in a write")
			}
		}
		go func() { errs[i] <- st.inTx(context.Background(), write) }()
		waitQueued(t, st, i+1)
	}
	release()
	for i := range errs {
		err := <-errs[i]
		if (i == 1) != (err != nil) {
			t.Errorf("write %d: %v", i, err)
		}
		if got := hasSetting(t, st, fmt.Sprint("p", i)); got != (i != 1) {
			t.Errorf("write %d stored: %v", i, got)
		}
	}
	if err := st.inTx(context.Background(), settingWrite("after", nil)); err != nil || !hasSetting(t, st, "after") {
		t.Errorf("a write after the panic: %v", err)
	}
}

// The writer takes writes in the order they were asked for, across batches.
func TestWritesRunInOrder(t *testing.T) {
	for _, n := range []int{1, 5, maxBatch, 3*maxBatch + 7} {
		t.Run(fmt.Sprint(n, " writes"), func(t *testing.T) {
			st, _ := openTemp(t)
			release := holdWriter(t, st)
			var (
				mu    sync.Mutex
				order []int
				wg    sync.WaitGroup
			)
			for i := range n {
				wg.Go(func() {
					err := st.inTx(context.Background(), func(context.Context, *sql.Tx) error {
						mu.Lock()
						order = append(order, i)
						mu.Unlock()
						return nil
					})
					if err != nil {
						t.Errorf("write %d: %v", i, err)
					}
				})
				waitQueued(t, st, i+1)
			}
			release()
			wg.Wait()
			if !slices.IsSorted(order) || len(order) != n {
				t.Errorf("writes ran in the order %v, want 0 to %d", order, n-1)
			}
		})
	}
}

// Many writers at once are all stored, in far fewer commits than writes.
func TestConcurrentWritersAllStored(t *testing.T) {
	st, _ := openTemp(t)
	answers, ev := storetest.Evaluation(t, rules.Answers{"python": rules.One("strong")})
	const n = 300
	ids := make(chan string, n)
	var wg sync.WaitGroup
	before := st.commits.Load()
	for range n {
		wg.Go(func() {
			res, err := st.SaveResult(context.Background(), "", answers, ev)
			if err != nil {
				t.Error(err)
				return
			}
			ids <- res.ID
		})
	}
	wg.Wait()
	close(ids)
	for id := range ids {
		if _, err := st.Result(context.Background(), id); err != nil {
			t.Errorf("acknowledged result %s: %v", id, err)
		}
	}
	if got := count(t, st, "results"); got != n {
		t.Errorf("%d results stored, want %d", got, n)
	}
	t.Logf("%d writes in %d commits", n, st.commits.Load()-before)
}

// A write whose deadline passes while it waits in the queue is answered
// EUNAVAILABLE and never written, even once the writer gets to it.
func TestDeadlinePassesInTheQueue(t *testing.T) {
	tests := []struct {
		name   string
		ctx    func() (context.Context, context.CancelFunc)
		want   string
		wantIs error
	}{
		{name: "write deadline", ctx: func() (context.Context, context.CancelFunc) { return context.Background(), func() {} },
			want: stackfit.EUNAVAILABLE},
		{name: "request deadline", ctx: func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 20*time.Millisecond)
		}, want: stackfit.EUNAVAILABLE},
		{name: "client gone", ctx: func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(20*time.Millisecond, cancel)
			return ctx, cancel
		}, wantIs: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "stackfit.db")
			st, err := Open(context.Background(), path, WithWriteDeadline(100*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			release := holdWriter(t, st)
			ctx, cancel := tt.ctx()
			defer cancel()
			err = st.inTx(ctx, settingWrite("late", nil))
			if tt.want != "" && stackfit.ErrorCode(err) != tt.want {
				t.Errorf("expired in the queue: %v (code %q), want %q", err, stackfit.ErrorCode(err), tt.want)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("expired in the queue: %v, want %v", err, tt.wantIs)
			}
			release()
			// A later write is done only after the writer passed the
			// expired one (first in, first out).
			if err := st.inTx(context.Background(), settingWrite("after", nil)); err != nil {
				t.Fatal(err)
			}
			if hasSetting(t, st, "late") {
				t.Error("a write answered as failed was written later")
			}
		})
	}
}

// stateAtPublish is an EventPublisher that reads, at each event, whether
// the change it announces can be read back, from another connection.
type stateAtPublish struct {
	st   *Store
	mu   sync.Mutex
	seen map[stackfit.EventKind]stackfit.Workshop
}

func (p *stateAtPublish) Publish(code string, kind stackfit.EventKind, participant string) stackfit.Event {
	w, _ := p.st.Workshop(context.Background(), code)
	p.mu.Lock()
	p.seen[kind] = w
	p.mu.Unlock()
	return stackfit.Event{}
}

// Events go out after the commit that made them true, also when the write
// shared its transaction with others.
func TestEventsAfterCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stackfit.db")
	pub := &stateAtPublish{seen: map[stackfit.EventKind]stackfit.Workshop{}}
	st, err := Open(context.Background(), path, PublishTo(pub))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pub.st = st
	ctx := context.Background()
	w, _ := createWorkshop(t, st, "Batch")
	answers, ev := storetest.Evaluation(t, rules.Answers{"python": rules.One("strong")})

	tests := []struct {
		kind  stackfit.EventKind
		write func() error
		check func(stackfit.Workshop) bool
	}{
		{stackfit.EventJoined, func() error { _, err := st.Join(ctx, w.Code, "Ada"); return err },
			func(w stackfit.Workshop) bool { return w.Joined >= 1 }},
		{stackfit.EventSubmitted, func() error { _, err := st.JoinAndSubmit(ctx, w.Code, "Bo", answers, ev); return err },
			func(w stackfit.Workshop) bool { return w.Joined >= 2 }},
		{stackfit.EventLocked, func() error { _, err := st.Lock(ctx, w.Code); return err },
			func(w stackfit.Workshop) bool { return w.Locked }},
		{stackfit.EventRevealed, func() error { _, err := st.Reveal(ctx, w.Code); return err },
			func(w stackfit.Workshop) bool { return w.Revealed }},
	}
	release := holdWriter(t, st)
	errs := make(chan error, len(tests)+1)
	for i, tt := range tests {
		go func() { errs <- tt.write() }()
		waitQueued(t, st, i+1)
	}
	// Closing comes last in the same batch, so the writes before it must
	// still have been taken.
	go func() { _, err := st.CloseWorkshop(ctx, w.Code); errs <- err }()
	waitQueued(t, st, len(tests)+1)
	release()
	for range len(tests) + 1 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range tests {
		if got, ok := pub.seen[tt.kind]; !ok || !tt.check(got) {
			t.Errorf("%s published while the store showed %+v: before its commit", tt.kind, got)
		}
	}
	if got := pub.seen[stackfit.EventClosed]; !got.Closed {
		t.Errorf("closed published while the store showed %+v", got)
	}
}
