// Package events implements stackfit.EventService in memory: it carries
// what happens in a workshop (a person joins or submits, the facilitator
// reveals or closes) to the boards watching it.
//
// The hub lives in one process's memory. On SQLite that is the whole story:
// one instance serves a workshop. On PostgreSQL, where several instances
// share the database, store/postgres's Listener feeds each instance's hub
// with the changes the others make (LISTEN/NOTIFY), and calls Resync when
// it may have missed some.
package events

import (
	"sync"

	"stackfit"
)

// buffer is how many events a subscriber may fall behind before it is
// dropped; a dropped board reconnects and reads the whole state afresh, so
// a slow reader never slows the people submitting. 256 events (about 10 KB)
// cover a whole room submitting at once (the pages' streams also drain
// while they coalesce), and keep the default 3,000 streams at about 30 MB:
// at 1,024, 5,000 streams held some 200 MB in buffers alone.
const buffer = 256

// Hub fans events out to the subscribers of each workshop.
// It is a stackfit.EventService.
type Hub struct {
	mu   sync.Mutex
	last uint64
	subs map[string]map[chan stackfit.Event]struct{}
	// latest is each workshop's latest event id: one small entry per
	// workshop changed since start.
	latest map[string]uint64
	// resynced is the id the last Resync took: every workshop's Latest is
	// at least this, so one counter marks them all changed, in O(1).
	resynced uint64
}

func NewHub() *Hub {
	return &Hub{subs: map[string]map[chan stackfit.Event]struct{}{}, latest: map[string]uint64{}}
}

// Latest is the ID of the workshop's latest event, or of the latest
// Resync when that came later; 0 before either.
func (h *Hub) Latest(workshop string) uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return max(h.latest[workshop], h.resynced)
}

// Resync tells everyone watching that events may have been missed (the
// instance lost its connection to the other instances' events): it closes
// every subscriber's channel, as for a reader fallen behind, so each board
// reconnects and reads the whole state afresh, and it changes every
// workshop's Latest, so no summary kept from before is taken as current.
func (h *Hub) Resync() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.last++
	h.resynced = h.last
	for workshop, subs := range h.subs {
		for ch := range subs {
			h.remove(workshop, ch)
		}
	}
}

// Subscribe returns the events of one workshop from now on, and a function
// to stop. The channel is closed when stopped, when the reader falls too
// far behind, or by Resync.
func (h *Hub) Subscribe(workshop string) (<-chan stackfit.Event, func()) {
	ch := make(chan stackfit.Event, buffer)
	h.mu.Lock()
	if h.subs[workshop] == nil {
		h.subs[workshop] = map[chan stackfit.Event]struct{}{}
	}
	h.subs[workshop][ch] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.remove(workshop, ch)
		})
	}
}

// remove closes ch unless it is already gone. h.mu must be held.
func (h *Hub) remove(workshop string, ch chan stackfit.Event) {
	subs := h.subs[workshop]
	if _, ok := subs[ch]; !ok {
		return
	}
	delete(subs, ch)
	close(ch)
	if len(subs) == 0 {
		delete(h.subs, workshop)
	}
}

// Publish sends e to every subscriber of the workshop without waiting.
func (h *Hub) Publish(workshop string, kind stackfit.EventKind, participant string) stackfit.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.last++
	e := stackfit.Event{ID: h.last, Kind: kind, Participant: participant}
	h.latest[workshop] = e.ID
	for ch := range h.subs[workshop] {
		select {
		case ch <- e:
		default:
			h.remove(workshop, ch)
		}
	}
	return e
}

// Subscribers counts a workshop's subscribers (for tests and logs).
func (h *Hub) Subscribers(workshop string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[workshop])
}

var _ stackfit.EventService = (*Hub)(nil)
