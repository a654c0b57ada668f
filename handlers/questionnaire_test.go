package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestStepMovesOnAndBack(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	c.get("/q/team")
	r := c.post("/q/team", url.Values{"python": {"strong"}, "javascript": {"some"}, "experience": {"django"}, "learning": {"days"}, "nav": {"next"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/q/product" {
		t.Fatalf("status %d, Location %q", r.status, r.header.Get("Location"))
	}
	// Back keeps what was answered on this step, even if incomplete, and needs nothing else.
	r = c.post("/q/product", url.Values{"admin": {"central"}, "nav": {"back"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/q/team" {
		t.Fatalf("back: status %d, Location %q", r.status, r.header.Get("Location"))
	}
	page := c.get("/q/product")
	mustContain(t, page.body, `value="central" checked`)
	// The answers survive in the session: a new visit to /q resumes at the step last shown.
	if r := c.get("/q"); r.header.Get("Location") != "/q/product" {
		t.Errorf("resume went to %q", r.header.Get("Location"))
	}
	mustContain(t, c.get("/").body, "Continue where you left off")
}

func TestMissingAnswerBringsTheStepBack(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	c.get("/q/team")
	r := c.post("/q/team", url.Values{"python": {"strong"}, "nav": {"next"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	mustContain(t, r.body,
		`role="alert"`, "3 questions need an answer",
		`id="q-javascript-error"`, "Choose an answer, or “Not sure”.",
		`value="strong" checked`, // what was answered is kept
		"<html")
	if strings.Contains(r.body, `id="q-python-error"`) {
		t.Error("an answered question shows an error")
	}
}

func TestBadOptionIsAProblemNotAnError(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	c.get("/q/team")
	r := c.post("/q/team", url.Values{"python": {"guru"}, "javascript": {"some"}, "experience": {"django"}, "learning": {"days"}, "nav": {"next"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	mustContain(t, r.body, `id="q-python-error"`, "Choose one of the options.")
}

// htmx asks for a fragment (HX-Request-Type: partial); everything else gets the page.
func TestFragmentOrPage(t *testing.T) {
	app := newTestApp(t)
	tests := []struct {
		name     string
		header   http.Header
		fragment bool
	}{
		{"plain browser", nil, false},
		{"htmx partial", http.Header{"Hx-Request": {"true"}, "Hx-Request-Type": {"partial"}}, true},
		{"htmx history restore", http.Header{"Hx-Request-Type": {"full"}, "Hx-History-Restore-Request": {"true"}}, false},
		{"htmx full", http.Header{"Hx-Request": {"true"}, "Hx-Request-Type": {"full"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := app.client()
			r := c.do(http.MethodGet, "/q/scale", nil, tt.header)
			isPage := strings.Contains(r.body, "<html")
			if r.status != 200 || isPage == tt.fragment {
				t.Fatalf("status %d, whole page %v, want fragment %v", r.status, isPage, tt.fragment)
			}
			mustContain(t, r.body, `id="wizard"`, "Step 3 of 6")
		})
	}
	// A 422 to htmx is the fragment too (htmx 4 swaps error responses).
	c := app.client()
	c.get("/q/scale")
	c.header.Set("HX-Request", "true")
	c.header.Set("HX-Request-Type", "partial")
	r := c.post("/q/scale", url.Values{"nav": {"next"}})
	if r.status != 422 || strings.Contains(r.body, "<html") {
		t.Errorf("status %d, whole page %v", r.status, strings.Contains(r.body, "<html"))
	}
}

func TestLeaningFollowsAnswers(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	c.get("/q/team")
	r := c.post("/q/team/lean", url.Values{"python": {"strong"}})
	if r.status != 200 || strings.Contains(r.body, "<html") {
		t.Fatalf("status %d", r.status)
	}
	mustContain(t, r.body, "Django 100%", "1 of 23 questions answered")
	r = c.post("/q/team/lean", url.Values{"python": {"none"}, "javascript": {"strong"}})
	mustContain(t, r.body, "Node.js 100%", "2 of 23 questions answered")
}

func TestCSRF(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	c.get("/q/team")
	form := url.Values{"python": {"strong"}, "nav": {"next"}}
	tests := []struct {
		name   string
		header http.Header
		token  string
		want   int
	}{
		{"no token", nil, "", http.StatusForbidden},
		{"wrong token", nil, "forged", http.StatusForbidden},
		{"cross-site browser", http.Header{"Sec-Fetch-Site": {"cross-site"}}, "", http.StatusForbidden},
		{"token in header, as htmx sends it", http.Header{"X-Csrf-Token": {"@token"}}, "", http.StatusUnprocessableEntity},
		{"same-origin browser", http.Header{"Sec-Fetch-Site": {"same-origin"}}, "", http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if tt.token != "" {
				f.Set("_csrf", tt.token)
			}
			h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
			for k, v := range tt.header {
				if v[0] == "@token" {
					v = []string{c.csrf}
				}
				h[k] = v
			}
			r := c.do(http.MethodPost, "/q/team", strings.NewReader(f.Encode()), h)
			if r.status != tt.want {
				t.Fatalf("status %d, want %d", r.status, tt.want)
			}
			if tt.want == http.StatusForbidden {
				mustContain(t, r.body, "This form has expired")
			}
		})
	}
}
