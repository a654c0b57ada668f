package stackfit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// codeGuard slows down anyone guessing join codes. It counts only lookups of
// codes that do not exist, per client address: a whole office joining from
// one address never trips it, while a guesser is stopped after a few dozen
// tries (among 887 million codes).
type codeGuard struct {
	mu        sync.Mutex
	clients   map[string]*rate.Limiter
	every     rate.Limit
	burst     int
	lastSweep time.Time
	off       bool // no limit (Limits.Off)
}

func newCodeGuard() *codeGuard {
	// 20 unknown codes at once, then one more every 3 seconds.
	return &codeGuard{clients: map[string]*rate.Limiter{}, every: rate.Every(3 * time.Second), burst: 20}
}

// blocked says how long client must wait for its next try, 0 when it has
// unknown-code allowance left; while blocked it may not look up any code,
// or a guess that hits would still tell it so.
func (g *codeGuard) blocked(client string) time.Duration {
	if g.off {
		return 0
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	l, ok := g.clients[client]
	if !ok {
		return 0
	}
	missing := 1 - l.Tokens()
	if missing <= 0 {
		return 0
	}
	return time.Duration(missing / float64(g.every) * float64(time.Second))
}

// failed counts one lookup of a code that does not exist.
func (g *codeGuard) failed(client string) {
	if g.off {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	now := time.Now()
	if now.Sub(g.lastSweep) > time.Minute {
		g.sweep()
		g.lastSweep = now
	}
	l, ok := g.clients[client]
	if !ok {
		l = rate.NewLimiter(g.every, g.burst)
		g.clients[client] = l
	}
	l.AllowN(now, 1)
}

// sweep forgets clients whose allowance has refilled, so the map holds only
// recent guessers. g.mu must be held.
func (g *codeGuard) sweep() {
	for c, l := range g.clients {
		if l.Tokens() >= float64(g.burst) {
			delete(g.clients, c)
		}
	}
}
