package workshop

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"stackfit/rules"
	"stackfit/rules/rulestest"
)

// The expected values are worked by hand: H = -Σ p·log2 p, divided by
// log2(number of options).
func TestEntropy(t *testing.T) {
	tests := []struct {
		counts []int
		want   float64
	}{
		{[]int{4, 0, 0, 0}, 0},          // everyone agrees
		{[]int{2, 2, 0, 0}, 0.5},        // 1 bit of 2
		{[]int{1, 1, 1, 1}, 1},          // evenly spread
		{[]int{3, 1}, 0.811},            // 0.75·0.415 + 0.25·2 = 0.811 bits of 1
		{[]int{2, 1, 1, 0}, 0.75},       // 0.5·1 + 2·0.25·2 = 1.5 bits of 2
		{[]int{3, 1, 0, 0}, 0.406},      // 0.811 bits of 2
		{[]int{1, 0, 0}, 0},             // one answer cannot disagree
		{[]int{0, 0, 0}, 0},             // nobody answered
		{[]int{5}, 0},                   // a single option
		{[]int{1, 1, 1}, 1},             // evenly spread over three
		{[]int{2, 1, 0}, 0.579},         // 0.918 bits of log2 3 = 1.585
		{[]int{50, 50, 0, 0, 0}, 0.431}, // 1 bit of log2 5 = 2.322
	}
	for _, tt := range tests {
		if got := round3(Entropy(tt.counts)); got != tt.want {
			t.Errorf("Entropy(%v) = %v, want %v", tt.counts, got, tt.want)
		}
	}
}

func TestSummarizeQuestion(t *testing.T) {
	rs := rulestest.Builtin(t)
	tests := []struct {
		name         string
		question     string
		answers      []string // one per person; "" leaves the question unanswered
		distribution map[string]int
		unanswered   int
		disagreement float64
		team         []string // nil: no team answer
	}{
		{"all agree", "python", []string{"strong", "strong", "strong"},
			map[string]int{"strong": 3, "some": 0, "none": 0, "not_sure": 0}, 0, 0, []string{"strong"}},
		{"three to one", "python", []string{"strong", "strong", "some", "strong"},
			map[string]int{"strong": 3, "some": 1, "none": 0, "not_sure": 0}, 0, 0.406, []string{"strong"}},
		{"a tie is not sure", "python", []string{"strong", "some", "some", "strong"},
			map[string]int{"strong": 2, "some": 2, "none": 0, "not_sure": 0}, 0, 0.5, []string{"not_sure"}},
		{"a tie without a not-sure option is no answer", "experience", []string{"django", "nodejs"},
			map[string]int{"django": 1, "nodejs": 1, "both": 0, "neither": 0}, 0, 0.5, nil},
		{"evenly spread", "python", []string{"strong", "some", "none", "not_sure"},
			map[string]int{"strong": 1, "some": 1, "none": 1, "not_sure": 1}, 0, 1, []string{"not_sure"}},
		{"unanswered are counted apart", "python", []string{"strong", "", "", "some", "strong"},
			map[string]int{"strong": 2, "some": 1, "none": 0, "not_sure": 0}, 2, 0.459, []string{"strong"}},
		{"one answer cannot disagree", "python", []string{"", "none"},
			map[string]int{"strong": 0, "some": 0, "none": 1, "not_sure": 0}, 1, 0, []string{"none"}},
		{"nobody answered", "python", []string{"", ""},
			map[string]int{"strong": 0, "some": 0, "none": 0, "not_sure": 0}, 2, 0, nil},
		// cms ticked by 3 of 4, each other option by 1 of 4: every ticked
		// option splits 3:1, H = 0.811, and only cms has a strict majority.
		{"multiple choice: a majority option", "packages", []string{"cms,captcha", "cms", "cms,validation", "none"},
			map[string]int{"cms": 3, "captcha": 1, "validation": 1, "api_toolkit": 0, "realtime_libs": 0, "frontend_tooling": 0, "none": 1, "not_sure": 0},
			0, 0.811, []string{"cms"}},
		// Each ticked option splits 1:1, and half is not a majority.
		{"multiple choice: no majority is not sure", "packages", []string{"cms", "none"},
			map[string]int{"cms": 1, "captcha": 0, "validation": 0, "api_toolkit": 0, "realtime_libs": 0, "frontend_tooling": 0, "none": 1, "not_sure": 0},
			0, 1, []string{"not_sure"}},
		{"multiple choice: the same ticks agree", "packages", []string{"cms,captcha", "cms,captcha", ""},
			map[string]int{"cms": 2, "captcha": 2, "validation": 0, "api_toolkit": 0, "realtime_libs": 0, "frontend_tooling": 0, "none": 0, "not_sure": 0},
			1, 0, []string{"cms", "captcha"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rsp []Response
			for _, a := range tt.answers {
				r := Response{Answers: rules.Answers{}}
				if a != "" {
					r.Answers = rulestest.Answers(tt.question + "=" + a)
				}
				rsp = append(rsp, r)
			}
			sum, err := Summarize(rs, rsp)
			if err != nil {
				t.Fatal(err)
			}
			qs, ok := sum.Question(tt.question)
			if !ok {
				t.Fatalf("no summary of %s", tt.question)
			}
			if !reflect.DeepEqual(qs.Distribution, tt.distribution) {
				t.Errorf("distribution = %v, want %v", qs.Distribution, tt.distribution)
			}
			if qs.Unanswered != tt.unanswered {
				t.Errorf("unanswered = %d, want %d", qs.Unanswered, tt.unanswered)
			}
			if qs.Disagreement != tt.disagreement {
				t.Errorf("disagreement = %v, want %v", qs.Disagreement, tt.disagreement)
			}
			if !reflect.DeepEqual(qs.Team.Options, tt.team) {
				t.Errorf("team answer = %v, want %v", qs.Team.Options, tt.team)
			}
			if got, ok := sum.Team[tt.question]; ok != (tt.team != nil) || !reflect.DeepEqual(got.Options, tt.team) {
				t.Errorf("team answers hold %v (%v), want %v", got.Options, ok, tt.team)
			}
		})
	}
}

func TestSummarizeTeam(t *testing.T) {
	rs := rulestest.Builtin(t)
	djangoTeam := rulestest.Answers("python=strong", "javascript=none", "admin=central", "deadline=soon", "realtime=no")
	nodeTeam := rulestest.Answers("python=none", "javascript=strong", "realtime=core", "connections=thousands", "shared_code=yes")
	var rsp []Response
	for i, a := range []rules.Answers{djangoTeam, djangoTeam, nodeTeam} {
		ev, err := rs.Evaluate(a)
		if err != nil {
			t.Fatal(err)
		}
		rsp = append(rsp, Response{Name: string(rune('A' + i)), Answers: a, Evaluation: ev})
	}
	sum, err := Summarize(rs, rsp)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Responses != 3 {
		t.Errorf("responses = %d, want 3", sum.Responses)
	}
	// Two of three gave djangoTeam's answers, so on every question they
	// both answered the team answer is theirs.
	for q, c := range djangoTeam {
		if !reflect.DeepEqual(sum.Team[q].Options, c.Options) {
			t.Errorf("team answer to %s = %v, want %v", q, sum.Team[q].Options, c.Options)
		}
	}
	want, _ := rs.Evaluate(sum.Team)
	if !reflect.DeepEqual(sum.Evaluation, want) {
		t.Errorf("team evaluation differs from evaluating the team's answers")
	}
	if sum.Evaluation.Recommendation != rules.Django {
		t.Errorf("team recommendation = %s, want django", sum.Evaluation.Recommendation)
	}
	wantTally := Tally{Django: 2, NodeJS: 1}
	if rsp[0].Evaluation.Recommendation != rules.Django || rsp[2].Evaluation.Recommendation != rules.NodeJS {
		t.Fatalf("personas decide %s and %s; the test needs django and nodejs",
			rsp[0].Evaluation.Recommendation, rsp[2].Evaluation.Recommendation)
	}
	if sum.Individual != wantTally {
		t.Errorf("individual = %+v, want %+v", sum.Individual, wantTally)
	}
	ranked := sum.Ranked()
	for i := 1; i < len(ranked); i++ {
		if ranked[i].Disagreement > ranked[i-1].Disagreement {
			t.Fatalf("Ranked is not by disagreement: %s (%v) after %s (%v)",
				ranked[i].ID, ranked[i].Disagreement, ranked[i-1].ID, ranked[i-1].Disagreement)
		}
	}
	if ranked[0].Disagreement == 0 {
		t.Errorf("the most disputed question has no disagreement")
	}
}

func TestSummarizeEmpty(t *testing.T) {
	rs := rulestest.Builtin(t)
	sum, err := Summarize(rs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Responses != 0 || len(sum.Team) != 0 || sum.Individual != (Tally{}) {
		t.Errorf("empty workshop summary = %+v", sum)
	}
	if len(sum.Questions) != len(rs.Questions()) {
		t.Errorf("%d question summaries, want one per question (%d)", len(sum.Questions), len(rs.Questions()))
	}
	scoring := 0
	for _, q := range rs.Questions() {
		if !q.NoteOnly {
			scoring++
		}
	}
	if sum.Evaluation == nil || len(sum.Evaluation.Unanswered) != scoring {
		t.Errorf("an empty team should leave every question that scores unanswered, got %+v", sum.Evaluation)
	}
	// Ranked keeps questionnaire order when nobody differs.
	for i, q := range sum.Ranked() {
		if q.ID != rs.Questions()[i].ID {
			t.Fatalf("Ranked()[%d] = %s, want %s", i, q.ID, rs.Questions()[i].ID)
		}
	}
}

func TestSummarizeRejectsBadAnswers(t *testing.T) {
	rs := rulestest.Builtin(t)
	_, err := Summarize(rs, []Response{
		{Name: "Ana", Answers: rulestest.Answers("python=strong")},
		{Name: "Bo", Answers: rulestest.Answers("python=fluent")},
	})
	if err == nil || !strings.Contains(err.Error(), `participant 2 ("Bo")`) || !strings.Contains(err.Error(), "python") {
		t.Errorf("error = %v, want one naming participant 2 and the question", err)
	}
}

func TestAgreement(t *testing.T) {
	rs := rulestest.Builtin(t)
	python, _ := rs.Question("python")
	packages, _ := rs.Question("packages")
	tests := []struct {
		q        *rules.Question
		team     rules.Choice
		answer   rules.Choice
		answered bool
		want     string
	}{
		{python, rules.One("strong"), rules.One("strong"), true, "agrees"},
		{python, rules.One("strong"), rules.One("some"), true, "differs"},
		{python, rules.One("strong"), rules.One("not_sure"), true, "unsure"},
		{python, rules.One("not_sure"), rules.One("not_sure"), true, "unsure"},
		{python, rules.One("strong"), rules.Choice{}, false, "unanswered"},
		{python, rules.Choice{}, rules.One("some"), true, "differs"},
		{packages, rules.Many("cms", "captcha"), rules.Many("captcha", "cms"), true, "agrees"},
		{packages, rules.Many("cms", "captcha"), rules.Many("cms"), true, "differs"},
		{packages, rules.Many("cms"), rules.Many("not_sure"), true, "unsure"},
	}
	for _, tt := range tests {
		if got := Agreement(tt.q, tt.team, tt.answer, tt.answered); got != tt.want {
			t.Errorf("Agreement(%s, team %v, %v) = %s, want %s", tt.q.ID, tt.team.Options, tt.answer.Options, got, tt.want)
		}
	}
}

func randomResponses(tb testing.TB, rs *rules.Ruleset, r *rand.Rand, n int) []Response {
	tb.Helper()
	out := make([]Response, n)
	for i := range out {
		a := rulestest.Random(rs, r)
		ev, err := rs.Evaluate(a)
		if err != nil {
			tb.Fatalf("generated answers are invalid: %v", err)
		}
		out[i] = Response{Answers: a, Evaluation: ev}
	}
	return out
}

func TestSummarizeProperties(t *testing.T) {
	rs := rulestest.Builtin(t)
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 7))
		rsp := randomResponses(t, rs, r, 1+r.IntN(40))
		sum, err := Summarize(rs, rsp)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if _, err := rs.Check(sum.Team); err != nil {
			t.Fatalf("seed %d: the team's answers are not valid answers: %v", seed, err)
		}
		again, _ := Summarize(rs, rsp)
		if !reflect.DeepEqual(sum, again) {
			t.Fatalf("seed %d: summarizing the same responses twice differs", seed)
		}
		tally := sum.Individual.Django + sum.Individual.NodeJS + sum.Individual.Tie
		if tally != len(rsp) {
			t.Fatalf("seed %d: individual tally %d, want %d", seed, tally, len(rsp))
		}
		for _, qs := range sum.Questions {
			if qs.Disagreement < 0 || qs.Disagreement > 1 || math.IsNaN(qs.Disagreement) {
				t.Fatalf("seed %d: %s disagreement %v outside [0, 1]", seed, qs.ID, qs.Disagreement)
			}
			n := 0
			for _, c := range qs.Distribution {
				n += c
			}
			if len(qs.Distribution) != len(qs.Question.Options) {
				t.Fatalf("seed %d: %s distribution lacks options: %v", seed, qs.ID, qs.Distribution)
			}
			if !qs.Question.Multiple && n+qs.Unanswered != len(rsp) {
				t.Fatalf("seed %d: %s counts %d answers + %d unanswered, want %d people", seed, qs.ID, n, qs.Unanswered, len(rsp))
			}
			if qs.Question.Multiple && (n < len(rsp)-qs.Unanswered) {
				t.Fatalf("seed %d: %s counts %d ticks from %d people who answered", seed, qs.ID, n, len(rsp)-qs.Unanswered)
			}
		}
	}
}

func BenchmarkSummarize300(b *testing.B) {
	rs := rulestest.Builtin(b)
	rsp := randomResponses(b, rs, rand.New(rand.NewPCG(1, 2)), 300)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Summarize(rs, rsp); err != nil {
			b.Fatal(err)
		}
	}
}
