package stackfit_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"stackfit"
	"stackfit/rules"
)

func TestSaveResult(t *testing.T) {
	app := newTestApp(t)
	tests := []struct {
		name     string
		decision string // the decision's name
		answers  func(rules.Answers) rules.Answers
		invalid  bool // EINVALID, saying which answer
	}{
		{"complete", "", func(a rules.Answers) rules.Answers { return a }, false},
		{"named", "Booking platform v2", func(a rules.Answers) rules.Answers { return a }, false},
		{"one question open", "", func(a rules.Answers) rules.Answers {
			for q := range a {
				delete(a, q)
				break
			}
			return a
		}, false},
		{"an option the questionnaire does not offer", "", func(rules.Answers) rules.Answers { return app.offTheList() }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answers := tt.answers(app.complete())
			res, err := app.SaveResult(t.Context(), client, tt.decision, answers)
			if tt.invalid {
				wantCode(t, "SaveResult", err, stackfit.EINVALID)
				if !strings.Contains(stackfit.ErrorMessage(err), "no-such-option") {
					t.Errorf("message %q does not name the answer", stackfit.ErrorMessage(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checked, want, err := app.Decide(answers)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res.Evaluation, want) || !reflect.DeepEqual(res.Answers, checked) {
				t.Errorf("saved %+v, want the evaluation of the checked answers %+v", res.Evaluation, want)
			}
			got, err := app.Result(t.Context(), res.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != res.ID || got.Name != tt.decision || !reflect.DeepEqual(got.Evaluation, want) || got.Ruleset != app.Rules().Version {
				t.Errorf("read back %+v, want %+v", got, res)
			}
		})
	}
	if _, err := app.Result(t.Context(), "no-such-result"); !errors.Is(err, stackfit.ErrNotFound) {
		t.Errorf("unknown result: %v, want ErrNotFound", err)
	}
}
