package handlers_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// finish answers everything and submits; it returns the result's path.
func (c *client) finish(overrides map[string][]string) string {
	c.t.Helper()
	c.answerAll(overrides)
	r := c.post("/q/review", nil)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/r/") {
		c.t.Fatalf("submit: status %d, Location %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	return r.header.Get("Location")
}

func TestResultFlow(t *testing.T) {
	app := newTestApp(t)
	owner := app.client()
	path := owner.finish(map[string][]string{"python": {"strong"}, "admin": {"central"}, "deadline": {"soon"}})
	id := strings.TrimPrefix(path, "/r/")
	if len(id) != 22 {
		t.Errorf("result id %q: want 22 URL-safe characters (128 bits)", id)
	}
	page := owner.get(path)
	if page.status != 200 {
		t.Fatalf("status %d", page.status)
	}
	mustContain(t, page.body, "Django recommended", "Why Django", "What speaks for Node.js", "What would change this",
		"“Admin Interface”", `/r/`+id+`/decision.md`, `/r/`+id+`/qr.svg`, "Change the answers",
		`property="og:title" content="Django recommended · `)

	// Someone else, with only the link: read-only, with a way to start from these answers.
	other := app.client()
	shared := other.get(path)
	mustContain(t, shared.body, "Someone shared this result with you", "Start from these answers", "Take the questionnaire yourself")
	r := other.post(path+"/start", url.Values{"q": {"deadline"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/q/delivery#q-deadline" {
		t.Fatalf("start: status %d, Location %q", r.status, r.header.Get("Location"))
	}
	mustContain(t, other.get("/q/delivery").body, `value="soon" checked`)

	// Every flip is a link to a what-if page that shows the other result, and can be saved.
	flip := regexp.MustCompile(`href="(/r/` + id + `/what-if\?[^"]+)"`).FindStringSubmatch(page.body)
	if flip == nil {
		t.Fatal("no what-if link")
	}
	whatIf := other.get(html.UnescapeString(flip[1]))
	if whatIf.status != 200 {
		t.Fatalf("what-if: status %d", whatIf.status)
	}
	mustContain(t, whatIf.body, "What if", "This result is not saved", "Save as a new result")
	if strings.Contains(whatIf.body, "Django recommended") {
		t.Error("the what-if page shows the same recommendation")
	}
	before := app.countResults()
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([a-z_]+)">`).FindAllStringSubmatch(whatIf.body, -1) {
		if m[1] != "_csrf" {
			form.Add(m[1], m[2])
		}
	}
	saved := other.post("/r", form)
	if saved.status != http.StatusSeeOther || app.countResults() != before+1 {
		t.Fatalf("save what-if: status %d, results %d → %d", saved.status, before, app.countResults())
	}
}

func TestReviewNeedsEveryAnswer(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	c.get("/q/team")
	r := c.post("/q/review", nil)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	mustContain(t, r.body, "23 questions need an answer")
	if app.countResults() != 0 {
		t.Error("an incomplete questionnaire was stored")
	}
}

func TestDownloads(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	path := c.finish(nil)
	id := strings.TrimPrefix(path, "/r/")
	tests := []struct {
		path, contentType string
		contains          []string
	}{
		{path + "/decision.md", "text/markdown", []string{"## Decision Outcome", "Django vs NodeJS"}},
		{path + "/result.json", "application/json", []string{`"id": "` + id + `"`, `"created_at"`, `"answers"`, `"result"`}},
		{path + "/qr.svg", "image/svg+xml", []string{"<svg", "viewBox"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := c.get(tt.path)
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), tt.contentType) {
				t.Fatalf("status %d, Content-Type %q", r.status, r.header.Get("Content-Type"))
			}
			mustContain(t, r.body, tt.contains...)
		})
	}
	var stored struct {
		Answers map[string]json.RawMessage `json:"answers"`
	}
	json.Unmarshal([]byte(c.get(path+"/result.json").body), &stored)
	if len(stored.Answers) != 23 || string(stored.Answers["packages"])[0] != '[' || string(stored.Answers["python"])[0] != '"' {
		t.Errorf("answers in the JSON download: %v", stored.Answers)
	}
}

// A result outlives the server: restart on the same database and read it again.
func TestResultSurvivesRestart(t *testing.T) {
	app := newTestApp(t)
	path := app.client().finish(nil)
	app.stop()
	again := startApp(t, app.dbPath)
	r := again.client().get(path)
	if r.status != 200 {
		t.Fatalf("after restart: status %d", r.status)
	}
	mustContain(t, r.body, "recommended")
}

// A server error shows a friendly page, never the cause.
func TestServerErrorIsFriendly(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	path := c.finish(nil)
	app.store.Close() // the database goes away under the running server
	for _, p := range []string{path, "/api/v1/results/" + strings.TrimPrefix(path, "/r/")} {
		r := c.get(p)
		if r.status != 500 {
			t.Fatalf("%s: status %d, want 500", p, r.status)
		}
		for _, leak := range []string{"sql", "database is closed", "goroutine", ".go:"} {
			if strings.Contains(strings.ToLower(r.body), leak) {
				t.Errorf("%s: the page shows %q:\n%s", p, leak, r.body)
			}
		}
	}
	if r := c.get("/healthz"); r.status != http.StatusServiceUnavailable {
		t.Errorf("healthz with a closed database: %d", r.status)
	}
}
