package rules_test

import (
	"math/rand/v2"
	"testing"

	"stackfit/rules"
	"stackfit/rules/rulestest"
)

// TestFlipsRanked: each flip carries the scores its change really gives, and
// the flips come biggest shift first, so the page, the record and the API
// show the same few at the top.
func TestFlipsRanked(t *testing.T) {
	rs := rulestest.Builtin(t)
	r := rand.New(rand.NewPCG(5, 6))
	ranked := 0
	for range 300 {
		a := rulestest.Random(rs, r)
		ev, err := rs.Evaluate(a)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range ev.Flips {
			b := clone(a)
			b[f.Question] = f.Answer
			got, err := rs.Evaluate(b)
			if err != nil {
				t.Fatalf("answers %v, flip %v: %v", a, f, err)
			}
			if got.Scores != f.Scores {
				t.Fatalf("answers %v, flip %v: flip says scores %+v, evaluating it gives %+v", a, f, f.Scores, got.Scores)
			}
			if i > 0 && f.Shift(ev.Scores) > ev.Flips[i-1].Shift(ev.Scores) {
				t.Fatalf("answers %v: flip %d shifts %.3f, more than the one before it (%.3f)", a, i, f.Shift(ev.Scores), ev.Flips[i-1].Shift(ev.Scores))
			}
		}
		if len(ev.Flips) > 1 && ev.Flips[0].Shift(ev.Scores) > ev.Flips[len(ev.Flips)-1].Shift(ev.Scores) {
			ranked++
		}
	}
	if ranked == 0 {
		t.Fatal("no answer set had flips of different sizes: the ranking went untested")
	}
}

func TestFlipShift(t *testing.T) {
	from := rules.Scores{Django: 2, NodeJS: 2}
	tests := []struct {
		name string
		to   rules.Scores
		want float64
	}{
		{"to 3:1", rules.Scores{Django: 3, NodeJS: 1}, 0.25},
		{"to 1:3", rules.Scores{Django: 1, NodeJS: 3}, 0.25},
		{"to 0:4", rules.Scores{NodeJS: 4}, 0.5},
		{"stored without scores", rules.Scores{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (rules.Flip{Scores: tt.to}).Shift(from); got != tt.want {
				t.Errorf("Shift = %v, want %v", got, tt.want)
			}
		})
	}
}
