package rules

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

type rawDecision struct {
	TieMargin  *float64  `yaml:"tie_margin"`
	Confidence yaml.Node `yaml:"confidence"`
	Gate       yaml.Node `yaml:"gate"`
	Mirror     yaml.Node `yaml:"mirror"`
}

type rawGate struct {
	Language string    `yaml:"language"`
	Knows    yaml.Node `yaml:"knows"`
}

type rawTopic struct {
	ID       string `yaml:"id"`
	Title    string `yaml:"title"`
	Mirrored bool   `yaml:"mirrored"`
}

func (l *loader) decision(rs *Ruleset, n *yaml.Node) {
	if n.Kind == 0 {
		l.errorf(1, "", "missing \"decision\" (tie_margin and the gate)")
		return
	}
	var d rawDecision
	if !l.decode(n, "decision", &d, "tie_margin", "confidence", "gate", "mirror") {
		return
	}
	if d.Confidence.Kind != 0 {
		l.errorf(d.Confidence.Line, "decision", "confidence thresholds are gone: confidence now comes from whether an answer could overturn the result; remove decision.confidence")
	}
	switch {
	case d.TieMargin == nil:
		l.errorf(n.Line, "decision", "missing tie_margin")
	case *d.TieMargin < 0 || *d.TieMargin >= 1:
		l.errorf(n.Line, "decision", "tie_margin must be at least 0 and below 1, not %v", *d.TieMargin)
	default:
		rs.Decision.TieMargin = *d.TieMargin
	}
	l.gates(rs, &d.Gate)
	l.mirror(rs, &d.Mirror)
}

// gates reads, for each side, what counts as the team knowing its language.
func (l *loader) gates(rs *Ruleset, n *yaml.Node) {
	if n.Kind == 0 {
		l.errorf(1, "decision", "missing gate: say for django and nodejs which answers mean the team knows the language")
		return
	}
	var raw map[string]yaml.Node
	if !l.decode(n, "decision.gate", &raw, string(Django), string(NodeJS)) {
		return
	}
	for _, side := range []Side{Django, NodeJS} {
		gn, ok := raw[string(side)]
		if !ok {
			l.errorf(n.Line, "decision.gate", "missing %s", side)
			continue
		}
		var rg rawGate
		what := "decision.gate." + string(side)
		if !l.decode(&gn, what, &rg, "language", "knows") {
			continue
		}
		if strings.TrimSpace(rg.Language) == "" {
			l.errorf(gn.Line, what, "missing language (the language the team must know, as people write it)")
		}
		knows := l.clauses(rs, &rg.Knows, what+".knows")
		if len(knows) == 0 && rg.Knows.Kind == 0 {
			l.errorf(gn.Line, what, "missing knows: a mapping of question id to the answers that mean the team knows %s", rg.Language)
		}
		rs.Decision.Gates = append(rs.Decision.Gates, Gate{Side: side, Language: rg.Language, knows: knows})
	}
}

// mirror reads the pairs of answers that swap when Python and JavaScript trade
// places: a whole question ("python") or one option ("experience.django").
func (l *loader) mirror(rs *Ruleset, n *yaml.Node) {
	if n.Kind == 0 {
		return // optional: without it the calibration report skips the mirror check
	}
	var pairs [][]string
	if n.Kind != yaml.SequenceNode || n.Decode(&pairs) != nil {
		l.errorf(n.Line, "decision.mirror", "expected a list of pairs, like [python, javascript] or [experience.django, experience.nodejs]")
		return
	}
	for i, p := range pairs {
		line := n.Content[i].Line
		if len(p) != 2 {
			l.errorf(line, "decision.mirror", "a pair has two sides, not %d", len(p))
			continue
		}
		var ends [2]mirrorEnd
		ok := true
		for j, ref := range p {
			qid, oid, hasOption := strings.Cut(ref, ".")
			qi, found := rs.questionAt[qid]
			if !found {
				l.errorf(line, "decision.mirror", "unknown question %q", qid)
				ok = false
				continue
			}
			ends[j] = mirrorEnd{question: qi, option: -1}
			if hasOption {
				oi, found := rs.questions[qi].optionAt[oid]
				if !found {
					l.errorf(line, "decision.mirror", "question %q has no option %q", qid, oid)
					ok = false
					continue
				}
				ends[j].option = oi
			}
		}
		if !ok {
			continue
		}
		if (ends[0].option < 0) != (ends[1].option < 0) {
			l.errorf(line, "decision.mirror", "pair a question with a question and an option with an option")
			continue
		}
		if ends[0].option < 0 && !slices.EqualFunc(rs.questions[ends[0].question].Options, rs.questions[ends[1].question].Options,
			func(a, b Option) bool { return a.ID == b.ID }) {
			l.errorf(line, "decision.mirror", "questions %q and %q must have the same options to mirror each other", p[0], p[1])
			continue
		}
		rs.Decision.Mirror = append(rs.Decision.Mirror, [2]mirrorEnd{ends[0], ends[1]})
	}
}

func (l *loader) topics(rs *Ruleset, nodes []yaml.Node) {
	if len(nodes) == 0 {
		l.errorf(1, "", "no topics: group the criteria into topics, so that one claim counts once")
	}
	seen := map[string]int{}
	for i := range nodes {
		n := &nodes[i]
		var rt rawTopic
		if !l.decode(n, "topic", &rt, "id", "title", "mirrored") || !l.checkID(n.Line, "topic", rt.ID, seen) {
			continue
		}
		if strings.TrimSpace(rt.Title) == "" {
			l.errorf(n.Line, fmt.Sprintf("topic %q", rt.ID), "missing title")
		}
		rs.topicAt[rt.ID] = len(rs.Topics)
		rs.Topics = append(rs.Topics, Topic{ID: rt.ID, Title: rt.Title, Mirrored: rt.Mirrored, line: n.Line})
	}
}
