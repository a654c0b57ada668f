package rules

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxOptions bounds a question's options so that an answer fits in a uint64 mask.
const maxOptions = 64

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// The file as written. yaml.Node fields keep line numbers for messages.
type rawFile struct {
	Decision yaml.Node   `yaml:"decision"`
	Sections []yaml.Node `yaml:"sections"`
	Criteria []yaml.Node `yaml:"criteria"`
	Rules    []yaml.Node `yaml:"rules"`
}

type rawDecision struct {
	TieMargin  *float64 `yaml:"tie_margin"`
	Confidence struct {
		High   rawThreshold `yaml:"high"`
		Medium rawThreshold `yaml:"medium"`
	} `yaml:"confidence"`
}

type rawThreshold struct {
	MinMargin    *float64 `yaml:"min_margin"`
	MaxUncertain *float64 `yaml:"max_uncertain"`
}

type rawSection struct {
	ID        string      `yaml:"id"`
	Title     string      `yaml:"title"`
	Questions []yaml.Node `yaml:"questions"`
}

type rawQuestion struct {
	ID       string      `yaml:"id"`
	Text     string      `yaml:"text"`
	Help     string      `yaml:"help"`
	Multiple bool        `yaml:"multiple"`
	Options  []yaml.Node `yaml:"options"`
}

type rawOption struct {
	ID        string `yaml:"id"`
	Label     string `yaml:"label"`
	Unsure    bool   `yaml:"unsure"`
	Exclusive bool   `yaml:"exclusive"`
}

type rawRule struct {
	ID        string `yaml:"id"`
	Criterion string `yaml:"criterion"`
	Weight    int    `yaml:"weight"`
	When      struct {
		All  yaml.Node `yaml:"all"`
		Any  yaml.Node `yaml:"any"`
		None yaml.Node `yaml:"none"`
	} `yaml:"when"`
	Text string `yaml:"text"`
}

// loader collects every problem in the file, so that one run shows them all.
type loader struct {
	file string
	errs []error
}

func (l *loader) errorf(line int, what, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if what != "" {
		msg = what + ": " + msg
	}
	l.errs = append(l.errs, fmt.Errorf("%s:%d: %s", l.file, line, msg))
}

// decode decodes a mapping node into out, refusing keys that out does not know,
// since a misspelt key would otherwise be silently ignored.
func (l *loader) decode(n *yaml.Node, what string, out any, keys ...string) bool {
	if n.Kind != yaml.MappingNode {
		l.errorf(n.Line, what, "expected a mapping with %s", strings.Join(keys, ", "))
		return false
	}
	ok := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(keys, k.Value) {
			l.errorf(k.Line, what, "unknown field %q (expected one of %s)", k.Value, strings.Join(keys, ", "))
			ok = false
		}
	}
	if err := n.Decode(out); err != nil {
		l.errorf(n.Line, what, "%s", yamlMessage(err))
		return false
	}
	return ok
}

// yamlMessage strips yaml's own "yaml: line N:" prefixes; our messages carry the line.
func yamlMessage(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return strings.Join(te.Errors, "; ")
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// Load parses and validates a ruleset. name is used in messages ("file:line: ...").
// All problems are reported together, joined in one error.
func Load(name string, data []byte) (*Ruleset, error) {
	l := &loader{file: name}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		// yaml says "yaml: line 12: …"; make it "file:12: …" like every other message.
		msg := yamlMessage(err)
		var line int
		if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil {
			return nil, fmt.Errorf("%s:%d:%s", name, line, strings.TrimPrefix(msg, fmt.Sprintf("line %d:", line)))
		}
		return nil, fmt.Errorf("%s: %s", name, msg)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: the file is empty", name)
	}
	var raw rawFile
	if !l.decode(doc.Content[0], "", &raw, "decision", "sections", "criteria", "rules") {
		return nil, errors.Join(l.errs...)
	}
	sum := sha256.Sum256(data)
	rs := &Ruleset{
		Version:     hex.EncodeToString(sum[:])[:12],
		questionAt:  map[string]int{},
		criterionAt: map[string]int{},
	}
	l.decision(rs, &raw.Decision)
	l.sections(rs, raw.Sections)
	l.criteria(rs, raw.Criteria)
	l.rules(rs, raw.Rules)
	if len(l.errs) == 0 {
		// Only on an otherwise valid file: a rule dropped for an error would leave
		// its criterion and questions uncovered, and say so misleadingly.
		l.coverage(rs)
	}
	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	return rs, nil
}

func (l *loader) decision(rs *Ruleset, n *yaml.Node) {
	if n.Kind == 0 {
		l.errorf(1, "", "missing \"decision\" (tie_margin and confidence thresholds)")
		return
	}
	var d rawDecision
	if !l.decode(n, "decision", &d, "tie_margin", "confidence") {
		return
	}
	share := func(what string, v *float64) float64 {
		if v == nil {
			l.errorf(n.Line, "decision", "missing %s", what)
			return 0
		}
		if *v < 0 || *v >= 1 {
			l.errorf(n.Line, "decision", "%s must be at least 0 and below 1, not %v", what, *v)
		}
		return *v
	}
	rs.Decision = Decision{
		TieMargin: share("tie_margin", d.TieMargin),
		High:      Threshold{share("confidence.high.min_margin", d.Confidence.High.MinMargin), share("confidence.high.max_uncertain", d.Confidence.High.MaxUncertain)},
		Medium:    Threshold{share("confidence.medium.min_margin", d.Confidence.Medium.MinMargin), share("confidence.medium.max_uncertain", d.Confidence.Medium.MaxUncertain)},
	}
	if len(l.errs) > 0 {
		return // the comparisons below would only echo a bad value
	}
	dd := rs.Decision
	if dd.High.MinMargin < dd.Medium.MinMargin || dd.High.MaxUncertain > dd.Medium.MaxUncertain {
		l.errorf(n.Line, "decision", "high confidence must ask at least as much as medium (a larger min_margin, a smaller max_uncertain)")
	}
	if dd.Medium.MinMargin < dd.TieMargin {
		l.errorf(n.Line, "decision", "confidence.medium.min_margin (%v) is below tie_margin (%v)", dd.Medium.MinMargin, dd.TieMargin)
	}
}

// checkID reports a missing, malformed or duplicate id; seen maps ids to their first line.
func (l *loader) checkID(line int, kind, id string, seen map[string]int) bool {
	switch {
	case id == "":
		l.errorf(line, kind, "missing id")
	case !idPattern.MatchString(id):
		l.errorf(line, fmt.Sprintf("%s %q", kind, id), "an id uses only a-z, 0-9, '_' and '-', starting with a letter or digit")
	case seen[id] != 0:
		l.errorf(line, fmt.Sprintf("%s %q", kind, id), "duplicate id (first at line %d)", seen[id])
	default:
		seen[id] = line
		return true
	}
	return false
}

func (l *loader) sections(rs *Ruleset, nodes []yaml.Node) {
	if len(nodes) == 0 {
		l.errorf(1, "", "no sections: the questionnaire needs at least one")
	}
	seenSection, seenQuestion := map[string]int{}, map[string]int{}
	for i := range nodes {
		n := &nodes[i]
		var s rawSection
		if !l.decode(n, "section", &s, "id", "title", "questions") || !l.checkID(n.Line, "section", s.ID, seenSection) {
			continue
		}
		what := fmt.Sprintf("section %q", s.ID)
		if strings.TrimSpace(s.Title) == "" {
			l.errorf(n.Line, what, "missing title")
		}
		if len(s.Questions) == 0 {
			l.errorf(n.Line, what, "no questions")
		}
		sec := Section{ID: s.ID, Title: s.Title}
		for j := range s.Questions {
			if q := l.question(&s.Questions[j], seenQuestion); q != nil {
				q.index = len(rs.questions)
				rs.questionAt[q.ID] = q.index
				rs.questions = append(rs.questions, q)
				sec.Questions = append(sec.Questions, q)
			}
		}
		rs.Sections = append(rs.Sections, sec)
	}
}

func (l *loader) question(n *yaml.Node, seen map[string]int) *Question {
	var rq rawQuestion
	if !l.decode(n, "question", &rq, "id", "text", "help", "multiple", "options") || !l.checkID(n.Line, "question", rq.ID, seen) {
		return nil
	}
	what := fmt.Sprintf("question %q", rq.ID)
	if strings.TrimSpace(rq.Text) == "" {
		l.errorf(n.Line, what, "missing text")
	}
	if strings.TrimSpace(rq.Help) == "" {
		l.errorf(n.Line, what, "missing help: say in one line why the question matters")
	}
	if len(rq.Options) < 2 || len(rq.Options) > maxOptions {
		l.errorf(n.Line, what, "needs 2 to %d options, has %d", maxOptions, len(rq.Options))
		return nil
	}
	q := &Question{ID: rq.ID, Text: rq.Text, Help: rq.Help, Multiple: rq.Multiple, optionAt: map[string]int{}, line: n.Line}
	seenOption := map[string]int{}
	for i := range rq.Options {
		on := &rq.Options[i]
		var ro rawOption
		if !l.decode(on, what+" option", &ro, "id", "label", "unsure", "exclusive") || !l.checkID(on.Line, what+" option", ro.ID, seenOption) {
			continue
		}
		owhat := fmt.Sprintf("question %q option %q", rq.ID, ro.ID)
		if strings.TrimSpace(ro.Label) == "" {
			l.errorf(on.Line, owhat, "missing label")
		}
		if ro.Exclusive && !rq.Multiple {
			l.errorf(on.Line, owhat, "exclusive only applies to a multiple-choice question")
		}
		bit := uint64(1) << len(q.Options)
		if ro.Unsure {
			if q.unsure != 0 {
				l.errorf(on.Line, owhat, "a question has at most one \"not sure\" option")
			}
			q.unsure = bit
		}
		if ro.Unsure || ro.Exclusive {
			q.exclusive |= bit
		}
		q.optionAt[ro.ID] = len(q.Options)
		q.Options = append(q.Options, Option{ID: ro.ID, Label: ro.Label, Unsure: ro.Unsure, Exclusive: ro.Exclusive})
	}
	return q
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
		if strings.TrimSpace(c.Topic) == "" {
			l.errorf(n.Line, what, "missing topic")
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
		if !l.decode(n, "rule", &rr, "id", "criterion", "weight", "when", "text") || !l.checkID(n.Line, "rule", rr.ID, seen) {
			continue
		}
		what := fmt.Sprintf("rule %q", rr.ID)
		ci, ok := rs.criterionAt[rr.Criterion]
		if !ok {
			l.errorf(n.Line, what, "unknown criterion %q", rr.Criterion)
		}
		if rr.Weight < 1 || rr.Weight > 100 {
			l.errorf(n.Line, what, "weight must be a whole number from 1 to 100, not %d", rr.Weight)
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
		}
		if !ok {
			continue
		}
		cr.favours = rs.Criteria[ci].Favours
		cr.criterion = ci
		idx := len(rs.Rules)
		rs.Criteria[ci].Rules = append(rs.Criteria[ci].Rules, rr.ID)
		qs := cr.questions()
		slices.Sort(qs)
		qs = slices.Compact(qs) // a rule may name a question twice (under all and none)
		reads := make([]string, len(qs))
		for i, q := range qs {
			rs.readBy[q] = append(rs.readBy[q], idx)
			reads[i] = rs.questions[q].ID
		}
		rs.Rules = append(rs.Rules, Rule{ID: rr.ID, Criterion: rr.Criterion, Weight: rr.Weight, Text: rr.Text, Reads: reads})
		rs.compiled = append(rs.compiled, cr)
	}
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
	for _, c := range rs.Criteria {
		if len(c.Rules) == 0 {
			l.errorf(c.line, fmt.Sprintf("criterion %q", c.ID), "no rule uses it")
		}
	}
	for qi, q := range rs.questions {
		if len(rs.readBy[qi]) == 0 {
			l.errorf(q.line, fmt.Sprintf("question %q", q.ID), "no rule reads it")
		}
	}
}
