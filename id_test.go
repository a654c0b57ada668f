package stackfit_test

import (
	"testing"

	"stackfit"
)

func TestIDs(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := stackfit.NewID()
		if len(id) != 22 || !stackfit.ValidID(id) || seen[id] {
			t.Fatalf("NewID() = %q: want 22 characters, valid, never seen before", id)
		}
		seen[id] = true
	}
	for _, id := range []string{"", "short", "AAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAA+A", "AAAAAAAAAAAAAAAAAAAA'A", "AAAAAAAAAAAAAAAAAAAA/A"} {
		if stackfit.ValidID(id) {
			t.Errorf("ValidID(%q) = true", id)
		}
	}
}

func TestKeyMatches(t *testing.T) {
	stored := stackfit.HashKey("the facilitator's key")
	tests := map[string]bool{"the facilitator's key": true, "the facilitator's kez": false, "": false}
	for key, want := range tests {
		if got := stackfit.KeyMatches(key, stored); got != want {
			t.Errorf("KeyMatches(%q) = %v, want %v", key, got, want)
		}
	}
	if stackfit.KeyMatches("x", nil) {
		t.Error("a key matched no stored hash")
	}
}
