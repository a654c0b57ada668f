// Package rules is stackfit's decision model: a questionnaire, the criteria taken
// from the document "Django vs NodeJS", and the rules that turn a team's answers
// into a recommendation with reasons. It knows nothing of HTTP, SQL or templates.
package rules

import (
	_ "embed"
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
	Sections []Section
	Criteria []Criterion
	Rules    []Rule

	questions   []*Question    // every question, in questionnaire order
	questionAt  map[string]int // question id → index in questions
	criterionAt map[string]int // criterion id → index in Criteria
	readBy      [][]int        // question index → indexes of the rules that read it
	compiled    []compiledRule // parallel to Rules
	document    string         // the source document, when known
}

// Decision holds the thresholds that turn scores into a recommendation.
type Decision struct {
	// TieMargin: below this margin (|django−nodejs| / (django+nodejs)) the result is a tie.
	TieMargin float64
	High      Threshold
	Medium    Threshold
}

// Threshold is what a confidence level needs: at least this margin and at
// most this share of "not sure" or missing answers.
type Threshold struct {
	MinMargin    float64
	MaxUncertain float64
}

type Section struct {
	ID        string      `json:"id"`
	Title     string      `json:"title"`
	Questions []*Question `json:"questions"`
}

type Question struct {
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	Help     string   `json:"help"`
	Multiple bool     `json:"multiple"`
	Options  []Option `json:"options"`

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
}

// Criterion is one claim of the document, in its own words.
type Criterion struct {
	ID      string   `json:"id"`
	Favours Side     `json:"favours"`
	Topic   string   `json:"topic"`
	Quote   string   `json:"quote"`
	Note    string   `json:"note"`
	Rules   []string `json:"rules"`

	line int
}

// Rule adds Weight to its criterion's side when its condition holds.
type Rule struct {
	ID        string
	Criterion string
	Weight    int
	Text      string
	Reads     []string // the questions its condition reads, in questionnaire order
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
