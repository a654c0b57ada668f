package postgres

import (
	"context"
	"errors"
	"io/fs"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"stackfit"
	"stackfit/store/storetest"
)

// lockWaiters counts the sessions of the test's database waiting for a lock.
func lockWaiters(t *testing.T, db pgDatabase) int {
	t.Helper()
	var n int
	if err := db.pool.QueryRow(context.Background(),
		`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitForLockWaiters polls until n sessions wait for a lock, or fails.
func waitForLockWaiters(t *testing.T, db pgDatabase, n int, done <-chan error, what string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); lockWaiters(t, db) < n; {
		select {
		case err := <-done:
			t.Fatalf("%s returned (%v) instead of waiting", what, err)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not wait for a lock", what)
		}
	}
}

// Every free place held by joins in flight (here, another session holding
// the only one): a join waits for them rather than answer full, since they
// may roll back; and the close waits for that join, so it is stored before
// the close, never after.
func TestJoinWaitsForAPlaceInFlightAndTheCloseForIt(t *testing.T) {
	db := newDatabase(t)
	st := db.Open(t, nil)
	ctx := context.Background()
	w, _, err := st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "One seat", Capacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	tx := db.holdLocks(t, `SELECT 1 FROM places WHERE workshop = $1 FOR UPDATE`, w.Code)

	joined, closed := make(chan error, 1), make(chan error, 1)
	var order []string
	go func() {
		_, err := st.Join(ctx, w.Code, "Ada")
		joined <- err
	}()
	waitForLockWaiters(t, db, 1, joined, "the join")
	go func() {
		_, err := st.CloseWorkshop(ctx, w.Code)
		closed <- err
	}()
	waitForLockWaiters(t, db, 2, closed, "the close")
	tx.Rollback(ctx) // the place in flight is free after all

	for range 2 {
		select {
		case err := <-joined:
			if err != nil {
				t.Errorf("join: %v, want the place freed by the rollback", err)
			}
			order = append(order, "join")
		case err := <-closed:
			if err != nil {
				t.Errorf("close: %v", err)
			}
			order = append(order, "close")
		}
	}
	if order[0] != "join" {
		t.Errorf("answered in the order %v: the close did not wait for the join in flight", order)
	}
	if got, err := st.Workshop(ctx, w.Code); err != nil || got.Joined != 1 || !got.Closed {
		t.Errorf("the workshop reads %+v, %v; want Ada in and closed", got, err)
	}
}

// Migration 5 gives the workshops made before it their places, the first
// ones taken by the participants they have: the cap holds as it did, and
// a removal frees a place.
func TestPlacesForExistingWorkshops(t *testing.T) {
	db := newDatabase(t)
	ctx := context.Background()
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	sqlDB := stdlib.OpenDBFromPool(db.pool)
	defer sqlDB.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	// Two workshops as version 1 kept them: 333333 with 2 of 3 places
	// taken, 444444 with 2 of 2.
	ids := []any{stackfit.NewID(), stackfit.NewID(), stackfit.NewID(), stackfit.NewID()} // Ann, Bob, Cy, Di
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO workshops (code, title, anonymous, key_hash, created_at, capacity)
		 VALUES ('333333', 'Three', false, '\x00', now(), 3), ('444444', 'Two', false, '\x00', now(), 2)`, nil},
		{`INSERT INTO participants (id, workshop, name, joined_at) VALUES
		 ($1, '333333', 'Ann', now() - interval '2 minutes'), ($2, '333333', 'Bob', now() - interval '1 minute'),
		 ($3, '444444', 'Cy', now()), ($4, '444444', 'Di', now())`, ids},
	} {
		if _, err := db.pool.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	st := db.Open(t, nil) // migrates the rest

	var places, taken int
	if err := db.pool.QueryRow(ctx, `SELECT count(*), count(participant) FROM places`).Scan(&places, &taken); err != nil {
		t.Fatal(err)
	}
	if places != 5 || taken != 4 {
		t.Errorf("%d places, %d taken; want 5 and 4", places, taken)
	}
	var bobsPlace int
	if err := db.pool.QueryRow(ctx, `SELECT n FROM places WHERE participant = $1`, ids[1]).Scan(&bobsPlace); err != nil || bobsPlace != 2 {
		t.Errorf("Bob, second to join, has place %d (%v), want 2", bobsPlace, err)
	}
	steps := []struct {
		code, name string
		want       error
	}{
		{"333333", "Eve", nil},
		{"333333", "Fay", stackfit.ErrFull},
		{"444444", "Gus", stackfit.ErrFull},
	}
	for _, s := range steps {
		if _, err := st.Join(ctx, s.code, s.name); !errors.Is(err, s.want) {
			t.Errorf("%s joining %s: %v, want %v", s.name, s.code, err, s.want)
		}
	}
	if err := st.RemoveParticipant(ctx, "444444", ids[2].(string)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Join(ctx, "444444", "Gus"); err != nil {
		t.Errorf("Gus joining the place Cy freed: %v", err)
	}
}

// A join or submission waiting for a close (or lock) in flight, on another
// instance, sees the workshop as that change left it once it commits.
func TestChangesWaitForACloseOrLockInFlight(t *testing.T) {
	db := newDatabase(t)
	st := db.Open(t, nil)
	ctx := context.Background()
	answers, ev := storetest.Evaluation(t, nil)
	tests := []struct {
		name, set string
		write     func(code, participant string) error
		want      error
	}{
		{"join, close", "closed_at = now()", func(code, _ string) error { _, err := st.Join(ctx, code, "Ada"); return err }, stackfit.ErrClosed},
		{"join, lock", "locked_at = now()", func(code, _ string) error { _, err := st.Join(ctx, code, "Ada"); return err }, stackfit.ErrLocked},
		{"join and submit, close", "closed_at = now()", func(code, _ string) error {
			_, err := st.JoinAndSubmit(ctx, code, "Ada", answers, ev)
			return err
		}, stackfit.ErrClosed},
		{"submit, close", "closed_at = now()", func(code, id string) error {
			_, err := st.Submit(ctx, code, id, answers, ev)
			return err
		}, stackfit.ErrClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, _, err := st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: tt.name})
			if err != nil {
				t.Fatal(err)
			}
			bob, err := st.Join(ctx, w.Code, "Bob")
			if err != nil {
				t.Fatal(err)
			}
			tx := db.holdLocks(t, `UPDATE workshops SET `+tt.set+` WHERE code = $1`, w.Code)
			done := make(chan error, 1)
			go func() { done <- tt.write(w.Code, bob.ID) }()
			waitForLockWaiters(t, db, 1, done, "the write")
			if err := tx.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			if err := <-done; !errors.Is(err, tt.want) {
				t.Errorf("write once the change committed: %v, want %v", err, tt.want)
			}
			ps, err := st.Participants(ctx, w.Code)
			if err != nil || len(ps) != 1 || ps[0].Submitted {
				t.Errorf("participants %+v, %v; want Bob alone, not submitted", ps, err)
			}
		})
	}
}
