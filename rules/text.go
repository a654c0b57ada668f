package rules

import (
	"fmt"
	"strings"
)

// segment is a piece of a rule's text: literal words, or the person's answer
// to a question (the options they chose that the rule matched on).
type segment struct {
	literal  string
	question int // -1 for a literal
	mask     uint64
}

// parseText splits "… (“{deadline}”) …" into segments. Only questions the rule
// requires under when.all may be named, so the answer always exists when the rule fires.
func parseText(text string, rs *Ruleset, all []clause) ([]segment, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("missing: write a sentence for the person that mentions their answer")
	}
	var segs []segment
	for text != "" {
		open := strings.IndexByte(text, '{')
		if open < 0 {
			if strings.IndexByte(text, '}') >= 0 {
				return nil, fmt.Errorf("a '}' without its '{'")
			}
			segs = append(segs, segment{literal: text, question: -1})
			break
		}
		if strings.IndexByte(text[:open], '}') >= 0 {
			return nil, fmt.Errorf("a '}' without its '{'")
		}
		end := strings.IndexByte(text[open:], '}')
		if end < 0 {
			return nil, fmt.Errorf("a '{' without its '}'")
		}
		if open > 0 {
			segs = append(segs, segment{literal: text[:open], question: -1})
		}
		id := text[open+1 : open+end]
		qi, ok := rs.questionAt[id]
		if !ok {
			return nil, fmt.Errorf("{%s} names no question", id)
		}
		found := false
		for _, c := range all {
			if c.question == qi {
				segs = append(segs, segment{question: qi, mask: c.mask})
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("{%s} must be a question under when.all, so the answer is known when the rule fires", id)
		}
		text = text[open+end+1:]
	}
	return segs, nil
}

// render writes the text with the person's answers filled in.
func (rs *Ruleset) render(b *strings.Builder, segs []segment, masks []uint64) {
	for _, s := range segs {
		if s.question < 0 {
			b.WriteString(s.literal)
			continue
		}
		q := rs.questions[s.question]
		for m, first := masks[s.question]&s.mask, true; m != 0; m, first = m&(m-1), false {
			if !first {
				b.WriteString(", ")
			}
			b.WriteString(q.Options[trailingZeros(m)].Label)
		}
	}
}

// textSize is the length render will write, so the buffer can be sized once.
func (r *compiledRule) textSize(rs *Ruleset, masks []uint64) int {
	n := 0
	for _, s := range r.text {
		if s.question < 0 {
			n += len(s.literal)
			continue
		}
		q := rs.questions[s.question]
		for m := masks[s.question] & s.mask; m != 0; m &= m - 1 {
			n += len(q.Options[trailingZeros(m)].Label) + len(", ")
		}
	}
	return n
}
