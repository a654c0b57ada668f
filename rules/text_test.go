package rules_test

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"stackfit/rules/rulestest"
)

// A reason never repeats an answer's label inside itself ("A single-page app
// (“A single-page app (React…)”)"): checked on every reason of many answer sets.
func TestReasonsDoNotStutter(t *testing.T) {
	rs := rulestest.Builtin(t)
	r := rand.New(rand.NewPCG(9, 10))
	quoted := regexp.MustCompile(`“([^”]*)”`)
	seen := map[string]bool{}
	for range 500 {
		ev, err := rs.Evaluate(rulestest.Random(rs, r))
		if err != nil {
			t.Fatal(err)
		}
		for _, reason := range ev.Reasons {
			if seen[reason.Text] {
				continue
			}
			seen[reason.Text] = true
			for _, m := range quoted.FindAllStringSubmatch(reason.Text, -1) {
				label := stem(m[1])
				rest := strings.Replace(reason.Text, m[0], "", 1)
				if len(label) > 3 && strings.Contains(strings.ToLower(rest), strings.ToLower(label)) {
					t.Errorf("rule %s repeats %q: %s", reason.Rule, label, reason.Text)
				}
			}
		}
	}
	if len(seen) < 30 {
		t.Fatalf("only %d distinct reasons were seen", len(seen))
	}
}

// stem is a label without its explanation: "A single-page app (React…)" → "A single-page app".
func stem(label string) string {
	if i := strings.IndexAny(label, "(:"); i > 0 {
		label = label[:i]
	}
	return strings.TrimSpace(label)
}

// Each reason appears once, and its quotes are its criteria's, in order.
func TestReasonsOncePerTopicAndSide(t *testing.T) {
	rs := rulestest.Builtin(t)
	r := rand.New(rand.NewPCG(11, 12))
	for range 500 {
		ev, _ := rs.Evaluate(rulestest.Random(rs, r))
		slots := map[string]bool{}
		for _, reason := range ev.Reasons {
			key := reason.Topic + "/" + string(reason.Favours)
			if slots[key] {
				t.Fatalf("topic %s counts twice for %s", reason.Topic, reason.Favours)
			}
			slots[key] = true
			if len(reason.Quotes) != len(reason.Criteria) || reason.Quote != reason.Quotes[0] || reason.Criterion != reason.Criteria[0] {
				t.Fatalf("reason %s: criteria %v and quotes %v do not match", reason.Rule, reason.Criteria, reason.Quotes)
			}
			for i, id := range reason.Criteria {
				c, ok := rs.Criterion(id)
				if !ok || c.Quote != reason.Quotes[i] || c.Topic != reason.Topic {
					t.Fatalf("reason %s: criterion %s is not what it quotes", reason.Rule, id)
				}
			}
		}
	}
}

// Every rule says why it weighs what it does.
func TestRulesSayWhy(t *testing.T) {
	rs := rulestest.Builtin(t)
	for _, r := range rs.Rules {
		if len(strings.Fields(r.Why)) < 4 {
			t.Errorf("rule %s: why %q is too short to explain weight %d", r.ID, r.Why, r.Weight)
		}
	}
}
