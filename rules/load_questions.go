package rules

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

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

type rawScale struct {
	Toward  string   `yaml:"toward"`
	Options []string `yaml:"options"`
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
		q.Options = append(q.Options, Option(ro))
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
