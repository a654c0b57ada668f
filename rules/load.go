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
	Topics   []yaml.Node `yaml:"topics"`
	Sections []yaml.Node `yaml:"sections"`
	Criteria []yaml.Node `yaml:"criteria"`
	Rules    []yaml.Node `yaml:"rules"`
}

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

type rawScale struct {
	Toward  string   `yaml:"toward"`
	Options []string `yaml:"options"`
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
	Ordered  yaml.Node   `yaml:"ordered"`
	Options  []yaml.Node `yaml:"options"`
}

type rawOption struct {
	ID        string `yaml:"id"`
	Label     string `yaml:"label"`
	Unsure    bool   `yaml:"unsure"`
	Exclusive bool   `yaml:"exclusive"`
	Note      string `yaml:"note"`
}

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
	if !l.decode(doc.Content[0], "", &raw, "decision", "topics", "sections", "criteria", "rules") {
		return nil, errors.Join(l.errs...)
	}
	sum := sha256.Sum256(data)
	rs := &Ruleset{
		Version:     hex.EncodeToString(sum[:])[:12],
		questionAt:  map[string]int{},
		criterionAt: map[string]int{},
		topicAt:     map[string]int{},
	}
	l.topics(rs, raw.Topics)
	l.sections(rs, raw.Sections)
	// The decision names questions (the gate, the mirror), so it comes after them.
	l.decision(rs, &raw.Decision)
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
	rs.index()
	return rs, nil
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
	if !l.decode(n, "question", &rq, "id", "text", "help", "multiple", "ordered", "options") || !l.checkID(n.Line, "question", rq.ID, seen) {
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
		if !l.decode(on, what+" option", &ro, "id", "label", "unsure", "exclusive", "note") || !l.checkID(on.Line, what+" option", ro.ID, seenOption) {
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
		if ro.Note != "" {
			if ro.Unsure {
				l.errorf(on.Line, owhat, "a \"not sure\" answer brings up no note")
			}
			q.NoteOnly = true
		}
		q.optionAt[ro.ID] = len(q.Options)
		q.Options = append(q.Options, Option{ID: ro.ID, Label: ro.Label, Unsure: ro.Unsure, Exclusive: ro.Exclusive, Note: ro.Note})
	}
	l.scale(q, &rq.Ordered, what)
	return q
}

// scale reads a question's declared order: its options from least to most in
// favour of one side, which the calibration report checks the rules respect.
func (l *loader) scale(q *Question, n *yaml.Node, what string) {
	if n.Kind == 0 {
		return
	}
	var rsc rawScale
	if !l.decode(n, what+" ordered", &rsc, "toward", "options") {
		return
	}
	side := Side(rsc.Toward)
	if side != Django && side != NodeJS {
		l.errorf(n.Line, what+" ordered", "toward must be django or nodejs, not %q", rsc.Toward)
		return
	}
	if q.Multiple || q.NoteOnly {
		l.errorf(n.Line, what+" ordered", "only a single-choice question that scores can be ordered")
		return
	}
	if len(rsc.Options) < 2 {
		l.errorf(n.Line, what+" ordered", "list at least two options, least in favour of %s first", side)
		return
	}
	sc := &Scale{Toward: side}
	for _, id := range rsc.Options {
		oi, ok := q.optionAt[id]
		switch {
		case !ok:
			l.errorf(n.Line, what+" ordered", "no option %q", id)
			return
		case q.Options[oi].Unsure:
			l.errorf(n.Line, what+" ordered", "%q means \"not sure\", which has no place on a scale", id)
			return
		case slices.Contains(sc.options, oi):
			l.errorf(n.Line, what+" ordered", "option %q listed twice", id)
			return
		}
		sc.options = append(sc.options, oi)
	}
	q.scale = sc
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
