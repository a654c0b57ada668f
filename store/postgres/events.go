package postgres

import (
	"cmp"
	"context"
	crand "crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"stackfit"
	"stackfit/workshop"
)

// channel is the NOTIFY channel of workshop changes. Notifications stay
// within one database, so two deployments on one server do not mix.
const channel = "stackfit_events"

// notification is the payload of one change: small (PostgreSQL takes up to
// 8,000 bytes), and enough for a board to know what to read again.
type notification struct {
	Workshop    string             `json:"workshop"`
	Kind        stackfit.EventKind `json:"kind"`
	Participant string             `json:"participant,omitempty"`
	Origin      string             `json:"origin"` // the Store that wrote it
}

// newOrigin names one Store (one process) among the instances.
func newOrigin() string { return crand.Text()[:16] }

// Feed is what a Listener feeds: this instance's events.Hub.
type Feed interface {
	stackfit.EventPublisher
	// Resync tells every subscriber to read the whole state afresh and
	// marks every workshop changed.
	Resync()
}

// timing is how a Listener paces itself; tests shorten it.
type timing struct {
	// Reconnecting waits from backoffMin, doubling up to backoffMax,
	// between attempts: quick after a blip, and gentle on a database that
	// is restarting while every instance tries at once (each wait is
	// jittered by ±20%).
	backoffMin, backoffMax time.Duration
	// After idle without a notification the listener pings its
	// connection, and reconnects unless the answer comes within answer: a
	// connection cut without a word (a failover, a dropped NAT entry)
	// would otherwise be waited on for good, TCP keep-alive taking most of
	// an hour to notice. answer also bounds LISTEN on a new connection.
	idle, answer time.Duration
}

var defaultTiming = timing{backoffMin: 100 * time.Millisecond, backoffMax: 5 * time.Second, idle: 30 * time.Second, answer: 5 * time.Second}

// Listener carries the changes that other instances make to this instance's
// subscribers: one connection of its own LISTENs on the channel every
// change notifies in its transaction, and each notification is published to
// the Feed. Notifications from this instance's own Store are skipped: the
// store publishes those itself after the commit, so its own changes show at
// once and once.
//
// When the connection is lost, notifications sent meanwhile are lost with
// it: the Listener reconnects with backoff, and once it listens again it
// calls Feed.Resync, so every board reads the whole state afresh and no
// summary kept from before is trusted.
type Listener struct {
	cfg    *pgx.ConnConfig
	origin string
	feed   Feed
	log    *slog.Logger
	timing timing
	cancel context.CancelFunc
	done   chan struct{}
}

// Listen starts feeding feed (the hub this store publishes to) with the
// other instances' changes, until ctx ends or Close. It returns once the
// listener listens, so no change committed after Listen returns is missed.
func (s *Store) Listen(ctx context.Context, feed Feed, log *slog.Logger) (*Listener, error) {
	return s.listen(ctx, feed, log, defaultTiming)
}

func (s *Store) listen(ctx context.Context, feed Feed, log *slog.Logger, t timing) (*Listener, error) {
	cfg := s.pool.Config().ConnConfig // a copy
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	// Named in pg_stat_activity, with the instance it serves.
	cfg.RuntimeParams["application_name"] = cmp.Or(cfg.RuntimeParams["application_name"], "stackfit") + " events " + s.origin
	l := &Listener{cfg: cfg, origin: s.origin, feed: feed, log: log, timing: t, done: make(chan struct{})}
	conn, err := l.connect(ctx)
	if err != nil {
		return nil, fmt.Errorf("listen for events: %w", err)
	}
	// The instance's name in pg_stat_activity, to find its connection.
	log.Info("listening for other instances' changes", "instance", s.origin)
	ctx, l.cancel = context.WithCancel(ctx)
	go l.run(ctx, conn)
	return l, nil
}

// Close stops the listener and waits for it to end.
func (l *Listener) Close() {
	l.cancel()
	<-l.done
}

// connect opens the listening connection.
func (l *Listener) connect(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, l.cfg)
	if err != nil {
		return nil, err
	}
	listenCtx, cancel := context.WithTimeout(ctx, l.timing.answer)
	defer cancel()
	if _, err := conn.Exec(listenCtx, "LISTEN "+channel); err != nil {
		closeConn(conn)
		return nil, err
	}
	return conn, nil
}

func (l *Listener) run(ctx context.Context, conn *pgx.Conn) {
	defer close(l.done)
	for {
		err := l.receive(ctx, conn)
		closeConn(conn)
		if ctx.Err() != nil {
			return
		}
		l.log.Warn("lost the connection that hears other instances' changes; reconnecting", "err", err)
		lost := time.Now()
		if conn = l.reconnect(ctx); conn == nil {
			return
		}
		// Changes may have been notified while nobody listened.
		l.feed.Resync()
		l.log.Info("hearing other instances' changes again; every board reads afresh", "after", time.Since(lost).Round(time.Millisecond))
	}
}

// receive publishes each notification of another instance until the
// connection fails or ctx ends.
func (l *Listener) receive(ctx context.Context, conn *pgx.Conn) error {
	for {
		waitCtx, cancel := context.WithTimeout(ctx, l.timing.idle)
		n, err := conn.WaitForNotification(waitCtx)
		quiet := waitCtx.Err() != nil && ctx.Err() == nil
		cancel()
		if n != nil {
			l.deliver(n.Payload)
		}
		if err != nil && quiet && pgconn.Timeout(err) {
			// Nothing for a while: fine, if the connection still answers.
			// (pgx keeps a connection whose wait timed out usable.)
			err = l.ping(ctx, conn)
		}
		if err != nil {
			return err
		}
	}
}

// ping asks the database for an answer within timing.answer.
func (l *Listener) ping(ctx context.Context, conn *pgx.Conn) error {
	ctx, cancel := context.WithTimeout(ctx, l.timing.answer)
	defer cancel()
	if err := conn.Ping(ctx); err != nil {
		return fmt.Errorf("no answer within %s: %w", l.timing.answer, err)
	}
	return nil
}

// deliver publishes one notification unless this instance sent it.
func (l *Listener) deliver(payload string) {
	var m notification
	code, ok := "", false
	if json.Unmarshal([]byte(payload), &m) == nil {
		code, ok = workshop.ParseCode(m.Workshop)
	}
	switch {
	case !ok || m.Kind == "":
		l.log.Warn("ignored an unreadable event notification", "bytes", len(payload))
	case m.Origin == l.origin:
		// published by this instance's store after its commit
	default:
		l.feed.Publish(code, m.Kind, m.Participant)
	}
}

// reconnect tries until it listens again, or returns nil when ctx ends.
func (l *Listener) reconnect(ctx context.Context) *pgx.Conn {
	wait := l.timing.backoffMin
	for attempt := 1; ; attempt++ {
		t := time.NewTimer(jitter(wait))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		conn, err := l.connect(ctx)
		if err == nil {
			return conn
		}
		if ctx.Err() != nil {
			return nil
		}
		// Once a wait reaches the cap, about one line every 5 s.
		l.log.Warn("cannot listen for other instances' changes yet", "attempt", attempt, "err", err)
		wait = min(2*wait, l.timing.backoffMax)
	}
}

// jitter spreads d by ±20%, so instances do not retry in step.
func jitter(d time.Duration) time.Duration {
	return d + time.Duration((rand.Float64()*0.4-0.2)*float64(d))
}

// closeConn closes a listening connection, waiting a moment at most for a
// database that no longer answers; a broken one has nothing more to say.
func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = conn.Close(ctx)
}
