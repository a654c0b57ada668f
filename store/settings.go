package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
)

// SessionKeys returns the cookie session's hash (64 bytes) and block (32
// bytes) keys, generating them on first use. INSERT … DO NOTHING then SELECT
// means two servers starting at once on one database agree on the same keys.
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
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, fresh); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, name).Scan(&v)
	})
	if err != nil {
		return nil, fmt.Errorf("setting %s: %w", name, err)
	}
	if len(v) != n {
		return nil, fmt.Errorf("setting %s: stored value has %d bytes, want %d", name, len(v), n)
	}
	return v, nil
}
