// Package rules is stackfit's decision model: a questionnaire, the criteria taken
// from the document "Django vs NodeJS", and the rules that turn a team's answers
// into a recommendation with reasons. It knows nothing of HTTP, SQL or templates.
package rules

import (
	_ "embed"
	"slices"
)

// Side is what a criterion favours, or what an evaluation recommends.
type Side string

const (
	Django Side = "django"
	NodeJS Side = "nodejs"
	Tie    Side = "tie"
)

// Name is the side as people write it.
func (s Side) Name() string {
	switch s {
	case Django:
		return "Django"
	case NodeJS:
		return "Node.js"
	}
	return "A tie"
}

// Other is the opposing framework; a tie has none.
func (s Side) Other() Side {
	switch s {
	case Django:
		return NodeJS
	case NodeJS:
		return Django
	}
	return Tie
}

// Ruleset is a loaded, validated ruleset. It is read-only after Load and safe
// for concurrent use.
type Ruleset struct {
	Version  string
	Decision Decision
	Topics   []Topic
	Sections []Section
	Criteria []Criterion
	Rules    []Rule

	questions   []*Question    // every question, in questionnaire order
	questionAt  map[string]int // question id → index in questions
	criterionAt map[string]int // criterion id → index in Criteria
	topicAt     map[string]int // topic id → index in Topics
	readBy      [][]int        // question index → indexes of the rules that read it
	compiled    []compiledRule // parallel to Rules
	slotRules   [][]int        // slot (topic and side) → indexes of its rules
	slotsReadBy [][]int        // question index → slots whose rules read it
	document    string         // the source document, when known
}

// Decision holds what turns scores into a recommendation and its confidence.
type Decision struct {
	// TieMargin: below this margin (|django−nodejs| / (django+nodejs)) the result is a tie.
	TieMargin float64
	// Gates say, per side, which answers mean the team knows its language: a
	// side the team does not know is never recommended with high confidence.
	Gates []Gate
	// Mirror pairs the answers that swap when Python and JavaScript trade places.
	Mirror [][2]mirrorEnd
}

// Gate is what a side asks of the team before it can be recommended with high confidence.
type Gate struct {
	Side     Side
	Language string // as people write it: "Python"
	knows    []clause
}

// mirrorEnd is a question (option −1) or one of its options.
type mirrorEnd struct {
	question, option int
}

// Topic groups the criteria that make one claim: however many of the
// document's sentences support it, a topic counts once for each side.
type Topic struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Mirrored topics (what the team knows) must score Python and JavaScript alike.
	Mirrored bool `json:"mirrored,omitempty"`

	line int
}

// Scale orders a question's options from least to most in favour of a side.
type Scale struct {
	Toward  Side
	options []int
}

type Section struct {
	ID        string      `json:"id"`
	Title     string      `json:"title"`
	Questions []*Question `json:"questions"`
}

type Question struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Help     string `json:"help"`
	Multiple bool   `json:"multiple"`
	// NoteOnly questions go beyond the document: they never score, and some
	// answers bring up a note.
	NoteOnly bool     `json:"note_only,omitempty"`
	Options  []Option `json:"options"`

	scale     *Scale
	index     int
	optionAt  map[string]int
	exclusive uint64 // options that cannot be combined with others
	unsure    uint64 // the "not sure" option, if any
	line      int
}

type Option struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	// Unsure marks "not sure": it lowers confidence and no rule may match it.
	Unsure bool `json:"-"`
	// Exclusive marks an option of a multiple-choice question that stands alone ("none of these").
	Exclusive bool `json:"-"`
	// Note is said in the result, "not covered by the document", when this option is chosen.
	Note string `json:"-"`
}

// Criterion is one claim of the document, in its own words.
type Criterion struct {
	ID      string   `json:"id"`
	Favours Side     `json:"favours"`
	Topic   string   `json:"topic"`
	Quote   string   `json:"quote"`
	Note    string   `json:"note"`
	Rules   []string `json:"rules"`

	topic int
	line  int
}

// Rule adds Weight to its criteria's side when its condition holds, unless a
// weightier rule of the same topic and side holds too.
type Rule struct {
	ID        string
	Criterion string   // the first of Criteria
	Criteria  []string // the document's sentences behind the rule
	Topic     string
	Weight    int
	Why       string // why it weighs what it does
	Text      string
	Reads     []string // the questions its condition reads, in questionnaire order
}

// Scale is the question's declared order toward a side, if it has one.
func (q *Question) Scale() (Scale, []string, bool) {
	if q.scale == nil {
		return Scale{}, nil, false
	}
	ids := make([]string, len(q.scale.options))
	for i, oi := range q.scale.options {
		ids[i] = q.Options[oi].ID
	}
	return *q.scale, ids, true
}

// Topic returns the topic with the given id.
func (rs *Ruleset) Topic(id string) (Topic, bool) {
	i, ok := rs.topicAt[id]
	if !ok {
		return Topic{}, false
	}
	return rs.Topics[i], true
}

// slot numbers a topic's side: each slot counts once.
func slot(topic int, side Side) int {
	if side == NodeJS {
		return 2*topic + 1
	}
	return 2 * topic
}

// index builds the lookups evaluation needs from the loaded rules.
func (rs *Ruleset) index() {
	rs.slotRules = make([][]int, 2*len(rs.Topics))
	for i := range rs.compiled {
		r := &rs.compiled[i]
		r.slot = slot(r.topic, r.favours)
		rs.slotRules[r.slot] = append(rs.slotRules[r.slot], i)
	}
	rs.slotsReadBy = make([][]int, len(rs.questions))
	for qi, ris := range rs.readBy {
		for _, ri := range ris {
			if sl := rs.compiled[ri].slot; !slices.Contains(rs.slotsReadBy[qi], sl) {
				rs.slotsReadBy[qi] = append(rs.slotsReadBy[qi], sl)
			}
		}
	}
}

// Question returns the question with the given id.
func (rs *Ruleset) Question(id string) (*Question, bool) {
	i, ok := rs.questionAt[id]
	if !ok {
		return nil, false
	}
	return rs.questions[i], true
}

// Questions lists every question in questionnaire order.
func (rs *Ruleset) Questions() []*Question { return rs.questions }

// Criterion returns the criterion with the given id.
func (rs *Ruleset) Criterion(id string) (Criterion, bool) {
	i, ok := rs.criterionAt[id]
	if !ok {
		return Criterion{}, false
	}
	return rs.Criteria[i], true
}

// Document is the text the criteria quote, for the built-in ruleset.
func (rs *Ruleset) Document() string { return rs.document }

// Option returns the option with the given id.
func (q *Question) Option(id string) (Option, bool) {
	i, ok := q.optionAt[id]
	if !ok {
		return Option{}, false
	}
	return q.Options[i], true
}

// Label is the label of the option with the given id, or the id itself.
func (q *Question) Label(id string) string {
	if o, ok := q.Option(id); ok {
		return o.Label
	}
	return id
}

// HasUnsure tells whether the question offers "not sure".
func (q *Question) HasUnsure() bool { return q.unsure != 0 }

//go:embed ruleset.yaml
var builtinRuleset []byte

//go:embed document.txt
var builtinDocument string

// BuiltinName is how messages name the embedded ruleset file.
const BuiltinName = "rules/ruleset.yaml"

// Builtin loads the ruleset embedded in the binary.
func Builtin() (*Ruleset, error) {
	rs, err := Load(BuiltinName, builtinRuleset)
	if err != nil {
		return nil, err
	}
	rs.document = builtinDocument
	return rs, nil
}

// BuiltinYAML is the embedded ruleset file as written, the starting point
// for a ruleset of your own.
func BuiltinYAML() []byte { return slices.Clone(builtinRuleset) }
