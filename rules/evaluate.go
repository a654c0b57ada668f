package rules

import (
	"math"
	"slices"
	"strings"
)

// Confidence is how far a recommendation can be trusted.
type Confidence string

const (
	High   Confidence = "high"
	Medium Confidence = "medium"
	Low    Confidence = "low"
)

// Evaluation is what stackfit decides for a set of answers. Its JSON is the
// public contract of `stackfit evaluate` and POST /api/v1/evaluate.
type Evaluation struct {
	Ruleset        string     `json:"ruleset"`
	Recommendation Side       `json:"recommendation"`
	Confidence     Confidence `json:"confidence"`
	Scores         Scores     `json:"scores"`
	Reasons        []Reason   `json:"reasons"`
	Flips          []Flip     `json:"flips"`
	Unanswered     []string   `json:"unanswered"`
}

type Scores struct {
	Django int `json:"django"`
	NodeJS int `json:"nodejs"`
}

// Of returns the score of one side.
func (s Scores) Of(side Side) int {
	switch side {
	case Django:
		return s.Django
	case NodeJS:
		return s.NodeJS
	}
	return 0
}

// Percent is side's share of the total score, 50 when nothing fired.
func (s Scores) Percent(side Side) int {
	total := s.Django + s.NodeJS
	if total == 0 {
		return 50
	}
	return int(math.Round(100 * float64(s.Of(side)) / float64(total)))
}

// Reason is a rule that fired: why a side gained weight, in the person's terms
// and in the document's words.
type Reason struct {
	Rule      string `json:"rule"`
	Criterion string `json:"criterion"`
	Favours   Side   `json:"favours"`
	Weight    int    `json:"weight"`
	Quote     string `json:"quote"`
	Text      string `json:"text"`
}

// Flip is one change to one answer that would change the recommendation.
type Flip struct {
	Question       string `json:"question"`
	Answer         Choice `json:"answer"`
	Recommendation Side   `json:"recommendation"`
}

// ReasonsFor lists the reasons that favour side, strongest first.
func (e *Evaluation) ReasonsFor(side Side) []Reason {
	var out []Reason
	for _, r := range e.Reasons {
		if r.Favours == side {
			out = append(out, r)
		}
	}
	return out
}

type clause struct {
	question int
	mask     uint64
}

type compiledRule struct {
	criterion int
	favours   Side
	weight    int
	all       []clause
	any       []clause
	none      []clause
	text      []segment
}

func (r *compiledRule) fires(m []uint64) bool {
	for _, c := range r.all {
		if m[c.question]&c.mask == 0 {
			return false
		}
	}
	if len(r.any) > 0 {
		hit := false
		for _, c := range r.any {
			if m[c.question]&c.mask != 0 {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	for _, c := range r.none {
		if m[c.question]&c.mask != 0 {
			return false
		}
	}
	return true
}

func (r *compiledRule) questions() []int {
	var qs []int
	for _, group := range [][]clause{r.all, r.any, r.none} {
		for _, c := range group {
			qs = append(qs, c.question)
		}
	}
	return qs
}

// Evaluate checks the answers and decides, with reasons and the answer changes
// that would change the outcome. The same answers and ruleset version always
// give the same evaluation.
func (rs *Ruleset) Evaluate(a Answers) (*Evaluation, error) {
	m, err := rs.masks(a)
	if err != nil {
		return nil, err
	}
	ev, fired := rs.evaluate(m)
	ev.Flips = rs.flips(m, fired, ev.Scores, ev.Recommendation)
	return ev, nil
}

// Lean is Evaluate without the flip analysis: the current leaning, for the
// panel that follows a person through the questionnaire.
func (rs *Ruleset) Lean(a Answers) (*Evaluation, error) {
	m, err := rs.masks(a)
	if err != nil {
		return nil, err
	}
	ev, _ := rs.evaluate(m)
	ev.Flips = []Flip{}
	return ev, nil
}

func (rs *Ruleset) evaluate(m []uint64) (*Evaluation, []bool) {
	ev := &Evaluation{Ruleset: rs.Version}
	fired := make([]bool, len(rs.compiled))
	n, size := 0, 0
	for i := range rs.compiled {
		r := &rs.compiled[i]
		if r.fires(m) {
			fired[i] = true
			ev.Scores.add(r.favours, r.weight)
			n++
			size += r.textSize(rs, m)
		}
	}
	// All texts go into one buffer sized up front and are sliced out of it:
	// one allocation instead of a growing builder per reason.
	var buf strings.Builder
	buf.Grow(size)
	ends := make([]int, 0, n)
	for i := range rs.compiled {
		if fired[i] {
			rs.render(&buf, rs.compiled[i].text, m)
			ends = append(ends, buf.Len())
		}
	}
	texts := buf.String()
	ev.Reasons = make([]Reason, 0, n)
	start := 0
	for i := range rs.compiled {
		if !fired[i] {
			continue
		}
		r := &rs.compiled[i]
		c := &rs.Criteria[r.criterion]
		end := ends[len(ev.Reasons)]
		ev.Reasons = append(ev.Reasons, Reason{
			Rule:      rs.Rules[i].ID,
			Criterion: c.ID,
			Favours:   c.Favours,
			Weight:    r.weight,
			Quote:     c.Quote,
			Text:      texts[start:end],
		})
		start = end
	}
	// Strongest first; rules of equal weight keep the ruleset's order.
	slices.SortStableFunc(ev.Reasons, func(a, b Reason) int { return b.Weight - a.Weight })

	uncertain, unanswered := 0, 0
	for qi, q := range rs.questions {
		if m[qi] == 0 {
			unanswered++
		} else if m[qi] == q.unsure {
			uncertain++
		}
	}
	ev.Unanswered = make([]string, 0, unanswered)
	for qi, q := range rs.questions {
		if m[qi] == 0 {
			ev.Unanswered = append(ev.Unanswered, q.ID)
		}
	}
	uncertain += unanswered
	ev.Recommendation = rs.decide(ev.Scores)
	ev.Confidence = rs.confidence(ev.Recommendation, ev.Scores, float64(uncertain)/float64(len(rs.questions)))
	return ev, fired
}

func (s *Scores) add(side Side, w int) {
	if side == Django {
		s.Django += w
	} else {
		s.NodeJS += w
	}
}

// margin is the lead of one side as a share of both scores: 0 for an even
// split or no score at all, 1 when only one side scored.
func margin(s Scores) float64 {
	total := s.Django + s.NodeJS
	if total == 0 {
		return 0
	}
	d := s.Django - s.NodeJS
	if d < 0 {
		d = -d
	}
	return float64(d) / float64(total)
}

func (rs *Ruleset) decide(s Scores) Side {
	switch {
	case margin(s) < rs.Decision.TieMargin || s.Django == s.NodeJS:
		return Tie
	case s.Django > s.NodeJS:
		return Django
	}
	return NodeJS
}

func (rs *Ruleset) confidence(rec Side, s Scores, uncertain float64) Confidence {
	if rec == Tie {
		return Low
	}
	mg := margin(s)
	switch d := rs.Decision; {
	case mg >= d.High.MinMargin && uncertain <= d.High.MaxUncertain:
		return High
	case mg >= d.Medium.MinMargin && uncertain <= d.Medium.MaxUncertain:
		return Medium
	}
	return Low
}
