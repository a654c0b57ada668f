package rules_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
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

// FuzzChoiceJSON: a choice reads and writes as encoding/json reads and
// writes its option ids, the shortcut for plain ids included.
func FuzzChoiceJSON(f *testing.F) {
	for _, s := range []string{`"strong"`, `"not_sure"`, `"a-b"`, `""`, `"\u0061b"`, `"é"`, `"<&>"`, `"x\"y"`,
		` "pad" `, `["cms","captcha"]`, `[]`, `17`, `null`, `true`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return // the decoder hands a choice only a whole JSON value
		}
		var got rules.Choice
		gotErr := got.UnmarshalJSON(data)
		var want rules.Choice
		wantErr := referenceChoice(data, &want)
		if (gotErr == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: read %#v (%v), encoding/json reads %#v (%v)", data, got, gotErr, want, wantErr)
		}
		if gotErr != nil || got.Multiple {
			return
		}
		out, err := json.Marshal(got)
		ref, refErr := json.Marshal(got.Options[0])
		if err != nil || refErr != nil || !bytes.Equal(out, ref) {
			t.Fatalf("%q written as %s (%v), encoding/json writes %s", got.Options[0], out, err, ref)
		}
	})
}

// referenceChoice reads a choice with encoding/json alone.
func referenceChoice(data []byte, c *rules.Choice) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		c.Multiple, c.Options = true, nil
		return json.Unmarshal(data, &c.Options)
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	*c = rules.One(s)
	return nil
}
