package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"stackfit"
	"stackfit/rules"
	"stackfit/workshop"
)

// participantColumns are what scanParticipant scans, in its order.
const participantColumns = `id, name, joined_at, submitted_at, answers, evaluation, result_id`

// Join adds a participant to the workshop: stackfit.ErrNotFound for an
// unknown workshop, ErrClosed once closed, ErrLocked once locked, ErrFull
// when every place is taken.
func (s *Store) Join(ctx context.Context, code, name string) (stackfit.Participant, error) {
	code, ok := workshop.ParseCode(code)
	if !ok {
		return stackfit.Participant{}, stackfit.ErrNotFound
	}
	return s.change(ctx, code, "join", stackfit.EventJoined, func(ctx context.Context, tx pgx.Tx) (stackfit.Participant, error) {
		return join(ctx, tx, code, name, nil)
	})
}

// Submit records a participant's answers as a new result of their own,
// replacing earlier ones; ErrClosed once closed.
func (s *Store) Submit(ctx context.Context, code, participantID string, answers rules.Answers, ev *rules.Evaluation) (stackfit.Participant, error) {
	code, ok := workshop.ParseCode(code)
	if !ok || !stackfit.ValidID(participantID) {
		return stackfit.Participant{}, stackfit.ErrNotFound
	}
	return s.savedResult(s.change(ctx, code, "submit to", stackfit.EventSubmitted, func(ctx context.Context, tx pgx.Tx) (stackfit.Participant, error) {
		res, err := insertResult(ctx, tx, "", answers, ev)
		if err != nil {
			return stackfit.Participant{}, err
		}
		if err := lockOpen(ctx, tx, code); err != nil {
			return stackfit.Participant{}, err
		}
		return submit(ctx, tx, code, participantID, res)
	}))
}

// JoinAndSubmit is Join and Submit in one transaction, publishing
// EventSubmitted only.
func (s *Store) JoinAndSubmit(ctx context.Context, code, name string, answers rules.Answers, ev *rules.Evaluation) (stackfit.Participant, error) {
	code, ok := workshop.ParseCode(code)
	if !ok {
		return stackfit.Participant{}, stackfit.ErrNotFound
	}
	// Prepared outside the transaction: nothing slow while it is open.
	res, a, e, err := stackfit.PrepareResult("", answers, ev, now())
	if err != nil {
		return stackfit.Participant{}, fmt.Errorf("join and submit to workshop %s: %w", code, err)
	}
	return s.savedResult(s.change(ctx, code, "join and submit to", stackfit.EventSubmitted, func(ctx context.Context, tx pgx.Tx) (stackfit.Participant, error) {
		return join(ctx, tx, code, name, &submission{res, a, e})
	}))
}

// savedResult counts the result a committed submission made.
func (s *Store) savedResult(p stackfit.Participant, err error) (stackfit.Participant, error) {
	if err == nil {
		s.metrics.ResultSaved()
	}
	return p, err
}

// change runs f in a transaction that also notifies the other instances of
// event, and publishes event locally once it is committed.
func (s *Store) change(ctx context.Context, code, what string, event stackfit.EventKind, f func(context.Context, pgx.Tx) (stackfit.Participant, error)) (stackfit.Participant, error) {
	var p stackfit.Participant
	err := s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) (err error) {
		if p, err = f(ctx, tx); err != nil {
			return err
		}
		return s.notify(ctx, tx, code, event, p.ID)
	})
	if err != nil {
		return stackfit.Participant{}, fmt.Errorf("%s workshop %s: %w", what, code, err)
	}
	s.publish(code, event, p.ID)
	return p, nil
}

// The row locks a change takes on its workshop, held to its commit. The
// close and the lock (UPDATEs) conflict with them, so a join or submission
// either commits before the close or waits for it and sees the workshop
// closed (or locked): none is stored while closed, on any instance. Joins
// and submissions share the lock, so one workshop's commit side by side;
// what holds joins to the cap is the places table (claimSkipping).
const forChanging = "FOR SHARE"

// lockStatement takes the workshop's row lock and reads whether it is
// closed or locked. One statement is enough: under READ COMMITTED, a row
// lock that waited for a close returns the row as the close left it (only
// subqueries would read as of before the wait).
const lockStatement = `SELECT closed_at IS NOT NULL, locked_at IS NOT NULL FROM workshops WHERE code = $1 ` + forChanging

// lockOpen takes the workshop's row lock and refuses a closed workshop.
// Anything slow (the result's JSON, its insert) comes before it, since the
// lock is held to the commit and keeps a close waiting.
func lockOpen(ctx context.Context, tx pgx.Tx, code string) error {
	var closed, locked bool
	return refuseClosed(tx.QueryRow(ctx, lockStatement, code).Scan(&closed, &locked), closed)
}

func refuseClosed(scanErr error, closed bool) error {
	switch {
	case scanErr != nil:
		return noRows(scanErr)
	case closed:
		return stackfit.ErrClosed
	}
	return nil
}

// submission is a result to store with a join: the result and its JSON
// (stackfit.PrepareResult).
type submission struct {
	res                 stackfit.Result
	answers, evaluation []byte
}

// join adds a participant to the workshop unless it is closed, locked or
// has no free place; with sub, already submitted with that result. Its
// statements go in one round trip (a pgx.Batch), in the order they would
// run one by one: the result, the row lock with the read of closed and
// locked, the participant, their place. Whatever is refused, the
// transaction rolls back what the batch wrote.
func join(ctx context.Context, tx pgx.Tx, code, name string, sub *submission) (stackfit.Participant, error) {
	p := stackfit.Participant{ID: stackfit.NewID(), Name: name, JoinedAt: now()}
	b := &pgx.Batch{}
	if sub == nil {
		b.Queue(lockStatement, code)
		b.Queue(`INSERT INTO participants (id, workshop, name, joined_at) VALUES ($1, $2, $3, $4)`,
			p.ID, code, p.Name, p.JoinedAt)
	} else {
		r := sub.res
		b.Queue(`INSERT INTO results (id, created_at, name, ruleset, answers, evaluation) VALUES ($1, $2, $3, $4, $5, $6)`,
			r.ID, r.CreatedAt, r.Name, r.Ruleset, json.RawMessage(sub.answers), json.RawMessage(sub.evaluation))
		b.Queue(lockStatement, code)
		// The submission copied from the result row (as submit does).
		b.Queue(`INSERT INTO participants (id, workshop, name, joined_at, submitted_at, answers, evaluation, result_id)
			 SELECT $1, $2, $3, $4, created_at, answers, evaluation, id FROM results WHERE id = $5`,
			p.ID, code, p.Name, p.JoinedAt, r.ID)
	}
	// The place after the participant: it references them. The savepoint
	// lets a join that must wait for a place let go of what its claim
	// locked first (see claimWaitingPlace).
	b.Queue(`SAVEPOINT claim`)
	b.Queue(claimSkipping, code, p.ID)
	claimed, err := func() (bool, error) {
		br := tx.SendBatch(ctx, b)
		defer br.Close()
		if sub != nil {
			if _, err := br.Exec(); err != nil {
				return false, err
			}
		}
		var closed, locked bool
		if err := refuseClosed(br.QueryRow().Scan(&closed, &locked), closed); err != nil {
			return false, err
		}
		if locked {
			return false, stackfit.ErrLocked
		}
		for range 2 { // the participant, the savepoint
			if _, err := br.Exec(); err != nil {
				return false, err
			}
		}
		tag, err := br.Exec()
		if err != nil {
			return false, err
		}
		return tag.RowsAffected() == 1, br.Close()
	}()
	if err != nil {
		return stackfit.Participant{}, err
	}
	if !claimed {
		if err := claimWaitingPlace(ctx, tx, code, p.ID); err != nil {
			return stackfit.Participant{}, err
		}
	}
	if sub != nil {
		p = submitted(p, sub.res)
	}
	return p, nil
}

// Claiming a place: the first free one that no other join holds (SKIP
// LOCKED), so concurrent joins take different places without waiting.
// Only when every free place is held by joins in flight does one wait
// (claimWaiting): one of them may roll back and free its place, and ErrFull
// must mean full. A place taken since our statement's snapshot is
// re-checked on locking (READ COMMITTED's re-check of an updated row) and
// passed over, so no place is taken twice.
const (
	claimSkipping = `UPDATE places SET participant = $2
		WHERE (workshop, n) = (SELECT workshop, n FROM places WHERE workshop = $1 AND participant IS NULL
		                       ORDER BY n LIMIT 1 FOR UPDATE SKIP LOCKED)`
	claimWaiting = `UPDATE places SET participant = $2
		WHERE (workshop, n) = (SELECT workshop, n FROM places WHERE workshop = $1 AND participant IS NULL
		                       ORDER BY n LIMIT 1 FOR UPDATE)`
)

// claimWaitingPlace gives participant a free place of the workshop,
// waiting for the joins in flight that hold one, or answers ErrFull.
//
// Waiting joins could deadlock one another: a scan FOR UPDATE keeps the
// lock of a place it passed over (taken since its snapshot), and two
// waiters each holding such a place the other's scan reaches wait for each
// other. So the waiters of a workshop take turns (an advisory lock), and a
// join first rolls back to before its skipping claim, letting go of what
// that claim locked, before it waits for its turn: the one waiter then waits
// only for joins that never wait for a place.
func claimWaitingPlace(ctx context.Context, tx pgx.Tx, code, participant string) error {
	b := &pgx.Batch{}
	b.Queue(`ROLLBACK TO SAVEPOINT claim`)
	b.Queue(`SELECT pg_advisory_xact_lock(hashtextextended('stackfit places ' || $1, 0))`, code)
	b.Queue(claimWaiting, code, participant)
	br := tx.SendBatch(ctx, b)
	defer br.Close()
	for range 2 {
		if _, err := br.Exec(); err != nil {
			return err
		}
	}
	tag, err := br.Exec()
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return stackfit.ErrFull
	}
	return br.Close()
}

// submit makes res (stored in this transaction) the participant's latest submission.
func submit(ctx context.Context, tx pgx.Tx, code, id string, res stackfit.Result) (stackfit.Participant, error) {
	p, err := readParticipant(ctx, tx, code, id)
	if err != nil {
		return stackfit.Participant{}, err
	}
	// Copied from the result row, so the team view and the share link hold
	// the same bytes.
	if _, err := tx.Exec(ctx,
		`UPDATE participants SET (submitted_at, answers, evaluation, result_id) =
		     (SELECT created_at, answers, evaluation, id FROM results WHERE id = $1)
		 WHERE id = $2`, res.ID, id); err != nil {
		return stackfit.Participant{}, err
	}
	return submitted(p, res), nil
}

func submitted(p stackfit.Participant, res stackfit.Result) stackfit.Participant {
	p.Submitted = true
	p.SubmittedAt = res.CreatedAt
	p.Answers = res.Answers
	p.Evaluation = res.Evaluation
	p.ResultID = res.ID
	return p
}

// RemoveParticipant deletes a participant and their answers, freeing their
// place, and publishes EventRemoved; their share link's result stays.
func (s *Store) RemoveParticipant(ctx context.Context, code, id string) error {
	code, ok := workshop.ParseCode(code)
	if !ok || !stackfit.ValidID(id) {
		return stackfit.ErrNotFound
	}
	err := s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM participants WHERE id = $1 AND workshop = $2`, id, code)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return stackfit.ErrNotFound
		}
		return s.notify(ctx, tx, code, stackfit.EventRemoved, id)
	})
	if err != nil {
		return fmt.Errorf("remove participant %s of workshop %s: %w", id, code, err)
	}
	s.publish(code, stackfit.EventRemoved, id)
	return nil
}

// Participant returns a participant of the workshop, or stackfit.ErrNotFound,
// also when the id belongs to another workshop.
func (s *Store) Participant(ctx context.Context, code, id string) (stackfit.Participant, error) {
	code, ok := workshop.ParseCode(code)
	if !ok || !stackfit.ValidID(id) {
		return stackfit.Participant{}, stackfit.ErrNotFound
	}
	p, err := readParticipant(ctx, s.pool, code, id)
	if err != nil {
		return stackfit.Participant{}, fmt.Errorf("read participant %s of workshop %s: %w", id, code, unavailable(ctx, err))
	}
	return p, nil
}

// Participants returns the workshop's participants in joining order, or
// stackfit.ErrNotFound for an unknown workshop.
func (s *Store) Participants(ctx context.Context, code string) ([]stackfit.Participant, error) {
	code, ok := workshop.ParseCode(code)
	if !ok {
		return nil, stackfit.ErrNotFound
	}
	ps, err := listParticipants(ctx, s.pool, code)
	if err != nil {
		return nil, fmt.Errorf("list participants of workshop %s: %w", code, unavailable(ctx, err))
	}
	return ps, nil
}

func readParticipant(ctx context.Context, db querier, code, id string) (stackfit.Participant, error) {
	p, err := scanParticipant(db.QueryRow(ctx,
		`SELECT `+participantColumns+` FROM participants WHERE id = $1 AND workshop = $2`, id, code))
	return p, noRows(err)
}

func listParticipants(ctx context.Context, db querier, code string) ([]stackfit.Participant, error) {
	if _, err := readWorkshop(ctx, db, code); err != nil {
		return nil, err
	}
	rows, err := db.Query(ctx,
		`SELECT `+participantColumns+` FROM participants WHERE workshop = $1 ORDER BY joined_at, id`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ps := []stackfit.Participant{} // empty, not nil: a workshop nobody joined yet lists as []
	for rows.Next() {
		p, err := scanParticipant(rows)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, rows.Err()
}

func scanParticipant(row pgx.Row) (stackfit.Participant, error) {
	var (
		p         stackfit.Participant
		submitted *time.Time
		resultID  *string
		a, e      []byte
	)
	if err := row.Scan(&p.ID, &p.Name, &p.JoinedAt, &submitted, &a, &e, &resultID); err != nil {
		return stackfit.Participant{}, err
	}
	p.JoinedAt = utc(p.JoinedAt)
	if submitted == nil {
		return p, nil
	}
	p.Submitted = true
	p.SubmittedAt = utc(*submitted)
	p.ResultID = *resultID
	if err := json.Unmarshal(a, &p.Answers); err != nil {
		return stackfit.Participant{}, fmt.Errorf("participant %s: answers: %w", p.ID, err)
	}
	if err := json.Unmarshal(e, &p.Evaluation); err != nil {
		return stackfit.Participant{}, fmt.Errorf("participant %s: evaluation: %w", p.ID, err)
	}
	return p, nil
}
