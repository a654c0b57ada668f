package form

import "testing"

func TestCapacity(t *testing.T) {
	tests := []struct {
		raw     string
		want    int
		problem bool
	}{
		{"", 0, false},
		{"  ", 0, false},
		{"12", 12, false},
		{" 500 ", 500, false},
		{"1", 1, false},
		{"0", 0, true},
		{"-3", 0, true},
		{"501", 0, true},
		{"12.5", 0, true},
		{"twelve", 0, true},
		{"99999999999999999999999", 0, true},
	}
	for _, tt := range tests {
		got, problem := Capacity(tt.raw, 500)
		if got != tt.want || (problem != nil) != tt.problem {
			t.Errorf("Capacity(%q) = %d, %v; want %d, problem %v", tt.raw, got, problem, tt.want, tt.problem)
		}
		if problem != nil && problem.Field != "capacity" {
			t.Errorf("Capacity(%q): problem names field %q", tt.raw, problem.Field)
		}
	}
}

// FuzzCapacity: any text gives either a number within 1..most, or 0 and a
// problem (or 0 and none for an empty field).
func FuzzCapacity(f *testing.F) {
	for _, s := range []string{"", "1", "500", "501", "-1", "1e3", "٣", "0x10", " 7 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n, problem := Capacity(raw, 500)
		switch {
		case problem != nil && n != 0:
			t.Errorf("Capacity(%q) = %d with a problem", raw, n)
		case problem == nil && n != 0 && (n < 1 || n > 500):
			t.Errorf("Capacity(%q) = %d, out of 1..500", raw, n)
		}
	})
}
