package rules_test

import (
	"encoding/json"
	"testing"

	"stackfit/rules"
)

func TestShares(t *testing.T) {
	tests := []struct {
		name           string
		scores         rules.Scores
		django, nodejs int
	}{
		{"nothing fired", rules.Scores{}, 50, 50},
		{"even", rules.Scores{Django: 4, NodeJS: 4}, 50, 50},
		// Rounded one by one, 5 to 3 gave 63 % and 38 %.
		{"a half, Node.js ahead", rules.Scores{Django: 3, NodeJS: 5}, 37, 63},
		{"a half, Django ahead", rules.Scores{Django: 5, NodeJS: 3}, 63, 37},
		{"thirds", rules.Scores{Django: 1, NodeJS: 2}, 33, 67},
		{"one side only", rules.Scores{Django: 0, NodeJS: 7}, 0, 100},
		{"a sixth", rules.Scores{Django: 5, NodeJS: 1}, 83, 17},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, n := tt.scores.Shares()
			if d != tt.django || n != tt.nodejs {
				t.Errorf("Shares(%+v) = %d, %d; want %d, %d", tt.scores, d, n, tt.django, tt.nodejs)
			}
			if p, q := tt.scores.Percent(rules.Django), tt.scores.Percent(rules.NodeJS); p != d || q != n {
				t.Errorf("Percent gives %d, %d; Shares %d, %d", p, q, d, n)
			}
		})
	}
}

// TestSharesAddUp: every pair adds up to 100, and swapping the sides swaps the figures.
func TestSharesAddUp(t *testing.T) {
	for dj := range 40 {
		for nj := range 40 {
			d, n := rules.Scores{Django: dj, NodeJS: nj}.Shares()
			if d+n != 100 || d < 0 || n < 0 {
				t.Fatalf("%d to %d: %d + %d", dj, nj, d, n)
			}
			if sd, sn := (rules.Scores{Django: nj, NodeJS: dj}).Shares(); sd != n || sn != d {
				t.Fatalf("%d to %d gives %d/%d, swapped %d/%d", dj, nj, d, n, sd, sn)
			}
		}
	}
}

// TestScoresJSON: the JSON keeps the scores as they were and adds the shares
// as the pages round them; reading it back gives the same scores.
func TestScoresJSON(t *testing.T) {
	s := rules.Scores{Django: 3, NodeJS: 5}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"django":3,"nodejs":5,"percent":{"django":37,"nodejs":63}}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var back rules.Scores
	if err := json.Unmarshal(b, &back); err != nil || back != s {
		t.Errorf("read back %+v, %v; want %+v", back, err, s)
	}
}
