package handlers

import (
	"strconv"

	"stackfit/rules"
)

// leaningView is the panel on the review step: which way the answers lean,
// how sure that is and why. It appears only once every question has an
// answer, never while a person answers: a score that moves with each click
// invites steering the result instead of describing the project.
type leaningView struct {
	Recommendation   rules.Side
	Confidence       rules.Confidence
	ConfidenceReason string
	Headline         string // "Django 64%"
	Scores           scoreView
}

func leaning(ev *rules.Evaluation) *leaningView {
	v := &leaningView{
		Recommendation:   ev.Recommendation,
		Confidence:       ev.Confidence,
		ConfidenceReason: ev.ConfidenceReason,
		Scores:           scores(ev.Scores),
		Headline:         "Too close to call",
	}
	if ev.Recommendation != rules.Tie {
		v.Headline = ev.Recommendation.Name() + " " + itoa(ev.Scores.Percent(ev.Recommendation)) + "%"
	}
	return v
}

func itoa(n int) string { return strconv.Itoa(n) }
