package rules_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"stackfit/rules"
	"stackfit/rules/rulestest"
)

// calibrationSample is small enough for -race, large enough to measure shares
// to about a percentage point.
const calibrationSample = 2000

// The built-in ruleset passes its own calibration report: balanced, decisive
// often enough, never overturned at high confidence, monotone, mirrored and
// deterministic.
func TestBuiltinCalibration(t *testing.T) {
	rs := rulestest.Builtin(t)
	cal := rs.Calibrate(calibrationSample, 1, rules.DefaultLimits)
	if len(cal.Problems) > 0 {
		t.Errorf("calibration problems: %v", cal.Problems)
	}
	for name, c := range map[string]rules.Check{"high_overturned": cal.HighOverturned, "monotonicity": cal.Monotonicity,
		"mirror": cal.Mirror, "determinism": cal.Determinism} {
		if c.Checked == 0 || c.Skipped != "" {
			t.Errorf("%s was not checked (%d, %q)", name, c.Checked, c.Skipped)
		}
	}
	if got := cal.Outcomes.Django + cal.Outcomes.NodeJS + cal.Outcomes.Tie; got < 0.999 || got > 1.001 {
		t.Errorf("outcome shares add up to %v", got)
	}
	t.Logf("lean %.2f, outcomes %+v, confidence %+v", cal.Lean, cal.Outcomes, cal.Confidence)
}

// Each check of the report can fail: a ruleset broken one way at a time is caught.
func TestCalibrationCatches(t *testing.T) {
	builtin := rulestest.BuiltinYAML()
	tests := []struct {
		name, old, new string
		want           string
	}{
		{"a side scores less for knowing the language better",
			"  - id: python-some\n    criteria: [table-python, table-popular-python]\n    weight: 2",
			"  - id: python-some\n    criteria: [table-python, table-popular-python]\n    weight: 6", "monotonicity"},
		{"JavaScript counts less than Python",
			"  - id: javascript-strong\n    criteria: [table-javascript, table-popular-javascript, nodejs-outside-browser]\n    weight: 4",
			"  - id: javascript-strong\n    criteria: [table-javascript, table-popular-javascript, nodejs-outside-browser]\n    weight: 3", "mirror"},
		{"a wide tie band", "tie_margin: 0.06", "tie_margin: 0.4", "ties in"},
		{"a lean to Django", "  - id: admin-central\n    criteria: [django-admin]\n    weight: 4",
			"  - id: admin-central\n    criteria: [django-admin]\n    weight: 40", "lean"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(builtin, tt.old) {
				t.Fatalf("test is stale: %q is not in the built-in ruleset", tt.old)
			}
			rs, err := rules.Load("broken.yaml", []byte(strings.Replace(builtin, tt.old, tt.new, 1)))
			if err != nil {
				t.Fatal(err)
			}
			cal := rs.Calibrate(500, 1, rules.DefaultLimits)
			if !strings.Contains(strings.Join(cal.Problems, "\n"), tt.want) {
				t.Errorf("problems %v do not name %q", cal.Problems, tt.want)
			}
		})
	}
}

// The open answers are bounded, not guessed: when a result with a few open
// answers has high confidence, no way of answering them overturns it.
func TestOpenAnswersCannotOverturnHigh(t *testing.T) {
	rs := rulestest.Builtin(t)
	r := rand.New(rand.NewPCG(7, 8))
	checked := 0
	for i := 0; i < 3000 && checked < 150; i++ {
		a := rulestest.Random(rs, r)
		first, err := rs.Evaluate(a)
		if err != nil {
			t.Fatal(err)
		}
		// Keep one to three answers open; answer the rest at random.
		open := append(append([]string{}, first.Unanswered...), first.Unsure...)
		r.Shuffle(len(open), func(i, j int) { open[i], open[j] = open[j], open[i] })
		keep := 1 + r.IntN(3)
		for _, id := range open[min(keep, len(open)):] {
			q, _ := rs.Question(id)
			for {
				if o := q.Options[r.IntN(len(q.Options))]; !o.Unsure {
					a[id] = choiceOf(q, o.ID)
					break
				}
			}
		}
		open = open[:min(keep, len(open))]
		ev, err := rs.Evaluate(a)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Confidence != rules.High || len(open) == 0 {
			continue
		}
		checked++
		completions(rs, a, open, func(b rules.Answers) {
			got, err := rs.Evaluate(b)
			if err != nil {
				t.Fatal(err)
			}
			if got.Recommendation != ev.Recommendation {
				t.Fatalf("answers %v: high confidence for %s (%s), but answering the open ones as %v gives %s",
					a, ev.Recommendation, ev.ConfidenceReason, b, got.Recommendation)
			}
		})
	}
	if checked < 20 {
		t.Fatalf("only %d high results with 1 to 3 open answers were found", checked)
	}
}

// completions calls f with every way of answering the open questions (one
// option each, not "not sure").
func completions(rs *rules.Ruleset, a rules.Answers, open []string, f func(rules.Answers)) {
	if len(open) == 0 {
		f(a)
		return
	}
	q, _ := rs.Question(open[0])
	for _, o := range q.Options {
		if o.Unsure {
			continue
		}
		b := clone(a)
		b[q.ID] = choiceOf(q, o.ID)
		completions(rs, b, open[1:], f)
	}
}
