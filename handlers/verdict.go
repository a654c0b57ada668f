package handlers

import "stackfit/rules"

// verdictView is an evaluation as a person reads it: on a result page and
// on a workshop's board for the team.
type verdictView struct {
	Ev        *rules.Evaluation
	Headline  string // "Django recommended"
	Summary   string
	Scores    scoreView
	Primary   sideView // the recommended side (Django for a tie)
	Secondary sideView
	Notes     []noteView
}

// scoreView holds the two shares of the score bar, summing to 100.
type scoreView struct {
	Django, NodeJS int
}

func scores(s rules.Scores) scoreView {
	d, n := s.Shares()
	return scoreView{Django: d, NodeJS: n}
}

func (s *Server) verdict(ev *rules.Evaluation) verdictView {
	v := verdictView{Ev: ev, Scores: scores(ev.Scores), Summary: summary(ev)}
	primary := ev.Recommendation
	switch primary {
	case rules.Tie:
		v.Headline = "Too close to call"
		primary = rules.Django
		v.Primary = side(ev, rules.Django, "What speaks for Django")
	default:
		v.Headline = primary.Name() + " recommended"
		v.Primary = side(ev, primary, "Why "+primary.Name())
	}
	other := primary.Other()
	v.Secondary = side(ev, other, "What speaks for "+other.Name())
	for _, n := range ev.Notes {
		nv := noteView{Question: n.Question, Text: n.Text}
		if q, ok := s.rules.Question(n.Question); ok {
			nv.Question = q.Text
		}
		v.Notes = append(v.Notes, nv)
	}
	return v
}

type sideView struct {
	Side    rules.Side
	Title   string
	Reasons []reasonView
	// Top are the strongest reasons, shown at once; More the rest, one
	// click away, so the result answers in one screen.
	Top, More []reasonView
}

// topReasons is how many reasons of a side the result shows before "more".
const topReasons = 3

// reasonView is one reason with every sentence of the document behind it.
type reasonView struct {
	Text     string
	Weight   int
	Strength string // the weight in words: "strong"
	Quotes   []quoteView
}

// strength says a reason's weight in words; a raw "(weight 3)" meant
// nothing to a reader. The ruleset's weights run from 1 to 4.
func strength(weight int) string {
	switch {
	case weight <= 1:
		return "slight"
	case weight == 2:
		return "moderate"
	case weight == 3:
		return "strong"
	}
	return "very strong"
}

// quoteView is one of the document's sentences; Criterion anchors it on /how.
type quoteView struct{ Criterion, Text string }

// noteView is a remark beyond the document, with the question that raised it.
type noteView struct{ Question, Text string }

func side(ev *rules.Evaluation, sd rules.Side, title string) sideView {
	v := sideView{Side: sd, Title: title}
	for _, r := range ev.ReasonsFor(sd) {
		v.Reasons = append(v.Reasons, reasonView{Text: r.Text, Weight: r.Weight, Strength: strength(r.Weight), Quotes: quotes(r)})
	}
	v.Top, v.More = v.Reasons[:min(topReasons, len(v.Reasons))], v.Reasons[min(topReasons, len(v.Reasons)):]
	return v
}

// quotes pairs a reason's sentences with their criteria. Results stored
// before reasons had several sentences carry only Quote and Criterion.
func quotes(r rules.Reason) []quoteView {
	if len(r.Quotes) == 0 {
		return []quoteView{{Criterion: r.Criterion, Text: r.Quote}}
	}
	out := make([]quoteView, len(r.Quotes))
	for i, q := range r.Quotes {
		out[i] = quoteView{Criterion: r.Criterion, Text: q}
		if len(r.Criteria) == len(r.Quotes) {
			out[i].Criterion = r.Criteria[i]
		}
	}
	return out
}

func summary(ev *rules.Evaluation) string {
	d, n := len(ev.ReasonsFor(rules.Django)), len(ev.ReasonsFor(rules.NodeJS))
	s := "Django " + itoa(ev.Scores.Percent(rules.Django)) + "% · Node.js " + itoa(ev.Scores.Percent(rules.NodeJS)) + "%: " +
		itoa(d) + " " + plural(d, "reason", "reasons") + " for Django, " + itoa(n) + " for Node.js, from the document Django vs NodeJS."
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
