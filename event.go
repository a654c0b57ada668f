package stackfit

// EventKind names what happened in a workshop; the names are part of the
// API's event stream.
type EventKind string

const (
	EventJoined    EventKind = "joined"
	EventSubmitted EventKind = "submission"
	EventRevealed  EventKind = "revealed"
	EventClosed    EventKind = "closed"
	EventReopened  EventKind = "reopened" // taking answers again after a close
	EventHidden    EventKind = "hidden"   // the team's result hidden again after a reveal
	EventLocked    EventKind = "locked"   // no more joining
	EventUnlocked  EventKind = "unlocked" // joining again
	EventRemoved   EventKind = "removed"  // the facilitator removed a participant
)

// Event is one change to a workshop.
type Event struct {
	ID          uint64    `json:"id"` // increasing within the process, for SSE ids
	Kind        EventKind `json:"type"`
	Participant string    `json:"participant,omitempty"`
}

// EventPublisher tells those watching a workshop what changed. The store
// publishes as part of each write (after the commit; PostgreSQL also
// notifies the other instances inside the transaction), so a change and its
// event cannot part.
type EventPublisher interface {
	Publish(workshop string, kind EventKind, participant string) Event
}

// EventService carries a workshop's events to its subscribers.
type EventService interface {
	EventPublisher
	// Subscribe returns the events of one workshop from now on, and a
	// function to stop. The channel is closed when stopped, when the
	// reader falls too far behind, or when the instance may have missed
	// events (another instance's, on PostgreSQL): the reader then reads
	// the whole state afresh.
	Subscribe(workshop string) (<-chan Event, func())
	// Latest is the ID of the workshop's latest event, 0 before its
	// first; it changes with every change to the workshop (and whenever
	// the instance may have missed one), and is how the app knows a
	// summary it keeps is still current.
	Latest(workshop string) uint64
}

// NoEvents publishes nowhere: for a store nobody watches (the command line,
// tests of the store alone).
type NoEvents struct{}

func (NoEvents) Publish(string, EventKind, string) Event { return Event{} }
