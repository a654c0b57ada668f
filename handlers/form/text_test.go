package form

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, value string
		multiline   bool
		want        string // the value kept, when accepted
		problem     string // part of the message, when refused
	}{
		{"plain", "  Kickoff  ", false, "Kickoff", ""},
		{"accents, emoji and a no-break space", "Café\u00a0☕ 🚀", false, "Café\u00a0☕ 🚀", ""},
		{"right-to-left script", "שלום עולם", false, "שלום עולם", ""},
		{"lines in a multi-line field", "One\r\n\ttwo\nthree", true, "One\n\ttwo\nthree", ""},
		{"line break in a one-line field", "Kick\noff", false, "", "Keep the title to one line"},
		{"carriage return in a one-line field", "Kick\roff", false, "", "Keep the title to one line"},
		{"line separator", "Kick\u2028off", false, "", "Keep the title to one line"},
		{"line separator in a multi-line field", "Kick\u2028off", true, "", "control character (U+2028)"},
		{"tab in a one-line field", "Kick\toff", false, "", "control character (U+0009)"},
		{"NUL", "Kick\x00off", true, "", "The title has a control character (U+0000): remove it."},
		{"escape", "\x1b[31mred", true, "", "control character (U+001B)"},
		{"C1 control", "a\u0085b", false, "", "control character (U+0085)"},
		{"bare carriage return in a multi-line field", "a\rb", true, "", "control character (U+000D)"},
		{"right-to-left override", "evil\u202egpj.exe", false, "", "The title has a character that changes the direction of text (U+202E): remove it."},
		{"left-to-right embedding", "a\u202ab", true, "", "direction of text (U+202A)"},
		{"first-strong isolate", "a\u2068b\u2069", false, "", "direction of text (U+2068)"},
		{"pop directional isolate", "a\u2069", true, "", "direction of text (U+2069)"},
		{"zero-width space", "Ana\u200b", false, "", "The title has an invisible character (U+200B): remove it."},
		{"zero-width joiner", "a\u200db", true, "", "invisible character (U+200D)"},
		{"byte order mark", "\ufeffAna", false, "", "invisible character (U+FEFF)"},
		{"soft hyphen", "An\u00ada", false, "", "invisible character (U+00AD)"},
		{"invalid UTF-8", "Ana\xff", false, "", "The title is not valid text (it is not UTF-8): type it again."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problem := text("title", tt.value, tt.multiline)
			if tt.problem == "" {
				if problem != "" || got != tt.want {
					t.Fatalf("text(%q) = %q, %q; want %q accepted", tt.value, got, problem, tt.want)
				}
				return
			}
			if !strings.Contains(problem, tt.problem) || got != "" {
				t.Fatalf("text(%q) = %q, %q; want refused with %q", tt.value, got, problem, tt.problem)
			}
		})
	}
}

// typed tells whether s is text as a person types it: what text() accepts.
func typed(s string, multiline bool) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool {
		if multiline && (r == '\n' || r == '\t') {
			return false
		}
		return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
	}) < 0
}
