package form

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzWorkshopForm checks the decoders of the new-workshop form and the
// display name: whatever they accept is trimmed typed text (no control,
// direction or invisible characters; lines only in the context) within its
// limit, and whatever they refuse comes with a message for the person.
func FuzzWorkshopForm(f *testing.F) {
	f.Add("Booking platform v2 kickoff", "Replacing the PHP app", "yes", "Ana")
	f.Add("  ", "", "", "")
	f.Add("a\nb", "line\none", "true", "Bo\x00")
	f.Add(strings.Repeat("é", 121), strings.Repeat("x", 1001), "no", strings.Repeat("n", 61))
	f.Add("\xff", "\xfe", "yes", "\u200b")
	f.Add("evil\u202egpj", "a\r\nb\x00\x1b", "yes", "\u2066Ana\u2069")
	f.Add("\ufeffKick", "line\u2028two\ttab", "no", "An\u00ada")
	f.Fuzz(func(t *testing.T, title, context, anonymous, name string) {
		nw, problems := NewWorkshop(title, context, anonymous)
		fields := map[string]bool{}
		for _, p := range problems {
			if p.Message == "" {
				t.Fatalf("problem with %s has no message", p.Field)
			}
			fields[p.Field] = true
		}
		if !fields["title"] {
			if nw.Title == "" || nw.Title != strings.TrimSpace(nw.Title) || utf8.RuneCountInString(nw.Title) > maxTitle || !typed(nw.Title, false) {
				t.Fatalf("accepted title %q", nw.Title)
			}
		}
		if !fields["context"] && (!typed(nw.Context, true) || utf8.RuneCountInString(nw.Context) > maxContext) {
			t.Fatalf("accepted context %q", nw.Context)
		}
		got, problem := Name(name)
		switch {
		case problem == "" && (got == "" || got != strings.TrimSpace(got) || utf8.RuneCountInString(got) > maxName || !typed(got, false)):
			t.Fatalf("accepted name %q as %q", name, got)
		case problem != "" && got != "":
			t.Fatalf("refused name %q but returned %q", name, got)
		}
	})
}
