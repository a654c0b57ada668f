package rules

import (
	"fmt"
	"strings"
)

// Confidence is how far a recommendation can be trusted.
type Confidence string

const (
	High   Confidence = "high"
	Medium Confidence = "medium"
	Low    Confidence = "low"
)

// confidence asks whether the result could be overturned, rather than how
// many answers are open: low when one changed answer would do it (or it is a
// tie), medium when only the open answers together could, or when the team
// does not know the recommended side's language, high when nothing could.
// ev must already have its recommendation, open answers and flips.
func (rs *Ruleset) confidence(m []uint64, t *tally, ev *Evaluation) (Confidence, string) {
	rec := ev.Recommendation
	open := len(ev.Unanswered) + len(ev.Unsure)
	// A side the team cannot write is said in every sentence that recommends it.
	var unknown string
	if g, ok := rs.gate(rec); ok && !g.met(m) {
		unknown = fmt.Sprintf("your team does not know %s (or is not sure), which %s needs", g.Language, rec.Name())
	}
	switch {
	case rec == Tie && len(ev.Flips) > 0:
		return Low, fmt.Sprintf("Low: the two sides are too close to call; %s would decide it.", count(len(ev.Flips), "single changed answer", "single changed answers"))
	case rec == Tie:
		return Low, "Low: the two sides are too close to call."
	case len(ev.Flips) > 0:
		what := "one changed answer could change this"
		if len(ev.Flips) > 1 {
			what = fmt.Sprintf("any of %d changed answers could change this", len(ev.Flips))
		}
		if unknown != "" {
			what += ", and " + unknown
		}
		return Low, "Low: " + what + "."
	}
	var buts []string
	if open > 0 && rs.openCouldOverturn(m, t, rec) {
		what := fmt.Sprintf("your %d open answers could if they went the other way", open)
		if open == 1 {
			what = "your one open answer could if it went the other way"
		}
		buts = append(buts, what)
	}
	if unknown != "" {
		buts = append(buts, unknown)
	}
	switch {
	case len(buts) > 0:
		return Medium, "Medium: no single answer could change this, but " + strings.Join(buts, ", and ") + "."
	case open == 1:
		return High, "High: no single answer could change this, not even your one open answer."
	case open > 1:
		return High, fmt.Sprintf("High: no single answer, and none of your %d open answers, could change this.", open)
	}
	return High, "High: no single answer could change this."
}

func (rs *Ruleset) gate(side Side) (Gate, bool) {
	for _, g := range rs.Decision.Gates {
		if g.Side == side {
			return g, true
		}
	}
	return Gate{}, false
}

// met tells whether the answers say the team knows the language.
func (g Gate) met(m []uint64) bool {
	for _, c := range g.knows {
		if m[c.question]&c.mask != 0 {
			return true
		}
	}
	return false
}

// Knows tells whether the answers say the team knows side's language; a
// side without a gate asks nothing.
func (rs *Ruleset) Knows(side Side, a Answers) (bool, error) {
	m, err := rs.masks(a)
	if err != nil {
		return false, err
	}
	g, ok := rs.gate(side)
	return !ok || g.met(m), nil
}

// openCouldOverturn bounds what the open answers ("not sure" or missing)
// could do if each went the worst way for rec: the recommended side keeps only
// the rules no open answer can switch off, and the other side gains every rule
// an open answer could switch on. The bound ignores that one open answer
// cannot satisfy two rules that want different options, so it errs towards
// "could", never the other way.
func (rs *Ruleset) openCouldOverturn(m []uint64, t *tally, rec Side) bool {
	isOpen := func(qi int) bool { return m[qi] == 0 || m[qi] == rs.questions[qi].unsure }
	var worst Scores
	for sl, ris := range rs.slotRules {
		side, w := sideOf(sl), 0
		for _, ri := range ris {
			r := &rs.compiled[ri]
			var counts bool
			if side == rec {
				counts = t.fired[ri] && !r.anyOpen(r.none, isOpen)
			} else {
				counts = t.fired[ri] || r.couldFire(m, isOpen)
			}
			if counts && r.weight > w {
				w = r.weight
			}
		}
		worst.add(side, w)
	}
	return rs.decide(worst) != rec
}

func (r *compiledRule) anyOpen(cs []clause, isOpen func(int) bool) bool {
	for _, c := range cs {
		if isOpen(c.question) {
			return true
		}
	}
	return false
}

// couldFire tells whether some answers to the open questions would make the rule fire.
func (r *compiledRule) couldFire(m []uint64, isOpen func(int) bool) bool {
	for _, c := range r.all {
		if !isOpen(c.question) && m[c.question]&c.mask == 0 {
			return false
		}
	}
	for _, c := range r.none {
		if !isOpen(c.question) && m[c.question]&c.mask != 0 {
			return false
		}
	}
	if len(r.any) == 0 {
		return true
	}
	for _, c := range r.any {
		if isOpen(c.question) || m[c.question]&c.mask != 0 {
			return true
		}
	}
	return false
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
