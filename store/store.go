// Package store keeps stackfit's results and workshops in SQLite: it
// implements stackfit.Store, and publishes each workshop change to the
// stackfit.EventPublisher it is given once the change is committed.
//
// One connection writes and many read: SQLite allows a single writer at a
// time, so funnelling writes through one connection turns lock contention
// into a queue in Go instead of SQLITE_BUSY errors, while WAL mode lets the
// readers run beside it. One goroutine owns that connection and commits the
// writes waiting in its queue together, one fsync for many (writer.go).
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofrs/flock"
	"github.com/mattn/go-sqlite3" // also registers the "sqlite3" driver
	"github.com/pressly/goose/v3"

	"stackfit"
	"stackfit/metrics"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are the schema's versions, to apply to db or compare with it.
func migrations(db *sql.DB) (*goose.Provider, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// Store is the database. It is safe for concurrent use.
type Store struct {
	write  *sql.DB // exactly one connection
	read   *sql.DB
	events stackfit.EventPublisher
	// metrics counts commits and saved results; nil counts nothing.
	metrics *metrics.Metrics
	// lock is a shared advisory lock on <db>.lock, held from Open to Close:
	// stackfit restore takes it exclusively, so it cannot replace a
	// database in use (lock.go).
	lock *flock.Flock
	// writeDeadline bounds each write from the moment it is asked for, its
	// wait in the queue for the one writer connection included.
	writeDeadline time.Duration

	mu       sync.Mutex
	lastBeat time.Time // the health check's last committed write

	queue     chan *request // to the writer goroutine (writer.go), first come first served
	quit      chan struct{} // closed by Close
	stopped   chan struct{} // closed when the writer has stopped
	closeOnce sync.Once
	commits   atomic.Int64 // transactions the writer committed (tests, benchmarks)
}

// WriteDeadline is how long a write may take, waiting for the writer
// queue and for SQLite's write lock included, before it fails as
// stackfit.EUNAVAILABLE. About 8 s: long enough for a burst of a few
// hundred submissions to drain (each commit is a few milliseconds), short
// enough that a person sees "try again" before giving up on the page, and
// below the 10 s that proxies and load balancers commonly allow.
const WriteDeadline = 8 * time.Second

// busyWait is SQLite's busy_timeout on the writer: how long one attempt to
// take the write lock waits while another process holds it. SQLite's busy
// handler cannot be interrupted, so it is kept short and begin tries again
// until the write's deadline: a write then overshoots its deadline by at
// most busyWait.
const busyWait = time.Second

var _ stackfit.Store = (*Store)(nil)

// Option configures a Store at Open.
type Option func(*Store)

// PublishTo makes the store tell p of every workshop change, after its
// commit: an event never announces a change that could still roll back.
// Without it the store publishes nowhere.
func PublishTo(p stackfit.EventPublisher) Option {
	return func(s *Store) { s.events = p }
}

// WithMetrics makes the store count its commits, their batches and the
// results saved in m, and report its write queue's depth at each scrape.
func WithMetrics(m *metrics.Metrics) Option {
	return func(s *Store) { s.metrics = m }
}

// WithWriteDeadline replaces WriteDeadline (tests shorten it).
func WithWriteDeadline(d time.Duration) Option {
	return func(s *Store) { s.writeDeadline = d }
}

// Open opens (creating if needed) the database at path, checks it is whole,
// and applies pending migrations. It refuses a corrupt database and a
// directory it cannot write to, with an error that says which.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	if err := prepareFile(path); err != nil {
		return nil, err
	}
	lock, err := lockShared(path)
	if err != nil {
		return nil, err
	}
	write, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		lock.Unlock()
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	if err := quickCheck(ctx, write, path); err != nil {
		write.Close()
		lock.Unlock()
		return nil, err
	}
	if err := migrate(ctx, write); err != nil {
		write.Close()
		lock.Unlock()
		return nil, err
	}
	read, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		write.Close()
		lock.Unlock()
		return nil, err
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	s := &Store{write: write, read: read, lock: lock, events: stackfit.NoEvents{}, writeDeadline: WriteDeadline,
		queue: make(chan *request, queueLen), quit: make(chan struct{}), stopped: make(chan struct{})}
	for _, opt := range opts {
		opt(s)
	}
	s.metrics.WriteQueue(func() int { return len(s.queue) })
	go s.writeLoop()
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
	q.Set("_synchronous", "FULL")
	if readOnly {
		q.Set("mode", "ro")
		q.Set("_busy_timeout", "5000")
	} else {
		q.Set("_txlock", "immediate")
		q.Set("_busy_timeout", fmt.Sprint(busyWait.Milliseconds()))
	}
	return "file:" + path + "?" + q.Encode()
}

// prepareFile creates the database file readable by its owner only (it holds
// the session keys; SQLite gives its -wal and -shm files the same mode), and
// checks that the directory takes new files: WAL mode creates the -wal and
// -shm files beside the database, and would otherwise fail on the first write.
func prepareFile(path string) error {
	dir := filepath.Dir(path)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	switch {
	case errors.Is(err, fs.ErrPermission) && !exists(path):
		return fmt.Errorf("directory %s is not writable: stackfit cannot create its database %s there; give the user running stackfit write access to it (%w)",
			dir, filepath.Base(path), err)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("database %s is not writable: give the user running stackfit write access to it (%w)", path, err)
	case err != nil:
		return fmt.Errorf("database %s: %w", path, err)
	}
	f.Close()
	probe, err := os.CreateTemp(dir, ".stackfit-write-check-*")
	if err != nil {
		return fmt.Errorf("directory %s is not writable: SQLite needs to create %s-wal and %s-shm there; give the user running stackfit write access to it (%w)",
			dir, filepath.Base(path), filepath.Base(path), err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// quickCheck refuses a damaged database at start, rather than serving it and
// failing on whichever page happens to be broken. PRAGMA quick_check reads
// every page (O(N), a fraction of a second for stackfit's sizes) but skips
// the index-content checks of integrity_check.
func quickCheck(ctx context.Context, db *sql.DB, path string) error {
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return fmt.Errorf("database %s cannot be read (%w): restore it from a backup, or move it aside to start afresh", path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("database %s: quick_check: %w", path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		const most = 5
		if len(problems) > most {
			problems = append(problems[:most], fmt.Sprintf("and %d more", len(problems)-most))
		}
		return fmt.Errorf("database %s is corrupt (PRAGMA quick_check: %s): stackfit will not serve it; restore it from a backup, or try the sqlite3 shell's .recover",
			path, strings.Join(problems, "; "))
	}
	return nil
}

func migrate(ctx context.Context, db *sql.DB) error {
	p, err := migrations(db)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// retryWrite is the Retry-After of an unavailable write: a held lock or a
// queue is usually gone within seconds.
const retryWrite = 5 * time.Second

// unavailable turns the failures that say "not now" into
// stackfit.EUNAVAILABLE, keeping the cause in the chain for the log: the
// write lock held past the deadline (SQLITE_BUSY), the deadline passed while
// queued, and a full disk or database (SQLITE_FULL). The request's own end
// (the client went away: context.Canceled) is left as it is.
func unavailable(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var se sqlite3.Error
	switch {
	case isBusy(err), errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("%w (%w)", &stackfit.Error{Code: stackfit.EUNAVAILABLE, Message: msgBusy, RetryAfter: retryWrite, Cause: "write_busy"}, err)
	case errors.As(err, &se) && se.Code == sqlite3.ErrFull:
		return fmt.Errorf("%w (%w)", &stackfit.Error{Code: stackfit.EUNAVAILABLE, Message: msgFull, RetryAfter: time.Minute, Cause: "disk_full"}, err)
	}
	return err
}

const (
	msgBusy = "stackfit is busy saving other answers and could not save yours in time. Nothing was saved: try again in a few seconds."
	msgFull = "stackfit cannot save anything right now because its storage is full. Nothing was saved: try again later."
)

// Ping reports whether the database answers a query and can take a write:
// the health check. Inside a write transaction (so the write lock was had
// in time) it allocates a few pages and rolls them back: SQLITE_FULL when
// the disk or PRAGMA max_page_count leaves no room. A rolled-back write
// never reaches the disk, so at most every heartbeatEvery it also commits
// one row, which a disk that takes no more writes refuses; each check in
// between costs no fsync, so an uptime probe cannot load the disk.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("read: %w", err)
	}
	s.mu.Lock()
	beat := time.Since(s.lastBeat) >= heartbeatEvery
	s.mu.Unlock()
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, q := range []string{
			"SAVEPOINT room",
			"INSERT INTO settings (name, value) VALUES ('health_room', zeroblob(65536))",
			"ROLLBACK TO room",
			"RELEASE room",
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		if !beat {
			return errRollback
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES ('health_checked', ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, []byte(now().Format(timeFormat)))
		return err
	})
	if errors.Is(err, errRollback) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	s.mu.Lock()
	s.lastBeat = time.Now()
	s.mu.Unlock()
	return nil
}

// heartbeatEvery is how often the health check commits a write.
const heartbeatEvery = 30 * time.Second

// errRollback ends a transaction that only probed.
var errRollback = errors.New("probe only: roll back")

// Close checkpoints the WAL into the main file and closes the database, so a
// cleanly stopped server leaves a single self-contained file behind.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { close(s.quit) })
	<-s.stopped // the batch being written is committed first
	_, cerr := s.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	rerr := s.read.Close()
	werr := s.write.Close()
	// Released last: a restore waits until the files are closed.
	lerr := s.lock.Unlock()
	return errors.Join(cerr, rerr, werr, lerr)
}

// now is the storage form of a timestamp: UTC, sortable as text.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

const timeFormat = "2006-01-02T15:04:05.000Z07:00"
