package workshop

import (
	"strings"
	"testing"
)

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := NewCode()
		if got, ok := ParseCode(c); !ok || got != c {
			t.Fatalf("NewCode gave %q, which ParseCode reads as %q, %v", c, got, ok)
		}
		if strings.ContainsAny(c, "0O1IL") {
			t.Fatalf("code %q has a character that is easy to misread", c)
		}
		seen[c] = true
	}
	if len(seen) < 990 {
		t.Errorf("1000 codes gave only %d distinct ones", len(seen))
	}
}

func TestParseCode(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"K7QH2M", "K7QH2M", true},
		{"k7qh2m", "K7QH2M", true},
		{" k7q-h2m ", "K7QH2M", true},
		{"K7Q H2M", "K7QH2M", true},
		{"K7QH2", "", false},
		{"K7QH2MM", "", false},
		{"K0QH2M", "", false}, // zero is never in a code
		{"KIQH2M", "", false},
		{"", "", false},
		{"ÄÄÄÄÄÄ", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzParseCode checks the decoder of codes people type: whatever it accepts
// is a well-formed code that reads back as itself, and every code survives
// being typed in lower case with a space or dash.
func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"K7QH2M", "k7q-h2m", " k7q h2m ", "K7QH2", "K7QH2MM", "OIL123", "ß7QH2M", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := ParseCode(s)
		if !ok {
			if code != "" {
				t.Fatalf("ParseCode(%q) refused but returned %q", s, code)
			}
			return
		}
		if len(code) != CodeLength || strings.Trim(code, codeAlphabet) != "" {
			t.Fatalf("ParseCode(%q) = %q, not a code", s, code)
		}
		typed := strings.ToLower(code[:3]) + " - " + strings.ToLower(code[3:])
		if again, ok := ParseCode(typed); !ok || again != code {
			t.Fatalf("ParseCode(%q) = %q, %v; want %q", typed, again, ok, code)
		}
	})
}
