// Package record writes a result as a decision record in Markdown, following
// MADR 4 (https://adr.github.io/madr/), so a team can put stackfit's reasoning
// into its repository next to its other architecture decisions.
package record

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"stackfit/rules"
)

// DefaultTitle is the title of a record whose Decision has none.
const DefaultTitle = "Django or Node.js for our new project"

// source is the document every criterion quotes.
const source = "Django vs NodeJS"

// Decision is what a record is made of: a result, and for a workshop the
// people who took part and where they disagreed.
type Decision struct {
	Title      string // "" → DefaultTitle
	Context    string // optional free text from the person or workshop
	Date       time.Time
	Link       string // share link of the result, optional
	Ruleset    *rules.Ruleset
	Answers    rules.Answers
	Evaluation *rules.Evaluation
	Consulted  []string // workshop participants' names, optional
	Discussion []Point  // workshop disagreements, optional
}

// Point is a question a workshop disagreed on.
type Point struct {
	Question     string  // question id
	Summary      string  // e.g. "3 × Python: expert, 2 × none"
	Disagreement float64 // 0 (all agreed) to 1
}

// Markdown renders the decision as a MADR 4 record.
func Markdown(d Decision) []byte {
	ev := d.Evaluation
	if ev == nil {
		ev = &rules.Evaluation{Recommendation: rules.Tie, Confidence: rules.Low}
	}
	w := &writer{rs: d.Ruleset}
	b := &w.buf

	// A record made by a tool is a proposal: the team accepts it, or not,
	// after discussing it (MADR's statuses).
	status := "proposed"
	// Every value is double-quoted: a name such as `Ann "the boss": CTO` would
	// otherwise end the value early or turn it into a mapping. Go's quoting
	// escapes are a subset of YAML's double-quoted escapes.
	b.WriteString("---\n")
	fmt.Fprintf(b, "status: %s\n", strconv.Quote(status))
	fmt.Fprintf(b, "date: %s\n", strconv.Quote(d.Date.Format(time.DateOnly)))
	if len(d.Consulted) > 0 {
		b.WriteString("consulted:\n")
		for _, name := range d.Consulted {
			fmt.Fprintf(b, "  - %s\n", strconv.Quote(name))
		}
	}
	b.WriteString("---\n\n")

	title := inert(line(d.Title))
	if title == "" {
		title = DefaultTitle
	}
	fmt.Fprintf(b, "# %s\n\n", title)

	b.WriteString("## Context and Problem Statement\n\n")
	if c := inert(paragraphs(d.Context)); c != "" {
		b.WriteString(c + "\n\n")
	}
	fmt.Fprintf(b, "The team weighed Django against Node.js with stackfit's questionnaire, "+
		"whose criteria are taken from the document %q. Which of the two fits this project better?\n\n", source)

	w.drivers(d.Answers, ev)

	b.WriteString("## Considered Options\n\n* Django\n* Node.js\n\n")

	b.WriteString("## Decision Outcome\n\n")
	w.outcome(ev)
	w.consequences(ev)

	// Each reason is written once, under the option it speaks for. A reason
	// for one option is not repeated as a "Bad" of the other, nor in the
	// Consequences: written three times, the record was hard to read once.
	b.WriteString("## Pros and Cons of the Options\n\n")
	for _, side := range []rules.Side{rules.Django, rules.NodeJS} {
		fmt.Fprintf(b, "### %s\n\n", side.Name())
		good := ev.ReasonsFor(side)
		if len(good) == 0 {
			b.WriteString("* Neutral, because no criterion of the document speaks for it with these answers.\n")
		}
		w.reasons("Good", good)
		b.WriteString("\n")
	}

	w.moreInformation(d, ev)
	// Each section ends with a blank line; the file ends with one newline.
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n')
}

type writer struct {
	buf bytes.Buffer
	rs  *rules.Ruleset
}

// drivers lists the answers, the open ones (“not sure” or missing) after the
// others because they count for neither side. Open is what the evaluation
// says is open: a question beyond the document left unanswered is not.
func (w *writer) drivers(a rules.Answers, ev *rules.Evaluation) {
	if w.rs == nil {
		return
	}
	b := &w.buf
	b.WriteString("## Decision Drivers\n\n")
	open := map[string]bool{}
	for _, id := range ev.Unanswered {
		open[id] = true
	}
	for _, id := range ev.Unsure {
		open[id] = true
	}
	var left []string
	answered := false
	for _, q := range w.rs.Questions() {
		c, ok := a[q.ID]
		switch {
		case !ok || len(c.Options) == 0:
			if open[q.ID] {
				left = append(left, fmt.Sprintf("* %s — not answered\n", line(q.Text)))
			}
		// Evaluations stored before Unsure existed: read it from the answer.
		case open[q.ID] || (ev.Unsure == nil && unsure(q, c)):
			left = append(left, fmt.Sprintf("* %s — %s\n", line(q.Text), labels(q, c)))
		default:
			answered = true
			fmt.Fprintf(b, "* %s — %s\n", line(q.Text), labels(q, c))
		}
	}
	if len(left) > 0 {
		if answered {
			b.WriteString("\n")
		}
		b.WriteString("Left open (“not sure” or not answered). These count for neither option; " +
			"the confidence under Decision Outcome says whether they could change it:\n\n")
		b.WriteString(strings.Join(left, ""))
	}
	b.WriteString("\n")
}

func (w *writer) outcome(ev *rules.Evaluation) {
	b := &w.buf
	s := ev.Scores
	dj, nj := s.Percent(rules.Django), s.Percent(rules.NodeJS)
	rec := ev.Recommendation
	switch {
	case rec == rules.Tie && s.Django+s.NodeJS == 0:
		b.WriteString("No option chosen: neither came out ahead, because no criterion of the document applies to the answers given.\n\n")
	case rec == rules.Tie:
		fmt.Fprintf(b, "No option chosen: neither came out ahead. The criteria of the document that apply "+
			"weigh %d%% for Django and %d%% for Node.js", dj, nj)
		if w.rs != nil {
			// The ruleset calls a result a tie below a margin; say what lead that means.
			lead := math.Round(500*(1+w.rs.Decision.TieMargin)) / 10
			fmt.Fprintf(b, ", closer than the %s%% to %s%% a recommendation needs",
				strconv.FormatFloat(lead, 'f', -1, 64), strconv.FormatFloat(100-lead, 'f', -1, 64))
		}
		b.WriteString(".")
		if len(ev.Flips) > 0 {
			b.WriteString(" Settling one of the answers under What would change this may decide it.")
		}
		b.WriteString("\n\n")
		// A tie is always low; only the evaluation's sentence adds to that.
		if ev.ConfidenceReason != "" {
			w.confidence(ev)
		}
	default:
		other := rec.Other()
		fmt.Fprintf(b, "Chosen option: %q, because the criteria of the document that apply to this project "+
			"weigh %d%% for %s against %d%% for %s (%s for %s, %s for %s).\n\n",
			rec.Name(), s.Percent(rec), rec.Name(), s.Percent(other), other.Name(),
			count(len(ev.ReasonsFor(rec)), "reason", "reasons"), rec.Name(),
			count(len(ev.ReasonsFor(other)), "reason", "reasons"), other.Name())
		w.confidence(ev)
	}
}

// confidence says how far the outcome can be trusted, in the evaluation's
// own sentence ("High: no single answer … could change this."). Results
// evaluated before that sentence existed get the level alone.
func (w *writer) confidence(ev *rules.Evaluation) {
	b := &w.buf
	if why := line(ev.ConfidenceReason); why != "" {
		// "High: no single answer…" reads as "The confidence is high: no single answer…".
		if level, rest, ok := strings.Cut(why, ": "); ok && strings.EqualFold(level, string(ev.Confidence)) {
			fmt.Fprintf(b, "The confidence is %s: %s\n\n", ev.Confidence, rest)
		} else {
			fmt.Fprintf(b, "Confidence: %s\n\n", why)
		}
		return
	}
	fmt.Fprintf(b, "Confidence: %s.", ev.Confidence)
	if ev.Confidence == rules.Low {
		b.WriteString(" The lead is narrow or many questions are open, " +
			"so treat this as a leaning until the open questions are settled.")
	}
	b.WriteString("\n\n")
}

// consequences sums up what choosing means; the reasons themselves are under
// Pros and Cons of the Options, so they are counted here, not repeated.
func (w *writer) consequences(ev *rules.Evaluation) {
	b := &w.buf
	b.WriteString("### Consequences\n\n")
	rec := ev.Recommendation
	if rec == rules.Tie {
		b.WriteString("* Neutral, because no option is chosen yet; what speaks for each is under Pros and Cons of the Options.\n\n")
		return
	}
	fmt.Fprintf(b, "* Good, because the project gets what speaks for %s: %s under Pros and Cons of the Options.\n",
		rec.Name(), count(len(ev.ReasonsFor(rec)), "reason", "reasons"))
	if n := len(ev.ReasonsFor(rec.Other())); n > 0 {
		fmt.Fprintf(b, "* Bad, because it gives up what speaks for %s: %s under Pros and Cons of the Options.\n",
			rec.Other().Name(), count(n, "reason", "reasons"))
	}
	b.WriteString("\n")
}

// reasons writes one MADR bullet per reason with one sentence of the
// document behind it. Citing every sentence made the record say each claim
// two or three times: the document's comparison table states a claim in both
// cells of a row ("More Cost-Effective" for Django, "Less Cost-Effective" for
// Node.js), often in several rows ("Cost-efficient", "More Efficient") and
// again in its text. The record cites the reason's first sentence that its
// text does not already quote; the result page and the JSON keep them all.
// (The reasons themselves were already written once: under the option they
// speak for, counted in the outcome and the consequences.)
func (w *writer) reasons(verdict string, rs []rules.Reason) {
	for _, r := range rs {
		text := strings.TrimSuffix(line(r.Text), ".")
		fmt.Fprintf(&w.buf, "* %s, because %s", verdict, lowerFirst(text))
		if q := citation(r, text); q != "" {
			fmt.Fprintf(&w.buf, " (the document: %s)", strconv.Quote(q))
		}
		w.buf.WriteString("\n")
	}
}

// citation is the sentence of the document a record cites for reason r,
// whose text is text: the first that text does not quote already, else the
// first ("Python" in a reason about knowing Python).
func citation(r rules.Reason, text string) string {
	// Results stored before reasons had several sentences carry Quote alone.
	quotes := r.Quotes
	if len(quotes) == 0 {
		quotes = []string{r.Quote}
	}
	first := ""
	for _, q := range quotes {
		q = line(q)
		if q != "" && !strings.Contains(text, q) {
			return q
		}
		if first == "" {
			first = q
		}
	}
	return first
}

func (w *writer) moreInformation(d Decision, ev *rules.Evaluation) {
	b := &w.buf
	b.WriteString("## More Information\n\n")
	version := ev.Ruleset
	if version == "" && w.rs != nil {
		version = w.rs.Version
	}
	fmt.Fprintf(b, "Made with stackfit, ruleset %s; the same answers and ruleset version always give the same result. "+
		"Every reason quotes the document %q.\n\n", line(version), source)
	if link := line(d.Link); link != "" {
		fmt.Fprintf(b, "Result: %s\n\n", link)
	}
	if len(ev.Notes) > 0 {
		b.WriteString("### Not covered by the document\n\n" +
			"These remarks come from answers to questions the document does not address. They did not count for either option.\n\n")
		for _, n := range ev.Notes {
			fmt.Fprintf(b, "* %s (from “%s”)\n", line(n.Text), w.questionText(n.Question))
		}
		b.WriteString("\n")
	}
	if len(d.Discussion) > 0 {
		b.WriteString("### Discussion points\n\nThe questions the workshop disagreed on:\n\n")
		for _, p := range d.Discussion {
			fmt.Fprintf(b, "* %s — %s (disagreement %d%%)\n", w.questionText(p.Question), line(p.Summary),
				int(math.Round(100*min(max(p.Disagreement, 0), 1))))
		}
		b.WriteString("\n")
	}
	if len(ev.Flips) > 0 {
		b.WriteString("### What would change this\n\nEach of these changes to a single answer would give a different result:\n\n")
		for _, f := range ev.Flips {
			to := f.Recommendation.Name()
			if f.Recommendation == rules.Tie {
				to = "too close to call"
			}
			answer := strings.Join(f.Answer.Options, ", ")
			if q := w.question(f.Question); q != nil {
				answer = labels(q, f.Answer)
			}
			// Quoted as on the result page: "— Node.js → Node.js" would read as a typo.
			fmt.Fprintf(b, "* %s — “%s” → %s\n", w.questionText(f.Question), answer, to)
		}
		b.WriteString("\n")
	}
}

func (w *writer) question(id string) *rules.Question {
	if w.rs == nil {
		return nil
	}
	q, _ := w.rs.Question(id)
	return q
}

// questionText falls back to the id for a question the ruleset no longer has.
func (w *writer) questionText(id string) string {
	if q := w.question(id); q != nil {
		return line(q.Text)
	}
	return line(id)
}

// labels names the chosen options in questionnaire order, whatever order the
// answer lists them in.
func labels(q *rules.Question, c rules.Choice) string {
	var out []string
	for _, o := range q.Options {
		if c.Has(o.ID) {
			out = append(out, line(o.Label))
		}
	}
	for _, id := range c.Options {
		if _, ok := q.Option(id); !ok {
			out = append(out, line(id))
		}
	}
	return strings.Join(out, ", ")
}

// unsure tells whether the answer is only "not sure", which counts as open.
func unsure(q *rules.Question, c rules.Choice) bool {
	for _, id := range c.Options {
		if o, ok := q.Option(id); !ok || !o.Unsure {
			return false
		}
	}
	return true
}

// line keeps user text on one line, so a newline cannot end a heading or a
// list item and start Markdown of its own.
func line(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// inert escapes Markdown and HTML in user text, line by line, so that it
// reads as typed wherever the record is rendered: a link such as
// [x](javascript:…), a tag, an entity or a line such as "## Decision
// Outcome" shows as text instead of becoming a link, markup or a heading of
// the record. Backslash escapes of ASCII punctuation are CommonMark's (§2.4).
func inert(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = inertLine(l)
	}
	return strings.Join(lines, "\n")
}

func inertLine(l string) string {
	var b strings.Builder
	for i, r := range l {
		if strings.ContainsRune(markdownAnywhere, r) || (i == 0 && strings.ContainsRune(markdownLineStart, r)) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	l = b.String()
	// "1. " or "1) " would start an ordered list.
	if digits := len(l) - len(strings.TrimLeft(l, "0123456789")); digits > 0 && digits < len(l) && (l[digits] == '.' || l[digits] == ')') {
		l = l[:digits] + "\\" + l[digits:]
	}
	return l
}

// markdownAnywhere start emphasis, code, links, images, tags, entities,
// headings, quotes, tables and strikethrough wherever they are; the
// characters of markdownLineStart start a list, a thematic break or a
// heading's underline only at the start of a line.
const (
	markdownAnywhere  = "\\`*_[]<>&#|~!"
	markdownLineStart = "-+="
)

// paragraphs keeps the paragraphs of free text but drops stray blank lines
// and Windows line endings.
func paragraphs(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var out []string
	for _, p := range strings.Split(s, "\n\n") {
		lines := strings.Split(p, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimSpace(l)
		}
		if p := strings.TrimSpace(strings.Join(lines, "\n")); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}

// properNouns keep their capital after "Good, because".
var properNouns = map[string]bool{"Django": true, "Node.js": true, "Python": true, "JavaScript": true, "TypeScript": true}

// lowerFirst fits a reason, written as a sentence for the result page, after
// MADR's "Good, because": "Your team knows…" becomes "your team knows…", but
// names and acronyms ("Django", "API") keep their capitals.
func lowerFirst(s string) string {
	word, _, _ := strings.Cut(s, " ")
	word = strings.TrimRight(word, ",;:'’")
	if properNouns[word] {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) || strings.IndexFunc(word[size:], unicode.IsUpper) >= 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
