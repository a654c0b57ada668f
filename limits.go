package stackfit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate is a per-address allowance: Burst actions at once, then PerMinute
// more each minute. A zero Burst means no limit.
type Rate struct {
	Burst     int
	PerMinute float64
}

// Limits are the allowances of one client address for the writes anyone may
// make without an account. They stop one client from filling the disk
// while leaving room for a whole office behind one address.
type Limits struct {
	Results     Rate // results made from the questionnaire, pages and API
	Workshops   Rate // workshops created
	Submissions Rate // joins and answers sent to workshops
	// Off switches off every per-address limit, the join-code guard too:
	// for load tests behind a gateway that limits on its own.
	Off bool
	// MaxCapacity is the most participants a facilitator may allow in one
	// workshop; 0 means DefaultCapacity.
	MaxCapacity int
}

// DefaultCapacity is a workshop's participant cap unless its facilitator
// sets another: a large all-hands, far beyond a kick-off meeting.
const DefaultCapacity = 500

// DefaultLimits are the limits unless the operator sets others. A whole
// office may share one address, so the submission burst covers a full
// workshop: every one of DefaultCapacity people joining and sending answers.
func DefaultLimits() Limits {
	return Limits{
		Results:     Rate{Burst: 60, PerMinute: 20},
		Workshops:   Rate{Burst: 10, PerMinute: 1},
		Submissions: Rate{Burst: 2 * DefaultCapacity, PerMinute: 120},
		MaxCapacity: DefaultCapacity,
	}
}

// Option configures an App at New.
type Option func(*App)

// WithLimits sets the per-address limits and the largest workshop; without
// it the App keeps DefaultLimits.
func WithLimits(l Limits) Option {
	return func(a *App) {
		if l.MaxCapacity <= 0 {
			l.MaxCapacity = DefaultCapacity
		}
		a.limits = l
	}
}

// Allowances keep the token buckets of the per-address limits (results,
// workshops, submissions, the join-code guard), one per limit and client.
// Without WithAllowances each App keeps its own in memory; store/postgres
// keeps them in the database, so that instances sharing it share one
// allowance per client.
type Allowances interface {
	// Take spends one action of client's allowance under the named limit,
	// which refills at r: 0 when it may go ahead, else how long to wait, and
	// then nothing is spent.
	Take(ctx context.Context, limit, client string, r Rate) (time.Duration, error)
	// Wait is how long client must wait before one action under the named
	// limit may go ahead; it spends nothing.
	Wait(ctx context.Context, limit, client string, r Rate) (time.Duration, error)
}

// WithAllowances keeps the per-address allowances in al instead of the App's
// memory. When al fails the action goes ahead and log (nil: none) says why
// (see shared).
func WithAllowances(al Allowances, log *slog.Logger) Option {
	return func(a *App) { a.shared, a.log = al, log }
}

// allowance is one limit's allowances per client: an addressLimiter in the
// App's memory, or shared in Allowances.
type allowance interface {
	// take is Allowances.Take, wait Allowances.Wait, for this limit.
	take(ctx context.Context, client string) time.Duration
	wait(ctx context.Context, client string) time.Duration
	// cause names the limit in refusals (Error.Cause, the metrics).
	cause() string
}

// allowance makes the named limit's allowance at r, off when the limits are.
func (a *App) allowance(name string, r Rate) allowance {
	off := a.limits.Off || r.Burst <= 0
	if a.shared == nil || off {
		return newAddressLimiter(name, r, off)
	}
	return &shared{name: name, rate: r, al: a.shared, log: a.log}
}

// shared is a limit whose allowances are kept in Allowances.
//
// When they fail (the database does not answer within its deadline) the
// action goes ahead: the limits guard against a client filling the disk or
// trying join codes over minutes, and a write the database cannot take
// fails on its own anyway, while failing closed would refuse everyone for
// a fault that is not theirs. The warning says the limit was not applied.
type shared struct {
	name string
	rate Rate
	al   Allowances
	log  *slog.Logger
}

func (s *shared) cause() string { return s.name }

func (s *shared) take(ctx context.Context, client string) time.Duration {
	wait, err := s.al.Take(ctx, s.name, client, s.rate)
	return s.open(err, wait)
}

func (s *shared) wait(ctx context.Context, client string) time.Duration {
	wait, err := s.al.Wait(ctx, s.name, client, s.rate)
	return s.open(err, wait)
}

// open is wait, or 0 (go ahead) after a warning when err is not nil.
func (s *shared) open(err error, wait time.Duration) time.Duration {
	if err == nil {
		return wait
	}
	if s.log != nil && ctxAlive(err) {
		s.log.Warn("rate limit not applied: its allowances cannot be read", "limit", s.name, "err", err)
	}
	return 0
}

// ctxAlive is false for the request's own end, which needs no warning.
func ctxAlive(err error) bool { return !errors.Is(err, context.Canceled) }

// Limits are the limits the App enforces.
func (a *App) Limits() Limits { return a.limits }

// maxClients bounds each limiter's memory. Idle addresses are forgotten
// every minute; past this many at once (an attacker with a whole IPv6
// prefix), arbitrary ones are forgotten, which only gives them a fresh
// allowance.
const maxClients = 100_000

// addressLimiter keeps a token bucket per client address.
type addressLimiter struct {
	name      string // the Cause of its refusals
	mu        sync.Mutex
	rate      Rate
	off       bool
	clients   map[string]*rate.Limiter
	lastSweep time.Time
}

func newAddressLimiter(name string, r Rate, off bool) *addressLimiter {
	return &addressLimiter{name: name, rate: r, off: off || r.Burst <= 0, clients: map[string]*rate.Limiter{}}
}

func (l *addressLimiter) cause() string { return l.name }

// take spends one action of client's allowance: 0 when it may go ahead,
// else how long to wait, and then nothing is spent.
func (l *addressLimiter) take(_ context.Context, client string) time.Duration {
	if l.off {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Sub(l.lastSweep) > time.Minute || len(l.clients) >= maxClients {
		l.sweep(now)
		l.lastSweep = now
	}
	b, ok := l.clients[client]
	if !ok {
		b = rate.NewLimiter(rate.Limit(l.rate.PerMinute/60), l.rate.Burst)
		l.clients[client] = b
	}
	r := b.ReserveN(now, 1)
	if !r.OK() { // a zero rate with the burst spent: never again
		return time.Duration(math.MaxInt64)
	}
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return wait
	}
	return 0
}

// wait is how long client must wait for one action, spending nothing; a
// client it does not remember has its whole burst.
func (l *addressLimiter) wait(_ context.Context, client string) time.Duration {
	if l.off {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.clients[client]
	if !ok {
		return 0
	}
	missing := 1 - b.TokensAt(time.Now())
	switch {
	case missing <= 0:
		return 0
	case l.rate.PerMinute <= 0:
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(missing / l.rate.PerMinute * float64(time.Minute))
}

// sweep forgets clients whose allowance has refilled (they are idle), then,
// if still too many, any. l.mu must be held.
func (l *addressLimiter) sweep(now time.Time) {
	for c, b := range l.clients {
		if b.TokensAt(now) >= float64(l.rate.Burst) {
			delete(l.clients, c)
		}
	}
	for c := range l.clients {
		if len(l.clients) < maxClients {
			break
		}
		delete(l.clients, c)
	}
}

// size is how many addresses the limiter remembers (for tests).
func (l *addressLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}

// Sentences for the person when a limit is reached; %s is how long to wait.
const (
	msgTooManyResults     = "Many results were made from your network in a short time, so this one was not saved. Your answers are kept: try again in %s."
	msgTooManyWorkshops   = "Many workshops were started from your network in a short time, so this one was not created. Try again in %s."
	msgTooManySubmissions = "Many answers were sent from your network in a short time, so yours were not sent. They are kept: try again in %s."
)

// limit is ELIMIT with msg when client has no allowance left in l.
func limit(ctx context.Context, l allowance, client, msg string) error {
	if wait := l.take(ctx, network(client)); wait > 0 {
		return &Error{Code: ELIMIT, Message: fmt.Sprintf(msg, waitWords(wait)), RetryAfter: wait, Cause: l.cause()}
	}
	return nil
}

// waitWords says a wait as a person would: "a few seconds", "20 seconds",
// "3 minutes", rounded up so that trying then succeeds.
func waitWords(d time.Duration) string {
	switch secs := int(math.Ceil(d.Seconds())); {
	case secs <= 5:
		return "a few seconds"
	case secs < 90:
		return strconv.Itoa(secs) + " seconds"
	default:
		return strconv.Itoa(int(math.Ceil(d.Minutes()))) + " minutes"
	}
}

// network is what the per-address limits count for a client address: an
// IPv4 address itself, an IPv6 address's /64, the prefix one subscriber is
// given (RFC 6177), so that a client cannot make itself 2^64 fresh
// allowances by changing the low bits of its address. Anything that is not
// an address is counted as it is.
func network(client string) string {
	a, err := netip.ParseAddr(client)
	if err != nil || a.Is4() || a.Is4In6() {
		return client
	}
	p, err := a.WithZone("").Prefix(64)
	if err != nil {
		return client
	}
	return p.String()
}
