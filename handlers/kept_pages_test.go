package handlers_test

import (
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"stackfit/handlers"
)

// csrfValues are where a page carries its CSRF token, masked afresh in
// every response.
var csrfValues = regexp.MustCompile(`(name="_csrf" value="|<meta name="csrf-token" content=")[^"]*"`)

// sameTokens puts one placeholder where each CSRF token was, so pages sent
// in different responses compare.
func sameTokens(t *testing.T, path string, r response) string {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: status %d\n%s", path, r.status, r.body)
	}
	if strings.Contains(r.body, "csrf-slot") {
		t.Fatalf("GET %s: a slot for the token was sent", path)
	}
	if !csrfValues.MatchString(r.body) {
		t.Fatalf("GET %s: no CSRF token", path)
	}
	return csrfValues.ReplaceAllString(r.body, `${1}TOKEN"`)
}

// A kept step page, and the home page kept for new visitors, are byte for
// byte what the templates render, for several sets of answers, as a whole
// page and as htmx's fragment, and for someone answering for a workshop;
// and the token filled into a kept page is one the server accepts.
func TestKeptPagesAreTheRenderedOnes(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "stackfit.db")
	cfg := handlers.Config{BaseURL: "https://stackfit.example"}
	app := startConfiguredApp(t, dbPath, cfg)
	sections := app.rules.Sections
	first, second := sections[0], sections[1]
	var multiple, multipleSection = "", ""
	for _, sec := range sections {
		for _, q := range sec.Questions {
			if q.Multiple && multiple == "" && len(q.Options) > 2 {
				multiple, multipleSection = q.ID, sec.ID
			}
		}
	}
	if multiple == "" {
		t.Fatal("the questionnaire has no multiple choice of three options or more")
	}
	lastOptions := url.Values{"nav": {"next"}}
	for _, q := range first.Questions {
		lastOptions.Set(q.ID, q.Options[len(q.Options)-1].ID)
	}
	mq, _ := app.rules.Question(multiple)

	scenarios := []struct {
		name  string
		setup func(c *client)
		paths []string
	}{
		{"new visitor", func(*client) {}, []string{"/", "/q/" + first.ID, "/q/" + second.ID}},
		{"first step answered with its last options", func(c *client) {
			c.get("/q/" + first.ID)
			if r := c.post("/q/"+first.ID, lastOptions); r.status != http.StatusSeeOther {
				t.Fatalf("post: status %d", r.status)
			}
		}, []string{"/q/" + first.ID, "/q/" + second.ID}},
		{"two boxes ticked", func(c *client) {
			form := url.Values{"nav": {"back"}, multiple: {mq.Options[0].ID, mq.Options[2].ID}}
			c.post("/q/"+multipleSection, form)
		}, []string{"/q/" + multipleSection}},
		{"htmx fragment", func(c *client) {
			c.post("/q/"+first.ID, lastOptions)
			c.header.Set("HX-Request", "true")
			c.header.Set("HX-Request-Type", "partial")
		}, []string{"/q/" + first.ID, "/q/" + second.ID}},
		{"answering for a workshop", func(c *client) {
			code, _ := app.client().createWorkshop("Kickoff <v2>", false)
			c.join(code, "Ada")
		}, []string{"/q/" + first.ID, "/"}},
	}
	clients := make([]*client, len(scenarios))
	kept := map[string]string{}
	for i, sc := range scenarios {
		c := app.client()
		sc.setup(c)
		clients[i] = c
		for _, path := range sc.paths {
			rendered := sameTokens(t, path, c.get(path))
			if again := sameTokens(t, path, c.get(path)); again != rendered {
				t.Errorf("%s, %s: the second request got another page", sc.name, path)
			}
			kept[sc.name+" "+path] = rendered
		}
	}
	// The token filled into a kept step page is accepted.
	c := app.client()
	c.get("/q/" + first.ID)
	c.get("/q/" + first.ID)
	if r := c.post("/q/"+first.ID, lastOptions); r.status != http.StatusSeeOther {
		t.Errorf("a post with a kept page's token: status %d", r.status)
	}

	app.stop()
	cfg.StepPages, cfg.ResultPages = -1, -1
	uncached := startConfiguredApp(t, dbPath, cfg)
	for i, sc := range scenarios {
		c := uncached.client() // the same browser: its cookies, its htmx headers
		c.http.Jar, c.header = clients[i].http.Jar, clients[i].header
		for _, path := range sc.paths {
			if got := sameTokens(t, path, c.get(path)); got != kept[sc.name+" "+path] {
				t.Errorf("%s, %s: the kept page differs from a fresh render", sc.name, path)
			}
		}
	}
}
