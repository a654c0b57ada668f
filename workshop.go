package stackfit

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"stackfit/rules"
	"stackfit/workshop"
)

// NewWorkshop is what a facilitator fills in to start a workshop.
type NewWorkshop struct {
	Title     string
	Context   string
	Anonymous bool
	// Capacity is the most participants it takes; 0 means DefaultCapacity.
	Capacity int
}

// Prepare checks a new workshop and makes its facilitator key: what every
// store does before it finds the workshop a free join code. The store keeps
// only HashKey(key), so the key is shown once.
func (nw NewWorkshop) Prepare(createdAt time.Time) (Workshop, string, error) {
	if strings.TrimSpace(nw.Title) == "" {
		return Workshop{}, "", Errorf(EINVALID, "Give the workshop a title.")
	}
	if nw.Capacity == 0 {
		nw.Capacity = DefaultCapacity
	}
	if nw.Capacity < 0 {
		return Workshop{}, "", Errorf(EINVALID, "capacity: allow at least one participant.")
	}
	w := Workshop{Title: nw.Title, Context: nw.Context, Anonymous: nw.Anonymous, CreatedAt: createdAt, Capacity: nw.Capacity}
	return w, NewKey(), nil
}

// Workshop is a project kick-off where a team answers the questionnaire together.
type Workshop struct {
	Code      string // the join code, as workshop.NewCode makes it
	Title     string
	Context   string
	Anonymous bool
	CreatedAt time.Time
	Revealed  bool // the team may see each other's answers
	Closed    bool // no more participants or submissions
	Capacity  int  // the most participants it takes
	Locked    bool // the facilitator stopped new participants joining
	Joined    int  // how many participants it has, as it was read
}

// PlacesLeft is how many more people may join.
func (w Workshop) PlacesLeft() int { return max(w.Capacity-w.Joined, 0) }

// Participant is one person in a workshop and, once they have submitted,
// their answers.
type Participant struct {
	ID        string
	Name      string
	JoinedAt  time.Time
	Submitted bool
	// The rest is zero until the participant submits.
	SubmittedAt time.Time
	Answers     rules.Answers
	Evaluation  *rules.Evaluation
	ResultID    string // the participant's own share link, a row in results
}

// The errors a store returns, wrapped with what it was doing; compare with
// errors.Is, or map by ErrorCode.
var (
	// ErrNotFound: no result, workshop or participant by that id.
	ErrNotFound = &Error{Code: ENOTFOUND}
	// ErrClosed: a closed workshop refuses a participant or a submission.
	ErrClosed = &Error{Code: ECLOSED,
		Message: "This workshop is closed: the facilitator is no longer taking answers, so yours were not sent."}
	// ErrWrongKey: the facilitator key is missing or does not open the workshop.
	ErrWrongKey = &Error{Code: EUNAUTHORIZED,
		Message: "This board opens only with the facilitator link (or, for the API, the facilitator key as a Bearer token)."}
	// ErrFull: every place in the workshop is taken.
	ErrFull = &Error{Code: EFULL,
		Message: "This workshop is full: every place is taken. Ask your facilitator to make room."}
	// ErrLocked: the facilitator stopped new participants joining.
	ErrLocked = &Error{Code: EFULL,
		Message: "The facilitator has closed this workshop to new participants. Ask them to open it again if you should be in."}
)

// Sentences for the person, in the errors of a code lookup.
const (
	msgNoWorkshop = "No workshop has that code. Check it with your facilitator: codes have six letters and digits."
	msgRemoved    = "You are no longer in this workshop: the facilitator removed you, so your answers were not sent. They are kept: join again if the facilitator lets you, or leave the workshop to see your own result."
	msgGuessing   = "Too many workshop codes that do not exist were tried from your network. Wait a minute, then check the code with your facilitator."
)

// CreateWorkshop stores a new workshop; the facilitator key it returns is
// shown once (only its hash is kept).
// client is the creator's network address, for the per-address limit.
func (a *App) CreateWorkshop(ctx context.Context, client string, nw NewWorkshop) (Workshop, string, error) {
	if nw.Capacity == 0 {
		nw.Capacity = min(DefaultCapacity, a.limits.MaxCapacity)
	}
	if nw.Capacity < 1 || nw.Capacity > a.limits.MaxCapacity {
		return Workshop{}, "", Errorf(EINVALID, "capacity: allow between 1 and %d participants.", a.limits.MaxCapacity)
	}
	if err := limit(ctx, a.workshops, client, msgTooManyWorkshops); err != nil {
		return Workshop{}, "", err
	}
	return a.store.CreateWorkshop(ctx, nw)
}

// FindWorkshop looks up a code typed or linked by client (its network
// address). Codes that do not exist count against the client, which is
// refused (ELIMIT) for a while after too many: join codes must not be
// guessable by trying.
func (a *App) FindWorkshop(ctx context.Context, client, code string) (Workshop, error) {
	return a.lookup(ctx, client, code, a.store.Workshop)
}

// Facilitate is FindWorkshop for the facilitator: the workshop when key is
// its facilitator key, ErrWrongKey otherwise.
func (a *App) Facilitate(ctx context.Context, client, code, key string) (Workshop, error) {
	return a.lookup(ctx, client, code, func(ctx context.Context, code string) (Workshop, error) {
		return a.store.Facilitate(ctx, code, key)
	})
}

// OpenWorkshop is FindWorkshop, refusing (ErrClosed) once the workshop is closed.
func (a *App) OpenWorkshop(ctx context.Context, client, code string) (Workshop, error) {
	w, err := a.FindWorkshop(ctx, client, code)
	if err == nil && w.Closed {
		err = ErrClosed
	}
	return w, err
}

// Workshop reads a workshop by a code already found, outside the limit: a
// live stream rereads it after every change.
func (a *App) Workshop(ctx context.Context, code string) (Workshop, error) {
	return a.store.Workshop(ctx, code)
}

// lookup finds the workshop of a code with get, counting codes that do not
// exist against the client (see guard.go).
func (a *App) lookup(ctx context.Context, client, raw string, get func(context.Context, string) (Workshop, error)) (Workshop, error) {
	client = network(client)
	if wait := a.guard.wait(ctx, client); wait > 0 {
		return Workshop{}, &Error{Code: ELIMIT, Message: msgGuessing, RetryAfter: wait, Cause: guessCause}
	}
	code, ok := workshop.ParseCode(raw)
	var w Workshop
	err := error(ErrNotFound)
	if ok {
		w, err = get(ctx, code)
	}
	if ErrorCode(err) == ENOTFOUND {
		a.guard.take(ctx, client) // refused when blocked meanwhile: then nothing is spent
		return Workshop{}, &Error{Code: ENOTFOUND, Message: msgNoWorkshop}
	}
	return w, err
}

// Join adds a participant to the workshop (the store tells those watching);
// client is their network address, for the per-address limit.
func (a *App) Join(ctx context.Context, client, code, name string) (Participant, error) {
	if err := limit(ctx, a.submissions, client, msgTooManySubmissions); err != nil {
		return Participant{}, err
	}
	return a.store.Join(ctx, code, name)
}

// Participant returns a participant of the workshop, or ErrNotFound.
func (a *App) Participant(ctx context.Context, code, id string) (Participant, error) {
	return a.store.Participant(ctx, code, id)
}

// Submit evaluates a participant's answers and records them, replacing
// earlier ones; the participant's ResultID is their own share link.
func (a *App) Submit(ctx context.Context, client, code, participantID string, answers rules.Answers) (Participant, error) {
	checked, ev, err := a.Decide(answers)
	if err != nil {
		return Participant{}, err
	}
	if err := limit(ctx, a.submissions, client, msgTooManySubmissions); err != nil {
		return Participant{}, err
	}
	p, err := a.store.Submit(ctx, code, participantID, checked, ev)
	if ErrorCode(err) == ENOTFOUND {
		// The workshop was found before; the participant is gone.
		err = &Error{Code: ENOTFOUND, Message: msgRemoved}
	}
	return p, err
}

// JoinAndSubmit is a new participant with their answers at once (the API's
// one-call submission): both, or nothing.
func (a *App) JoinAndSubmit(ctx context.Context, client, code, name string, answers rules.Answers) (Participant, error) {
	checked, ev, err := a.Decide(answers)
	if err != nil {
		return Participant{}, err
	}
	if err := limit(ctx, a.submissions, client, msgTooManySubmissions); err != nil {
		return Participant{}, err
	}
	return a.store.JoinAndSubmit(ctx, code, name, checked, ev)
}

// Reveal lets the team see each other's answers; revealing again keeps the
// first time, and tells those watching again.
func (a *App) Reveal(ctx context.Context, code string) (Workshop, error) {
	return a.store.Reveal(ctx, code)
}

// Close stops the workshop taking participants and answers.
func (a *App) Close(ctx context.Context, code string) (Workshop, error) {
	return a.store.CloseWorkshop(ctx, code)
}

// Hide takes the team's result away from the participants again, after a
// reveal by mistake or too early; revealing again shows it.
func (a *App) Hide(ctx context.Context, code string) (Workshop, error) {
	return a.store.Hide(ctx, code)
}

// Reopen lets a closed workshop take participants and answers again. The
// capacity and the lock hold as before: reopening frees no place.
func (a *App) Reopen(ctx context.Context, code string) (Workshop, error) {
	return a.store.Reopen(ctx, code)
}

// Lock stops new participants joining; those already in may still answer.
func (a *App) Lock(ctx context.Context, code string) (Workshop, error) {
	return a.store.Lock(ctx, code)
}

// Unlock lets new participants join again.
func (a *App) Unlock(ctx context.Context, code string) (Workshop, error) {
	return a.store.Unlock(ctx, code)
}

// RemoveParticipant takes a participant and their answers out of the
// workshop, freeing their place; the board and summary follow.
func (a *App) RemoveParticipant(ctx context.Context, code, id string) error {
	return a.store.RemoveParticipant(ctx, code, id)
}

// Team is a workshop's participants and what their answers add up to.
type Team struct {
	Participants []Participant // in joining order, submitted or not
	Summary      workshop.Summary
	// Version is the id of the workshop's latest event when it was read
	// (EventService.Latest): what is made from a Team can be kept under it.
	Version uint64
}

// Summarize reads the participants of the workshop and adds up the answers
// of those who submitted. The tally is made once per change of the
// workshop and shared by everyone who asks (teamCache): the Team returned
// must not be changed.
func (a *App) Summarize(ctx context.Context, code string) (Team, error) {
	return a.teams.get(ctx, code, a.events.Latest(code), a.summarize)
}

// SummarizeSeeing is Summarize for a page that has just read participant p
// from the store, and so must show a summary that has p as read: a person
// sees their own write. Another instance's write is known here only once
// its notification arrives, a few milliseconds after its commit; behind a
// round-robin proxy the page after a submission is often on such an
// instance, its kept summary not yet having the submission. Then the
// summary is tallied afresh, past the cache, and kept is false: what is made
// of it must not be kept under its Version, which the notification will
// move on (the kept summary stays for everyone else until then).
func (a *App) SummarizeSeeing(ctx context.Context, code string, p Participant) (t Team, kept bool, err error) {
	return a.summarizeUnless(ctx, code, func(t Team) bool { return !t.has(p) })
}

// SummarizeWithout is Summarize for the page after the facilitator removed
// participant id, maybe on another instance: as SummarizeSeeing, it tallies
// afresh (kept false) while the kept summary still lists them.
func (a *App) SummarizeWithout(ctx context.Context, code, id string) (t Team, kept bool, err error) {
	return a.summarizeUnless(ctx, code, func(t Team) bool { return t.lists(id) })
}

// summarizeUnless is Summarize, tallied afresh and not kept when behind
// says the kept summary misses a write the caller knows of.
func (a *App) summarizeUnless(ctx context.Context, code string, behind func(Team) bool) (Team, bool, error) {
	t, err := a.Summarize(ctx, code)
	if err != nil || !behind(t) {
		return t, true, err
	}
	fresh, err := a.summarize(ctx, code)
	fresh.Version = t.Version
	return fresh, false, err
}

// lists tells whether participant id is among the team's.
func (t Team) lists(id string) bool {
	_, ok := t.find(id)
	return ok
}

// has tells whether the team lists p as p was read: submitted or not, and
// with the same share link (each submission makes a new one).
func (t Team) has(p Participant) bool {
	q, ok := t.find(p.ID)
	return ok && q.Submitted == p.Submitted && q.ResultID == p.ResultID
}

// find is the team's participant with that id.
func (t Team) find(id string) (Participant, bool) {
	i := slices.IndexFunc(t.Participants, func(q Participant) bool { return q.ID == id })
	if i < 0 {
		return Participant{}, false
	}
	return t.Participants[i], true
}

func (a *App) summarize(ctx context.Context, code string) (Team, error) {
	parts, err := a.store.Participants(ctx, code)
	if err != nil {
		return Team{}, err
	}
	var responses []workshop.Response
	for _, p := range parts {
		if p.Submitted {
			responses = append(responses, workshop.Response{Name: p.Name, Answers: p.Answers, Evaluation: p.Evaluation})
		}
	}
	sum, err := workshop.Summarize(a.rules, responses)
	return Team{Participants: parts, Summary: sum}, err
}

// DisplayName is what the team sees of participant p, the i-th to join:
// anonymous workshops number people in the order they joined.
func (w Workshop) DisplayName(p Participant, i int) string {
	if w.Anonymous || p.Name == "" {
		return "Participant " + strconv.Itoa(i+1)
	}
	return p.Name
}

// Participants lists the workshop's participants in joining order.
func (a *App) Participants(ctx context.Context, code string) ([]Participant, error) {
	return a.store.Participants(ctx, code)
}
