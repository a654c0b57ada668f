package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"stackfit"
)

// Which database failures ask the person to try again (EUNAVAILABLE) and
// which are ours (kept as they are, an internal error) or the domain's.
func TestUnavailable(t *testing.T) {
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	canceled, cancel2 := context.WithCancel(context.Background())
	cancel2()
	bg := context.Background()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want string // the error code, "" for nil
	}{
		{"no error", bg, nil, ""},
		{"the write deadline passed", expired, context.DeadlineExceeded, stackfit.EUNAVAILABLE},
		{"the server shuts down", bg, &pgconn.PgError{Code: "57P01"}, stackfit.EUNAVAILABLE},
		{"the server starts up", bg, &pgconn.PgError{Code: "57P03"}, stackfit.EUNAVAILABLE},
		{"connection failure", bg, &pgconn.PgError{Code: "08006"}, stackfit.EUNAVAILABLE},
		{"too many connections", bg, &pgconn.PgError{Code: "53300"}, stackfit.EUNAVAILABLE},
		{"disk full", bg, &pgconn.PgError{Code: "53100"}, stackfit.EUNAVAILABLE},
		{"deadlock", bg, &pgconn.PgError{Code: "40P01"}, stackfit.EUNAVAILABLE},
		{"the network", bg, fmt.Errorf("read: %w", &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}), stackfit.EUNAVAILABLE},
		{"a bug of ours: bad SQL", bg, &pgconn.PgError{Code: "42601"}, stackfit.EINTERNAL},
		{"a bug of ours: a constraint", bg, &pgconn.PgError{Code: "23514"}, stackfit.EINTERNAL},
		{"the domain's answer", bg, fmt.Errorf("join: %w", stackfit.ErrClosed), stackfit.ECLOSED},
		{"not found", bg, stackfit.ErrNotFound, stackfit.ENOTFOUND},
		{"the client went away", canceled, context.Canceled, stackfit.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := unavailable(tt.ctx, tt.err)
			if got := stackfit.ErrorCode(err); got != tt.want {
				t.Errorf("code %q, want %q (%v)", got, tt.want, err)
			}
			if tt.want == stackfit.EUNAVAILABLE && (stackfit.RetryAfter(err) <= 0 || !errors.Is(err, tt.err)) {
				t.Errorf("%v: want a Retry-After and the cause kept in the chain", err)
			}
		})
	}
}

// A write waiting on a workshop's row lock (another instance's long
// transaction) gives up at the write deadline as EUNAVAILABLE, and stores
// nothing.
func TestWriteDeadlineOnAHeldRowLock(t *testing.T) {
	db := newDatabase(t)
	ctx := context.Background()
	st, err := Open(ctx, db.url, WithWriteDeadline(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, _, err := st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Held"})
	if err != nil {
		t.Fatal(err)
	}
	tx := db.holdLocks(t, `SELECT 1 FROM workshops WHERE code = $1 FOR UPDATE`, w.Code)
	_, err = st.Join(ctx, w.Code, "Ada")
	if stackfit.ErrorCode(err) != stackfit.EUNAVAILABLE || stackfit.RetryAfter(err) <= 0 {
		t.Errorf("Join behind a held lock: %v, want EUNAVAILABLE with a Retry-After", err)
	}
	tx.Rollback(ctx)
	if got, err := st.Workshop(ctx, w.Code); err != nil || got.Joined != 0 {
		t.Errorf("after the refused join: %+v, %v; want nobody joined", got, err)
	}
}

// Instances starting at once migrate once: goose's session lock makes the
// others wait, then find nothing to do.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	db := newDatabase(t)
	ctx := context.Background()
	const instances = 4
	errs := make(chan error, instances)
	for range instances {
		go func() {
			st, err := Open(ctx, db.url)
			if err == nil {
				st.Close()
			}
			errs <- err
		}()
	}
	for range instances {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	var applied int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if applied != len(files) {
		t.Errorf("%d migrations recorded, want %d (each applied once)", applied, len(files))
	}
}

func TestOpenRefusesABadURL(t *testing.T) {
	_, err := Open(context.Background(), "postgres://user:secret@[::1")
	if err == nil {
		t.Fatal("Open with a malformed URL succeeded")
	}
	if s := err.Error(); strings.Contains(s, "secret") {
		t.Errorf("the error shows the password: %s", s)
	}
}

// The pool is sized for bursts unless the URL says otherwise, and a
// connection that does not come gives up.
func TestPoolSettings(t *testing.T) {
	base := newDatabase(t).url
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", "3")
	q.Set("connect_timeout", "2")
	u.RawQuery = q.Encode()
	tests := []struct {
		url       string
		maxConns  int32
		connectIn time.Duration
	}{
		{base, defaultMaxConns, connectTimeout},
		{u.String(), 3, 2 * time.Second},
	}
	for _, tt := range tests {
		st, err := Open(context.Background(), tt.url)
		if err != nil {
			t.Fatal(err)
		}
		cfg := st.pool.Config()
		if cfg.MaxConns != tt.maxConns || cfg.ConnConfig.ConnectTimeout != tt.connectIn {
			t.Errorf("%s: %d connections, connect timeout %v; want %d, %v", tt.url, cfg.MaxConns, cfg.ConnConfig.ConnectTimeout, tt.maxConns, tt.connectIn)
		}
		st.Close()
	}
}
