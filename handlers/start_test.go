package handlers_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestStartFromResultAsks: a result's answers never silently replace the
// answers a browser has in progress. It is asked first; keeping them is a
// link, replacing them a second post with replace=yes.
func TestStartFromResultAsks(t *testing.T) {
	app := newTestApp(t)
	owner := app.client()
	path := owner.finish(map[string][]string{"python": {"strong"}})
	team := app.rules.Sections[0]
	own := url.Values{"nav": {"next"}}
	for _, q := range team.Questions {
		own[q.ID] = []string{q.Options[len(q.Options)-1].ID}
	}
	own["python"] = []string{"none"}

	tests := []struct {
		name      string
		who       func() *client
		form      url.Values
		asked     bool
		wantCheck string // what /q/team shows checked afterwards
	}{
		{"nobody's answers in progress", app.client, url.Values{}, false, `value="strong" checked`},
		{"the owner changes an answer", func() *client { return owner }, url.Values{"q": {"python"}}, false, `value="strong" checked`},
		{"someone with answers of their own", func() *client {
			c := app.client()
			c.post("/q/"+team.ID, own)
			return c
		}, url.Values{"q": {"python"}}, true, `value="none" checked`},
		{"someone who says replace", func() *client {
			c := app.client()
			c.post("/q/"+team.ID, own)
			return c
		}, url.Values{"q": {"python"}, "replace": {"yes"}}, false, `value="strong" checked`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.who()
			r := c.post(path+"/start", tt.form)
			if tt.asked {
				if r.status != http.StatusOK {
					t.Fatalf("status %d, want 200 with the question", r.status)
				}
				mustContain(t, decoded(r.body), "Replace your answers?", "answers of your own in progress",
					`name="replace" value="yes"`, `name="q" value="python"`, `href="/q">Keep my answers</a>`)
			} else if r.status != http.StatusSeeOther {
				t.Fatalf("status %d, want 303 to the questionnaire\n%s", r.status, r.body)
			}
			mustContain(t, c.get("/q/"+team.ID).body, tt.wantCheck)
		})
	}
}
