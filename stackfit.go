// Package stackfit is the application at the centre of the web app: the
// domain types (results, workshops, participants), their errors with codes,
// and the interfaces of what stores and carries them (Store, EventService).
//
// It knows nothing of HTTP, SQL or templates: store/ implements Store in
// SQLite, events/ implements EventService in memory.
package stackfit

import (
	"context"

	"stackfit/rules"
)

// Store keeps results, workshops and their participants. Every method that
// changes a workshop publishes its event as part of the write.
type Store interface {
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// SessionKeys are the cookie session's hash and block keys, made once.
	SessionKeys(ctx context.Context) (hash, block []byte, err error)

	// SaveResult stores answers and their evaluation under a new id.
	SaveResult(ctx context.Context, answers rules.Answers, ev *rules.Evaluation) (Result, error)
	// Result returns the stored result with that id, or ErrNotFound.
	Result(ctx context.Context, id string) (Result, error)

	// CreateWorkshop stores a new workshop under a fresh join code and
	// returns it with its facilitator key, which is shown once.
	CreateWorkshop(ctx context.Context, nw NewWorkshop) (Workshop, string, error)
	// Workshop returns the workshop with that join code, or ErrNotFound.
	Workshop(ctx context.Context, code string) (Workshop, error)
	// Facilitate returns the workshop when key is its facilitator key:
	// ErrNotFound for an unknown code, ErrWrongKey for any other key.
	Facilitate(ctx context.Context, code, key string) (Workshop, error)
	// Reveal lets the team see each other's answers (EventRevealed).
	Reveal(ctx context.Context, code string) (Workshop, error)
	// CloseWorkshop stops the workshop taking answers (EventClosed).
	CloseWorkshop(ctx context.Context, code string) (Workshop, error)

	// Join adds a participant (EventJoined); ErrClosed once closed.
	Join(ctx context.Context, code, name string) (Participant, error)
	// Submit records a participant's answers as a new result of their own
	// (EventSubmitted); ErrClosed once closed.
	Submit(ctx context.Context, code, participantID string, answers rules.Answers, ev *rules.Evaluation) (Participant, error)
	// JoinAndSubmit is Join and Submit in one transaction (one
	// EventSubmitted): a participant with answers, or nothing.
	JoinAndSubmit(ctx context.Context, code, name string, answers rules.Answers, ev *rules.Evaluation) (Participant, error)
	// Participant returns a participant of the workshop, or ErrNotFound.
	Participant(ctx context.Context, code, id string) (Participant, error)
	// Participants lists the workshop's participants in joining order.
	Participants(ctx context.Context, code string) ([]Participant, error)
}
