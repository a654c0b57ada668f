package stackfit

import (
	"context"
	"strconv"
	"sync"

	"golang.org/x/sync/singleflight"
)

// teamCacheSize is how many workshops' summaries stay in memory: the
// workshops running at once, with room to spare. A summary of 300
// participants holds about 1 MB (their answers and evaluations, shared
// with nothing else); one evicted is tallied again on its next read.
const teamCacheSize = 64

// teamCache keeps each workshop's latest Team, tagged with the id of the
// workshop's latest event when it was read. When a facilitator reveals,
// every open page of the workshop asks for the summary at once: the first
// tallies (about 80 ms and 10 MB for 300 participants), the others wait for
// it (singleflight) or read it from here, so a change costs one tally
// however many pages are open.
//
// A summary is never older than the event that made a page ask for it:
// the store publishes an event after its commit, and the version is read
// before the participants, so a Team tagged with version v was read after
// every change up to event v was committed. A change committed but not yet
// published may already show; its event then makes the next read tally again.
// Another instance's change (on PostgreSQL) is published here when its
// notification arrives, also after its commit; when notifications may have
// been lost, the hub's Resync moves every workshop's version on.
type teamCache struct {
	mu      sync.Mutex
	entries map[string]*teamEntry // by join code
	clock   uint64                // counts reads, for least recently used
	flight  singleflight.Group
}

type teamEntry struct {
	version uint64
	team    Team
	used    uint64
}

func newTeamCache() *teamCache { return &teamCache{entries: map[string]*teamEntry{}} }

// get returns the workshop's Team as of version, tallying it with read
// unless it is cached. The Team is shared: callers must not change it.
func (c *teamCache) get(ctx context.Context, code string, version uint64, read func(context.Context, string) (Team, error)) (Team, error) {
	if t, ok := c.lookup(code, version); ok {
		return t, nil
	}
	key := code + "@" + strconv.FormatUint(version, 10)
	v, err, _ := c.flight.Do(key, func() (any, error) {
		// A page that missed the cache just before another's tally was
		// kept, and came here just after that flight ended, finds it now.
		if t, ok := c.lookup(code, version); ok {
			return t, nil
		}
		// The pages waiting on this tally must not fail because the
		// first of them went away.
		t, err := read(context.WithoutCancel(ctx), code)
		t.Version = version
		if err == nil {
			c.keep(code, version, t)
		}
		return t, err
	})
	if err != nil {
		return Team{}, err
	}
	return v.(Team), nil
}

func (c *teamCache) lookup(code string, version uint64) (Team, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[code]
	if !ok || e.version != version {
		return Team{}, false
	}
	c.clock++
	e.used = c.clock
	return e.team, true
}

// keep stores t unless a Team of a later version is already kept, evicting
// the least recently used workshop when full.
func (c *teamCache) keep(code string, version uint64, t Team) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clock++
	if e, ok := c.entries[code]; ok {
		if e.version <= version {
			*e = teamEntry{version: version, team: t, used: c.clock}
		}
		return
	}
	if len(c.entries) >= teamCacheSize {
		var oldest string
		var used uint64
		for k, e := range c.entries {
			if oldest == "" || e.used < used {
				oldest, used = k, e.used
			}
		}
		delete(c.entries, oldest)
	}
	c.entries[code] = &teamEntry{version: version, team: t, used: c.clock}
}
