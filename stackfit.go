// Package stackfit is the application at the centre of the web app: the
// domain types (results, workshops, participants), their errors with codes,
// the interfaces of what stores and carries them (Store, EventService), and
// the logic the HTML pages, the JSON API and the live event streams share.
//
// It knows nothing of HTTP, SQL or templates: handlers/ translates HTTP to
// calls of App, store/ implements Store in SQLite and store/postgres in
// PostgreSQL (both pass storetest.Run), events/ implements EventService in
// memory, and cmd/stackfit wires them together.
package stackfit

import (
	"context"
	"log/slog"

	"stackfit/rules"
)

// Store keeps results, workshops and their participants. Every method that
// changes a workshop publishes its event as part of the write.
type Store interface {
	// Ping reports whether the database answers and can take a write.
	Ping(ctx context.Context) error
	// SessionKeys are the cookie session's hash and block keys, made once.
	SessionKeys(ctx context.Context) (hash, block []byte, err error)

	// SaveResult stores answers and their evaluation under a new id, with
	// the decision's name ("" for none).
	SaveResult(ctx context.Context, name string, answers rules.Answers, ev *rules.Evaluation) (Result, error)
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
	// Hide undoes Reveal (EventHidden); Reopen undoes CloseWorkshop
	// (EventReopened): the workshop takes answers again, within its capacity.
	Hide(ctx context.Context, code string) (Workshop, error)
	Reopen(ctx context.Context, code string) (Workshop, error)

	// Lock stops new participants joining (EventLocked); those in may
	// still answer. Unlock lets them join again (EventUnlocked).
	Lock(ctx context.Context, code string) (Workshop, error)
	Unlock(ctx context.Context, code string) (Workshop, error)
	// RemoveParticipant takes a participant and their answers out of the
	// workshop (EventRemoved); their own share link stays.
	RemoveParticipant(ctx context.Context, code, id string) error

	// Join adds a participant (EventJoined); ErrClosed once closed, ErrLocked
	// once locked, ErrFull when the workshop has Capacity participants.
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

// App is what the front doors call: the pages, the JSON API and the live
// event streams do the same things through it, and differ only in how they
// speak HTTP.
type App struct {
	rules  *rules.Ruleset
	store  Store
	events EventService
	teams  *teamCache // each workshop's summary, as of its latest event
	// limits and the per-address allowances they make (limits.go), kept in
	// shared when set, else in memory; guard is the join-code guard's (guard.go)
	limits                                 Limits
	shared                                 Allowances
	log                                    *slog.Logger // shared's failures
	results, workshops, submissions, guard allowance
}

// New is the application over a store, which publishes its workshop changes
// to events, the service the live streams subscribe to.
func New(rs *rules.Ruleset, st Store, events EventService, opts ...Option) *App {
	a := &App{rules: rs, store: st, events: events, teams: newTeamCache(), limits: DefaultLimits()}
	for _, opt := range opts {
		opt(a)
	}
	a.results = a.allowance("results", a.limits.Results)
	a.workshops = a.allowance("workshops", a.limits.Workshops)
	a.submissions = a.allowance("submissions", a.limits.Submissions)
	a.guard = a.allowance(guessCause, guessRate)
	return a
}

// Rules is the ruleset that evaluates answers.
func (a *App) Rules() *rules.Ruleset { return a.rules }

// Ping reports whether the store answers and can take a write (the health check).
func (a *App) Ping(ctx context.Context) error { return a.store.Ping(ctx) }

// Subscribe returns a workshop's events from now on, and a function to stop.
func (a *App) Subscribe(code string) (<-chan Event, func()) { return a.events.Subscribe(code) }
