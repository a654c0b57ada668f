package rules

import (
	"math"
	"slices"
	"strconv"
	"strings"
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
	// Unsure lists the questions answered "not sure"; with Unanswered they are
	// the open answers that confidence weighs.
	Unsure []string `json:"unsure"`
	// ConfidenceReason says in one sentence why the confidence is what it is.
	ConfidenceReason string `json:"confidence_reason"`
	// Notes are remarks beyond the document's claims; they never score.
	Notes []Note `json:"notes"`
}

// Note is a remark "not covered by the document" that an answer brings up.
type Note struct {
	Question string `json:"question"`
	Text     string `json:"text"`
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

// Percent is side's share of the total score in whole percent, as Shares
// rounds it, so the two sides' percentages always add up to 100.
func (s Scores) Percent(side Side) int {
	d, n := s.Shares()
	switch side {
	case Django:
		return d
	case NodeJS:
		return n
	}
	return 0
}

// MarshalJSON writes the scores with the shares in whole percent as the
// pages show them ({"django": 3, "nodejs": 5, "percent": {"django": 37,
// "nodejs": 63}}), so a client of the API need not round them differently.
// Reading ignores "percent": it follows from the scores.
// Written by hand: an evaluation holds one Scores per flip, and a nested
// json.Marshal for each doubled the cost of encoding a tie's evaluation.
func (s Scores) MarshalJSON() ([]byte, error) {
	d, n := s.Shares()
	b := make([]byte, 0, 64)
	b = append(b, `{"django":`...)
	b = strconv.AppendInt(b, int64(s.Django), 10)
	b = append(b, `,"nodejs":`...)
	b = strconv.AppendInt(b, int64(s.NodeJS), 10)
	b = append(b, `,"percent":{"django":`...)
	b = strconv.AppendInt(b, int64(d), 10)
	b = append(b, `,"nodejs":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, "}}"...), nil
}

// Shares is the one rounding rule for the two sides' shares of the score,
// used wherever a percentage is shown: the larger share is rounded half up
// and the smaller is what is left of 100. Rounding each share on its own
// gave 63 % and 38 % for 5 to 3; this way every pair adds up to 100, the
// same scores always give the same figures, and swapping the sides swaps the
// figures. 50/50 when nothing fired.
func (s Scores) Shares() (django, nodejs int) {
	total := s.Django + s.NodeJS
	if total <= 0 {
		return 50, 50
	}
	// floor(100·x/total + ½) in integers: no float can round 62.5 down.
	half := func(x int) int { return (200*x + total) / (2 * total) }
	if s.NodeJS > s.Django {
		n := half(s.NodeJS)
		return 100 - n, n
	}
	d := half(s.Django)
	return d, 100 - d
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
	// Topic is the claim the reason counts for; a topic counts once per side.
	Topic string `json:"topic"`
	// Criteria and Quotes are every sentence of the document behind the
	// reason; Criterion and Quote keep the first of them.
	Criteria []string `json:"criteria"`
	Quotes   []string `json:"quotes"`
}

// Flip is one change to one answer that would change the recommendation.
type Flip struct {
	Question       string `json:"question"`
	Answer         Choice `json:"answer"`
	Recommendation Side   `json:"recommendation"`
	// Scores are the scores after the change; flips are ranked by how far
	// they move the shares (Shift). Evaluations stored before they existed
	// carry zeros.
	Scores Scores `json:"scores"`
}

// Shift is how far the flip moves the two sides' shares from the scores
// before it, as a fraction of the whole: 0.25 when Django's share goes from
// 40 % to 65 %. Flips stored without their scores shift 0.
func (f Flip) Shift(from Scores) float64 {
	if f.Scores.Django+f.Scores.NodeJS == 0 {
		return 0
	}
	return math.Abs(share(f.Scores) - share(from))
}

// share is Django's exact share of the score, one half when nothing scored.
func share(s Scores) float64 {
	total := s.Django + s.NodeJS
	if total == 0 {
		return 0.5
	}
	return float64(s.Django) / float64(total)
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
	criteria []int // indexes into Criteria, the first one's side and topic are the rule's
	topic    int
	slot     int
	favours  Side
	weight   int
	all      []clause
	any      []clause
	none     []clause
	text     []segment
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

// Evaluate checks the answers and decides, with reasons, the answer changes
// that would change the outcome, and a confidence that says whether any
// answer could. The same answers and ruleset version always give the same
// evaluation.
func (rs *Ruleset) Evaluate(a Answers) (*Evaluation, error) {
	m, err := rs.masks(a)
	if err != nil {
		return nil, err
	}
	return rs.evaluateMasks(m), nil
}

func (rs *Ruleset) evaluateMasks(m []uint64) *Evaluation {
	ev, t := rs.decideMasks(m)
	ev.Flips = rs.flips(m, &t, ev.Recommendation)
	ev.Confidence, ev.ConfidenceReason = rs.confidence(m, &t, ev)
	return ev
}

// decideMasks is the plain evaluation: the recommendation, its reasons, the
// open answers and the notes, without the flips and the confidence that
// follow from trying other answers.
func (rs *Ruleset) decideMasks(m []uint64) (*Evaluation, tally) {
	t := rs.tally(m)
	ev := &Evaluation{Ruleset: rs.Version, Scores: t.scores, Recommendation: rs.decide(t.scores)}
	ev.Reasons = rs.reasons(m, &t)
	ev.Unanswered, ev.Unsure = rs.open(m)
	ev.Notes = rs.notes(m)
	return ev, t
}

// tally is what the rules make of a set of answers: which fired, and which
// rule counts for each slot (a topic's side).
type tally struct {
	fired  []bool
	best   []int // slot → the counted rule, −1 for none
	scores Scores
}

func (rs *Ruleset) tally(m []uint64) tally {
	t := tally{fired: make([]bool, len(rs.compiled)), best: make([]int, len(rs.slotRules))}
	for sl := range t.best {
		t.best[sl] = -1
	}
	for i := range rs.compiled {
		r := &rs.compiled[i]
		if !r.fires(m) {
			continue
		}
		t.fired[i] = true
		// The weightiest rule of a slot counts; of equal ones, the first in the file.
		if b := t.best[r.slot]; b < 0 || r.weight > rs.compiled[b].weight {
			t.best[r.slot] = i
		}
	}
	for _, b := range t.best {
		if b >= 0 {
			t.scores.add(rs.compiled[b].favours, rs.compiled[b].weight)
		}
	}
	return t
}

// reasons renders the counted rules, strongest first.
func (rs *Ruleset) reasons(m []uint64, t *tally) []Reason {
	n, size := 0, 0
	for i := range rs.compiled {
		if t.best[rs.compiled[i].slot] == i {
			n++
			size += rs.compiled[i].textSize(rs, m)
		}
	}
	// All texts go into one buffer sized up front and are sliced out of it:
	// one allocation instead of a growing builder per reason.
	var buf strings.Builder
	buf.Grow(size)
	out := make([]Reason, 0, n)
	start := 0
	for i := range rs.compiled {
		r := &rs.compiled[i]
		if t.best[r.slot] != i {
			continue
		}
		rs.render(&buf, r.text, m)
		rule := &rs.Rules[i]
		quotes := make([]string, len(r.criteria))
		for j, ci := range r.criteria {
			quotes[j] = rs.Criteria[ci].Quote
		}
		out = append(out, Reason{
			Rule:      rule.ID,
			Criterion: rule.Criterion,
			Favours:   r.favours,
			Weight:    r.weight,
			Quote:     quotes[0],
			Text:      buf.String()[start:],
			Topic:     rule.Topic,
			Criteria:  rule.Criteria,
			Quotes:    quotes,
		})
		start = buf.Len()
	}
	// Strongest first; rules of equal weight keep the ruleset's order.
	slices.SortStableFunc(out, func(a, b Reason) int { return b.Weight - a.Weight })
	return out
}

// open lists the scoring questions left unanswered and those answered "not sure".
func (rs *Ruleset) open(m []uint64) (unanswered, unsure []string) {
	unanswered, unsure = []string{}, []string{}
	for qi, q := range rs.questions {
		switch {
		case q.NoteOnly: // they never score, so they leave nothing open
		case m[qi] == 0:
			unanswered = append(unanswered, q.ID)
		case m[qi] == q.unsure:
			unsure = append(unsure, q.ID)
		}
	}
	return unanswered, unsure
}

// notes are what the note-only questions bring up, in questionnaire order.
func (rs *Ruleset) notes(m []uint64) []Note {
	out := []Note{}
	for qi, q := range rs.questions {
		if !q.NoteOnly {
			continue
		}
		for b := m[qi]; b != 0; b &= b - 1 {
			if o := q.Options[trailingZeros(b)]; o.Note != "" {
				out = append(out, Note{Question: q.ID, Text: o.Note})
			}
		}
	}
	return out
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
	case s.Django == s.NodeJS || margin(s) < rs.Decision.TieMargin:
		return Tie
	case s.Django > s.NodeJS:
		return Django
	}
	return NodeJS
}
