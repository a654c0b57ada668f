package postgres

import (
	"bytes"
	"context"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stackfit"
	"stackfit/events"
	"stackfit/rules/rulestest"
)

// clock is a time the test moves, shared by instances as the database's
// clock would be.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// instance is one stackfit instance on the test database: its own store,
// allowances and App.
type instance struct {
	st  *Store
	al  *Allowances
	app *stackfit.App
}

func newInstance(t *testing.T, url string, c *clock, limits stackfit.Limits, log *slog.Logger) instance {
	t.Helper()
	ctx := context.Background()
	st, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var opts []AllowancesOption
	if c != nil {
		opts = append(opts, AllowancesClock(c.now))
	}
	al, err := st.Allowances(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { al.Close() })
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	app := stackfit.New(rulestest.Builtin(t), st, events.NewHub(),
		stackfit.WithLimits(limits), stackfit.WithAllowances(al, log))
	return instance{st: st, al: al, app: app}
}

// Two instances on one database share one allowance per client: a guesser
// of join codes blocked on A is blocked on B, and stays blocked until its
// allowance refills.
func TestGuessingIsLimitedAcrossInstances(t *testing.T) {
	db := newDatabase(t)
	c := newClock()
	a := newInstance(t, db.url, c, stackfit.DefaultLimits(), nil)
	b := newInstance(t, db.url, c, stackfit.DefaultLimits(), nil)
	ctx := t.Context()
	w, _, err := b.app.CreateWorkshop(ctx, "facilitator", stackfit.NewWorkshop{Title: "Billing rewrite"})
	if err != nil {
		t.Fatal(err)
	}
	tries := 0
	for ; tries < 100; tries++ {
		_, err = a.app.FindWorkshop(ctx, "guesser", "ZZZZZZ")
		if stackfit.ErrorCode(err) == stackfit.ELIMIT {
			break
		}
	}
	if tries != 20 {
		t.Fatalf("limited on A after %d unknown codes, want 20 (the guard's burst)", tries)
	}
	if _, err := b.app.FindWorkshop(ctx, "guesser", w.Code); stackfit.ErrorCode(err) != stackfit.ELIMIT {
		t.Fatalf("the guesser blocked on A found a real code on B: %v", err)
	} else if wait := stackfit.RetryAfter(err); wait <= 0 || wait > 3*time.Second {
		t.Errorf("RetryAfter on B = %v, want up to 3s (one code every 3 s)", wait)
	}
	if _, err := b.app.FindWorkshop(ctx, "colleague", w.Code); err != nil {
		t.Errorf("another client is blocked on B too: %v", err)
	}
	// One code every 3 s: after 3 s one more try, on either instance.
	c.advance(3 * time.Second)
	if _, err := b.app.FindWorkshop(ctx, "guesser", "YYYYYY"); stackfit.ErrorCode(err) != stackfit.ENOTFOUND {
		t.Errorf("after 3 s, a try on B: %v, want not found", err)
	}
	if _, err := a.app.FindWorkshop(ctx, "guesser", w.Code); stackfit.ErrorCode(err) != stackfit.ELIMIT {
		t.Errorf("that try spent the refill, yet A let the guesser look up: %v", err)
	}
}

// Workshops created through two instances from one address count against
// one limit, which refills at its rate.
func TestCreationLimitAcrossInstances(t *testing.T) {
	db := newDatabase(t)
	c := newClock()
	limits := stackfit.DefaultLimits()
	limits.Workshops = stackfit.Rate{Burst: 4, PerMinute: 1}
	a := newInstance(t, db.url, c, limits, nil)
	b := newInstance(t, db.url, c, limits, nil)
	ctx := t.Context()
	create := func(in instance) error {
		_, _, err := in.app.CreateWorkshop(ctx, "office", stackfit.NewWorkshop{Title: "Checkout"})
		return err
	}
	for i, in := range []instance{a, b, a, b} {
		if err := create(in); err != nil {
			t.Fatalf("workshop %d of the burst of 4: %v", i+1, err)
		}
	}
	for name, in := range map[string]instance{"A": a, "B": b} {
		err := create(in)
		if stackfit.ErrorCode(err) != stackfit.ELIMIT {
			t.Fatalf("a fifth workshop on %s: %v, want the limit", name, err)
		}
		if wait := stackfit.RetryAfter(err); wait < 59*time.Second || wait > time.Minute {
			t.Errorf("RetryAfter on %s = %v, want a minute", name, wait)
		}
	}
	if err := create(a); stackfit.ErrorCode(err) != stackfit.ELIMIT {
		t.Fatal("refusals spent nothing, yet refilled nothing either: want still limited")
	}
	c.advance(30 * time.Second)
	if err := create(b); stackfit.ErrorCode(err) != stackfit.ELIMIT {
		t.Errorf("half a token after 30 s: %v, want the limit", err)
	} else if wait := stackfit.RetryAfter(err); wait < 29*time.Second || wait > 30*time.Second {
		t.Errorf("RetryAfter after 30 s = %v, want 30s", wait)
	}
	c.advance(30 * time.Second)
	if err := create(b); err != nil {
		t.Errorf("one token refilled after a minute: %v", err)
	}
	if err := create(a); stackfit.ErrorCode(err) != stackfit.ELIMIT {
		t.Errorf("the refilled token was spent on B, yet A created: %v", err)
	}
	if _, _, err := a.app.CreateWorkshop(ctx, "elsewhere", stackfit.NewWorkshop{Title: "Search"}); err != nil {
		t.Errorf("another address: %v", err)
	}
}

// Takes at once, from two instances, spend exactly the burst: the take is
// one atomic statement.
func TestAllowancesConcurrentTakes(t *testing.T) {
	db := newDatabase(t)
	a := newInstance(t, db.url, nil, stackfit.DefaultLimits(), nil)
	b := newInstance(t, db.url, nil, stackfit.DefaultLimits(), nil)
	r := stackfit.Rate{Burst: 50} // a zero rate: nothing refills meanwhile
	var allowed, refused atomic.Int64
	var wg sync.WaitGroup
	for i := range 200 {
		al := []*Allowances{a.al, b.al}[i%2]
		wg.Go(func() {
			wait, err := al.Take(context.Background(), "test", "office", r)
			switch {
			case err != nil:
				t.Error(err)
			case wait == 0:
				allowed.Add(1)
			case wait == time.Duration(math.MaxInt64):
				refused.Add(1)
			default:
				t.Errorf("refused with wait %v, want forever at a zero rate", wait)
			}
		})
	}
	wg.Wait()
	if allowed.Load() != 50 || refused.Load() != 150 {
		t.Errorf("%d allowed, %d refused; want 50 and 150", allowed.Load(), refused.Load())
	}
}

// The table keeps no client address, and Wait spends nothing.
func TestAllowancesKeepNoAddress(t *testing.T) {
	db := newDatabase(t)
	in := newInstance(t, db.url, newClock(), stackfit.DefaultLimits(), nil)
	ctx := t.Context()
	r := stackfit.Rate{Burst: 2, PerMinute: 6}
	if _, err := in.al.Take(ctx, "test", "203.0.113.7", r); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if wait, err := in.al.Wait(ctx, "test", "203.0.113.7", r); err != nil || wait != 0 {
			t.Fatalf("Wait with a token left: %v, %v", wait, err)
		}
	}
	if wait, err := in.al.Take(ctx, "test", "203.0.113.7", r); err != nil || wait != 0 {
		t.Fatalf("the second of a burst of 2: %v, %v (Wait spent a token?)", wait, err)
	}
	if wait, err := in.al.Wait(ctx, "test", "203.0.113.7", r); err != nil || wait != 10*time.Second {
		t.Errorf("Wait with the burst spent: %v, %v; want 10s (6 a minute)", wait, err)
	}
	var n int
	var client []byte
	if err := db.QueryRow(t, `SELECT count(*), (SELECT client FROM allowances LIMIT 1) FROM allowances`).Scan(&n, &client); err != nil {
		t.Fatal(err)
	}
	if n != 1 || len(client) != 16 || bytes.Contains(client, []byte("203.0.113")) {
		t.Errorf("%d rows, client %x: want one row keyed by a 16-byte hash", n, client)
	}
}

// Refilled buckets are deleted, at most sweepBatch at a time; the next
// take sweeps again while a batch comes back full.
func TestAllowancesSweep(t *testing.T) {
	db := newDatabase(t)
	c := newClock()
	in := newInstance(t, db.url, c, stackfit.DefaultLimits(), nil)
	ctx := t.Context()
	// 1,500 buckets full a second ago, 10 refilling for another minute.
	if _, err := db.pool.Exec(ctx, `INSERT INTO allowances (name, client, tokens, updated_at, full_at)
		SELECT 'test', int4send(i), 0, $1::timestamptz - interval '1 hour', $1::timestamptz - interval '1 second'
		FROM generate_series(1, 1500) i`, c.now()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.pool.Exec(ctx, `INSERT INTO allowances (name, client, tokens, updated_at, full_at)
		SELECT 'test', int4send(-i), 0, $1::timestamptz, $1::timestamptz + interval '1 minute'
		FROM generate_series(1, 10) i`, c.now()); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := db.QueryRow(t, `SELECT count(*) FROM allowances`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	r := stackfit.Rate{Burst: 5, PerMinute: 5}
	for i, want := range []int{1510 - 1000 + 1, 1 + 10 + 1, 2 + 10 + 1} {
		if _, err := in.al.Take(ctx, "test", "client "+string(rune('a'+i)), r); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != want {
			t.Errorf("after take %d: %d rows, want %d", i+1, n, want)
		}
	}
}

// When the allowances cannot be read, the action goes ahead (the limit
// fails open) and the log says the limit was not applied.
func TestAllowancesFailOpen(t *testing.T) {
	db := newDatabase(t)
	var log bytes.Buffer
	limits := stackfit.DefaultLimits()
	limits.Workshops = stackfit.Rate{Burst: 1, PerMinute: 1}
	in := newInstance(t, db.url, nil, limits, slog.New(slog.NewTextHandler(&log, nil)))
	ctx := t.Context()
	in.al.Close() // the allowances' pool is gone; the store's is not
	for i := range 3 {
		if _, _, err := in.app.CreateWorkshop(ctx, "office", stackfit.NewWorkshop{Title: "Checkout"}); err != nil {
			t.Fatalf("workshop %d with the allowances failing: %v, want created", i+1, err)
		}
	}
	if _, err := in.app.FindWorkshop(ctx, "guesser", "ZZZZZZ"); stackfit.ErrorCode(err) != stackfit.ENOTFOUND {
		t.Errorf("a lookup with the allowances failing: %v, want not found", err)
	}
	if !bytes.Contains(log.Bytes(), []byte("rate limit not applied")) || !bytes.Contains(log.Bytes(), []byte("limit=workshops")) {
		t.Errorf("log %q: want a warning naming the limit", log.String())
	}
}

// A refusal is remembered until it runs out: a client hammering at its
// limit is answered without a query, then the database is asked again.
func TestAllowancesRememberRefusals(t *testing.T) {
	db := newDatabase(t)
	c := newClock()
	in := newInstance(t, db.url, c, stackfit.DefaultLimits(), nil)
	ctx := t.Context()
	r := stackfit.Rate{Burst: 1, PerMinute: 6} // one every 10 s
	if wait, err := in.al.Take(ctx, "test", "hammer", r); err != nil || wait != 0 {
		t.Fatalf("the burst of 1: %v, %v", wait, err)
	}
	if wait, err := in.al.Take(ctx, "test", "hammer", r); err != nil || wait != 10*time.Second {
		t.Fatalf("past the burst: %v, %v; want 10s", wait, err)
	}
	in.al.pool.Close() // from now on, any query fails
	c.advance(4 * time.Second)
	if wait, err := in.al.Take(ctx, "test", "hammer", r); err != nil || wait != 6*time.Second {
		t.Errorf("Take, remembered: %v, %v; want 6s without a query", wait, err)
	}
	if wait, err := in.al.Wait(ctx, "test", "hammer", r); err != nil || wait != 6*time.Second {
		t.Errorf("Wait, remembered: %v, %v; want 6s without a query", wait, err)
	}
	if _, err := in.al.Take(ctx, "test", "someone else", r); err == nil {
		t.Error("another client was answered without a query")
	}
	c.advance(6 * time.Second)
	if _, err := in.al.Take(ctx, "test", "hammer", r); err == nil {
		t.Error("the refusal ran out, yet the take asked no query")
	}
}
