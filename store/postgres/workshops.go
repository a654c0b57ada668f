package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"stackfit"
	"stackfit/metrics"
	"stackfit/workshop"
)

// codeAttempts bounds the retries on a join code already taken.
const codeAttempts = 5

// newCode is workshop.NewCode; a test replaces it to force collisions.
var newCode = workshop.NewCode

// workshopColumns are what scanWorkshop scans, in its order.
const workshopColumns = `code, title, context, anonymous, created_at, revealed_at IS NOT NULL, closed_at IS NOT NULL,
	capacity, locked_at IS NOT NULL, (SELECT count(*) FROM participants WHERE workshop = workshops.code)`

// querier is what the readers need of the pool and of a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// CreateWorkshop stores a new workshop under a fresh join code and returns it
// with its facilitator key; only the key's SHA-256 is stored.
func (s *Store) CreateWorkshop(ctx context.Context, nw stackfit.NewWorkshop) (stackfit.Workshop, string, error) {
	w, key, err := nw.Prepare(now())
	if err != nil {
		return stackfit.Workshop{}, "", err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		for range codeAttempts {
			w.Code = newCode()
			tag, err := tx.Exec(ctx,
				`INSERT INTO workshops (code, title, context, anonymous, key_hash, created_at, capacity)
				 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO NOTHING`,
				w.Code, w.Title, w.Context, w.Anonymous, stackfit.HashKey(key), w.CreatedAt, w.Capacity)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 1 { // the code was free
				// One row per place, which joins claim (claimPlace).
				_, err := tx.Exec(ctx, `INSERT INTO places (workshop, n) SELECT $1, generate_series(1, $2::integer)`, w.Code, w.Capacity)
				return err
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
	w, err := readWorkshop(ctx, s.pool, code)
	if err != nil {
		return stackfit.Workshop{}, fmt.Errorf("read workshop %s: %w", code, unavailable(ctx, err))
	}
	return w, nil
}

// Facilitate returns the workshop when key is its facilitator key, compared
// in constant time: stackfit.ErrNotFound for an unknown code,
// stackfit.ErrWrongKey for any other key.
func (s *Store) Facilitate(ctx context.Context, code, key string) (stackfit.Workshop, error) {
	code, ok := workshop.ParseCode(code)
	if !ok {
		return stackfit.Workshop{}, stackfit.ErrNotFound
	}
	var stored []byte
	w, err := scanWorkshop(s.pool.QueryRow(ctx,
		`SELECT `+workshopColumns+`, key_hash FROM workshops WHERE code = $1`, code), &stored)
	if err != nil {
		return stackfit.Workshop{}, fmt.Errorf("facilitate workshop %s: %w", code, unavailable(ctx, err))
	}
	if !stackfit.KeyMatches(key, stored) {
		return stackfit.Workshop{}, fmt.Errorf("facilitate workshop %s: %w", code, stackfit.ErrWrongKey)
	}
	return w, nil
}

// Reveal lets the team see each other's answers; revealing again keeps the first time.
func (s *Store) Reveal(ctx context.Context, code string) (stackfit.Workshop, error) {
	return s.update(ctx, code, `revealed_at = COALESCE(revealed_at, $2)`, "reveal", stackfit.EventRevealed, now())
}

// CloseWorkshop stops the workshop taking participants and submissions. Its
// UPDATE waits for the row lock (FOR SHARE) each join or submission in
// flight holds, and those that come after see it closed: none is stored
// after the close.
func (s *Store) CloseWorkshop(ctx context.Context, code string) (stackfit.Workshop, error) {
	return s.update(ctx, code, `closed_at = COALESCE(closed_at, $2)`, "close", stackfit.EventClosed, now())
}

// Hide undoes Reveal.
func (s *Store) Hide(ctx context.Context, code string) (stackfit.Workshop, error) {
	return s.update(ctx, code, `revealed_at = NULL`, "hide", stackfit.EventHidden)
}

// Reopen undoes CloseWorkshop.
func (s *Store) Reopen(ctx context.Context, code string) (stackfit.Workshop, error) {
	return s.update(ctx, code, `closed_at = NULL`, "reopen", stackfit.EventReopened)
}

// Lock stops new participants joining; locking again keeps the first time.
func (s *Store) Lock(ctx context.Context, code string) (stackfit.Workshop, error) {
	return s.update(ctx, code, `locked_at = COALESCE(locked_at, $2)`, "lock", stackfit.EventLocked, now())
}

// Unlock lets new participants join again.
func (s *Store) Unlock(ctx context.Context, code string) (stackfit.Workshop, error) {
	return s.update(ctx, code, `locked_at = NULL`, "unlock", stackfit.EventUnlocked)
}

// update applies set (constant SQL of this file, never input; $2 on is
// args) to the workshop, notifies the other instances of event in the same
// transaction, publishes it locally after the commit and returns the
// workshop as it now is; verb names the action in errors.
func (s *Store) update(ctx context.Context, code, set, verb string, event stackfit.EventKind, args ...any) (stackfit.Workshop, error) {
	code, ok := workshop.ParseCode(code)
	if !ok {
		return stackfit.Workshop{}, stackfit.ErrNotFound
	}
	var w stackfit.Workshop
	err := s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE workshops SET `+set+` WHERE code = $1`, append([]any{code}, args...)...)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return stackfit.ErrNotFound
		}
		if w, err = readWorkshop(ctx, tx, code); err != nil {
			return err
		}
		return s.notify(ctx, tx, code, event, "")
	})
	if err != nil {
		return stackfit.Workshop{}, fmt.Errorf("%s workshop %s: %w", verb, code, err)
	}
	s.publish(code, event, "")
	return w, nil
}

// readWorkshop reads a workshop by its canonical code, or stackfit.ErrNotFound.
func readWorkshop(ctx context.Context, db querier, code string) (stackfit.Workshop, error) {
	return scanWorkshop(db.QueryRow(ctx, `SELECT `+workshopColumns+` FROM workshops WHERE code = $1`, code))
}

// scanWorkshop scans workshopColumns, then into extra any further columns
// the query selected; no row is stackfit.ErrNotFound.
func scanWorkshop(row pgx.Row, extra ...any) (stackfit.Workshop, error) {
	var w stackfit.Workshop
	err := row.Scan(append([]any{&w.Code, &w.Title, &w.Context, &w.Anonymous, &w.CreatedAt, &w.Revealed, &w.Closed,
		&w.Capacity, &w.Locked, &w.Joined}, extra...)...)
	if err != nil {
		return stackfit.Workshop{}, noRows(err)
	}
	w.CreatedAt = utc(w.CreatedAt)
	return w, nil
}

// CountWorkshops counts the workshops not closed and their participants,
// for the metrics.
func (s *Store) CountWorkshops(ctx context.Context) (metrics.Workshops, error) {
	var w metrics.Workshops
	err := s.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM workshops WHERE closed_at IS NULL),
		(SELECT count(*) FROM participants p JOIN workshops w ON w.code = p.workshop WHERE w.closed_at IS NULL)`).
		Scan(&w.Open, &w.Participants)
	if err != nil {
		return metrics.Workshops{}, fmt.Errorf("count workshops: %w", err)
	}
	return w, nil
}
