package form

import (
	"strings"
	"testing"
)

func TestDecisionName(t *testing.T) {
	tests := []struct {
		name, value string
		want        string // the name kept, when accepted
		problem     string // part of the message, when refused
	}{
		{"none", "", "", ""},
		{"only spaces", "   ", "", ""},
		{"a name", "  Booking platform v2 ", "Booking platform v2", ""},
		{"80 characters", strings.Repeat("é", 80), strings.Repeat("é", 80), ""},
		{"81 characters", strings.Repeat("é", 81), "", "at most 80 characters"},
		{"a line break", "Booking\nplatform", "", "Keep the name of the decision to one line"},
		{"a direction override", "v2\u202etxt", "", "The name of the decision has a character that changes the direction of text (U+202E)"},
		{"a zero-width space", "v\u200b2", "", "The name of the decision has an invisible character (U+200B): remove it."},
		{"not UTF-8", "v2\xff", "", "not valid text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problem := DecisionName(tt.value)
			if tt.problem == "" {
				if problem != "" || got != tt.want {
					t.Fatalf("DecisionName(%q) = %q, %q; want %q accepted", tt.value, got, problem, tt.want)
				}
				return
			}
			if !strings.Contains(problem, tt.problem) || got != "" {
				t.Fatalf("DecisionName(%q) = %q, %q; want refused with %q", tt.value, got, problem, tt.problem)
			}
		})
	}
}
