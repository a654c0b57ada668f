package handlers_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestCacheHeaders checks that answers, workshops, facilitator pages and
// exports are never kept by a cache, results only by the browser, and that
// every response, errors and assets included, forbids other sites to embed it.
func TestCacheHeaders(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, key := fac.createWorkshop("Kickoff", false)
	result := fac.finish(nil)
	q := app.rules.Questions()[0]
	asset := regexp.MustCompile(`href="(/static/[0-9a-f]+/css/app\.css)"`).FindStringSubmatch(fac.get("/").body)
	if asset == nil {
		t.Fatal("no hashed stylesheet in the page")
	}
	api := app.client()
	w := app.createWorkshopAPI("API kickoff", false)
	bearer := http.Header{"Authorization": {"Bearer " + w.FacilitatorKey}}
	created := api.postJSON("/api/v1/results", `{"answers": {}}`)
	apiResult := regexp.MustCompile(`"id":"([^"]+)"`).FindStringSubmatch(created.body)
	if created.status != http.StatusCreated || apiResult == nil {
		t.Fatalf("create result: status %d %s", created.status, created.body)
	}

	tests := []struct {
		name, path string
		c          *client
		header     http.Header
		status     int
		cache      string // want Cache-Control
	}{
		{"questionnaire", "/q/" + app.rules.Sections[0].ID, fac, nil, 200, "no-store"},
		{"review", "/q/review", fac, nil, 200, "no-store"},
		{"unknown step", "/q/nonsense", fac, nil, 404, "no-store"},
		{"result", result, fac, nil, 200, "private"},
		{"what-if", result + "/what-if?" + q.ID + "=" + q.Options[1].ID, fac, nil, 200, "private"},
		{"result record", result + "/decision.md", fac, nil, 200, "no-store"},
		{"result JSON", result + "/result.json", fac, nil, 200, "no-store"},
		{"result QR", result + "/qr.svg", fac, nil, 200, "private, max-age=86400"},
		{"join form", "/w", fac, nil, 200, "no-store"},
		{"new workshop", "/w/new", fac, nil, 200, "no-store"},
		{"workshop", "/w/" + code, app.client(), nil, 200, "no-store"},
		{"created", "/w/" + code + "/created", fac, nil, 200, "no-store"},
		{"present", "/w/" + code + "/present", fac, nil, 200, "no-store"},
		{"board", "/w/" + code + "/board", fac, nil, 200, "no-store"},
		{"board by key", "/w/" + code + "/board?key=" + key, app.client(), nil, 303, "no-store"},
		{"board without key", "/w/" + code + "/board", app.client(), nil, 401, "no-store"},
		{"workshop record", "/w/" + code + "/decision.md", fac, nil, 200, "no-store"},
		{"workshop CSV", "/w/" + code + "/answers.csv", fac, nil, 200, "no-store"},
		{"workshop JSON", "/w/" + code + "/summary.json", fac, nil, 200, "no-store"},
		{"API result", "/api/v1/results/" + apiResult[1], api, nil, 200, "private"},
		{"API summary", "/api/v1/workshops/" + w.Code + "/summary", api, bearer, 200, "no-store"},
		{"home", "/", fac, nil, 200, ""},
		{"asset", asset[1], fac, nil, 200, "public, max-age=31536000, immutable"},
		{"not found", "/no/such/page", fac, nil, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.c.do(http.MethodGet, tt.path, nil, tt.header)
			if r.status != tt.status {
				t.Fatalf("GET %s: status %d, want %d\n%s", tt.path, r.status, tt.status, r.body)
			}
			if got := r.header.Get("Cache-Control"); got != tt.cache {
				t.Errorf("GET %s: Cache-Control %q, want %q", tt.path, got, tt.cache)
			}
			if got := r.header.Get("Cross-Origin-Resource-Policy"); got != "same-origin" {
				t.Errorf("GET %s: Cross-Origin-Resource-Policy %q, want same-origin", tt.path, got)
			}
		})
	}
	// Replies to posts carry them too: a new result, a new workshop's key.
	if got := created.header.Get("Cache-Control"); got != "private" {
		t.Errorf("POST /api/v1/results: Cache-Control %q, want private", got)
	}
	if r := api.postJSON("/api/v1/workshops", `{"title": "Kickoff"}`); r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("POST /api/v1/workshops: status %d, Cache-Control %q, want no-store", r.status, r.header.Get("Cache-Control"))
	}
}

// TestMethodNotAllowed checks that a known path asked with the wrong method
// gets 405 and the methods it takes, as a page or as the API's JSON error,
// while an unknown path stays 404.
func TestMethodNotAllowed(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	c.get("/")
	tests := []struct {
		method, path string
		status       int
		allow        string // want in Allow
		contentType  string
	}{
		{http.MethodPost, "/how", 405, "GET", "text/html"},
		{http.MethodDelete, "/", 405, "GET", "text/html"},
		{http.MethodGet, "/r", 405, "POST", "text/html"},
		{http.MethodPut, "/q/review", 405, "GET, POST", "text/html"},
		{http.MethodDelete, "/w/ABCDEF/board", 405, "GET", "text/html"},
		{http.MethodPost, "/w/ABCDEF/answers.csv", 405, "GET", "text/html"},
		{http.MethodGet, "/api/v1/evaluate", 405, "POST", "application/json"},
		{http.MethodPut, "/api/v1/results/AAAAAAAAAAAAAAAAAAAAAA", 405, "GET", "application/json"},
		{http.MethodDelete, "/api/v1/workshops/ABCDEF/close", 405, "POST", "application/json"},
		{http.MethodGet, "/api/v1/workshops", 405, "POST", "application/json"},
		{http.MethodPost, "/healthz", 405, "GET", "text/html"},
		{http.MethodPost, "/no/such/page", 404, "", "text/html"},
		{http.MethodPost, "/api/v1/nothing", 404, "", "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := c.do(tt.method, tt.path, strings.NewReader("{}"), http.Header{"Content-Type": {"application/json"}, "X-CSRF-Token": {c.csrf}})
			if r.status != tt.status || !strings.HasPrefix(r.header.Get("Content-Type"), tt.contentType) {
				t.Fatalf("status %d %q, want %d %s\n%s", r.status, r.header.Get("Content-Type"), tt.status, tt.contentType, r.body)
			}
			allow := r.header.Get("Allow")
			for _, m := range strings.Split(tt.allow, ", ") {
				if !strings.Contains(allow, m) {
					t.Errorf("Allow %q, want %s in it", allow, m)
				}
			}
			if tt.status == 405 && tt.contentType == "application/json" {
				if msg := apiError(t, r); msg == "" {
					t.Error("no error message")
				}
			}
			if tt.status == 405 && tt.contentType == "text/html" {
				mustContain(t, r.body, "That address does not take this kind of request.")
			}
		})
	}
}
