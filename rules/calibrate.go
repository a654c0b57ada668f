package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
)

// Limits are what a calibration report must show for a ruleset to pass.
type Limits struct {
	MinLean float64 `json:"min_lean"` // Django : Node.js recommendations, at least
	MaxLean float64 `json:"max_lean"` // and at most
	MinHigh float64 `json:"min_high"` // share of high-confidence results, at least
	MaxTie  float64 `json:"max_tie"`  // share of ties, at most
}

// DefaultLimits are the limits the built-in ruleset is held to.
var DefaultLimits = Limits{MinLean: 0.75, MaxLean: 1.33, MinHigh: 0.15, MaxTie: 0.25}

// Calibration is how a ruleset behaves over a seeded sample of fully answered
// sets. Its JSON is the public contract of `stackfit check-ruleset`.
type Calibration struct {
	Ruleset string `json:"ruleset"`
	Sample  int    `json:"sample"`
	Seed    uint64 `json:"seed"`
	// Outcomes are shares of the sample, and Lean is Django's count over Node.js's.
	Outcomes   Shares  `json:"outcomes"`
	Lean       float64 `json:"lean"`
	Confidence struct {
		High   float64 `json:"high"`
		Medium float64 `json:"medium"`
		Low    float64 `json:"low"`
	} `json:"confidence"`
	// HighOverturned counts high-confidence results that some single changed
	// answer overturns, found by trying every change, not by the flips.
	HighOverturned Check `json:"high_overturned"`
	// Monotonicity: moving an answer one step up its question's declared scale
	// must never lower that side's share of the score.
	Monotonicity Check `json:"monotonicity"`
	// Mirror: swapping the Python and JavaScript answers must swap the scores
	// of the mirrored topics and the gates.
	Mirror Check `json:"mirror"`
	// Determinism: the same answers, given twice in a fresh map, give the same JSON.
	Determinism Check    `json:"determinism"`
	Limits      Limits   `json:"limits"`
	Problems    []string `json:"problems"`
}

// Shares of a sample.
type Shares struct {
	Django float64 `json:"django"`
	NodeJS float64 `json:"nodejs"`
	Tie    float64 `json:"tie"`
}

// Check is one property over the sample: how often it was tried, how often it
// failed, and a few failures to replay (answers as JSON).
type Check struct {
	Checked    int      `json:"checked"`
	Violations int      `json:"violations"`
	Examples   []string `json:"examples"`
	Skipped    string   `json:"skipped,omitempty"` // why it could not be checked
}

const maxExamples = 3

func (c *Check) fail(format string, args ...any) {
	c.Violations++
	if len(c.Examples) < maxExamples {
		c.Examples = append(c.Examples, fmt.Sprintf(format, args...))
	}
}

// Calibrate evaluates n seeded random answer sets, each question answered with
// a uniformly random option other than "not sure" (a multiple-choice question
// with 1 to 3 random options, or its exclusive "none"), and checks the report
// against lim.
func (rs *Ruleset) Calibrate(n int, seed uint64, lim Limits) *Calibration {
	cal := &Calibration{Ruleset: rs.Version, Sample: n, Seed: seed, Limits: lim, Problems: []string{}}
	for _, c := range []*Check{&cal.HighOverturned, &cal.Monotonicity, &cal.Mirror, &cal.Determinism} {
		c.Examples = []string{}
	}
	if len(rs.Decision.Mirror) == 0 {
		cal.Mirror.Skipped = "the ruleset declares no decision.mirror"
	}
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	var outcomes [3]int // django, nodejs, tie
	var levels [3]int   // high, medium, low
	m := make([]uint64, len(rs.questions))
	for range n {
		rs.randomMasks(r, m)
		ev := rs.evaluateMasks(m)
		switch ev.Recommendation {
		case Django:
			outcomes[0]++
		case NodeJS:
			outcomes[1]++
		default:
			outcomes[2]++
		}
		switch ev.Confidence {
		case High:
			levels[0]++
			rs.checkOverturn(m, ev.Recommendation, &cal.HighOverturned)
		case Medium:
			levels[1]++
		default:
			levels[2]++
		}
		rs.checkMonotone(m, &cal.Monotonicity)
		if cal.Mirror.Skipped == "" {
			rs.checkMirror(m, &cal.Mirror)
		}
		rs.checkDeterminism(m, ev, &cal.Determinism)
	}
	share := func(k int) float64 { return float64(k) / float64(max(n, 1)) }
	cal.Outcomes = Shares{Django: share(outcomes[0]), NodeJS: share(outcomes[1]), Tie: share(outcomes[2])}
	if outcomes[1] > 0 {
		cal.Lean = float64(outcomes[0]) / float64(outcomes[1])
	}
	cal.Confidence.High, cal.Confidence.Medium, cal.Confidence.Low = share(levels[0]), share(levels[1]), share(levels[2])

	problem := func(format string, args ...any) { cal.Problems = append(cal.Problems, fmt.Sprintf(format, args...)) }
	if outcomes[1] == 0 || cal.Lean < lim.MinLean || cal.Lean > lim.MaxLean {
		problem("lean: Django %d to Node.js %d (%.2f), outside %.2f to %.2f", outcomes[0], outcomes[1], cal.Lean, lim.MinLean, lim.MaxLean)
	}
	if cal.Confidence.High < lim.MinHigh {
		problem("high confidence in %.1f%% of sets, below %.1f%%", 100*cal.Confidence.High, 100*lim.MinHigh)
	}
	if cal.Outcomes.Tie > lim.MaxTie {
		problem("ties in %.1f%% of sets, above %.1f%%", 100*cal.Outcomes.Tie, 100*lim.MaxTie)
	}
	for name, c := range map[string]*Check{"high_overturned": &cal.HighOverturned, "monotonicity": &cal.Monotonicity,
		"mirror": &cal.Mirror, "determinism": &cal.Determinism} {
		if c.Violations > 0 {
			problem("%s: %d violations", name, c.Violations)
		}
	}
	slices.Sort(cal.Problems)
	return cal
}

// randomMasks fills m with one random fully answered set.
func (rs *Ruleset) randomMasks(r *rand.Rand, m []uint64) {
	for qi, q := range rs.questions {
		var plain, exclusive []int
		for oi, o := range q.Options {
			switch {
			case o.Unsure:
			case o.Exclusive:
				exclusive = append(exclusive, oi)
			default:
				plain = append(plain, oi)
			}
		}
		if !q.Multiple {
			pick := append(plain, exclusive...)
			m[qi] = 1 << pick[r.IntN(len(pick))]
			continue
		}
		k := 1 + r.IntN(3)
		if len(exclusive) > 0 {
			k = r.IntN(4) // 0 stands for the exclusive "none"
		}
		if k == 0 {
			m[qi] = 1 << exclusive[r.IntN(len(exclusive))]
			continue
		}
		m[qi] = 0
		for _, i := range r.Perm(len(plain))[:min(k, len(plain))] {
			m[qi] |= 1 << plain[i]
		}
	}
}

// recommend is the recommendation alone, for the many what-ifs of a report.
func (rs *Ruleset) recommend(m []uint64) Side {
	t := rs.tally(m)
	return rs.decide(t.scores)
}

// checkOverturn tries every single change, as a person would make it, that is
// not "not sure".
func (rs *Ruleset) checkOverturn(m []uint64, rec Side, c *Check) {
	c.Checked++
	for qi, q := range rs.questions {
		cur := m[qi]
		for oi, o := range q.Options {
			if o.Unsure {
				continue
			}
			next := uint64(1) << oi
			if q.Multiple && !o.Exclusive && cur&q.exclusive == 0 {
				next = cur ^ next // tick or untick one box
			}
			if next == 0 || next == cur {
				continue
			}
			m[qi] = next
			got := rs.recommend(m)
			m[qi] = cur
			if got != rec {
				c.fail("%s: high confidence for %s, but %s=%s gives %s", rs.answersJSON(m), rec, q.ID, rs.questions[qi].choice(next).Options, got)
				return
			}
		}
	}
}

// checkMonotone moves each ordered answer one step toward its side.
func (rs *Ruleset) checkMonotone(m []uint64, c *Check) {
	base := rs.tally(m).scores
	for qi, q := range rs.questions {
		sc := q.scale
		if sc == nil {
			continue
		}
		cur := m[qi]
		at := -1
		for i, oi := range sc.options {
			if cur == 1<<oi {
				at = i
			}
		}
		if at < 0 || at == len(sc.options)-1 {
			continue
		}
		c.Checked++
		m[qi] = 1 << sc.options[at+1]
		moved := rs.tally(m).scores
		m[qi] = cur
		if shareOf(moved, sc.Toward) < shareOf(base, sc.Toward) {
			c.fail("%s: %s %s → %s lowers %s's share from %d:%d to %d:%d", rs.answersJSON(m), q.ID,
				q.Options[sc.options[at]].ID, q.Options[sc.options[at+1]].ID, sc.Toward.Name(),
				base.Of(sc.Toward), base.Of(sc.Toward.Other()), moved.Of(sc.Toward), moved.Of(sc.Toward.Other()))
		}
	}
}

// shareOf is side's exact share of the score, one half when nothing scored.
func shareOf(s Scores, side Side) float64 {
	total := s.Django + s.NodeJS
	if total == 0 {
		return 0.5
	}
	return float64(s.Of(side)) / float64(total)
}

// checkMirror swaps the mirrored answers and compares the mirrored topics.
func (rs *Ruleset) checkMirror(m []uint64, c *Check) {
	c.Checked++
	sw := rs.mirrored(m)
	a, b := rs.tally(m), rs.tally(sw)
	for ti, t := range rs.Topics {
		if !t.Mirrored {
			continue
		}
		if a.slotWeight(rs, slot(ti, Django)) != b.slotWeight(rs, slot(ti, NodeJS)) ||
			a.slotWeight(rs, slot(ti, NodeJS)) != b.slotWeight(rs, slot(ti, Django)) {
			c.fail("%s: topic %s scores %d:%d, its mirror %s scores %d:%d", rs.answersJSON(m), t.ID,
				a.slotWeight(rs, slot(ti, Django)), a.slotWeight(rs, slot(ti, NodeJS)), rs.answersJSON(sw),
				b.slotWeight(rs, slot(ti, NodeJS)), b.slotWeight(rs, slot(ti, Django)))
			return
		}
	}
	dj, nj := rs.gateMet(Django, m), rs.gateMet(NodeJS, m)
	if dj != rs.gateMet(NodeJS, sw) || nj != rs.gateMet(Django, sw) {
		c.fail("%s: the gates do not mirror", rs.answersJSON(m))
	}
}

func (rs *Ruleset) gateMet(side Side, m []uint64) bool {
	g, ok := rs.gate(side)
	return !ok || g.met(m)
}

func (t *tally) slotWeight(rs *Ruleset, sl int) int {
	if b := t.best[sl]; b >= 0 {
		return rs.compiled[b].weight
	}
	return 0
}

// mirrored swaps the answers paired in decision.mirror.
func (rs *Ruleset) mirrored(m []uint64) []uint64 {
	out := append([]uint64(nil), m...)
	for _, p := range rs.Decision.Mirror {
		a, b := p[0], p[1]
		if a.option < 0 {
			out[a.question], out[b.question] = m[b.question], m[a.question]
		}
	}
	for _, p := range rs.Decision.Mirror {
		a, b := p[0], p[1]
		if a.option >= 0 {
			out[a.question] = swapBit(out[a.question], a, b)
			if b.question != a.question {
				out[b.question] = swapBit(out[b.question], b, a)
			}
		}
	}
	return out
}

// swapBit moves the bit of end from into the place of end to, within one question's mask.
func swapBit(mask uint64, from, to mirrorEnd) uint64 {
	if from.question != to.question {
		return mask // an option paired across questions is swapped with the whole answer
	}
	fb, tb := uint64(1)<<from.option, uint64(1)<<to.option
	hasF, hasT := mask&fb != 0, mask&tb != 0
	mask &^= fb | tb
	if hasF {
		mask |= tb
	}
	if hasT {
		mask |= fb
	}
	return mask
}

func (rs *Ruleset) checkDeterminism(m []uint64, ev *Evaluation, c *Check) {
	c.Checked++
	a := rs.answers(m)
	again, err := rs.Evaluate(a)
	first, _ := json.Marshal(ev)
	second, _ := json.Marshal(again)
	if err != nil || !bytes.Equal(first, second) {
		c.fail("%s: two evaluations differ", rs.answersJSON(m))
	}
}

func (rs *Ruleset) answers(m []uint64) Answers {
	a := Answers{}
	for qi, q := range rs.questions {
		if m[qi] != 0 {
			a[q.ID] = q.choice(m[qi])
		}
	}
	return a
}

func (rs *Ruleset) answersJSON(m []uint64) string {
	data, _ := json.Marshal(Request{Answers: rs.answers(m)})
	return string(data)
}
