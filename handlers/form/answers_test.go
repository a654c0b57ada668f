package form

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"stackfit/rules"
	"stackfit/rules/rulestest"
)

func section(rs *rules.Ruleset, id string) []*rules.Question {
	for _, s := range rs.Sections {
		if s.ID == id {
			return s.Questions
		}
	}
	return nil
}

func TestAnswers(t *testing.T) {
	rs := rulestest.Builtin(t)
	tests := []struct {
		name     string
		section  string
		form     string
		answers  map[string][]string
		problems map[string]string // question → part of the message
	}{
		{"one answer", "team", "python=strong", map[string][]string{"python": {"strong"}}, nil},
		{"fields of other steps are ignored", "team", "python=none&admin=central&_csrf=x&nav=next",
			map[string][]string{"python": {"none"}}, nil},
		{"unknown option", "team", "python=guru&javascript=some",
			map[string][]string{"javascript": {"some"}}, map[string]string{"python": "Choose one of the options"}},
		{"two answers to a single choice", "team", "python=strong&python=none",
			nil, map[string]string{"python": "Choose one of the options"}},
		{"several boxes ticked", "ecosystem", "packages=cms&packages=captcha",
			map[string][]string{"packages": {"cms", "captcha"}}, nil},
		{"not sure with others", "ecosystem", "packages=cms&packages=not_sure",
			nil, map[string]string{"packages": "cannot be combined"}},
		{"empty value", "team", "python=", nil, map[string]string{"python": "Choose one of the options"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values, err := url.ParseQuery(tt.form)
			if err != nil {
				t.Fatal(err)
			}
			got, problems := Answers(rs, section(rs, tt.section), values)
			if len(got) != len(tt.answers) {
				t.Errorf("answers %v, want %v", got, tt.answers)
			}
			for q, want := range tt.answers {
				if !slices.Equal(got[q].Options, want) {
					t.Errorf("answer to %s: %v, want %v", q, got[q].Options, want)
				}
			}
			if len(problems) != len(tt.problems) {
				t.Fatalf("problems %+v, want %v", problems, tt.problems)
			}
			for _, p := range problems {
				if want, ok := tt.problems[p.Question]; !ok || !strings.Contains(p.Message, want) {
					t.Errorf("problem %+v, want %q", p, want)
				}
				if p.Text == "" {
					t.Errorf("problem with %s has no question text for the summary", p.Question)
				}
			}
		})
	}
}

func TestMissing(t *testing.T) {
	rs := rulestest.Builtin(t)
	got := Missing(section(rs, "ecosystem"), rules.Answers{"shared_code": rules.One("no")})
	var ids []string
	for _, p := range got {
		ids = append(ids, p.Question)
	}
	if want := []string{"packages", "architecture", "services"}; !slices.Equal(ids, want) {
		t.Fatalf("missing %v, want %v", ids, want)
	}
	if !strings.Contains(got[0].Message, "Tick at least one") || !strings.Contains(got[1].Message, "Not sure") {
		t.Errorf("messages %q, %q do not say how to answer", got[0].Message, got[1].Message)
	}
}

// FuzzAnswers posts arbitrary form bodies: reading them never panics, what is
// kept always passes the ruleset's check, and a question is either answered
// or has a problem, never both.
func FuzzAnswers(f *testing.F) {
	for _, s := range []string{"python=strong", "packages=cms&packages=not_sure", "python=%ff", "a=b&&c", "python=strong&python=strong"} {
		f.Add("team", s)
		f.Add("ecosystem", s)
	}
	rs := rulestest.Builtin(f)
	f.Fuzz(func(t *testing.T, sec, body string) {
		values, err := url.ParseQuery(body)
		if err != nil {
			return // net/http refuses such a body before it reaches us
		}
		qs := section(rs, sec)
		if qs == nil {
			qs = rs.Questions()
		}
		got, problems := Answers(rs, qs, values)
		if _, err := rs.Check(got); err != nil {
			t.Fatalf("kept answers fail the check: %v", err)
		}
		for _, p := range problems {
			if _, ok := got[p.Question]; ok {
				t.Fatalf("%s is both answered and a problem", p.Question)
			}
		}
		for q := range got {
			if !slices.ContainsFunc(qs, func(x *rules.Question) bool { return x.ID == q }) {
				t.Fatalf("kept an answer to %s, which is not on this step", q)
			}
		}
	})
}
