package stackfit

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"stackfit/rules"
)

// Result is a stored evaluation: what a share link shows.
type Result struct {
	ID         string
	CreatedAt  time.Time
	Name       string // the decision's name, "Booking platform v2"; "" for none
	Ruleset    string // the ruleset version that evaluated it
	Answers    rules.Answers
	Evaluation *rules.Evaluation
}

// PrepareResult makes the result a store saves under a new id, with its
// answers and evaluation as the JSON every store keeps.
func PrepareResult(name string, answers rules.Answers, ev *rules.Evaluation, createdAt time.Time) (res Result, answersJSON, evaluationJSON []byte, err error) {
	if ev == nil {
		return Result{}, nil, nil, errors.New("no evaluation")
	}
	if answersJSON, err = json.Marshal(answers); err != nil {
		return Result{}, nil, nil, err
	}
	if evaluationJSON, err = json.Marshal(ev); err != nil {
		return Result{}, nil, nil, err
	}
	res = Result{ID: NewID(), CreatedAt: createdAt, Name: name, Ruleset: ev.Ruleset, Answers: answers, Evaluation: ev}
	return res, answersJSON, evaluationJSON, nil
}

// Decide checks answers, returning them in canonical form, and evaluates
// them. Answers the questionnaire does not offer are EINVALID, with the
// rules' sentence saying which.
func (a *App) Decide(answers rules.Answers) (rules.Answers, *rules.Evaluation, error) {
	checked, err := a.rules.Check(answers)
	var ae *rules.AnswerError
	if errors.As(err, &ae) {
		return nil, nil, &Error{Code: EINVALID, Message: ae.Error()}
	}
	if err != nil {
		return nil, nil, err
	}
	ev, err := a.rules.Evaluate(checked)
	return checked, ev, err
}

// SaveResult evaluates answers and stores them as a new result under the
// decision's name ("" for none; handlers/form checks what people type);
// client is the network address it comes from, for the per-address limit.
func (a *App) SaveResult(ctx context.Context, client, name string, answers rules.Answers) (Result, error) {
	checked, ev, err := a.Decide(answers)
	if err != nil {
		return Result{}, err
	}
	if err := limit(ctx, a.results, client, msgTooManyResults); err != nil {
		return Result{}, err
	}
	return a.store.SaveResult(ctx, name, checked, ev)
}

// Result returns the stored result with that id, or ErrNotFound.
func (a *App) Result(ctx context.Context, id string) (Result, error) {
	return a.store.Result(ctx, id)
}
