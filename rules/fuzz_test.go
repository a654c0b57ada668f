package rules_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"stackfit/rules"
	"stackfit/rules/rulestest"
)

// FuzzEvaluate feeds arbitrary bodies to the request decoder and evaluation:
// neither may panic, errors must be AnswerErrors (they reach people), and a
// body that is accepted must give a well-formed, self-consistent evaluation.
func FuzzEvaluate(f *testing.F) {
	rs := rulestest.Builtin(f)
	for _, seed := range []string{
		`{"answers": {}}`,
		`{"answers": {"python": "strong", "packages": ["cms", "captcha"]}}`,
		`{"answers": {"python": ["strong"], "realtime": "core", "connections": "thousands"}}`,
		`{"answers": {"python": "strong", "python": "none"}}`,
		`{"answers": {"packages": ["none", "cms"]}}`,
		`{"answers": {"python": 1}}`,
		`{"answers": null}`,
		`{"answers": {}} {}`,
		`[]`,
		``,
		"{\"answers\": {\"python\": \"str\xffong\"}}",
		"{\"answers\": {\"pyt\xc3\": \"strong\"}}",
		`{"answers": {"python": "\ud800"}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := rules.DecodeRequest(bytes.NewReader(body))
		if err != nil {
			var ae *rules.AnswerError
			if !errors.As(err, &ae) {
				t.Fatalf("decode error of type %T: %v", err, err)
			}
			return
		}
		ev, err := rs.Evaluate(a)
		if err != nil {
			var ae *rules.AnswerError
			if !errors.As(err, &ae) {
				t.Fatalf("evaluate error of type %T: %v", err, err)
			}
			return
		}
		switch ev.Recommendation {
		case rules.Django, rules.NodeJS, rules.Tie:
		default:
			t.Fatalf("recommendation %q", ev.Recommendation)
		}
		checked, err := rs.Check(a)
		if err != nil {
			t.Fatalf("Evaluate accepted what Check refused: %v", err)
		}
		scoring, answered := 0, 0
		for _, q := range rs.Questions() {
			if !q.NoteOnly {
				scoring++
				if _, ok := checked[q.ID]; ok {
					answered++
				}
			}
		}
		if len(ev.Unanswered)+answered != scoring {
			t.Fatalf("%d unanswered + %d answered != %d questions that score", len(ev.Unanswered), answered, scoring)
		}
		if ev.ConfidenceReason == "" || !strings.HasPrefix(strings.ToLower(ev.ConfidenceReason), string(ev.Confidence)+":") {
			t.Fatalf("confidence %s with reason %q", ev.Confidence, ev.ConfidenceReason)
		}
		for _, fl := range ev.Flips {
			b := clone(checked)
			b[fl.Question] = fl.Answer
			got, err := rs.Evaluate(b)
			if err != nil || got.Recommendation != fl.Recommendation {
				t.Fatalf("flip %+v: got %v, %v", fl, got, err)
			}
		}
	})
}

// FuzzLoad: a team's own ruleset file is outside input too. Loading may fail,
// never panic, and a ruleset that loads must evaluate empty answers.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(miniRuleset))
	f.Add([]byte("decision: {}\n"))
	f.Add([]byte("sections: [1, 2]\n"))
	f.Add([]byte("rules:\n  - when: {all: []}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := rules.Load("fuzz.yaml", data)
		if err != nil {
			return
		}
		if _, err := rs.Evaluate(rules.Answers{}); err != nil {
			t.Fatalf("a loaded ruleset cannot evaluate empty answers: %v", err)
		}
	})
}
