package form

import (
	"strings"
	"unicode"
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
// names: the title and context trimmed, anonymous when "yes" or "true".
func NewWorkshop(title, context, anonymous string) (stackfit.NewWorkshop, []FieldProblem) {
	nw := stackfit.NewWorkshop{
		Title:     strings.TrimSpace(title),
		Context:   strings.TrimSpace(context),
		Anonymous: anonymous == "yes" || anonymous == "true",
	}
	var problems []FieldProblem
	switch {
	case nw.Title == "":
		problems = append(problems, FieldProblem{"title", "Title", "Give the workshop a title, such as “Booking platform v2 kickoff”."})
	case utf8.RuneCountInString(nw.Title) > maxTitle || !printable(nw.Title):
		problems = append(problems, FieldProblem{"title", "Title", "Keep the title to one line of at most 120 characters."})
	}
	if utf8.RuneCountInString(nw.Context) > maxContext || !utf8.ValidString(nw.Context) {
		problems = append(problems, FieldProblem{"context", "Context", "Keep the context to at most 1000 characters."})
	}
	return nw, problems
}

// Name checks a participant's display name: the name trimmed, or a
// sentence saying what to change.
func Name(name string) (string, string) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", "Give the name the others will see on the board."
	case utf8.RuneCountInString(name) > maxName || !printable(name):
		return "", "Keep the name to one line of at most 60 characters."
	}
	return name, ""
}

func printable(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) < 0
}
