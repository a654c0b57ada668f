package stackfit

import (
	"time"

	"stackfit/rules"
)

// Result is a stored evaluation: what a share link shows.
type Result struct {
	ID         string
	CreatedAt  time.Time
	Ruleset    string // the ruleset version that evaluated it
	Answers    rules.Answers
	Evaluation *rules.Evaluation
}
