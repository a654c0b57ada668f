package form

import (
	"unicode/utf8"

	"stackfit"
)

// Limits on what people type; they keep pages and records readable.
const (
	maxTitle   = 120
	maxContext = 1000
	maxName    = 60
)

// FieldProblem is a form field that needs fixing, shown beside it and in the summary.
type FieldProblem struct {
	Field, Label, Message string
}

// NewWorkshop checks the new-workshop form, and the API's fields of the same
// names: the title and context as text() leaves them, anonymous when "yes"
// or "true".
func NewWorkshop(title, context, anonymous string) (stackfit.NewWorkshop, []FieldProblem) {
	nw := stackfit.NewWorkshop{Anonymous: anonymous == "yes" || anonymous == "true"}
	var problems []FieldProblem
	var problem string
	nw.Title, problem = text("title", title, false)
	switch {
	case problem != "":
	case nw.Title == "":
		problem = "Give the workshop a title, such as “Booking platform v2 kickoff”."
	case utf8.RuneCountInString(nw.Title) > maxTitle:
		problem = "Keep the title to one line of at most 120 characters."
	}
	if problem != "" {
		problems = append(problems, FieldProblem{"title", "Title", problem})
	}
	nw.Context, problem = text("context", context, true)
	if problem == "" && utf8.RuneCountInString(nw.Context) > maxContext {
		problem = "Keep the context to at most 1000 characters."
	}
	if problem != "" {
		problems = append(problems, FieldProblem{"context", "Context", problem})
	}
	return nw, problems
}

// Name checks a participant's display name: the name as text() leaves it,
// or a sentence saying what to change.
func Name(name string) (string, string) {
	name, problem := text("name", name, false)
	switch {
	case problem != "":
		return "", problem
	case name == "":
		return "", "Give the name the others will see on the board."
	case utf8.RuneCountInString(name) > maxName:
		return "", "Keep the name to one line of at most 60 characters."
	}
	return name, ""
}
