package handlers_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestRoutes(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	sections := app.rules.Sections
	first, last := sections[0], sections[len(sections)-1]
	steps := strconv.Itoa(len(sections))
	multiple := "" // the first step with a multiple-choice question
	for _, sec := range sections {
		for _, q := range sec.Questions {
			if q.Multiple && multiple == "" {
				multiple = sec.ID
			}
		}
	}
	tests := []struct {
		path        string
		status      int
		contentType string
		contains    []string
	}{
		{"/", 200, "text/html", []string{"Django or Node.js?", "Start the questionnaire", `name="htmx-config"`, "og:title"}},
		{"/how", 200, "text/html", []string{"How stackfit decides", "Build an application in limited time frame"}},
		{"/q", 303, "", nil},
		{"/q/" + first.ID, 200, "text/html", []string{"Step 1 of " + steps, first.Questions[0].Text, `name="_csrf"`}},
		{"/q/" + last.ID, 200, "text/html", []string{"Step " + steps + " of " + steps, "Review your answers"}},
		{"/q/" + multiple, 200, "text/html", []string{`type="checkbox"`}},
		{"/q/review", 200, "text/html", []string{"Review your answers", "Not answered"}},
		{"/q/nonsense", 404, "text/html", []string{"We could not find that page"}},
		{"/r/AAAAAAAAAAAAAAAAAAAAAA", 404, "text/html", []string{"We could not find that page"}},
		{"/no/such/page", 404, "text/html", []string{"We could not find that page", "stackfit"}},
		{"/healthz", 200, "application/json", []string{`"status":"ok"`, `"version":"`, `"commit":"`}},
		{"/api/v1/questionnaire", 200, "application/json", []string{`"sections"`}},
		{"/api/v1/criteria", 200, "application/json", []string{`"criteria"`}},
		{"/api/v1/results/AAAAAAAAAAAAAAAAAAAAAA", 404, "application/json", []string{`"error"`}},
		{"/api/v1/nothing", 404, "application/json", []string{`{"error":`}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := c.get(tt.path)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d\n%s", r.status, tt.status, r.body)
			}
			if !strings.HasPrefix(r.header.Get("Content-Type"), tt.contentType) {
				t.Errorf("Content-Type %q, want %q", r.header.Get("Content-Type"), tt.contentType)
			}
			mustContain(t, r.body, tt.contains...)
		})
	}
}

func TestHead(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	for path, want := range map[string]int{"/": 200, "/how": 200, "/healthz": 200, "/nowhere": 404} {
		r := c.do(http.MethodHead, path, nil, nil)
		if r.status != want || r.body != "" {
			t.Errorf("HEAD %s: status %d with %d bytes, want %d and no body", path, r.status, len(r.body), want)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	app := newTestApp(t)
	r := app.client().get("/q/team")
	for h, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self'; style-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
	} {
		if !strings.Contains(r.header.Get(h), want) {
			t.Errorf("%s = %q, want it to contain %q", h, r.header.Get(h), want)
		}
	}
	if !strings.Contains(r.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Error("CSP lacks frame-ancestors 'none'")
	}
	// No inline script or style anywhere: the CSP would block them.
	for _, bad := range []*regexp.Regexp{regexp.MustCompile(`<script>`), regexp.MustCompile(`<script[^>]*>[^<]+</script>`), regexp.MustCompile(` style="`), regexp.MustCompile(`<style`), regexp.MustCompile(` hx-on`)} {
		if bad.MatchString(r.body) {
			t.Errorf("page has inline code matching %s", bad)
		}
	}
	var session *http.Cookie
	for _, ck := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(ck, "stackfit=") {
			session = &http.Cookie{Raw: ck}
		}
	}
	if session == nil {
		t.Fatal("no session cookie")
	}
	if !strings.Contains(session.Raw, "HttpOnly") || !strings.Contains(session.Raw, "SameSite=Lax") {
		t.Errorf("session cookie %q: want HttpOnly and SameSite=Lax", session.Raw)
	}
}

func TestStaticAssets(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	page := c.get("/")
	m := regexp.MustCompile(`src="(/static/[0-9a-f]+/vendor/htmx-4\.0\.1\.min\.js)"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("no hashed htmx script in the page")
	}
	r := c.do(http.MethodGet, m[1], nil, http.Header{"Accept-Encoding": {"gzip"}})
	if r.status != 200 || r.header.Get("Content-Encoding") != "gzip" || !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("status %d, encoding %q, cache %q", r.status, r.header.Get("Content-Encoding"), r.header.Get("Cache-Control"))
	}
	if r := c.get("/static/0000000000/css/app.css"); r.status != 404 {
		t.Errorf("a stale hash gave %d, want 404", r.status)
	}
}
