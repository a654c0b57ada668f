package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"stackfit"
	"stackfit/rules"
)

// SaveResult stores answers and their evaluation under a new id, with the
// decision's name ("" for none). When it returns without error the row is
// on disk (synchronous=FULL).
func (s *Store) SaveResult(ctx context.Context, name string, answers rules.Answers, ev *rules.Evaluation) (stackfit.Result, error) {
	var res stackfit.Result
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) (err error) {
		res, err = insertResult(ctx, tx, name, answers, ev)
		return err
	})
	if err != nil {
		return stackfit.Result{}, fmt.Errorf("save result: %w", err)
	}
	s.metrics.ResultSaved()
	return res, nil
}

// execer is what insertResult needs of *sql.DB and *sql.Tx, so a workshop
// submission can store its result in the same transaction as the participant.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func insertResult(ctx context.Context, db execer, name string, answers rules.Answers, ev *rules.Evaluation) (stackfit.Result, error) {
	res, a, e, err := stackfit.PrepareResult(name, answers, ev, now())
	if err != nil {
		return stackfit.Result{}, err
	}
	_, err = db.ExecContext(ctx,
		`INSERT INTO results (id, created_at, name, ruleset, answers, evaluation) VALUES (?, ?, ?, ?, ?, ?)`,
		res.ID, res.CreatedAt.Format(timeFormat), res.Name, res.Ruleset, string(a), string(e))
	if err != nil {
		return stackfit.Result{}, err
	}
	return res, nil
}

// Result returns the stored result with that id, or stackfit.ErrNotFound.
func (s *Store) Result(ctx context.Context, id string) (stackfit.Result, error) {
	if !stackfit.ValidID(id) {
		return stackfit.Result{}, stackfit.ErrNotFound
	}
	var (
		created string
		a, e    []byte
		res     = stackfit.Result{ID: id}
	)
	err := s.read.QueryRowContext(ctx,
		`SELECT created_at, name, ruleset, answers, evaluation FROM results WHERE id = ?`, id).
		Scan(&created, &res.Name, &res.Ruleset, &a, &e)
	if errors.Is(err, sql.ErrNoRows) {
		return stackfit.Result{}, stackfit.ErrNotFound
	}
	if err != nil {
		return stackfit.Result{}, fmt.Errorf("read result %s: %w", id, err)
	}
	if res.CreatedAt, err = time.Parse(timeFormat, created); err != nil {
		return stackfit.Result{}, fmt.Errorf("read result %s: created_at: %w", id, err)
	}
	if err := json.Unmarshal(a, &res.Answers); err != nil {
		return stackfit.Result{}, fmt.Errorf("read result %s: answers: %w", id, err)
	}
	if err := json.Unmarshal(e, &res.Evaluation); err != nil {
		return stackfit.Result{}, fmt.Errorf("read result %s: evaluation: %w", id, err)
	}
	return res, nil
}
