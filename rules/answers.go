package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Answers maps a question id to the person's choice. A missing question is unanswered.
type Answers map[string]Choice

// Choice is the answer to one question. In JSON a single-choice answer is an
// option id ("strong") and a multiple-choice answer a list (["cms", "captcha"]).
type Choice struct {
	Options  []string
	Multiple bool
}

// One is the answer to a single-choice question.
func One(option string) Choice { return Choice{Options: []string{option}} }

// Many is the answer to a multiple-choice question.
func Many(options ...string) Choice { return Choice{Options: options, Multiple: true} }

func (c Choice) MarshalJSON() ([]byte, error) {
	if c.Multiple {
		if c.Options == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(c.Options)
	}
	if len(c.Options) != 1 {
		return nil, fmt.Errorf("a single-choice answer has exactly one option, not %d", len(c.Options))
	}
	if o := c.Options[0]; isPlainID(o) {
		// An option id as it is, without json.Marshal's reflection: every
		// progress cookie and stored result writes one per question.
		return append(append(append(make([]byte, 0, len(o)+2), '"'), o...), '"'), nil
	}
	return json.Marshal(c.Options[0])
}

func (c *Choice) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		c.Multiple = true
		c.Options = nil
		return json.Unmarshal(data, &c.Options)
	}
	if len(data) >= 2 && data[0] == '"' && data[len(data)-1] == '"' && isPlainID(string(data[1:len(data)-1])) {
		// A string with nothing to unescape reads as it is, without a
		// second json.Unmarshal of every answer.
		*c = One(string(data[1 : len(data)-1]))
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return errAnswerShape
	}
	*c = One(s)
	return nil
}

// isPlainID tells whether s is made of the characters option ids use
// (ASCII letters, digits, '_' and '-'), which JSON writes as they are.
func isPlainID(s string) bool {
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9', b == '_', b == '-':
		default:
			return false
		}
	}
	return true
}

// Has tells whether the option was chosen.
func (c Choice) Has(option string) bool {
	for _, o := range c.Options {
		if o == option {
			return true
		}
	}
	return false
}

// AnswerError says what is wrong with an answer, naming the field ("answers.python").
type AnswerError struct {
	Question string
	Problem  string
}

func (e *AnswerError) Error() string {
	if e.Question == "" {
		return e.Problem
	}
	return "answers." + e.Question + ": " + e.Problem
}

// Request is the body of `stackfit evaluate` and of the API's evaluate and results calls.
type Request struct {
	Answers Answers `json:"answers"`
}

// MaxRequestBytes bounds a request body; a full answer set is well under 2 KiB.
const MaxRequestBytes = 64 << 10

// DecodeRequest reads {"answers": {...}} strictly: unknown fields, trailing
// data or a missing "answers" are errors, so a typo is never silently ignored.
// It checks the JSON only; Ruleset.Check checks the answers against the questions.
func DecodeRequest(r io.Reader) (Answers, error) {
	var req struct {
		Answers *map[string]json.RawMessage `json:"answers"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		return nil, err
	}
	if req.Answers == nil {
		return nil, &AnswerError{Problem: `missing "answers": send {"answers": {"<question id>": "<option id>"}}`}
	}
	return DecodeAnswers(*req.Answers)
}

// DecodeJSON reads one JSON object into v as strictly as DecodeRequest, with
// the same messages, for requests that carry answers among other fields.
// Errors about the JSON are *AnswerError; an error reading r is returned as is.
//
// Text that is not valid UTF-8, or a \u escape of half a surrogate pair, is
// refused: encoding/json would quietly store U+FFFD in its place.
func DecodeJSON(r io.Reader, v any) error {
	body, err := io.ReadAll(io.LimitReader(r, MaxRequestBytes+1))
	if err != nil {
		return fmt.Errorf("read answers: %w", err)
	}
	if len(body) > MaxRequestBytes {
		return &AnswerError{Problem: fmt.Sprintf("the body is over %d KiB", MaxRequestBytes>>10)}
	}
	if at, ok := invalidText(body); ok {
		return &AnswerError{Problem: fmt.Sprintf("the body is not valid UTF-8 text (byte %d)", at)}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return describeJSONError(err)
	}
	if dec.More() {
		return &AnswerError{Problem: "unexpected data after the JSON object"}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &AnswerError{Problem: "unexpected data after the JSON object"}
	}
	return nil
}

// invalidText finds the first byte of body that is not UTF-8, or that starts
// a \u escape of an unpaired surrogate inside a JSON string.
func invalidText(body []byte) (int, bool) {
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && size <= 1 {
			return i, true
		}
		i += size
	}
	inString := false
	for i := 0; i < len(body); i++ {
		switch {
		case body[i] == '"':
			inString = !inString
		case inString && body[i] == '\\' && i+1 < len(body):
			if body[i+1] == 'u' {
				if r := hexRune(body, i+2); utf16.IsSurrogate(r) {
					low := rune(-1)
					if i+7 < len(body) && body[i+6] == '\\' && body[i+7] == 'u' {
						low = hexRune(body, i+8)
					}
					if utf16.DecodeRune(r, low) == unicode.ReplacementChar {
						return i, true
					}
					i += 6 // the low half, checked with the high one
				}
			}
			i++ // skip the escaped character
		}
	}
	return 0, false
}

// hexRune is the four hex digits at body[at:], or -1.
func hexRune(body []byte, at int) rune {
	if at+4 > len(body) {
		return -1
	}
	n, err := strconv.ParseUint(string(body[at:at+4]), 16, 16)
	if err != nil {
		return -1
	}
	return rune(n)
}

// DecodeAnswers reads the answers of a request decoded as raw JSON values.
func DecodeAnswers(raw map[string]json.RawMessage) (Answers, error) {
	// Decode each answer on its own so that a message names its question;
	// sorted, so the same bad body always gets the same message.
	ids := make([]string, 0, len(raw))
	for id := range raw {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	answers := make(Answers, len(ids))
	for _, id := range ids {
		var c Choice
		if err := json.Unmarshal(raw[id], &c); err != nil {
			return nil, &AnswerError{Question: id, Problem: errAnswerShape.Error()}
		}
		answers[id] = c
	}
	return answers, nil
}

var errAnswerShape = errors.New("an answer is an option id or a list of option ids")

func describeJSONError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return &AnswerError{Problem: "empty body: send a JSON object"}
	case errors.As(err, &syn):
		return &AnswerError{Problem: fmt.Sprintf("malformed JSON at byte %d: %v", syn.Offset, syn)}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return &AnswerError{Problem: "the body must be a JSON object: {\"answers\": {...}}"}
		}
		return &AnswerError{Problem: fmt.Sprintf("%s: wrong type, expected %s", field, typ.Type)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return &AnswerError{Problem: "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ") + `: the body has only "answers"`}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &AnswerError{Problem: "malformed JSON: the body ends too early"}
	case errors.Is(err, errAnswerShape):
		return &AnswerError{Problem: "malformed answers: " + errAnswerShape.Error()}
	case !strings.HasPrefix(err.Error(), "json: "):
		// Not the JSON's fault but reading it (a body over the size limit, a
		// dropped connection): the caller decides what that means.
		return fmt.Errorf("read answers: %w", err)
	}
	return &AnswerError{Problem: "malformed JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
}

// masks turns answers into one option bitmask per question, checking them as it goes.
// A zero mask means unanswered.
func (rs *Ruleset) masks(a Answers) ([]uint64, error) {
	m := make([]uint64, len(rs.questions))
	return m, rs.fillMasks(a, m)
}

func (rs *Ruleset) fillMasks(a Answers, m []uint64) error {
	var firstErr *AnswerError
	for id, c := range a {
		qi, ok := rs.questionAt[id]
		var err *AnswerError
		if !ok {
			err = &AnswerError{Question: id, Problem: "no such question"}
		} else {
			m[qi], err = rs.questions[qi].mask(c)
		}
		// Maps iterate in random order: report the first problem in questionnaire
		// order (unknown questions last, by id) so the message is the same every run.
		if err != nil && (firstErr == nil || rs.before(err.Question, firstErr.Question)) {
			firstErr = err
		}
	}
	if firstErr != nil {
		return firstErr
	}
	return nil
}

func (rs *Ruleset) before(a, b string) bool {
	ia, oka := rs.questionAt[a]
	ib, okb := rs.questionAt[b]
	switch {
	case oka && okb:
		return ia < ib
	case oka != okb:
		return oka
	}
	return a < b
}

func (q *Question) mask(c Choice) (uint64, *AnswerError) {
	if len(c.Options) == 0 {
		return 0, &AnswerError{Question: q.ID, Problem: "no option chosen; leave the question out to skip it"}
	}
	if len(c.Options) > 1 && !q.Multiple {
		return 0, &AnswerError{Question: q.ID, Problem: fmt.Sprintf("only one answer allowed, got %d", len(c.Options))}
	}
	var m uint64
	for _, id := range c.Options {
		oi, ok := q.optionAt[id]
		if !ok {
			return 0, &AnswerError{Question: q.ID, Problem: fmt.Sprintf("no option %q (choose from %s)", id, q.optionList())}
		}
		bit := uint64(1) << oi
		if m&bit != 0 {
			return 0, &AnswerError{Question: q.ID, Problem: fmt.Sprintf("option %q given twice", id)}
		}
		m |= bit
	}
	if m&q.exclusive != 0 && bits.OnesCount64(m) > 1 {
		return 0, &AnswerError{Question: q.ID, Problem: fmt.Sprintf("%q cannot be combined with other options", q.Options[trailingZeros(m&q.exclusive)].ID)}
	}
	return m, nil
}

func (q *Question) optionList() string {
	ids := make([]string, len(q.Options))
	for i, o := range q.Options {
		ids[i] = o.ID
	}
	return strings.Join(ids, ", ")
}

// choice turns a question's mask back into an answer, options in questionnaire order.
func (q *Question) choice(m uint64) Choice {
	c := Choice{Multiple: q.Multiple}
	for ; m != 0; m &= m - 1 {
		c.Options = append(c.Options, q.Options[trailingZeros(m)].ID)
	}
	return c
}

// Check validates answers against the questionnaire and returns them in
// canonical form: each answer shaped as its question (a single id or a list)
// with options in questionnaire order.
func (rs *Ruleset) Check(a Answers) (Answers, error) {
	m, err := rs.masks(a)
	if err != nil {
		return nil, err
	}
	out := make(Answers, len(a))
	for qi, mask := range m {
		if mask != 0 {
			q := rs.questions[qi]
			out[q.ID] = q.choice(mask)
		}
	}
	return out, nil
}

func trailingZeros(m uint64) int { return bits.TrailingZeros64(m) }
