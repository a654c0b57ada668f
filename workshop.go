package stackfit

import (
	"time"

	"stackfit/rules"
)

// NewWorkshop is what a facilitator fills in to start a workshop.
type NewWorkshop struct {
	Title     string
	Context   string
	Anonymous bool
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
}

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
)
