package form

import "unicode/utf8"

// maxDecisionName keeps a decision's name to a title's length: it heads the
// result page, its preview card and the decision record.
const maxDecisionName = 80

// DecisionName checks the optional name of a decision given when a result
// is saved ("Booking platform v2"): the name as text() leaves it ("" for
// none), or a sentence saying what to change.
func DecisionName(name string) (string, string) {
	name, problem := text("name of the decision", name, false)
	switch {
	case problem != "":
		return "", problem
	case utf8.RuneCountInString(name) > maxDecisionName:
		return "", "Keep the name of the decision to one line of at most 80 characters."
	}
	return name, ""
}
