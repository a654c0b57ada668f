package record_test

import (
	"bytes"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"stackfit/record"
	"stackfit/rules"
	"stackfit/rules/rulestest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// decision evaluates the answers with the built-in ruleset, as the handlers do.
func decision(t *testing.T, a rules.Answers) record.Decision {
	t.Helper()
	rs, err := rules.Builtin()
	if err != nil {
		t.Fatalf("built-in ruleset: %v", err)
	}
	ev, err := rs.Evaluate(a)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return record.Decision{
		Date:       time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC),
		Link:       "https://stackfit.example/r/abc123",
		Ruleset:    rs,
		Answers:    a,
		Evaluation: ev,
	}
}

type testCase struct {
	name   string
	golden string
	make   func(t *testing.T) record.Decision
}

var cases = []testCase{
	{
		name: "individual, Django", golden: "django",
		make: func(t *testing.T) record.Decision {
			// A Python team on a tight deadline building an admin-heavy site
			// with some data science, with three questions left open.
			return decision(t, rulestest.Answers("python=strong", "javascript=some", "experience=django", "learning=days",
				"admin=central", "api=no", "realtime=no", "frontend=pages", "data=some", "size=medium",
				"users=thousands", "connections=few", "spikes=no", "auth=roles", "sensitive=not_sure",
				"deadline=soon", "team_size=small", "budget=tight", "packages=cms", "shared_code=no",
				"architecture=conventions", "services=one", "ml=yes", "hiring=python"))
		},
	},
	{
		name: "tie", golden: "tie",
		make: func(t *testing.T) record.Decision {
			// A Python team that needs a live dashboard for many connections,
			// moved to the nearest tie if the ruleset does not call it one.
			d := decision(t, nearestTie(t, rulestest.Answers("python=strong", "javascript=some", "experience=django", "learning=weeks",
				"admin=some", "api=some", "realtime=core", "frontend=spa", "data=lots", "size=medium",
				"users=thousands", "connections=thousands", "spikes=yes", "auth=basic", "sensitive=no", "compliance=no",
				"deadline=later", "team_size=medium", "budget=generous", "packages=realtime_libs", "shared_code=no",
				"architecture=not_sure", "services=one")))
			d.Title = "Backend for the\nlive dashboard"
			return d
		},
	},
	{
		name: "workshop", golden: "workshop",
		make: func(t *testing.T) record.Decision {
			d := decision(t, rulestest.Answers("python=none", "javascript=strong", "experience=nodejs", "learning=weeks",
				"admin=no", "api=some", "realtime=core", "frontend=spa", "data=little", "size=medium",
				"users=millions", "connections=thousands", "spikes=yes", "auth=basic", "sensitive=no", "compliance=no",
				"deadline=months", "team_size=medium", "budget=generous", "packages=realtime_libs", "shared_code=yes",
				"architecture=freedom", "services=several"))
			d.Title = "Chat backend"
			d.Context = "We are replacing the old PHP chat.\r\nIt must handle the evening peak.\r\n\r\n\r\nDecided at the March workshop."
			d.Consulted = []string{"Ann \"the boss\": CTO", "Bob", "Chloé # ops"}
			d.Discussion = []record.Point{
				{Question: "python", Summary: "3 × Not at all, 2 × A little", Disagreement: 0.48},
				{Question: "realtime", Summary: "4 × at the heart,\n1 × a few", Disagreement: 0.2},
				{Question: "gone", Summary: "a question this ruleset no longer has", Disagreement: 1.5},
			}
			return d
		},
	},
	{
		name: "stored before confidence reasons", golden: "stored",
		make: func(t *testing.T) record.Decision {
			// A result stored by an earlier stackfit: no confidence_reason,
			// unsure, notes, or sentences beyond the first per reason.
			d := decision(t, rulestest.Answers("python=some", "javascript=strong", "realtime=core", "sensitive=not_sure", "cpu=yes"))
			ev := *d.Evaluation
			ev.ConfidenceReason, ev.Unsure, ev.Notes = "", nil, nil
			ev.Reasons = slices.Clone(ev.Reasons)
			for i := range ev.Reasons {
				ev.Reasons[i].Topic, ev.Reasons[i].Criteria, ev.Reasons[i].Quotes = "", nil, nil
			}
			d.Evaluation = &ev
			return d
		},
	},
}

// nearestTie returns a, or if the built-in ruleset does not call it a tie,
// the first answer set one changed answer away that it does: the tie record
// keeps covering its branch whatever the weights.
func nearestTie(t *testing.T, a rules.Answers) rules.Answers {
	t.Helper()
	rs := rulestest.Builtin(t)
	isTie := func(a rules.Answers) bool {
		ev, err := rs.Evaluate(a)
		return err == nil && ev.Recommendation == rules.Tie && len(ev.Reasons) > 0
	}
	if isTie(a) {
		return a
	}
	for _, q := range rs.Questions() {
		for _, o := range q.Options {
			try := maps.Clone(a)
			try[q.ID] = rules.Choice{Options: []string{o.ID}, Multiple: q.Multiple}
			if isTie(try) {
				return try
			}
		}
	}
	t.Fatal("no tie within one changed answer of the tie persona")
	return nil
}

func TestGolden(t *testing.T) {
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.make(t)
			got := record.Markdown(d)
			path := filepath.Join("testdata", tt.golden+".golden.md")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./record -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Markdown differs from %s (run go test ./record -update and review the diff):\n%s", path, got)
			}
		})
	}
}

// The sections of the MADR 4 template, in order.
var headings = []string{
	"## Context and Problem Statement",
	"## Decision Drivers",
	"## Considered Options",
	"## Decision Outcome",
	"### Consequences",
	"## Pros and Cons of the Options",
	"### Django",
	"### Node.js",
	"## More Information",
}

func TestStructure(t *testing.T) {
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.make(t)
			md := string(record.Markdown(d))

			at := 0
			for _, h := range headings {
				i := strings.Index(md[at:], "\n"+h+"\n")
				if i < 0 {
					t.Fatalf("no %q after byte %d", h, at)
				}
				at += i + 1
			}

			fm := frontMatter(t, md)
			for _, l := range strings.Split(strings.TrimSpace(fm), "\n") {
				if _, v, _ := strings.Cut(l, ": "); !strings.HasPrefix(v, `"`) && !strings.HasPrefix(l, "  - \"") && l != "consulted:" {
					t.Errorf("front matter line %q is not a quoted value", l)
				}
			}
			var meta struct {
				Status    string   `yaml:"status"`
				Date      string   `yaml:"date"`
				Consulted []string `yaml:"consulted"`
			}
			if err := yaml.Unmarshal([]byte(fm), &meta); err != nil {
				t.Fatalf("front matter is not YAML: %v\n%s", err, fm)
			}
			// Made by a tool, a record is a proposal until the team accepts it.
			status := "proposed"
			if meta.Status != status || meta.Date != "2026-03-14" || !slices.Equal(meta.Consulted, d.Consulted) {
				t.Errorf("front matter gives %+v, want status %q, date 2026-03-14, consulted %q", meta, status, d.Consulted)
			}
			if strings.Contains(fm, "consulted") != (len(d.Consulted) > 0) {
				t.Errorf("consulted should be there only with participants:\n%s", fm)
			}

			title := d.Title
			if title == "" {
				title = record.DefaultTitle
			}
			if want := "\n# " + strings.Join(strings.Fields(title), " ") + "\n"; !strings.Contains(md, want) {
				t.Errorf("no title line %q", want)
			}
			if strings.Contains(md, "\r") || !strings.HasSuffix(md, "\n") || strings.HasSuffix(md, "\n\n") {
				t.Errorf("a carriage return, or not exactly one newline at the end: %q", md[max(0, len(md)-40):])
			}
			for _, must := range []string{`"Django vs NodeJS"`, d.Link, d.Evaluation.Ruleset} {
				if !strings.Contains(md, must) {
					t.Errorf("no %q", must)
				}
			}
			if strings.Contains(md, "### Discussion points") != (len(d.Discussion) > 0) {
				t.Error("Discussion points should be there exactly when the workshop disagreed")
			}
			if strings.Contains(md, "### What would change this") != (len(d.Evaluation.Flips) > 0) {
				t.Error("What would change this should be there exactly when there are flips")
			}
		})
	}
}

func TestNameInOneValue(t *testing.T) {
	tests := []struct{ name string }{
		{`Ann "the boss": CTO`},
		{"Bob\nstatus: rejected"},
		{`C:\temp # not a comment`},
		{"- [x]: {y}"},
		{"\x00\xff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decision(t, rules.Answers{})
			d.Consulted = []string{tt.name, "Zoe"}
			fm := frontMatter(t, string(record.Markdown(d)))
			var meta map[string]any
			if err := yaml.Unmarshal([]byte(fm), &meta); err != nil {
				t.Fatalf("front matter is not YAML: %v\n%s", err, fm)
			}
			got, _ := meta["consulted"].([]any)
			if len(got) != 2 || got[1] != "Zoe" || meta["status"] != "proposed" || len(meta) != 3 {
				t.Errorf("front matter %q parsed as %#v", fm, meta)
			}
			if want := strings.ToValidUTF8(tt.name, "\uFFFD"); want == tt.name && got[0] != tt.name {
				t.Errorf("name came back as %q", got[0])
			}
		})
	}
}

// frontMatter is the YAML between the opening and closing "---".
func frontMatter(t *testing.T, md string) string {
	t.Helper()
	rest, ok := strings.CutPrefix(md, "---\n")
	if !ok {
		t.Fatalf("the record does not start with front matter: %q", md[:min(40, len(md))])
	}
	fm, _, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		t.Fatal("the front matter does not end")
	}
	return fm + "\n"
}

// TestExplanations reads each record as a team lead would: every reason once,
// with one sentence of the document that its text does not already quote; the confidence in the evaluation's
// words; the open answers by question; notes beyond the document apart; and
// no sentence that repeats an answer inside itself.
func TestExplanations(t *testing.T) {
	rs := rulestest.Builtin(t)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.make(t)
			ev := d.Evaluation
			md := string(record.Markdown(d))

			for _, r := range ev.Reasons {
				// The text as written after "Good, because ": its first letter may be lowered.
				_, size := utf8.DecodeRuneInString(r.Text)
				text := strings.TrimSuffix(r.Text, ".")[size:]
				if n := strings.Count(md, text); n != 1 {
					t.Errorf("reason %s is written %d times, want once: %q", r.Rule, n, text)
				}
				// One sentence of the document, not already quoted in the reason's text, and said once.
				quotes := r.Quotes
				if len(quotes) == 0 {
					quotes = []string{r.Quote}
				}
				bullet := md[strings.Index(md, text):]
				bullet, _, _ = strings.Cut(bullet, "\n")
				fresh := slices.ContainsFunc(quotes, func(q string) bool { return !strings.Contains(text, q) })
				cited := 0
				for _, q := range quotes {
					if strings.Contains(bullet, strconv.Quote(q)) {
						cited++
						if fresh && strings.Contains(text, q) {
							t.Errorf("reason %s cites %q, which its text already quotes", r.Rule, q)
						}
					}
				}
				if cited != 1 {
					t.Errorf("reason %s cites %d sentences of the document, want one: %s", r.Rule, cited, bullet)
				}
			}

			outcome := between(md, "## Decision Outcome", "### Consequences")
			if _, rest, ok := strings.Cut(ev.ConfidenceReason, ": "); ok {
				if !strings.Contains(outcome, rest) {
					t.Errorf("the outcome does not say why the confidence is %s (%q):\n%s", ev.Confidence, ev.ConfidenceReason, outcome)
				}
			} else if ev.ConfidenceReason == "" && ev.Recommendation != rules.Tie && !strings.Contains(outcome, "Confidence: "+string(ev.Confidence)+".") {
				t.Errorf("an evaluation without a confidence sentence should state the level:\n%s", outcome)
			}

			left := between(md, "Left open", "## Considered Options")
			for _, id := range slices.Concat(ev.Unanswered, ev.Unsure) {
				q, _ := rs.Question(id)
				if !strings.Contains(left, "* "+q.Text+" — ") {
					t.Errorf("open answer %s is not listed under Left open", id)
				}
			}

			notes := between(md, "### Not covered by the document", "\n#")
			if (notes != "") != (len(ev.Notes) > 0) {
				t.Errorf("a section of notes beyond the document: %v; notes: %d", notes != "", len(ev.Notes))
			}
			for _, n := range ev.Notes {
				if !strings.Contains(notes, "* "+n.Text) {
					t.Errorf("note of %s missing: %q", n.Question, n.Text)
				}
			}

			// A label of some length twice in one line is a stutter such as
			// "A single-page app (“A single-page app (React…)”)".
			for _, l := range strings.Split(md, "\n") {
				for _, q := range rs.Questions() {
					for _, o := range q.Options {
						if utf8.RuneCountInString(o.Label) >= 12 && strings.Count(l, o.Label) > 1 {
							t.Errorf("the line repeats %q:\n%s", o.Label, l)
						}
					}
				}
			}
		})
	}
}

// between is the part of s from the first from up to the next to after it, or "".
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	rest := s[i:]
	if j := strings.Index(rest[len(from):], to); j >= 0 {
		return rest[:len(from)+j]
	}
	return rest
}
