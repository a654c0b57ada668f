package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"stackfit"
	"stackfit/rules"
	"stackfit/workshop"
)

// participantColumns are what scanParticipant scans, in its order.
const participantColumns = `id, name, joined_at, submitted_at, answers, evaluation, result_id`

// Join adds a participant to the workshop: stackfit.ErrNotFound for an unknown
// workshop, stackfit.ErrClosed for a closed one.
func (s *Store) Join(ctx context.Context, code, name string) (stackfit.Participant, error) {
	code, ok := workshop.ParseCode(code)
	if !ok {
		return stackfit.Participant{}, stackfit.ErrNotFound
	}
	return s.whileOpen(ctx, code, "join", stackfit.EventJoined, func(ctx context.Context, tx *sql.Tx, w stackfit.Workshop) (stackfit.Participant, error) {
		return join(ctx, tx, w, name)
	})
}

// whileOpen runs f in a transaction that first checks that the workshop
// still takes answers, so a close cannot slip in between, and publishes
// event once the transaction is committed. f gets the workshop as the
// transaction sees it.
func (s *Store) whileOpen(ctx context.Context, code, what string, event stackfit.EventKind, f func(context.Context, *sql.Tx, stackfit.Workshop) (stackfit.Participant, error)) (stackfit.Participant, error) {
	var p stackfit.Participant
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		w, err := checkOpen(ctx, tx, code)
		if err != nil {
			return err
		}
		p, err = f(ctx, tx, w)
		return err
	})
	if err != nil {
		return stackfit.Participant{}, fmt.Errorf("%s workshop %s: %w", what, code, err)
	}
	s.events.Publish(code, event, p.ID)
	return p, nil
}

// Submit records a participant's answers and evaluation, replacing earlier
// ones, and stores them as a result of their own, whose id becomes the
// participant's ResultID, and publishes EventSubmitted. A new submission makes a new result, so a link
// shared earlier keeps showing what it showed. stackfit.ErrClosed for a closed
// workshop, stackfit.ErrNotFound for an unknown workshop or participant.
func (s *Store) Submit(ctx context.Context, code, participantID string, answers rules.Answers, ev *rules.Evaluation) (stackfit.Participant, error) {
	code, ok := workshop.ParseCode(code)
	if !ok || !stackfit.ValidID(participantID) {
		return stackfit.Participant{}, stackfit.ErrNotFound
	}
	return s.savedResult(s.whileOpen(ctx, code, "submit to", stackfit.EventSubmitted, func(ctx context.Context, tx *sql.Tx, _ stackfit.Workshop) (stackfit.Participant, error) {
		return submit(ctx, tx, code, participantID, answers, ev)
	}))
}

// JoinAndSubmit is Join and Submit in one transaction: the API's one-call
// submission leaves either a participant with answers or nothing. It
// publishes EventSubmitted only: watchers learn of one new submission.
func (s *Store) JoinAndSubmit(ctx context.Context, code, name string, answers rules.Answers, ev *rules.Evaluation) (stackfit.Participant, error) {
	code, ok := workshop.ParseCode(code)
	if !ok {
		return stackfit.Participant{}, stackfit.ErrNotFound
	}
	return s.savedResult(s.whileOpen(ctx, code, "join and submit to", stackfit.EventSubmitted, func(ctx context.Context, tx *sql.Tx, w stackfit.Workshop) (stackfit.Participant, error) {
		joined, err := join(ctx, tx, w, name)
		if err != nil {
			return stackfit.Participant{}, err
		}
		return submit(ctx, tx, code, joined.ID, answers, ev)
	}))
}

// savedResult counts the result a committed submission made.
func (s *Store) savedResult(p stackfit.Participant, err error) (stackfit.Participant, error) {
	if err == nil {
		s.metrics.ResultSaved()
	}
	return p, err
}

// RemoveParticipant deletes a participant and their answers from the
// workshop, freeing their place, and publishes EventRemoved; the results row
// of their own share link stays. stackfit.ErrNotFound for an unknown
// workshop or participant.
func (s *Store) RemoveParticipant(ctx context.Context, code, id string) error {
	code, ok := workshop.ParseCode(code)
	if !ok || !stackfit.ValidID(id) {
		return stackfit.ErrNotFound
	}
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM participants WHERE id = ? AND workshop = ?`, id, code)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return cmp.Or(err, error(stackfit.ErrNotFound))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remove participant %s of workshop %s: %w", id, code, err)
	}
	s.events.Publish(code, stackfit.EventRemoved, id)
	return nil
}

// Participant returns a participant of the workshop, or stackfit.ErrNotFound, also
// when the id belongs to another workshop.
func (s *Store) Participant(ctx context.Context, code, id string) (stackfit.Participant, error) {
	code, ok := workshop.ParseCode(code)
	if !ok || !stackfit.ValidID(id) {
		return stackfit.Participant{}, stackfit.ErrNotFound
	}
	p, err := readParticipant(ctx, s.read, code, id)
	if err != nil {
		return stackfit.Participant{}, fmt.Errorf("read participant %s of workshop %s: %w", id, code, err)
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
	ps, err := listParticipants(ctx, s.read, code)
	if err != nil {
		return nil, fmt.Errorf("list participants of workshop %s: %w", code, err)
	}
	return ps, nil
}

// checkOpen runs inside the transaction that then writes, so a workshop
// closed a moment before is seen as closed: the writer's BEGIN IMMEDIATE
// orders it after the close. It returns the workshop as the transaction
// sees it.
func checkOpen(ctx context.Context, tx *sql.Tx, code string) (stackfit.Workshop, error) {
	w, err := readWorkshop(ctx, tx, code)
	if err == nil && w.Closed {
		err = stackfit.ErrClosed
	}
	return w, err
}

// join adds a participant to w unless it is locked or full. w is read in
// the same transaction (checkOpen): BEGIN IMMEDIATE orders joins one after
// another, so the count cannot change between the check and the insert, and
// two people never both take the last place.
func join(ctx context.Context, tx *sql.Tx, w stackfit.Workshop, name string) (stackfit.Participant, error) {
	switch {
	case w.Locked:
		return stackfit.Participant{}, stackfit.ErrLocked
	case w.PlacesLeft() == 0:
		return stackfit.Participant{}, stackfit.ErrFull
	}
	p := stackfit.Participant{ID: stackfit.NewID(), Name: name, JoinedAt: now()}
	_, err := tx.ExecContext(ctx,
		`INSERT INTO participants (id, workshop, name, joined_at) VALUES (?, ?, ?, ?)`,
		p.ID, w.Code, p.Name, p.JoinedAt.Format(timeFormat))
	if err != nil {
		return stackfit.Participant{}, err
	}
	return p, nil
}

func submit(ctx context.Context, tx *sql.Tx, code, id string, answers rules.Answers, ev *rules.Evaluation) (stackfit.Participant, error) {
	p, err := readParticipant(ctx, tx, code, id)
	if err != nil {
		return stackfit.Participant{}, err
	}
	res, err := insertResult(ctx, tx, "", answers, ev)
	if err != nil {
		return stackfit.Participant{}, err
	}
	// Copied from the result row, so the team view and the share link hold
	// the same bytes.
	if _, err := tx.ExecContext(ctx,
		`UPDATE participants SET (submitted_at, answers, evaluation, result_id) =
		     (SELECT created_at, answers, evaluation, id FROM results WHERE id = ?)
		 WHERE id = ?`, res.ID, id); err != nil {
		return stackfit.Participant{}, err
	}
	p.Submitted = true
	p.SubmittedAt = res.CreatedAt
	p.Answers = answers
	p.Evaluation = ev
	p.ResultID = res.ID
	return p, nil
}

// readParticipant reads a participant of the workshop, or stackfit.ErrNotFound.
func readParticipant(ctx context.Context, db queryer, code, id string) (stackfit.Participant, error) {
	p, err := scanParticipant(db.QueryRowContext(ctx,
		`SELECT `+participantColumns+` FROM participants WHERE id = ? AND workshop = ?`, id, code))
	if errors.Is(err, sql.ErrNoRows) {
		return stackfit.Participant{}, stackfit.ErrNotFound
	}
	return p, err
}

func listParticipants(ctx context.Context, db queryer, code string) ([]stackfit.Participant, error) {
	if _, err := readWorkshop(ctx, db, code); err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx,
		`SELECT `+participantColumns+` FROM participants WHERE workshop = ? ORDER BY joined_at, id`, code)
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

func scanParticipant(row interface{ Scan(...any) error }) (stackfit.Participant, error) {
	var (
		p                   stackfit.Participant
		joined              string
		submitted, resultID sql.NullString
		a, e                []byte
	)
	if err := row.Scan(&p.ID, &p.Name, &joined, &submitted, &a, &e, &resultID); err != nil {
		return stackfit.Participant{}, err
	}
	var err error
	if p.JoinedAt, err = time.Parse(timeFormat, joined); err != nil {
		return stackfit.Participant{}, fmt.Errorf("participant %s: joined_at: %w", p.ID, err)
	}
	if !submitted.Valid {
		return p, nil
	}
	p.Submitted = true
	p.ResultID = resultID.String
	if p.SubmittedAt, err = time.Parse(timeFormat, submitted.String); err != nil {
		return stackfit.Participant{}, fmt.Errorf("participant %s: submitted_at: %w", p.ID, err)
	}
	if err := json.Unmarshal(a, &p.Answers); err != nil {
		return stackfit.Participant{}, fmt.Errorf("participant %s: answers: %w", p.ID, err)
	}
	if err := json.Unmarshal(e, &p.Evaluation); err != nil {
		return stackfit.Participant{}, fmt.Errorf("participant %s: evaluation: %w", p.ID, err)
	}
	return p, nil
}
