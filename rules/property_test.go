package rules_test

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"stackfit/rules"
	"stackfit/rules/rulestest"
)

const generated = 1000

func TestPropertiesOverGeneratedAnswers(t *testing.T) {
	rs := rulestest.Builtin(t)
	r := rand.New(rand.NewPCG(1, 2)) // fixed seed: a failure can be replayed
	sides := map[rules.Side]int{}
	for i := 0; i < generated; i++ {
		a := rulestest.Random(rs, r)
		ev, err := rs.Evaluate(a)
		if err != nil {
			t.Fatalf("valid answers %v: %v", a, err)
		}
		sides[ev.Recommendation]++

		// Deterministic, including through a JSON round trip of the answers.
		data, _ := json.Marshal(a)
		var back rules.Answers
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		again, _ := rs.Evaluate(back)
		if !reflect.DeepEqual(ev, again) {
			t.Fatalf("answers %s: two evaluations differ", data)
		}

		// Scores are the sum of the fired rules' weights.
		var sum rules.Scores
		for _, reason := range ev.Reasons {
			if reason.Favours == rules.Django {
				sum.Django += reason.Weight
			} else {
				sum.NodeJS += reason.Weight
			}
		}
		if sum != ev.Scores {
			t.Fatalf("answers %s: scores %+v, reasons add up to %+v", data, ev.Scores, sum)
		}

		// Every flip, applied, gives the recommendation it reports.
		for _, f := range ev.Flips {
			b := clone(a)
			b[f.Question] = f.Answer
			got, err := rs.Evaluate(b)
			if err != nil {
				t.Fatalf("answers %s, flip %+v: %v", data, f, err)
			}
			if got.Recommendation != f.Recommendation || f.Recommendation == ev.Recommendation {
				t.Fatalf("answers %s: flip %+v gives %s", data, f, got.Recommendation)
			}
		}

		// Changing one answer so that Django's fired rules only grow never lowers Django's score.
		for _, q := range rs.Questions() {
			for _, o := range q.Options {
				b := clone(a)
				b[q.ID] = choiceOf(q, o.ID)
				other, err := rs.Evaluate(b)
				if err != nil {
					t.Fatal(err)
				}
				if isSuperset(firedFor(other, rules.Django), firedFor(ev, rules.Django)) && other.Scores.Django < ev.Scores.Django {
					t.Fatalf("answers %s, %s=%s: more Django rules fired but Django's score fell from %d to %d",
						data, q.ID, o.ID, ev.Scores.Django, other.Scores.Django)
				}
			}
		}
	}
	// The generator must reach all three outcomes, or the properties prove little.
	for _, s := range []rules.Side{rules.Django, rules.NodeJS, rules.Tie} {
		if sides[s] == 0 {
			t.Errorf("no generated answer set gave %s: %v", s, sides)
		}
	}
	t.Logf("outcomes over %d generated answer sets: %v", generated, sides)
}

func firedFor(ev *rules.Evaluation, side rules.Side) map[string]bool {
	m := map[string]bool{}
	for _, r := range ev.ReasonsFor(side) {
		m[r.Rule] = true
	}
	return m
}

func isSuperset(a, b map[string]bool) bool {
	for k := range b {
		if !a[k] {
			return false
		}
	}
	return true
}

// Flips found by brute force: every single-answer change that changes the
// outcome is reported, and nothing else.
func TestFlipsAreComplete(t *testing.T) {
	rs := rulestest.Builtin(t)
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 300; i++ {
		a := rulestest.Random(rs, r)
		ev, _ := rs.Evaluate(a)
		want := 0
		for _, q := range rs.Questions() {
			for _, o := range q.Options {
				if o.Unsure {
					continue // a change to "not sure" is no flip
				}
				b := clone(a)
				b[q.ID] = choiceOf(q, o.ID)
				if q.Multiple {
					b[q.ID] = toggle(q, a[q.ID], o)
				}
				if reflect.DeepEqual(canonical(rs, b[q.ID], q), canonical(rs, a[q.ID], q)) || len(b[q.ID].Options) == 0 {
					continue
				}
				got, _ := rs.Evaluate(b)
				if got.Recommendation != ev.Recommendation {
					want++
				}
			}
		}
		if len(ev.Flips) != want {
			t.Fatalf("answers %v: %d flips reported, brute force finds %d", a, len(ev.Flips), want)
		}
	}
}

// toggle adds or removes one option, as a person ticking one box would.
func toggle(q *rules.Question, cur rules.Choice, o rules.Option) rules.Choice {
	if o.Exclusive || o.Unsure || len(cur.Options) == 0 {
		return rules.Many(o.ID)
	}
	var next []string
	found := false
	for _, id := range cur.Options {
		opt, _ := q.Option(id)
		switch {
		case id == o.ID:
			found = true
		case opt.Exclusive || opt.Unsure:
		default:
			next = append(next, id)
		}
	}
	if !found {
		next = append(next, o.ID)
	}
	return rules.Many(next...)
}

func canonical(rs *rules.Ruleset, c rules.Choice, q *rules.Question) rules.Choice {
	if len(c.Options) == 0 {
		return c
	}
	out, err := rs.Check(rules.Answers{q.ID: c})
	if err != nil {
		return c
	}
	return out[q.ID]
}

func TestCheckRejects(t *testing.T) {
	rs := rulestest.Builtin(t)
	tests := []struct {
		name    string
		answers rules.Answers
		want    string
	}{
		{"unknown question", rules.Answers{"pyton": rules.One("strong")}, `answers.pyton: no such question`},
		{"unknown option", rules.Answers{"python": rules.One("expert")}, `answers.python: no option "expert"`},
		{"two answers to a single-choice question", rules.Answers{"python": rules.Many("strong", "some")}, `answers.python: only one answer allowed, got 2`},
		{"empty answer", rules.Answers{"packages": rules.Many()}, `answers.packages: no option chosen`},
		{"option twice", rules.Answers{"packages": rules.Many("cms", "cms")}, `answers.packages: option "cms" given twice`},
		{"exclusive combined", rules.Answers{"packages": rules.Many("cms", "none")}, `answers.packages: "none" cannot be combined`},
		{"first problem in questionnaire order", rules.Answers{"services": rules.One("x"), "python": rules.One("y")}, `answers.python:`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rs.Evaluate(tt.answers)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
			if _, err := rs.Check(tt.answers); err == nil {
				t.Error("Check accepted what Evaluate refused")
			}
		})
	}
}
