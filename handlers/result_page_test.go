package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"stackfit/rules"
)

// TestResultPageReads: strength in words instead of raw weights, three
// reasons a side before "more", and the changes in the order rules ranks
// them, five before "show all"; the figures of the legend and the sentence
// agree.
func TestResultPageReads(t *testing.T) {
	app := newTestApp(t)
	tests := []struct {
		name      string
		overrides map[string][]string
		manyFlips bool // more than the five listed at once
	}{
		{"every first option", nil, false},
		{"a live dashboard, close to a tie", map[string][]string{"python": {"strong"}, "javascript": {"some"}, "experience": {"django"},
			"learning": {"weeks"}, "admin": {"some"}, "api": {"some"}, "realtime": {"core"}, "frontend": {"spa"}, "data": {"lots"},
			"connections": {"thousands"}, "spikes": {"yes"}, "auth": {"basic"}, "deadline": {"later"}, "budget": {"generous"},
			"packages": {"realtime_libs"}, "architecture": {"not_sure"}, "services": {"one"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := app.client()
			path := c.finish(tt.overrides)
			ev := app.evaluate(app.answers(tt.overrides))
			if tt.manyFlips && len(ev.Flips) <= 5 {
				t.Fatalf("%d flips; the case needs more than five", len(ev.Flips))
			}
			page := decoded(c.get(path).body)
			mustNotContain(t, page, "(weight")
			d, n := ev.Scores.Shares()
			mustContain(t, page, fmt.Sprintf("Django %d%%</span>", d), fmt.Sprintf("Node.js %d%%</span>", n),
				fmt.Sprintf("Django %d%% · Node.js %d%%:", d, n))
			for _, side := range []rules.Side{rules.Django, rules.NodeJS} {
				if more := len(ev.ReasonsFor(side)) - 3; more > 0 {
					mustContain(t, page, fmt.Sprintf("%d more %s for %s</summary>", more, plural(more, "reason", "reasons"), side.Name()))
				}
			}
			for _, r := range ev.Reasons {
				word := map[int]string{1: "slight", 2: "moderate", 3: "strong", 4: "very strong"}[r.Weight]
				mustContain(t, page, r.Text+`</span>
    <details class="quotes">
      <summary><span class="strength s`+fmt.Sprint(r.Weight)+`">`+word+`</span>`)
			}

			flips := section(t, page, "flips-title")
			at := 0
			for i, f := range ev.Flips {
				q, _ := app.rules.Question(f.Question)
				next := strings.Index(flips[at:], "“"+q.Text+"”: “")
				if next < 0 {
					t.Fatalf("flip %d (%s) is missing or out of the ranked order", i, f.Question)
				}
				at += next + 1
				if i == 4 && len(ev.Flips) > 5 && !strings.Contains(flips[at:], "Show all "+fmt.Sprint(len(ev.Flips))+" changes</summary>") {
					t.Error("no “show all” after the first five changes")
				}
			}
		})
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
