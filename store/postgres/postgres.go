// Package postgres keeps stackfit's results and workshops in PostgreSQL, so
// several instances can share them: it implements stackfit.Store as store/
// (SQLite) does, with the same guarantees and error codes. Each workshop
// change runs pg_notify in its own transaction, so the other instances hear
// of exactly the changes that commit (see Listener), and is published to the
// stackfit.EventPublisher the store is given once it is committed.
//
// Where SQLite orders writers with one writer goroutine, PostgreSQL has many
// writers at once, on every instance. A join or submission first takes the
// workshop's row FOR SHARE, which the close's and the lock's UPDATE wait
// for, so none is stored once the workshop is closed; joins and submissions
// share that lock and commit side by side. The cap is a table of places,
// one row per place, which a join claims with FOR UPDATE SKIP LOCKED: no
// free place, no join.
//
// Allowances (allowances.go) keep the per-address rate limits in the same
// database, so those hold across instances too.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"stackfit"
	"stackfit/metrics"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is the database. It is safe for concurrent use.
type Store struct {
	pool    *pgxpool.Pool
	cfg     *pgxpool.Config // the pool's, for the allowances' own (allowances.go)
	events  stackfit.EventPublisher
	metrics *metrics.Metrics // nil counts nothing
	// origin names this store in its notifications, so that its own
	// Listener skips what the store already published locally.
	origin string
	// writeDeadline bounds each write, its wait for a connection and for
	// the workshop's row lock included.
	writeDeadline time.Duration

	mu       sync.Mutex
	lastBeat time.Time // the health check's last committed write
}

var _ stackfit.Store = (*Store)(nil)

// WriteDeadline is how long a write may take before it fails as
// stackfit.EUNAVAILABLE: the 8 s of the SQLite store, for the same reasons
// (a burst drains; a person sees "try again" before a proxy gives up).
const WriteDeadline = 8 * time.Second

// defaultMaxConns is the pool's size unless the URL sets pool_max_conns.
const defaultMaxConns = 16

// connectTimeout bounds opening one connection, unless the URL sets connect_timeout.
const connectTimeout = 5 * time.Second

// Option configures a Store at Open.
type Option func(*Store)

// PublishTo makes the store tell p of every workshop change, after its
// commit: an event never announces a change that could still roll back.
// Without it the store publishes nowhere.
func PublishTo(p stackfit.EventPublisher) Option {
	return func(s *Store) { s.events = p }
}

// WithMetrics makes the store time its commits and count the results saved
// in m, as the SQLite store does; each transaction is one write here.
func WithMetrics(m *metrics.Metrics) Option {
	return func(s *Store) { s.metrics = m }
}

// WithWriteDeadline replaces WriteDeadline (tests shorten it).
func WithWriteDeadline(d time.Duration) Option {
	return func(s *Store) { s.writeDeadline = d }
}

// IsURL reports whether db names a PostgreSQL database (postgres:// or
// postgresql://) rather than a SQLite file.
func IsURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Open connects to the database at url (postgres://…), and applies pending
// migrations under a PostgreSQL advisory lock, so instances starting at once
// migrate once: the others wait, then find nothing left to do.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message may repeat the URL, password included: say only what is wrong.
		return nil, errors.New("database URL cannot be read: expected postgres://user:password@host:port/database")
	}
	// pgx's default pool is max(4, CPUs) connections: on a 2-core instance a
	// burst of submissions would queue for 4 connections while most of their
	// time is the database's commit. 16 lets the database group-commit
	// them, and three instances (48) stay well under PostgreSQL's default
	// max_connections of 100. The URL's pool_max_conns still decides.
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = defaultMaxConns
	}
	// Without connect_timeout pgx waits for a connection as long as the
	// context lets it: a server that does not answer would hold a page until
	// the client gives up, instead of saying "try again".
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to %s: %w", describe(cfg), err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	s := &Store{pool: pool, cfg: cfg, events: stackfit.NoEvents{}, writeDeadline: WriteDeadline, origin: newOrigin()}
	for _, opt := range opts {
		opt(s)
	}
	return s, nil
}

// describe names the database for an error, without its password.
func describe(cfg *pgxpool.Config) string {
	return fmt.Sprintf("database %s on %s:%d as %s", cfg.ConnConfig.Database, cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.User)
}

// migrate runs goose over a database/sql view of the pool (goose speaks
// database/sql) with its PostgreSQL session locker: pg_advisory_lock on one
// session, held while the migrations run.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return err
	}
	// An instance finding the lock taken tries again every second (goose's
	// default is every 5 s) for up to 5 minutes: another instance is migrating.
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Close closes every connection; writes in flight finish first.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// inTx runs f in a transaction, within the write deadline, and commits it
// when f returns nil, timing the commit for the metrics from its BEGIN (the
// wait for a connection is not the database's). Failures that say "not
// now" become EUNAVAILABLE.
func (s *Store) inTx(ctx context.Context, f func(context.Context, pgx.Tx) error) error {
	ctx, cancel := context.WithTimeout(ctx, s.writeDeadline)
	defer cancel()
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return unavailable(ctx, err)
	}
	defer conn.Release()
	began := time.Now()
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return f(ctx, tx) })
	if err == nil {
		s.metrics.Committed(1, time.Since(began))
	}
	return unavailable(ctx, err)
}

// notify tells the other instances what changed, inside the change's
// transaction: PostgreSQL delivers the notification when (and only if) it
// commits, and a notification that cannot be queued fails the change.
// The price: PostgreSQL commits notifying transactions one at a time (a
// database-wide lock held through the commit's WAL flush, so notifications
// queue in commit order), so changes that could commit side by side share
// no flush; see README's figures.
func (s *Store) notify(ctx context.Context, tx pgx.Tx, code string, kind stackfit.EventKind, participant string) error {
	payload, err := json.Marshal(notification{Workshop: code, Kind: kind, Participant: participant, Origin: s.origin})
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `SELECT pg_notify($1, $2)`, channel, string(payload))
	return err
}

// publish tells those watching the workshop on this instance what changed;
// called once the change is committed, so a person sent on to a page of this
// instance sees their own change at once, without waiting for the
// notification to come back (the Listener skips it).
func (s *Store) publish(code string, kind stackfit.EventKind, participant string) {
	s.events.Publish(code, kind, participant)
}

// retryWrite is the Retry-After of an unavailable write.
const retryWrite = 5 * time.Second

const (
	msgBusy = "stackfit is busy saving other answers and could not save yours in time. Nothing was saved: try again in a few seconds."
	msgDown = "stackfit cannot reach its database right now. Nothing was saved: try again in a few seconds."
	msgFull = "stackfit cannot save anything right now because its storage is full. Nothing was saved: try again later."
)

// unavailable turns the failures that say "not now" into
// stackfit.EUNAVAILABLE, keeping the cause in the chain for the log: the
// deadline passed (a held row lock, an exhausted pool), the database cannot
// be reached or is shutting down, it has no room or no connections left, or
// it gave up on a deadlock or serialisation conflict. The request's own end
// (context.Canceled) is left as it is.
func unavailable(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var (
		pe  *pgconn.PgError
		ce  *pgconn.ConnectError
		ne  net.Error
		e   *stackfit.Error
		msg string
	)
	switch {
	case errors.As(err, &e):
		return err // the domain's own answer (not found, closed, full)
	case errors.Is(ctx.Err(), context.DeadlineExceeded), pgconn.Timeout(err):
		msg = msgBusy
	case errors.As(err, &pe) && (pe.Code == "53100" || pe.Code == "53200"): // disk_full, out_of_memory
		return fmt.Errorf("%w (%w)", &stackfit.Error{Code: stackfit.EUNAVAILABLE, Message: msgFull, RetryAfter: time.Minute}, err)
	case errors.As(err, &pe) && (strings.HasPrefix(pe.Code, "08") || // connection exception
		pe.Code == "53300" || // too_many_connections
		pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03" || // shutting down, cannot connect now
		pe.Code == "40001" || pe.Code == "40P01"): // serialization_failure, deadlock_detected
		msg = msgDown
	case errors.As(err, &ce), errors.As(err, &ne), pgconn.SafeToRetry(err), errors.Is(err, pgx.ErrTxClosed):
		msg = msgDown
	default:
		return err
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return err
	}
	return fmt.Errorf("%w (%w)", &stackfit.Error{Code: stackfit.EUNAVAILABLE, Message: msg, RetryAfter: retryWrite}, err)
}

// Ping reports whether the database answers a query and, at most every
// heartbeatEvery, commits a write: a database that takes no more writes
// (disk full, read-only standby) fails the health check.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.pool.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("read: %w", unavailable(ctx, err))
	}
	s.mu.Lock()
	beat := time.Since(s.lastBeat) >= heartbeatEvery
	s.mu.Unlock()
	if !beat {
		return nil
	}
	err := s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO settings (name, value) VALUES ('health_checked', $1)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, []byte(now().Format(time.RFC3339Nano)))
		return err
	})
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

// now is the storage form of a timestamp: UTC, to the millisecond, as the
// SQLite store keeps it, so both stores return the same times.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// noRows maps pgx's "no row" to ErrNotFound.
func noRows(err error) error {
	if errors.Is(err, pgx.ErrNoRows) || errors.Is(err, sql.ErrNoRows) {
		return stackfit.ErrNotFound
	}
	return err
}
