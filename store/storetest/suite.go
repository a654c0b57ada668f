package storetest

import (
	"context"
	"sync"
	"testing"

	"stackfit"
	"stackfit/rules"
)

// Store is a stackfit.Store that a test can close, as a stopped server does.
type Store interface {
	stackfit.Store
	Close() error
}

// Database is one empty database of one store implementation, for one test.
type Database interface {
	// Open opens a store on the database, publishing each workshop change
	// to pub (nil: nowhere); the test's cleanup closes it. Opened again, it
	// is the same database, as a restarted server finds it.
	Open(tb testing.TB, pub stackfit.EventPublisher) Store
	// QueryRow reads past the store's API, to check what it keeps. Queries
	// use $1, $2 for arguments, which SQLite and PostgreSQL both take.
	QueryRow(tb testing.TB, query string, args ...any) interface{ Scan(...any) error }
}

// Run is the conformance suite every stackfit.Store passes: the same
// tests, against each implementation (store/ runs it on SQLite,
// store/postgres on PostgreSQL). newDatabase makes an empty database for
// each test.
func Run(t *testing.T, newDatabase func(t *testing.T) Database) {
	tests := []struct {
		name string
		test func(*testing.T, Database)
	}{
		{"SaveAndReadResult", testSaveAndReadResult},
		{"ResultNotFound", testResultNotFound},
		{"ConcurrentSaves", testConcurrentSaves},
		{"SessionKeysAreKept", testSessionKeysAreKept},
		{"SessionKeysAgreeAcrossInstances", testSessionKeysAgree},
		{"CreateAndReadWorkshop", testCreateAndReadWorkshop},
		{"CreateWorkshopRefusesEmptyTitle", testCreateWorkshopRefusesEmptyTitle},
		{"Facilitate", testFacilitate},
		{"OnlyTheKeysHashIsStored", testOnlyTheKeysHashIsStored},
		{"JoinSubmitAndResubmit", testJoinSubmitAndResubmit},
		{"JoinAndSubmit", testJoinAndSubmit},
		{"ParticipantsInJoiningOrder", testParticipantsInJoiningOrder},
		{"RevealAndCloseAreIdempotent", testRevealAndCloseAreIdempotent},
		{"ClosedWorkshopRefusesSubmissions", testClosedWorkshopRefusesSubmissions},
		{"HideAndReopen", testHideAndReopen},
		{"MalformedOrUnknownIsNotFound", testMalformedOrUnknownIsNotFound},
		{"ParticipantBelongsToItsWorkshop", testParticipantBelongsToItsWorkshop},
		{"ConcurrentJoinAndSubmit", testConcurrentJoinAndSubmit},
		{"WorkshopsSurviveReopen", testWorkshopsSurviveReopen},
		{"CapacityUnderConcurrentJoins", testCapacityUnderConcurrentJoins},
		{"CapacityAcrossInstances", testCapacityAcrossInstances},
		{"CloseRacingSubmissions", testCloseRacingSubmissions},
		{"ChangeRacingJoins", testChangeRacingJoins},
		{"RemovalsRacingJoins", testRemovalsRacingJoins},
		{"LockRemoveAndRejoin", testLockRemoveAndRejoin},
		{"EventsAfterCommit", testEventsAfterCommit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, newDatabase(t)) })
	}
}

// Evaluation checks and evaluates answers with the built-in ruleset.
func Evaluation(t testing.TB, answers rules.Answers) (rules.Answers, *rules.Evaluation) {
	t.Helper()
	rs, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	checked, err := rs.Check(answers)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := rs.Evaluate(checked)
	if err != nil {
		t.Fatal(err)
	}
	return checked, ev
}

func count(t *testing.T, db Database, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(t, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func createWorkshop(t *testing.T, st stackfit.Store, title string) (stackfit.Workshop, string) {
	t.Helper()
	w, key, err := st.CreateWorkshop(context.Background(), stackfit.NewWorkshop{Title: title})
	if err != nil {
		t.Fatal(err)
	}
	return w, key
}

func mustJoin(t *testing.T, st stackfit.Store, code, name string) stackfit.Participant {
	t.Helper()
	p, err := st.Join(context.Background(), code, name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Published records the events a store publishes.
type Published struct {
	mu     sync.Mutex
	events []stackfit.Event
}

func (p *Published) Publish(code string, kind stackfit.EventKind, participant string) stackfit.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := stackfit.Event{ID: uint64(len(p.events) + 1), Kind: kind, Participant: participant}
	p.events = append(p.events, e)
	return e
}

// Events is what was published so far.
func (p *Published) Events() []stackfit.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]stackfit.Event(nil), p.events...)
}

func (p *Published) last() stackfit.Event {
	es := p.Events()
	if len(es) == 0 {
		return stackfit.Event{}
	}
	return es[len(es)-1]
}
