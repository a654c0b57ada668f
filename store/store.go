// Package store keeps stackfit's results and workshops in SQLite: it
// implements stackfit.Store, and publishes each workshop change to the
// stackfit.EventPublisher it is given once the change is committed.
//
// One connection writes and many read: SQLite allows a single writer at a
// time, so funnelling writes through one connection turns lock contention
// into a queue in Go instead of SQLITE_BUSY errors, while WAL mode lets the
// readers run beside it.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
	"github.com/pressly/goose/v3"

	"stackfit"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the database. It is safe for concurrent use.
type Store struct {
	write  *sql.DB // exactly one connection
	read   *sql.DB
	events stackfit.EventPublisher
}

var _ stackfit.Store = (*Store)(nil)

// Option configures a Store at Open.
type Option func(*Store)

// PublishTo makes the store tell p of every workshop change, after its
// commit: an event never announces a change that could still roll back.
// Without it the store publishes nowhere.
func PublishTo(p stackfit.EventPublisher) Option {
	return func(s *Store) { s.events = p }
}

// Open opens (creating if needed) the database at path and applies pending migrations.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	write, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	if err := migrate(ctx, write); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	s := &Store{write: write, read: read, events: stackfit.NoEvents{}}
	for _, opt := range opts {
		opt(s)
	}
	return s, nil
}

// dsn sets the pragmas on every connection the pool opens. synchronous=FULL
// makes a committed transaction durable across power loss in WAL mode (the
// default NORMAL may lose the last commits), which is what lets a 2xx reply
// promise the row is kept. _txlock=immediate takes the write lock at BEGIN,
// so a transaction never fails half-way on a lock upgrade.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "5000")
	q.Set("_synchronous", "FULL")
	if readOnly {
		q.Set("mode", "ro")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

func migrate(ctx context.Context, db *sql.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// inTx runs fn in a transaction on the writer, committing when fn returns
// nil. BEGIN takes the write lock at once (_txlock=immediate), so fn may read
// and then write without another process slipping in between.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Ping reports whether the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close checkpoints the WAL into the main file and closes the database, so a
// cleanly stopped server leaves a single self-contained file behind.
func (s *Store) Close() error {
	_, cerr := s.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	rerr := s.read.Close()
	werr := s.write.Close()
	return errors.Join(cerr, rerr, werr)
}

// now is the storage form of a timestamp: UTC, sortable as text.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

const timeFormat = "2006-01-02T15:04:05.000Z07:00"
