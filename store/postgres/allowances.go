package postgres

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"stackfit"
)

// Allowances keep the per-address rate limits' token buckets in the table
// allowances, one row per limit and client, so every instance on the
// database spends from one allowance per client: a guesser of join codes
// blocked on one instance is blocked on all, and the workshops one address
// creates count once whichever instance each reached. It implements
// stackfit.Allowances; it is safe for concurrent use.
type Allowances struct {
	// pool is its own, small: a take is one short statement, and must not
	// queue behind writes that hold the store's connections while they wait
	// for a workshop's row lock.
	pool *pgxpool.Pool
	key  []byte           // the HMAC key of client addresses, shared through settings
	now  func() time.Time // nil: the database's clock, the same for every instance

	mu        sync.Mutex
	lastSweep time.Time
	// refused remembers this instance's refusals until they run out, so a
	// client hammering at its limit (a guesser, a flood) is answered without
	// a query. Exact, not a guess: other instances only spend tokens, so
	// none can appear before the wait the database gave.
	refused map[refusalKey]refusal
}

type refusalKey struct {
	limit  string
	client string // clientKey's bytes
}

// refusal is a wait the database gave at a time.
type refusal struct {
	at   time.Time
	wait time.Duration
}

// maxRefusals bounds the refusals remembered; past it, expired ones are
// forgotten, and new ones are not remembered until there is room (they
// only cost a query each then).
const maxRefusals = 100_000

var _ stackfit.Allowances = (*Allowances)(nil)

// allowancesDeadline bounds each take, its wait for a connection included.
// It is short: past it the limit is not applied (stackfit fails open) rather
// than holding the request.
const allowancesDeadline = time.Second

// allowancesConns is the size of the allowances' own pool.
const allowancesConns = 4

// sweepEvery is how often an instance deletes refilled buckets, and
// sweepBatch the most it deletes at once: bounded work on the request that
// does it. A full batch lets the next take sweep again.
const (
	sweepEvery = time.Minute
	sweepBatch = 1000
)

// AllowancesOption configures Allowances at Store.Allowances.
type AllowancesOption func(*Allowances)

// AllowancesClock makes the allowances read the time from now instead of
// the database's clock (tests pass a clock they move).
func AllowancesClock(now func() time.Time) AllowancesOption {
	return func(a *Allowances) { a.now = now }
}

// Allowances are the rate limits' allowances in this store's database,
// over a pool of their own; Close them before the store.
func (s *Store) Allowances(ctx context.Context, opts ...AllowancesOption) (*Allowances, error) {
	key, err := s.setting(ctx, "allowances_key", 32)
	if err != nil {
		return nil, err
	}
	cfg := s.cfg.Copy()
	cfg.MaxConns = allowancesConns
	cfg.MinConns = 0
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("allowances: connect: %w", err)
	}
	a := &Allowances{pool: pool, key: key, refused: map[refusalKey]refusal{}}
	for _, opt := range opts {
		opt(a)
	}
	return a, nil
}

// Close closes the allowances' connections.
func (a *Allowances) Close() error {
	a.pool.Close()
	return nil
}

// clientKey is how a client is kept: an HMAC-SHA-256 of its address under
// a key of the database's, cut to 128 bits, so the table (and its dumps)
// hold no address; rows last only until the bucket refills.
func (a *Allowances) clientKey(client string) []byte {
	m := hmac.New(sha256.New, a.key)
	m.Write([]byte(client))
	return m.Sum(nil)[:16]
}

// clock is the time of a take as a statement's parameter: nil lets the
// statement read the database's clock.
func (a *Allowances) clock() any {
	if a.now == nil {
		return nil
	}
	return a.now()
}

// localNow is the time of the remembered refusals: the test's clock, or
// this instance's.
func (a *Allowances) localNow() time.Time {
	if a.now == nil {
		return time.Now()
	}
	return a.now()
}

// stillRefused is what is left of a refusal remembered for k, 0 if none.
func (a *Allowances) stillRefused(k refusalKey) time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	r, ok := a.refused[k]
	if !ok {
		return 0
	}
	if left := r.wait - a.localNow().Sub(r.at); left > 0 {
		return left
	}
	delete(a.refused, k)
	return 0
}

// refuse remembers a wait the database gave for k, and returns it.
func (a *Allowances) refuse(k refusalKey, wait time.Duration) time.Duration {
	if wait <= 0 {
		return wait
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.localNow()
	if len(a.refused) >= maxRefusals {
		for k, r := range a.refused {
			if now.Sub(r.at) >= r.wait {
				delete(a.refused, k)
			}
		}
	}
	if len(a.refused) < maxRefusals {
		a.refused[k] = refusal{at: now, wait: wait}
	}
	return wait
}

// The bucket's tokens now: what it held, refilled at $5 a second since it
// was last written, up to the burst $4. $3 is the time (NULL: the
// database's); a clock that went back refills nothing.
const available = `least($4::float8, a.tokens + $5::float8 *
	greatest(0, extract(epoch FROM coalesce($3::timestamptz, clock_timestamp()) - a.updated_at)::float8))`

// takeSQL spends a token in one statement: a new client gets its burst less
// one; a known one its refilled tokens less one, only when it has one (the
// WHERE), else the row is left as it was and nothing is returned. full_at
// is when the bucket will have refilled.
var takeSQL = `
INSERT INTO allowances AS a (name, client, tokens, updated_at, full_at)
SELECT $1, $2, $4::float8 - 1, t.now, CASE WHEN $5::float8 > 0 THEN t.now + make_interval(secs => 1 / $5::float8) ELSE 'infinity' END
FROM (SELECT coalesce($3::timestamptz, clock_timestamp()) AS now) t
ON CONFLICT (name, client) DO UPDATE SET
	tokens = ` + available + ` - 1,
	updated_at = excluded.updated_at,
	full_at = CASE WHEN $5::float8 > 0
		THEN excluded.updated_at + make_interval(secs => ($4::float8 - (` + available + ` - 1)) / $5::float8)
		ELSE 'infinity' END
WHERE ` + available + ` >= 1
RETURNING tokens`

// tokensSQL reads the bucket's tokens now, writing nothing.
var tokensSQL = `SELECT ` + available + ` FROM allowances a WHERE a.name = $1 AND a.client = $2`

// Take spends one action of client's allowance under the named limit (see
// stackfit.Allowances).
func (a *Allowances) Take(ctx context.Context, limit, client string, r stackfit.Rate) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, allowancesDeadline)
	defer cancel()
	perSec := r.PerMinute / 60
	key := a.clientKey(client)
	k := refusalKey{limit, string(key)}
	if wait := a.stillRefused(k); wait > 0 {
		return wait, nil
	}
	var left float64
	err := a.pool.QueryRow(ctx, takeSQL, limit, key, a.clock(), float64(r.Burst), perSec).Scan(&left)
	if errors.Is(err, pgx.ErrNoRows) { // refused: how long until a token
		wait, err := a.wait(ctx, limit, key, r)
		if err != nil {
			return 0, err
		}
		return a.refuse(k, max(wait, time.Millisecond)), nil // refused is never "go ahead"
	}
	if err != nil {
		return 0, fmt.Errorf("take %s allowance: %w", limit, err)
	}
	a.sweep(ctx)
	return 0, nil
}

// Wait is how long client must wait for one action under the named limit;
// it writes nothing.
func (a *Allowances) Wait(ctx context.Context, limit, client string, r stackfit.Rate) (time.Duration, error) {
	key := a.clientKey(client)
	k := refusalKey{limit, string(key)}
	if wait := a.stillRefused(k); wait > 0 {
		return wait, nil
	}
	ctx, cancel := context.WithTimeout(ctx, allowancesDeadline)
	defer cancel()
	wait, err := a.wait(ctx, limit, key, r)
	if err != nil {
		return 0, err
	}
	return a.refuse(k, wait), nil
}

func (a *Allowances) wait(ctx context.Context, limit string, key []byte, r stackfit.Rate) (time.Duration, error) {
	perSec := r.PerMinute / 60
	var tokens float64
	err := a.pool.QueryRow(ctx, tokensSQL, limit, key, a.clock(), float64(r.Burst), perSec).Scan(&tokens)
	switch {
	case errors.Is(err, pgx.ErrNoRows): // unknown, or swept once refilled
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("read %s allowance: %w", limit, err)
	}
	return waitFor(1-tokens, perSec), nil
}

// waitFor is how long a bucket refilling at perSec takes to gain missing
// tokens: forever at a zero rate.
func waitFor(missing, perSec float64) time.Duration {
	switch {
	case missing <= 0:
		return 0
	case perSec <= 0:
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(math.Ceil(missing / perSec * float64(time.Second)))
}

// sweepSQL deletes up to sweepBatch buckets that have refilled (a missing
// row is a full bucket). SKIP LOCKED: a row being taken is in use.
const sweepSQL = `
DELETE FROM allowances a USING (
	SELECT name, client FROM allowances
	WHERE full_at < coalesce($1::timestamptz, clock_timestamp())
	LIMIT $2 FOR UPDATE SKIP LOCKED) old
WHERE a.name = old.name AND a.client = old.client`

// sweep deletes refilled buckets, at most every sweepEvery on this
// instance (sooner while it finds a full batch). A failure is left to the
// next sweep: the rows wait, nothing is wrong.
func (a *Allowances) sweep(ctx context.Context) {
	a.mu.Lock()
	due := time.Since(a.lastSweep) >= sweepEvery
	if due {
		a.lastSweep = time.Now()
	}
	a.mu.Unlock()
	if !due {
		return
	}
	tag, err := a.pool.Exec(ctx, sweepSQL, a.clock(), sweepBatch)
	if err == nil && tag.RowsAffected() == sweepBatch {
		a.mu.Lock()
		a.lastSweep = time.Time{}
		a.mu.Unlock()
	}
}
