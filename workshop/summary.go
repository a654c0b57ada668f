package workshop

import (
	"fmt"
	"math"
	"slices"

	"stackfit/rules"
)

// Response is one participant's submitted answers and their evaluation.
type Response struct {
	Name       string
	Answers    rules.Answers
	Evaluation *rules.Evaluation
}

// QuestionSummary is how the team answered one question. Its JSON is part of
// the public contract of GET /api/v1/workshops/{code}/summary.
type QuestionSummary struct {
	ID string `json:"id"`
	// Distribution counts, for every option of the question (zeros included),
	// the people who chose it. On a multiple-choice question a person counts
	// once for every option they ticked.
	Distribution map[string]int `json:"distribution"`
	Unanswered   int            `json:"unanswered"`
	// Disagreement runs from 0 (everyone who answered agrees) to 1 (answers
	// spread evenly over every option): see Entropy.
	Disagreement float64 `json:"disagreement"`

	// Team is the team's combined answer; no options when there is none.
	Team     rules.Choice    `json:"-"`
	Question *rules.Question `json:"-"`
}

// Tally counts the participants' own recommendations.
type Tally struct {
	Django int `json:"django"`
	NodeJS int `json:"nodejs"`
	Tie    int `json:"tie"`
}

// Summary is what a workshop's responses add up to.
type Summary struct {
	Responses int
	// Questions in questionnaire order.
	Questions []QuestionSummary
	// Team holds the team's combined answers and Evaluation their evaluation.
	Team       rules.Answers
	Evaluation *rules.Evaluation
	Individual Tally
}

// Summarize adds up the responses. The team's answer to a single-choice
// question is the most common one; a tie for most common becomes the
// question's "not sure" option (or no answer when it has none), so a split
// team lowers confidence instead of being decided by who answered first. On
// a multiple-choice question the team ticks the options a strict majority of
// those who answered ticked; when there is none, "not sure" as above.
func Summarize(rs *rules.Ruleset, responses []Response) (Summary, error) {
	qs := rs.Questions()
	sum := Summary{Responses: len(responses), Team: rules.Answers{}, Questions: make([]QuestionSummary, len(qs))}
	for i, r := range responses {
		if _, err := rs.Check(r.Answers); err != nil {
			return Summary{}, fmt.Errorf("participant %d (%q): %w", i+1, r.Name, err)
		}
		if r.Evaluation != nil {
			switch r.Evaluation.Recommendation {
			case rules.Django:
				sum.Individual.Django++
			case rules.NodeJS:
				sum.Individual.NodeJS++
			default:
				sum.Individual.Tie++
			}
		}
	}
	for i, q := range qs {
		s := summarizeQuestion(q, responses)
		if len(s.Team.Options) > 0 {
			sum.Team[q.ID] = s.Team
		}
		sum.Questions[i] = s
	}
	ev, err := rs.Evaluate(sum.Team)
	if err != nil {
		// The team answers are built from valid options only; failing here is a bug.
		return Summary{}, fmt.Errorf("evaluating the team's answers: %w", err)
	}
	sum.Evaluation = ev
	return sum, nil
}

func summarizeQuestion(q *rules.Question, responses []Response) QuestionSummary {
	s := QuestionSummary{ID: q.ID, Question: q, Distribution: make(map[string]int, len(q.Options))}
	counts := make([]int, len(q.Options))
	answered := 0
	for _, r := range responses {
		c, ok := r.Answers[q.ID]
		if !ok || len(c.Options) == 0 {
			s.Unanswered++
			continue
		}
		answered++
		for i, o := range q.Options {
			if c.Has(o.ID) {
				counts[i]++
			}
		}
	}
	for i, o := range q.Options {
		s.Distribution[o.ID] = counts[i]
	}
	if q.Multiple {
		s.Disagreement = round3(multiEntropy(counts, answered))
		s.Team = majority(q, counts, answered)
	} else {
		s.Disagreement = round3(Entropy(counts))
		s.Team = mostCommon(q, counts)
	}
	return s
}

// Entropy is the Shannon entropy of the counts divided by its maximum,
// log(len(counts)): 0 when everyone chose the same option, 1 when the
// answers spread evenly over every option. Fewer than two answers give 0.
func Entropy(counts []int) float64 {
	total := 0
	for _, n := range counts {
		total += n
	}
	if total < 2 || len(counts) < 2 {
		return 0
	}
	h := 0.0
	for _, n := range counts {
		if n > 0 {
			p := float64(n) / float64(total)
			h -= p * math.Log(p)
		}
	}
	return h / math.Log(float64(len(counts)))
}

// multiEntropy is the disagreement on a multiple-choice question: for each
// option someone ticked, the entropy of ticked vs not ticked among those who
// answered, averaged over those options.
func multiEntropy(counts []int, answered int) float64 {
	if answered < 2 {
		return 0
	}
	total, n := 0.0, 0
	for _, c := range counts {
		if c > 0 {
			total += Entropy([]int{c, answered - c})
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return total / float64(n)
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func mostCommon(q *rules.Question, counts []int) rules.Choice {
	best, at, tied := 0, -1, false
	for i, n := range counts {
		switch {
		case n > best:
			best, at, tied = n, i, false
		case n == best && n > 0:
			tied = true
		}
	}
	if at < 0 {
		return rules.Choice{}
	}
	if tied {
		return unsure(q)
	}
	return rules.One(q.Options[at].ID)
}

func majority(q *rules.Question, counts []int, answered int) rules.Choice {
	if answered == 0 {
		return rules.Choice{}
	}
	var picked []string
	for i, n := range counts {
		if 2*n > answered {
			picked = append(picked, q.Options[i].ID)
		}
	}
	if len(picked) == 0 {
		return unsure(q)
	}
	return rules.Many(picked...)
}

// unsure is the question's "not sure" answer, or none when it has no such option.
func unsure(q *rules.Question) rules.Choice {
	for _, o := range q.Options {
		if o.Unsure {
			return rules.Choice{Options: []string{o.ID}, Multiple: q.Multiple}
		}
	}
	return rules.Choice{}
}

// Ranked lists the questions by disagreement, most first; equal ones keep
// questionnaire order.
func (s Summary) Ranked() []QuestionSummary {
	out := slices.Clone(s.Questions)
	slices.SortStableFunc(out, func(a, b QuestionSummary) int {
		switch {
		case a.Disagreement > b.Disagreement:
			return -1
		case a.Disagreement < b.Disagreement:
			return 1
		}
		return 0
	})
	return out
}

// Question returns the summary of one question.
func (s Summary) Question(id string) (QuestionSummary, bool) {
	for _, q := range s.Questions {
		if q.ID == id {
			return q, true
		}
	}
	return QuestionSummary{}, false
}

// Agreement classes one person's answer against the team's, for the heat map:
// "unanswered", "unsure" (the person chose "not sure"), "agrees" (the same
// answer as the team) or "differs".
func Agreement(q *rules.Question, team, answer rules.Choice, answered bool) string {
	if !answered || len(answer.Options) == 0 {
		return "unanswered"
	}
	if q != nil && isUnsure(q, answer) {
		return "unsure"
	}
	if sameOptions(team, answer) {
		return "agrees"
	}
	return "differs"
}

func isUnsure(q *rules.Question, c rules.Choice) bool {
	if len(c.Options) != 1 {
		return false
	}
	for _, o := range q.Options {
		if o.ID == c.Options[0] {
			return o.Unsure
		}
	}
	return false
}

func sameOptions(a, b rules.Choice) bool {
	if len(a.Options) != len(b.Options) {
		return false
	}
	for _, o := range a.Options {
		if !b.Has(o) {
			return false
		}
	}
	return true
}
