package form

import (
	"strconv"
	"testing"
)

func TestSlide(t *testing.T) {
	tests := []struct {
		raw  string
		want int
		ok   bool
	}{
		{"", 1, true},
		{"1", 1, true},
		{"30", 30, true},
		{"31", 0, false},
		{"0", 0, false},
		{"-1", 0, false},
		{"03", 0, false},
		{"+3", 0, false},
		{" 3", 0, false},
		{"3.0", 0, false},
		{"python", 0, false},
		{"99999999999999999999999", 0, false},
	}
	for _, tt := range tests {
		if got, ok := Slide(tt.raw, 30); got != tt.want || ok != tt.ok {
			t.Errorf("Slide(%q, 30) = %d, %v; want %d, %v", tt.raw, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzSlide: any ?q= is refused or names a slide that exists, by the one
// address that shows it.
func FuzzSlide(f *testing.F) {
	for _, seed := range []string{"", "1", "30", "31", "0", "-1", "03", "+3", "1e3", "٣"} {
		f.Add(seed, 30)
	}
	f.Fuzz(func(t *testing.T, raw string, slides int) {
		n, ok := Slide(raw, slides)
		if !ok {
			return
		}
		if n < 1 || n > slides {
			t.Fatalf("Slide(%q, %d) = %d, outside 1..%d", raw, slides, n, slides)
		}
		if raw != "" && strconv.Itoa(n) != raw {
			t.Fatalf("Slide(%q, %d) = %d, which has another address", raw, slides, n)
		}
	})
}
