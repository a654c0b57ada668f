package handlers

import (
	"strconv"

	"stackfit/rules"
)

// leaningView is the panel that follows a person through the questionnaire:
// which way their answers lean so far.
type leaningView struct {
	Answered, Total int
	Recommendation  rules.Side
	Confidence      rules.Confidence
	Headline        string // "Django 64%"
	Scores          scoreView
}

// scoreView holds the two shares of the score bar, summing to 100.
type scoreView struct {
	Django, NodeJS int
}

func scores(s rules.Scores) scoreView {
	d := s.Percent(rules.Django)
	return scoreView{Django: d, NodeJS: 100 - d}
}

func (s *Server) leaning(a rules.Answers) leaningView {
	ev, err := s.rules.Lean(a)
	if err != nil {
		// Answers in the session were checked when they were loaded.
		return leaningView{Total: len(s.rules.Questions())}
	}
	v := leaningView{
		Answered:       len(s.rules.Questions()) - len(ev.Unanswered),
		Total:          len(s.rules.Questions()),
		Recommendation: ev.Recommendation,
		Confidence:     ev.Confidence,
		Scores:         scores(ev.Scores),
	}
	switch ev.Recommendation {
	case rules.Tie:
		v.Headline = "Too close to call"
	default:
		v.Headline = ev.Recommendation.Name() + " " + itoa(ev.Scores.Percent(ev.Recommendation)) + "%"
	}
	return v
}

func itoa(n int) string { return strconv.Itoa(n) }
