package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"stackfit/rules"
)

// The leaning panel appears on the review step once every question has an
// answer, with the recommendation, its share, the confidence and the
// sentence that says why; before that the review shows none of it.
func TestReviewShowsTheLeaningOnceAnswered(t *testing.T) {
	app := newTestApp(t)
	first := app.rules.Sections[0]
	tests := []struct {
		name   string
		answer func(c *client)
		panel  bool
	}{
		{"nothing answered", func(c *client) {}, false},
		{"one step answered", func(c *client) {
			form := url.Values{"nav": {"next"}}
			for _, q := range first.Questions {
				form.Set(q.ID, q.Options[0].ID)
			}
			if r := c.post("/q/"+first.ID, form); r.status != http.StatusSeeOther {
				t.Fatalf("step %s: status %d", first.ID, r.status)
			}
		}, false},
		{"every question answered", func(c *client) { c.answerAll(nil) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := app.client()
			c.get("/q/" + first.ID)
			tt.answer(c)
			page := c.get("/q/review")
			if page.status != http.StatusOK {
				t.Fatalf("status %d", page.status)
			}
			if !tt.panel {
				mustNotContain(t, page.body, `id="leaning"`, "Your answers lean")
				return
			}
			ev := app.evaluate(app.answers(nil))
			if ev.ConfidenceReason == "" {
				t.Fatal("the ruleset gives no confidence_reason to show")
			}
			headline := "Too close to call"
			if ev.Recommendation != rules.Tie {
				headline = ev.Recommendation.Name() + " " + strconv.Itoa(ev.Scores.Percent(ev.Recommendation)) + "%"
			}
			mustContain(t, decoded(page.body), `id="leaning"`, "Your answers lean",
				`<p class="verdict">`+headline+`</p>`,
				`<span class="badge `+string(ev.Confidence)+`">`+string(ev.Confidence)+` confidence</span>`,
				`<p class="confidence-reason">`+ev.ConfidenceReason+`</p>`)
		})
	}
}
