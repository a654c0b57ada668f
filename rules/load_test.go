package rules_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"stackfit/rules"
	"stackfit/rules/rulestest"
)

// miniRuleset is the smallest valid ruleset; the tests break it one way at a time.
const miniRuleset = `decision:
  tie_margin: 0.1
  gate:
    django: {language: Python, knows: {python: [strong]}}
    nodejs: {language: JavaScript, knows: {python: [strong]}}
topics:
  - {id: language, title: Language}
sections:
  - id: team
    title: Team
    questions:
      - id: python
        text: Python?
        help: Why it matters.
        options:
          - {id: strong, label: Strong}
          - {id: none, label: None}
          - {id: not_sure, label: Not sure, unsure: true}
criteria:
  - id: lang
    favours: django
    topic: language
    quote: Python
rules:
  - id: python-strong
    criterion: lang
    weight: 3
    why: It is the language.
    when:
      all: {python: [strong]}
    text: You know Python ({python}).
`

func TestLoadMini(t *testing.T) {
	rs, err := rules.Load("mini.yaml", []byte(miniRuleset))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(rs.Version) != 12 {
		t.Errorf("version %q: want 12 hex characters", rs.Version)
	}
	other, _ := rules.Load("mini.yaml", []byte(miniRuleset+"\n# a comment changes the content\n"))
	if other.Version == rs.Version {
		t.Errorf("two different files share version %s", rs.Version)
	}
	ev, err := rs.Evaluate(rules.Answers{"python": rules.One("strong")})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Recommendation != rules.Django || ev.Reasons[0].Text != "You know Python (Strong)." {
		t.Errorf("got %s, %q", ev.Recommendation, ev.Reasons[0].Text)
	}
}

// Every broken ruleset stops the load with a message naming the file, the line and the id.
func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           []string // substrings of the error
	}{
		{"unknown question in a rule", "all: {python: [strong]}", "all: {pyton: [strong]}",
			[]string{`mini.yaml:30: rule "python-strong" when.all: unknown question "pyton"`}},
		{"unknown option in a rule", "all: {python: [strong]}", "all: {python: [strongest]}",
			[]string{`mini.yaml:30: rule "python-strong" when.all: question "python" has no option "strongest"`}},
		{"not sure deciding a rule", "all: {python: [strong]}", "all: {python: [not_sure]}",
			[]string{`mini.yaml:30:`, `"not_sure" means "not sure"`}},
		{"unknown criterion", "criterion: lang", "criterion: language",
			[]string{`mini.yaml:25: rule "python-strong": unknown criterion "language"`}},
		{"criterion no rule uses", "rules:\n", "  - id: unused\n    favours: nodejs\n    topic: language\n    quote: Q\nrules:\n",
			[]string{`mini.yaml:24: criterion "unused": no rule uses it`}},
		{"question no rule reads", "          - {id: not_sure, label: Not sure, unsure: true}\n",
			"          - {id: not_sure, label: Not sure, unsure: true}\n      - id: js\n        text: JS?\n        help: h\n        options: [{id: a, label: A}, {id: b, label: B}]\n",
			[]string{`mini.yaml:19: question "js": no rule reads it`}},
		{"duplicate question id", "          - {id: not_sure, label: Not sure, unsure: true}\n",
			"          - {id: not_sure, label: Not sure, unsure: true}\n      - id: python\n        text: again\n        help: h\n        options: [{id: a, label: A}, {id: b, label: B}]\n",
			[]string{`mini.yaml:19: question "python": duplicate id (first at line 12)`}},
		{"duplicate option id", "- {id: none, label: None}", "- {id: strong, label: None}",
			[]string{`mini.yaml:17: question "python" option "strong": duplicate id (first at line 16)`}},
		{"duplicate rule id", "rules:\n", "rules:\n  - id: python-strong\n    criterion: lang\n    weight: 1\n    why: w\n    when: {all: {python: [none]}}\n    text: x\n",
			[]string{`rule "python-strong": duplicate id`}},
		{"misspelt field", "    weight: 3", "    wieght: 3",
			[]string{`mini.yaml:27: rule: unknown field "wieght"`}},
		{"weight out of range", "weight: 3", "weight: 0",
			[]string{`rule "python-strong": weight must be a whole number from 1 to 100, not 0`}},
		{"favours neither side", "favours: django", "favours: rails",
			[]string{`mini.yaml:20: criterion "lang": favours must be django or nodejs, not "rails"`}},
		{"text names a question outside when.all", "text: You know Python ({python}).", "text: You know Python ({javascript}).",
			[]string{`rule "python-strong": text: {javascript} names no question`}},
		{"unbalanced braces", "text: You know Python ({python}).", "text: You know Python ({python).",
			[]string{`rule "python-strong": text:`}},
		{"missing help", "        help: Why it matters.\n", "",
			[]string{`mini.yaml:12: question "python": missing help`}},
		{"no condition", "    when:\n      all: {python: [strong]}\n", "",
			[]string{`rule "python-strong": needs a condition`}},
		{"tie margin out of range", "tie_margin: 0.1", "tie_margin: 1.5",
			[]string{`decision: tie_margin must be at least 0 and below 1`}},
		{"rule without why", "    why: It is the language.\n", "",
			[]string{`mini.yaml:25: rule "python-strong": missing why`}},
		{"unknown topic", "    topic: language\n", "    topic: lingo\n",
			[]string{`mini.yaml:20: criterion "lang": unknown topic "lingo"`}},
		{"old confidence thresholds", "  tie_margin: 0.1\n", "  tie_margin: 0.1\n  confidence: {high: {min_margin: 0.3}}\n",
			[]string{`mini.yaml:3: decision: confidence thresholds are gone`}},
		{"gate names an unknown question", "knows: {python: [strong]}", "knows: {pyhton: [strong]}",
			[]string{`mini.yaml:4: decision.gate.django.knows: unknown question "pyhton"`}},
		{"gate missing a side", "    nodejs: {language: JavaScript, knows: {python: [strong]}}\n", "",
			[]string{`decision.gate: missing nodejs`}},
		{"mirror of questions with other options", "topics:\n", "  mirror: [[python, team]]\ntopics:\n",
			[]string{`mini.yaml:6: decision.mirror: unknown question "team"`}},
		{"ordered with an unknown option", "        options:\n", "        ordered: {toward: django, options: [none, expert]}\n        options:\n",
			[]string{`question "python" ordered: no option "expert"`}},
		{"a rule reads a note-only question", "          - {id: none, label: None}", "          - {id: none, label: None, note: A remark.}",
			[]string{`rule "python-strong": question "python" only brings up notes`}},
		{"YAML syntax error", "title: Team", "title: Team: A",
			[]string{`mini.yaml:10:`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(miniRuleset, tt.old) {
				t.Fatalf("test is stale: %q is not in the mini ruleset", tt.old)
			}
			_, err := rules.Load("mini.yaml", []byte(strings.Replace(miniRuleset, tt.old, tt.new, 1)))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if n := strings.Count(err.Error(), "\n") + 1; n != 1 {
				t.Errorf("%d messages for one problem, want 1 (no echoes):\n%v", n, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestBuiltinSize(t *testing.T) {
	rs := rulestest.Builtin(t)
	scoring, notes := 0, 0
	for _, q := range rs.Questions() {
		if q.NoteOnly {
			notes++
		} else {
			scoring++
		}
	}
	if scoring < 15 || scoring > 25 || notes > 6 {
		t.Errorf("%d questions that score and %d that bring up notes: a workshop wants 15 to 25, and at most 6 more", scoring, notes)
	}
	for _, q := range rs.Questions() {
		if q.Help == "" || strings.Contains(q.Help, "\n") {
			t.Errorf("question %s: help must be one line", q.ID)
		}
	}
}

// Coverage: every criterion is used by a rule and every question is read by
// one, both as declared and in effect: some answer to the question changes which
// rules fire. (The loader refuses a ruleset that fails the first half.)
func TestBuiltinCoverage(t *testing.T) {
	rs := rulestest.Builtin(t)
	used, read := map[string]bool{}, map[string]bool{}
	for _, r := range rs.Rules {
		for _, c := range r.Criteria {
			used[c] = true
		}
		for _, q := range r.Reads {
			read[q] = true
		}
	}
	for _, c := range rs.Criteria {
		if !used[c.ID] {
			t.Errorf("criterion %s: no rule uses it", c.ID)
		}
	}
	for _, q := range rs.Questions() {
		if q.NoteOnly {
			if read[q.ID] {
				t.Errorf("question %s brings up notes but a rule reads it", q.ID)
			}
			continue
		}
		if !read[q.ID] {
			t.Errorf("question %s: no rule reads it", q.ID)
		}
		if !answerMatters(rs, q) {
			t.Errorf("question %s: no answer to it changes which rules fire", q.ID)
		}
	}
}

func choiceOf(q *rules.Question, option string) rules.Choice {
	if q.Multiple {
		return rules.Many(option)
	}
	return rules.One(option)
}

// answerMatters tells whether answering q one way or another changes the
// fired rules, against one of a few backgrounds for the other answers: the
// first options, the last ones, and seeded random sets (rules that need a
// combination, such as the learning curve for a team that knows Python and
// is new to both frameworks, show in those).
func answerMatters(rs *rules.Ruleset, q *rules.Question) bool {
	id := q.ID
	backgrounds := []rules.Answers{everyFirstOption(rs), everyLastNonUnsure(rs)}
	r := rand.New(rand.NewPCG(5, 6))
	for range 50 {
		backgrounds = append(backgrounds, rulestest.Random(rs, r))
	}
	for _, bg := range backgrounds {
		seen := map[string]bool{}
		for _, o := range q.Options {
			a := clone(bg)
			a[id] = choiceOf(q, o.ID)
			ev, err := rs.Evaluate(a)
			if err != nil {
				continue
			}
			seen[strings.Join(firedRules(ev), ",")] = true
		}
		if len(seen) > 1 {
			return true
		}
	}
	return false
}

func everyFirstOption(rs *rules.Ruleset) rules.Answers {
	a := rules.Answers{}
	for _, q := range rs.Questions() {
		a[q.ID] = choiceOf(q, q.Options[0].ID)
	}
	return a
}

func everyLastNonUnsure(rs *rules.Ruleset) rules.Answers {
	a := rules.Answers{}
	for _, q := range rs.Questions() {
		for i := len(q.Options) - 1; i >= 0; i-- {
			if !q.Options[i].Unsure && !q.Options[i].Exclusive {
				a[q.ID] = choiceOf(q, q.Options[i].ID)
				break
			}
		}
	}
	return a
}

func clone(a rules.Answers) rules.Answers {
	out := make(rules.Answers, len(a))
	for k, v := range a {
		out[k] = v
	}
	return out
}
