package rules

// EvaluatePlain is the plain evaluation (decideMasks) of checked answers,
// for the benchmark beside Evaluate: without flips and confidence.
func (rs *Ruleset) EvaluatePlain(a Answers) (*Evaluation, error) {
	m, err := rs.masks(a)
	if err != nil {
		return nil, err
	}
	ev, _ := rs.decideMasks(m)
	return ev, nil
}
