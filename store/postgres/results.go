package postgres

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"stackfit"
	"stackfit/rules"
)

// SaveResult stores answers and their evaluation under a new id, with the
// decision's name ("" for none).
func (s *Store) SaveResult(ctx context.Context, name string, answers rules.Answers, ev *rules.Evaluation) (stackfit.Result, error) {
	var res stackfit.Result
	err := s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) (err error) {
		res, err = insertResult(ctx, tx, name, answers, ev)
		return err
	})
	if err != nil {
		return stackfit.Result{}, fmt.Errorf("save result: %w", err)
	}
	s.metrics.ResultSaved()
	return res, nil
}

func insertResult(ctx context.Context, tx pgx.Tx, name string, answers rules.Answers, ev *rules.Evaluation) (stackfit.Result, error) {
	res, a, e, err := stackfit.PrepareResult(name, answers, ev, now())
	if err != nil {
		return stackfit.Result{}, err
	}
	_, err = tx.Exec(ctx,
		`INSERT INTO results (id, created_at, name, ruleset, answers, evaluation) VALUES ($1, $2, $3, $4, $5, $6)`,
		res.ID, res.CreatedAt, res.Name, res.Ruleset, json.RawMessage(a), json.RawMessage(e))
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
		a, e []byte
		res  = stackfit.Result{ID: id}
	)
	err := s.pool.QueryRow(ctx,
		`SELECT created_at, name, ruleset, answers, evaluation FROM results WHERE id = $1`, id).
		Scan(&res.CreatedAt, &res.Name, &res.Ruleset, &a, &e)
	if err != nil {
		return stackfit.Result{}, fmt.Errorf("read result %s: %w", id, unavailable(ctx, noRows(err)))
	}
	res.CreatedAt = res.CreatedAt.UTC()
	if err := json.Unmarshal(a, &res.Answers); err != nil {
		return stackfit.Result{}, fmt.Errorf("read result %s: answers: %w", id, err)
	}
	if err := json.Unmarshal(e, &res.Evaluation); err != nil {
		return stackfit.Result{}, fmt.Errorf("read result %s: evaluation: %w", id, err)
	}
	return res, nil
}

// SessionKeys returns the cookie session's hash (64 bytes) and block (32
// bytes) keys, generating them on first use. INSERT … ON CONFLICT DO NOTHING
// then SELECT: instances starting at once on one database agree on the
// keys, whichever inserted them.
func (s *Store) SessionKeys(ctx context.Context) (hash, block []byte, err error) {
	hash, err = s.setting(ctx, "session_hash_key", 64)
	if err != nil {
		return nil, nil, err
	}
	block, err = s.setting(ctx, "session_block_key", 32)
	return hash, block, err
}

// setting returns the named secret, creating n random bytes when absent.
func (s *Store) setting(ctx context.Context, name string, n int) ([]byte, error) {
	fresh := make([]byte, n)
	rand.Read(fresh)
	var v []byte
	err := s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		if _, err := tx.Exec(ctx,
			`INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, fresh); err != nil {
			return err
		}
		// A new statement: under READ COMMITTED it sees the row another
		// instance committed, the one our INSERT gave way to.
		return tx.QueryRow(ctx, `SELECT value FROM settings WHERE name = $1`, name).Scan(&v)
	})
	if err != nil {
		return nil, fmt.Errorf("setting %s: %w", name, err)
	}
	if len(v) != n {
		return nil, fmt.Errorf("setting %s: stored value has %d bytes, want %d", name, len(v), n)
	}
	return v, nil
}

// utc gives a time read back from timestamptz the UTC location the store wrote it in.
func utc(t time.Time) time.Time { return t.UTC() }
