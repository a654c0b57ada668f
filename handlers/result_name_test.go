package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDecisionNameOnReview: the name given on the review step heads the
// result's title, page, preview, record and JSON; a bad one brings the
// review back with the message beside the field, and nothing is stored.
func TestDecisionNameOnReview(t *testing.T) {
	app := newTestApp(t)
	tests := []struct {
		name, typed string
		want        string // the name kept; "" for none
		problem     string // part of the message, when refused
	}{
		{"none", "", "", ""},
		{"a name", "  Booking platform v2 ", "Booking platform v2", ""},
		{"markup stays text", `<b>Shop</b> & "co"`, `<b>Shop</b> & "co"`, ""},
		{"too long", strings.Repeat("x", 81), "", "at most 80 characters"},
		{"a direction override", "v2\u202etxt.exe", "", "changes the direction of text (U+202E)"},
		{"a zero-width space", "v\u200b2", "", "invisible character (U+200B)"},
		{"a line break", "Booking\nplatform", "", "Keep the name of the decision to one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := app.client()
			c.answerAll(map[string][]string{"python": {"strong"}, "admin": {"central"}})
			before := app.countResults()
			r := c.post("/q/review", url.Values{"name": {tt.typed}})
			if tt.problem != "" {
				if r.status != http.StatusUnprocessableEntity || app.countResults() != before {
					t.Fatalf("status %d, results %d → %d; want 422 and nothing stored", r.status, before, app.countResults())
				}
				mustContain(t, decoded(r.body), tt.problem, `aria-invalid="true"`, `aria-describedby="name-help name-error"`)
				return
			}
			if r.status != http.StatusSeeOther {
				t.Fatalf("status %d\n%s", r.status, r.body)
			}
			path := r.header.Get("Location")
			page := c.get(path).body
			record := c.get(path + "/decision.md").body
			var stored struct {
				Name *string `json:"name"`
			}
			if err := json.Unmarshal([]byte(c.get(path+"/result.json").body), &stored); err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				mustContain(t, page, "<title>Django recommended · stackfit</title>")
				mustNotContain(t, page, `class="decision-name"`)
				mustContain(t, record, "# Django or Node.js for our new project\n")
				if stored.Name != nil {
					t.Errorf("JSON export has name %q, want none", *stored.Name)
				}
				return
			}
			mustContain(t, decoded(page), "<title>"+tt.want+": Django recommended · stackfit</title>",
				`<p class="decision-name">`+tt.want+`</p>`,
				`<meta property="og:title" content="`+tt.want+`: Django recommended · `)
			mustNotContain(t, page, "<b>Shop</b>")
			// The record escapes Markdown: with its backslashes taken out, the title reads as typed.
			if !strings.Contains(strings.ReplaceAll(record, `\`, ""), "\n# "+tt.want+"\n") {
				t.Errorf("the record's title is not the name %q:\n%s", tt.want, record[:min(len(record), 300)])
			}
			if stored.Name == nil || *stored.Name != tt.want {
				t.Errorf("JSON export has name %v, want %q", stored.Name, tt.want)
			}
		})
	}
}

// TestDecisionNameInAPI: POST /api/v1/results takes an optional name,
// checked as the page checks it; GET returns it.
func TestDecisionNameInAPI(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	answers, err := json.Marshal(app.answers(nil))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body string
		status     int
		want       string // the name, or part of the error
	}{
		{"a name", `{"name": " Booking platform v2 ", "answers": ` + string(answers) + `}`, 201, "Booking platform v2"},
		{"no name", `{"answers": ` + string(answers) + `}`, 201, ""},
		{"too long", `{"name": "` + strings.Repeat("x", 81) + `", "answers": ` + string(answers) + `}`, 400, "name: Keep the name of the decision to one line of at most 80 characters."},
		{"an invisible character", `{"name": "v\u200b2", "answers": ` + string(answers) + `}`, 400, "name: The name of the decision has an invisible character (U+200B): remove it."},
		{"a name but no answers", `{"name": "v2"}`, 400, `missing "answers"`},
		{"not a string", `{"name": 2, "answers": {}}`, 400, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := app.countResults()
			r := c.postJSON("/api/v1/results", tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.status != http.StatusCreated {
				if got := apiError(t, r); !strings.Contains(got, tt.want) {
					t.Errorf("error %q, want %q", got, tt.want)
				}
				if app.countResults() != before {
					t.Error("a refused name stored a result")
				}
				return
			}
			var created, read map[string]any
			if err := json.Unmarshal([]byte(r.body), &created); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(c.get("/api/v1/results/"+created["id"].(string)).body), &read); err != nil {
				t.Fatal(err)
			}
			for what, got := range map[string]map[string]any{"created": created, "read": read} {
				name, ok := got["name"]
				if tt.want == "" && ok {
					t.Errorf("%s: name %v, want no name field", what, name)
				}
				if tt.want != "" && name != tt.want {
					t.Errorf("%s: name %v, want %q", what, name, tt.want)
				}
			}
		})
	}
}
