package rules

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

type rawRule struct {
	ID        string   `yaml:"id"`
	Criterion string   `yaml:"criterion"`
	Criteria  []string `yaml:"criteria"`
	Weight    int      `yaml:"weight"`
	Why       string   `yaml:"why"`
	When      struct {
		All  yaml.Node `yaml:"all"`
		Any  yaml.Node `yaml:"any"`
		None yaml.Node `yaml:"none"`
	} `yaml:"when"`
	Text string `yaml:"text"`
}

func (l *loader) criteria(rs *Ruleset, nodes []yaml.Node) {
	seen := map[string]int{}
	for i := range nodes {
		n := &nodes[i]
		var c Criterion
		var rc struct {
			ID, Favours, Topic, Quote, Note string
		}
		if !l.decode(n, "criterion", &rc, "id", "favours", "topic", "quote", "note") || !l.checkID(n.Line, "criterion", rc.ID, seen) {
			continue
		}
		what := fmt.Sprintf("criterion %q", rc.ID)
		c = Criterion{ID: rc.ID, Favours: Side(rc.Favours), Topic: rc.Topic, Quote: rc.Quote, Note: rc.Note, Rules: []string{}, line: n.Line}
		if c.Favours != Django && c.Favours != NodeJS {
			l.errorf(n.Line, what, "favours must be django or nodejs, not %q", rc.Favours)
		}
		c.topic = -1
		if ti, ok := rs.topicAt[c.Topic]; ok {
			c.topic = ti
		} else if strings.TrimSpace(c.Topic) == "" {
			l.errorf(n.Line, what, "missing topic")
		} else {
			l.errorf(n.Line, what, "unknown topic %q", c.Topic)
		}
		if strings.TrimSpace(c.Quote) == "" {
			l.errorf(n.Line, what, "missing quote: the document's own words")
		}
		rs.criterionAt[c.ID] = len(rs.Criteria)
		rs.Criteria = append(rs.Criteria, c)
	}
}

func (l *loader) rules(rs *Ruleset, nodes []yaml.Node) {
	seen := map[string]int{}
	rs.readBy = make([][]int, len(rs.questions))
	for i := range nodes {
		n := &nodes[i]
		var rr rawRule
		if !l.decode(n, "rule", &rr, "id", "criterion", "criteria", "weight", "why", "when", "text") || !l.checkID(n.Line, "rule", rr.ID, seen) {
			continue
		}
		what := fmt.Sprintf("rule %q", rr.ID)
		cis, ok := l.ruleCriteria(rs, n.Line, what, &rr)
		if rr.Weight < 1 || rr.Weight > 100 {
			l.errorf(n.Line, what, "weight must be a whole number from 1 to 100, not %d", rr.Weight)
		}
		if strings.TrimSpace(rr.Why) == "" {
			l.errorf(n.Line, what, "missing why: say in a few words why the rule weighs what it does")
		}
		cr := compiledRule{weight: rr.Weight}
		before := len(l.errs)
		cr.all = l.clauses(rs, &rr.When.All, what+" when.all")
		cr.any = l.clauses(rs, &rr.When.Any, what+" when.any")
		cr.none = l.clauses(rs, &rr.When.None, what+" when.none")
		// A bad clause already has its message; checks that build on the clauses would only echo it.
		if len(l.errs) == before {
			var err error
			if len(cr.all) == 0 && len(cr.any) == 0 {
				l.errorf(n.Line, what, "needs a condition: when.all or when.any")
			} else if cr.text, err = parseText(rr.Text, rs, cr.all); err != nil {
				l.errorf(n.Line, what, "text: %v", err)
			}
			for _, c := range slices.Concat(cr.all, cr.any, cr.none) {
				if q := rs.questions[c.question]; q.NoteOnly {
					l.errorf(n.Line, what, "question %q only brings up notes; a rule may not read it, so the score stays grounded in the document", q.ID)
				}
			}
		}
		if !ok {
			continue
		}
		first := &rs.Criteria[cis[0]]
		cr.favours = first.Favours
		cr.criteria = cis
		cr.topic = first.topic
		idx := len(rs.Rules)
		ids := make([]string, len(cis))
		for i, ci := range cis {
			rs.Criteria[ci].Rules = append(rs.Criteria[ci].Rules, rr.ID)
			ids[i] = rs.Criteria[ci].ID
		}
		qs := cr.questions()
		slices.Sort(qs)
		qs = slices.Compact(qs) // a rule may name a question twice (under all and none)
		reads := make([]string, len(qs))
		for i, q := range qs {
			rs.readBy[q] = append(rs.readBy[q], idx)
			reads[i] = rs.questions[q].ID
		}
		rs.Rules = append(rs.Rules, Rule{ID: rr.ID, Criterion: ids[0], Criteria: ids, Topic: rs.Topics[cr.topic].ID,
			Weight: rr.Weight, Why: rr.Why, Text: rr.Text, Reads: reads})
		rs.compiled = append(rs.compiled, cr)
	}
}

// ruleCriteria resolves the sentences a rule cites. They must favour one side
// and share one topic, since the rule counts for that topic on that side.
func (l *loader) ruleCriteria(rs *Ruleset, line int, what string, rr *rawRule) ([]int, bool) {
	ids := rr.Criteria
	switch {
	case rr.Criterion != "" && len(ids) > 0:
		l.errorf(line, what, "give criterion or criteria, not both")
		return nil, false
	case rr.Criterion != "":
		ids = []string{rr.Criterion}
	case len(ids) == 0:
		l.errorf(line, what, "missing criteria: the document's sentences behind the rule")
		return nil, false
	}
	var cis []int
	ok := true
	for _, id := range ids {
		ci, found := rs.criterionAt[id]
		switch {
		case !found:
			l.errorf(line, what, "unknown criterion %q", id)
			ok = false
		case rs.Criteria[ci].topic < 0:
			ok = false // its unknown topic has its message already
		case slices.Contains(cis, ci):
			l.errorf(line, what, "criterion %q cited twice", id)
			ok = false
		case len(cis) > 0 && rs.Criteria[ci].Favours != rs.Criteria[cis[0]].Favours:
			l.errorf(line, what, "criterion %q favours %s but %q favours %s: a rule counts for one side", id, rs.Criteria[ci].Favours, rs.Criteria[cis[0]].ID, rs.Criteria[cis[0]].Favours)
			ok = false
		case len(cis) > 0 && rs.Criteria[ci].topic != rs.Criteria[cis[0]].topic:
			l.errorf(line, what, "criterion %q is about %q but %q about %q: a rule counts for one topic", id, rs.Criteria[ci].Topic, rs.Criteria[cis[0]].ID, rs.Criteria[cis[0]].Topic)
			ok = false
		default:
			cis = append(cis, ci)
		}
	}
	return cis, ok && len(cis) > 0
}

// clauses compiles a condition block: a mapping of question id → list of option ids.
func (l *loader) clauses(rs *Ruleset, n *yaml.Node, what string) []clause {
	if n.Kind == 0 {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		l.errorf(n.Line, what, "expected a mapping of question id to a list of option ids")
		return nil
	}
	var out []clause
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		qi, ok := rs.questionAt[k.Value]
		if !ok {
			l.errorf(k.Line, what, "unknown question %q", k.Value)
			continue
		}
		q := rs.questions[qi]
		var ids []string
		if v.Kind != yaml.SequenceNode || v.Decode(&ids) != nil || len(ids) == 0 {
			l.errorf(v.Line, what, "question %q: expected a list of option ids, like [%s]", k.Value, q.Options[0].ID)
			continue
		}
		c := clause{question: qi}
		for _, id := range ids {
			oi, ok := q.optionAt[id]
			switch {
			case !ok:
				l.errorf(v.Line, what, "question %q has no option %q", k.Value, id)
			case q.Options[oi].Unsure:
				l.errorf(v.Line, what, "question %q: %q means \"not sure\", which lowers confidence and must not decide a rule", k.Value, id)
			default:
				c.mask |= 1 << oi
			}
		}
		out = append(out, c)
	}
	return out
}

// coverage insists that every criterion and every question takes part: a
// criterion no rule uses is a claim silently dropped, a question no rule reads
// wastes the time of everyone who answers it.
func (l *loader) coverage(rs *Ruleset) {
	for _, t := range rs.Topics {
		used := false
		for _, c := range rs.Criteria {
			used = used || c.Topic == t.ID
		}
		if !used {
			l.errorf(t.line, fmt.Sprintf("topic %q", t.ID), "no criterion is about it")
		}
	}
	for _, c := range rs.Criteria {
		if len(c.Rules) == 0 {
			l.errorf(c.line, fmt.Sprintf("criterion %q", c.ID), "no rule uses it")
		}
	}
	for qi, q := range rs.questions {
		if len(rs.readBy[qi]) == 0 && !q.NoteOnly {
			l.errorf(q.line, fmt.Sprintf("question %q", q.ID), "no rule reads it")
		}
	}
}
