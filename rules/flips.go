package rules

// flips finds every change to a single answer that would change the
// recommendation: choosing another option of a single-choice question, or
// adding or removing one option of a multiple-choice one (an exclusive option
// such as "not sure" replaces the others). Only the rules that read the changed
// question are re-run, so the whole analysis costs about one evaluation.
func (rs *Ruleset) flips(m []uint64, fired []bool, base Scores, rec Side) []Flip {
	out := []Flip{}
	for qi, q := range rs.questions {
		cur := m[qi]
		for oi := range q.Options {
			bit := uint64(1) << oi
			next := bit
			if q.Multiple && cur != 0 && q.exclusive&bit == 0 {
				next = (cur &^ q.exclusive) ^ bit
			}
			if next == cur || next == 0 {
				continue
			}
			if got := rs.decideWith(m, qi, next, fired, base); got != rec {
				out = append(out, Flip{Question: q.ID, Answer: q.choice(next), Recommendation: got})
			}
		}
	}
	return out
}

// decideWith is the recommendation if question qi were answered next instead.
func (rs *Ruleset) decideWith(m []uint64, qi int, next uint64, fired []bool, s Scores) Side {
	cur := m[qi]
	m[qi] = next
	for _, ri := range rs.readBy[qi] {
		r := &rs.compiled[ri]
		if now := r.fires(m); now != fired[ri] {
			if now {
				s.add(r.favours, r.weight)
			} else {
				s.add(r.favours, -r.weight)
			}
		}
	}
	m[qi] = cur
	return rs.decide(s)
}
