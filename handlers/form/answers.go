// Package form reads and checks posted forms: the questionnaire (one field
// per question, named after it, holding option ids), the new-workshop form
// and a participant's name, for the pages and the API alike.
package form

import (
	"errors"
	"net/url"

	"stackfit/rules"
)

// Problem is what is wrong with the answer to one question, for the person.
type Problem struct {
	Question string
	Text     string // the question, for the error summary
	Message  string
}

// Answers reads the answers to questions from values. Questions without a
// field are left out (see Missing); a value that is not one of the
// question's options, or two values for a single-choice question, is a Problem.
func Answers(rs *rules.Ruleset, questions []*rules.Question, values url.Values) (rules.Answers, []Problem) {
	out := rules.Answers{}
	var problems []Problem
	for _, q := range questions {
		vals := values[q.ID]
		if len(vals) == 0 {
			continue
		}
		choice := rules.Choice{Options: vals, Multiple: q.Multiple}
		checked, err := rs.Check(rules.Answers{q.ID: choice})
		if err != nil {
			problems = append(problems, Problem{Question: q.ID, Text: q.Text, Message: message(q, err)})
			continue
		}
		out[q.ID] = checked[q.ID]
	}
	return out, problems
}

func message(q *rules.Question, err error) string {
	var ae *rules.AnswerError
	if errors.As(err, &ae) && q.Multiple {
		return "Choose the options that apply; “" + exclusiveLabel(q) + "” cannot be combined with others."
	}
	return "Choose one of the options."
}

func exclusiveLabel(q *rules.Question) string {
	for _, o := range q.Options {
		if o.Exclusive {
			return o.Label
		}
	}
	return "Not sure"
}

// Missing lists the questions without an answer, with a message that says
// how to answer when one does not know.
func Missing(questions []*rules.Question, a rules.Answers) []Problem {
	var problems []Problem
	for _, q := range questions {
		if _, ok := a[q.ID]; ok {
			continue
		}
		msg := "Choose an answer."
		switch {
		case q.Multiple:
			msg = "Tick at least one option, or “None of these”."
		case q.HasUnsure():
			msg = "Choose an answer, or “Not sure”."
		}
		problems = append(problems, Problem{Question: q.ID, Text: q.Text, Message: msg})
	}
	return problems
}
