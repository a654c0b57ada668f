package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"stackfit"
	"stackfit/metrics"
	"stackfit/workshop"
)

// codeAttempts bounds the retries on a join code already taken. With about
// 887 million codes a collision is rare, five in a row would mean the code
// space is nearly full or the generator is broken.
const codeAttempts = 5

// newCode is workshop.NewCode; a test replaces it to force collisions.
var newCode = workshop.NewCode

// workshopColumns are what readWorkshop scans, in its order.
// The count walks the participants_by_workshop index: a few hundred entries.
const workshopColumns = `code, title, context, anonymous, created_at, revealed_at IS NOT NULL, closed_at IS NOT NULL,
	capacity, locked_at IS NOT NULL, (SELECT count(*) FROM participants WHERE workshop = workshops.code)`

// queryer is what the readers need of *sql.DB and *sql.Tx, so a write
// transaction can check the rows it is about to change.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// CreateWorkshop stores a new workshop under a fresh join code and returns it
// with its facilitator key. Only a SHA-256 hash of the key is stored, so the
// key is shown once, here; a plain hash is enough because the key is random
// and long, not a password a person chose.
func (s *Store) CreateWorkshop(ctx context.Context, nw stackfit.NewWorkshop) (stackfit.Workshop, string, error) {
	w, key, err := nw.Prepare(now())
	if err != nil {
		return stackfit.Workshop{}, "", err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for range codeAttempts {
			w.Code = newCode()
			res, err := tx.ExecContext(ctx,
				`INSERT INTO workshops (code, title, context, anonymous, key_hash, created_at, capacity)
				 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`,
				w.Code, w.Title, w.Context, w.Anonymous, stackfit.HashKey(key), w.CreatedAt.Format(timeFormat), w.Capacity)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if n == 1 { // the code was free
				return nil
			}
		}
		return fmt.Errorf("no free join code in %d attempts", codeAttempts)
	})
	if err != nil {
		return stackfit.Workshop{}, "", fmt.Errorf("create workshop: %w", err)
	}
	return w, key, nil
}

// Workshop returns the workshop with that join code (typed in any case, with
// or without a dash), or stackfit.ErrNotFound.
func (s *Store) Workshop(ctx context.Context, code string) (stackfit.Workshop, error) {
	code, ok := workshop.ParseCode(code)
	if !ok {
		return stackfit.Workshop{}, stackfit.ErrNotFound
	}
	w, err := readWorkshop(ctx, s.read, code)
	if err != nil {
		return stackfit.Workshop{}, fmt.Errorf("read workshop %s: %w", code, err)
	}
	return w, nil
}

// Facilitate returns the workshop when key is its facilitator key:
// stackfit.ErrNotFound for an unknown code, stackfit.ErrWrongKey for any other key. The hashes
// are compared in constant time, so the time a wrong key takes tells nothing
// about the right one.
func (s *Store) Facilitate(ctx context.Context, code, key string) (stackfit.Workshop, error) {
	code, ok := workshop.ParseCode(code)
	if !ok {
		return stackfit.Workshop{}, stackfit.ErrNotFound
	}
	var stored []byte
	w, err := scanWorkshop(s.read.QueryRowContext(ctx,
		`SELECT `+workshopColumns+`, key_hash FROM workshops WHERE code = ?`, code), &stored)
	if err != nil {
		return stackfit.Workshop{}, fmt.Errorf("facilitate workshop %s: %w", code, err)
	}
	if !stackfit.KeyMatches(key, stored) {
		return stackfit.Workshop{}, fmt.Errorf("facilitate workshop %s: %w", code, stackfit.ErrWrongKey)
	}
	return w, nil
}

// Reveal lets the team see each other's answers. Revealing again keeps the
// first time; stackfit.ErrNotFound for an unknown workshop.
func (s *Store) Reveal(ctx context.Context, code string) (stackfit.Workshop, error) {
	return s.stamp(ctx, code, "revealed_at", "reveal", stackfit.EventRevealed)
}

// CloseWorkshop stops the workshop taking participants and submissions.
// Closing again keeps the first time; stackfit.ErrNotFound for an unknown workshop.
// (Close is taken: it closes the database.)
func (s *Store) CloseWorkshop(ctx context.Context, code string) (stackfit.Workshop, error) {
	return s.stamp(ctx, code, "closed_at", "close", stackfit.EventClosed)
}

// Hide undoes Reveal: the team no longer sees the result. Hiding a workshop
// never revealed changes nothing but still tells those watching.
func (s *Store) Hide(ctx context.Context, code string) (stackfit.Workshop, error) {
	return s.update(ctx, code, `revealed_at = NULL`, "hide", stackfit.EventHidden)
}

// Reopen undoes CloseWorkshop. Join and Submit read closed_at inside their
// own write transaction, so a submission either comes before the close,
// after the reopen, or is refused: never stored while closed.
func (s *Store) Reopen(ctx context.Context, code string) (stackfit.Workshop, error) {
	return s.update(ctx, code, `closed_at = NULL`, "reopen", stackfit.EventReopened)
}

// Lock stops new participants joining; locking again keeps the first time.
func (s *Store) Lock(ctx context.Context, code string) (stackfit.Workshop, error) {
	return s.stamp(ctx, code, "locked_at", "lock", stackfit.EventLocked)
}

// Unlock lets new participants join again.
func (s *Store) Unlock(ctx context.Context, code string) (stackfit.Workshop, error) {
	return s.update(ctx, code, `locked_at = NULL`, "unlock", stackfit.EventUnlocked)
}

// stamp sets the timestamp column (a constant of this file, never input)
// unless it is set already, publishes event after the commit, and returns
// the workshop as it now is; verb names the action in errors.
func (s *Store) stamp(ctx context.Context, code, column, verb string, event stackfit.EventKind) (stackfit.Workshop, error) {
	return s.update(ctx, code, column+` = COALESCE(`+column+`, :now)`, verb, event)
}

// update applies set (constant SQL of this file, never input; :now is the
// time) to the workshop, publishes event after the commit and returns the
// workshop as it now is.
func (s *Store) update(ctx context.Context, code, set, verb string, event stackfit.EventKind) (stackfit.Workshop, error) {
	code, ok := workshop.ParseCode(code)
	if !ok {
		return stackfit.Workshop{}, stackfit.ErrNotFound
	}
	var w stackfit.Workshop
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE workshops SET `+set+` WHERE code = :code`,
			sql.Named("now", now().Format(timeFormat)), sql.Named("code", code)); err != nil {
			return err
		}
		var err error
		w, err = readWorkshop(ctx, tx, code)
		return err
	})
	if err != nil {
		return stackfit.Workshop{}, fmt.Errorf("%s workshop %s: %w", verb, code, err)
	}
	s.events.Publish(code, event, "")
	return w, nil
}

// readWorkshop reads a workshop by its canonical code, or stackfit.ErrNotFound.
func readWorkshop(ctx context.Context, db queryer, code string) (stackfit.Workshop, error) {
	return scanWorkshop(db.QueryRowContext(ctx, `SELECT `+workshopColumns+` FROM workshops WHERE code = ?`, code))
}

// scanWorkshop scans workshopColumns, then into extra any further columns
// the query selected; no row is stackfit.ErrNotFound.
func scanWorkshop(row *sql.Row, extra ...any) (stackfit.Workshop, error) {
	var (
		w       stackfit.Workshop
		created string
	)
	err := row.Scan(append([]any{&w.Code, &w.Title, &w.Context, &w.Anonymous, &created, &w.Revealed, &w.Closed,
		&w.Capacity, &w.Locked, &w.Joined}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return stackfit.Workshop{}, stackfit.ErrNotFound
	}
	if err != nil {
		return stackfit.Workshop{}, err
	}
	if w.CreatedAt, err = time.Parse(timeFormat, created); err != nil {
		return stackfit.Workshop{}, fmt.Errorf("created_at: %w", err)
	}
	return w, nil
}

// CountWorkshops counts the workshops not closed and their participants,
// for the metrics.
func (s *Store) CountWorkshops(ctx context.Context) (metrics.Workshops, error) {
	var w metrics.Workshops
	err := s.read.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM workshops WHERE closed_at IS NULL),
		(SELECT count(*) FROM participants p JOIN workshops w ON w.code = p.workshop WHERE w.closed_at IS NULL)`).
		Scan(&w.Open, &w.Participants)
	if err != nil {
		return metrics.Workshops{}, fmt.Errorf("count workshops: %w", err)
	}
	return w, nil
}
