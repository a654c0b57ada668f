// Package rulestest holds what tests of several packages need of the
// decision model: the built-in ruleset, answer sets written briefly, and
// random valid answer sets. Only tests import it.
package rulestest

import (
	"math/rand/v2"
	"strings"
	"testing"

	"stackfit/rules"
)

// Builtin is the built-in ruleset; a broken one fails the test.
func Builtin(tb testing.TB) *rules.Ruleset {
	tb.Helper()
	rs, err := rules.Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	return rs
}

// Answers builds an answer set from "question=option" pairs; "q=a,b" and
// any answer to a multiple-choice question of the built-in ruleset are
// multiple-choice answers.
func Answers(pairs ...string) rules.Answers {
	rs, _ := rules.Builtin()
	a := rules.Answers{}
	for _, p := range pairs {
		q, v, _ := strings.Cut(p, "=")
		question, known := (*rules.Question)(nil), false
		if rs != nil {
			question, known = rs.Question(q)
		}
		if strings.Contains(v, ",") || (known && question.Multiple) {
			a[q] = rules.Many(strings.Split(v, ",")...)
		} else {
			a[q] = rules.One(v)
		}
	}
	return a
}

// Random answers each question with probability 0.85, with any option
// (several for a multiple-choice question, unless an exclusive one is drawn).
func Random(rs *rules.Ruleset, r *rand.Rand) rules.Answers {
	a := rules.Answers{}
	for _, q := range rs.Questions() {
		if r.Float64() > 0.85 {
			continue
		}
		o := q.Options[r.IntN(len(q.Options))]
		if !q.Multiple {
			a[q.ID] = rules.One(o.ID)
			continue
		}
		if o.Exclusive || o.Unsure {
			a[q.ID] = rules.Many(o.ID)
			continue
		}
		var picked []string
		for _, o := range q.Options {
			if !o.Exclusive && !o.Unsure && r.IntN(3) == 0 {
				picked = append(picked, o.ID)
			}
		}
		if len(picked) == 0 {
			picked = []string{q.Options[0].ID}
		}
		a[q.ID] = rules.Many(picked...)
	}
	return a
}

// BuiltinYAML is the built-in ruleset file, for tests that break it on purpose.
func BuiltinYAML() string { return string(rules.BuiltinYAML()) }
