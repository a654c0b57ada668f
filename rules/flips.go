package rules

import (
	"cmp"
	"slices"
)

// flips finds every change to a single answer that would change the
// recommendation: choosing another option of a single-choice question, or
// adding or removing one option of a multiple-choice one (an exclusive option
// such as "none of these" replaces the others). Changing an answer to "not
// sure" is no change of mind about the project, so it is not listed. Only the
// slots whose rules read the changed question are recounted, so the whole
// analysis costs about one evaluation.
func (rs *Ruleset) flips(m []uint64, t *tally, rec Side) []Flip {
	out := []Flip{}
	now := make([]int8, len(rs.compiled)) // −1 unknown, else whether a rule fires after the change
	for i := range now {
		now[i] = -1
	}
	for qi, q := range rs.questions {
		if q.NoteOnly {
			continue
		}
		cur := m[qi]
		for oi := range q.Options {
			bit := uint64(1) << oi
			if bit == q.unsure {
				continue
			}
			next := bit
			if q.Multiple && cur != 0 && q.exclusive&bit == 0 {
				next = (cur &^ q.exclusive) ^ bit
			}
			if next == cur || next == 0 {
				continue
			}
			sc := rs.scoresWith(m, qi, next, t, now)
			if got := rs.decide(sc); got != rec {
				out = append(out, Flip{Question: q.ID, Answer: q.choice(next), Recommendation: got, Scores: sc})
			}
		}
	}
	// The changes that move the score most come first: on a tie thirty flips
	// are possible, and a person reads the first few. Equal ones keep the
	// questionnaire's order.
	slices.SortStableFunc(out, func(a, b Flip) int {
		return cmp.Compare(b.Shift(t.scores), a.Shift(t.scores))
	})
	return out
}

// scoresWith is the scores if question qi were answered next instead. now is
// scratch space of −1s, one per rule, left as it was found.
func (rs *Ruleset) scoresWith(m []uint64, qi int, next uint64, t *tally, now []int8) Scores {
	s := t.scores
	cur := m[qi]
	m[qi] = next
	for _, ri := range rs.readBy[qi] {
		now[ri] = 0
		if rs.compiled[ri].fires(m) {
			now[ri] = 1
		}
	}
	m[qi] = cur
	for _, sl := range rs.slotsReadBy[qi] {
		before, after := 0, 0
		if b := t.best[sl]; b >= 0 {
			before = rs.compiled[b].weight
		}
		for _, ri := range rs.slotRules[sl] {
			f := t.fired[ri]
			if now[ri] >= 0 {
				f = now[ri] == 1
			}
			if w := rs.compiled[ri].weight; f && w > after {
				after = w
			}
		}
		s.add(sideOf(sl), after-before)
	}
	for _, ri := range rs.readBy[qi] {
		now[ri] = -1
	}
	return s
}

func sideOf(slot int) Side {
	if slot%2 == 1 {
		return NodeJS
	}
	return Django
}
