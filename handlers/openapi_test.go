package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"stackfit/handlers/api"
)

// TestOpenAPIRoutes: every /api/v1 route the router holds is an operation
// of openapi.json, and every operation of openapi.json a route.
func TestOpenAPIRoutes(t *testing.T) {
	app := newTestApp(t)
	e, ok := app.srv.Config.Handler.(*echo.Echo)
	if !ok {
		t.Fatalf("handlers.New returned a %T, not the Echo router", app.srv.Config.Handler)
	}
	param := regexp.MustCompile(`:([A-Za-z]+)`)
	var routed []string
	for _, r := range e.Routes() {
		if path, ok := strings.CutPrefix(r.Path, "/api/v1/"); ok {
			routed = append(routed, r.Method+" /"+param.ReplaceAllString(path, "{$1}"))
		}
	}
	var documented []string
	for path, item := range contract(t).doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	slices.Sort(routed)
	slices.Sort(documented)
	routed = slices.Compact(routed)
	for _, r := range routed {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(routed, d) {
			t.Errorf("openapi.json describes %s, which the router does not have", d)
		}
	}
	if len(routed) < 15 {
		t.Errorf("only %d API routes found: %v", len(routed), routed)
	}
}

// TestOpenAPIDocument: the document is served as it is in the repository,
// as JSON that caches may keep and revalidate.
func TestOpenAPIDocument(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	r := c.get("/api/v1/openapi.json")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" || r.body != string(api.OpenAPI()) {
		t.Fatalf("status %d, type %q, %d bytes (want the %d of openapi.json)", r.status, r.header.Get("Content-Type"), len(r.body), len(api.OpenAPI()))
	}
	if cc := r.header.Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=") {
		t.Errorf("Cache-Control %q, want public", cc)
	}
	etag := r.header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	again := c.do(http.MethodGet, "/api/v1/openapi.json", nil, http.Header{"If-None-Match": {etag}})
	if again.status != http.StatusNotModified || again.body != "" {
		t.Errorf("If-None-Match the ETag: status %d, %d bytes; want 304 without a body", again.status, len(again.body))
	}
	if stale := c.do(http.MethodGet, "/api/v1/openapi.json", nil, http.Header{"If-None-Match": {`"old"`}}); stale.status != http.StatusOK {
		t.Errorf("If-None-Match another ETag: status %d, want 200", stale.status)
	}
}

// TestOpenAPIContractFails: the check that every API test goes through
// refuses what the document does not allow, so a response that drifts from
// the document fails the test that produced it.
func TestOpenAPIContractFails(t *testing.T) {
	k := contract(t)
	const evaluation = `{"ruleset": "e00dc8256954", "recommendation": "django", "confidence": "high",
		"scores": {"django": 3, "nodejs": 0, "percent": {"django": 100, "nodejs": 0}}, "reasons": [], "flips": [], "unanswered": [], "unsure": [],
		"confidence_reason": "High.", "notes": []}`
	const id = "m3Xk9bq2TQeTt6Yv1o0w3A"
	created := `{"id": "` + id + `", "url": "http://x/r/` + id + `", "result": ` + evaluation + `}`
	jsonType := func(more ...string) http.Header {
		h := http.Header{"Content-Type": {"application/json"}}
		for i := 0; i+1 < len(more); i += 2 {
			h.Set(more[i], more[i+1])
		}
		return h
	}
	answers := `{"answers": {"python": "strong"}}`
	tests := []struct {
		name, method, path, reqBody string
		reqHeader                   http.Header
		status                      int
		header                      http.Header
		body                        string
		fails                       string // "" for an exchange the document allows
	}{
		{"a result as documented", "POST", "/api/v1/results", answers, jsonType(), 201, jsonType("Cache-Control", "private"), created, ""},
		{"an error as documented", "POST", "/api/v1/results", `{"answers": 1}`, jsonType(), 400, jsonType(), `{"error": "answers: wrong type"}`, ""},
		{"a status not listed", "POST", "/api/v1/results", answers, jsonType(), 418, jsonType(), `{"error": "teapot"}`, "status is not supported"},
		{"a success not listed", "POST", "/api/v1/results", answers, jsonType(), 200, jsonType("Cache-Control", "private"), created, "status is not supported"},
		{"a field missing", "POST", "/api/v1/results", answers, jsonType(), 201, jsonType("Cache-Control", "private"),
			`{"id": "` + id + `", "result": ` + evaluation + `}`, `"url"`},
		{"a field not documented", "POST", "/api/v1/results", answers, jsonType(), 201, jsonType("Cache-Control", "private"),
			strings.Replace(created, `"id"`, `"owner": "Ann", "id"`, 1), "owner"},
		{"a field of the wrong type", "POST", "/api/v1/evaluate", answers, jsonType(), 200, jsonType(),
			strings.Replace(evaluation, `"django": 3`, `"django": "3"`, 1), "django"},
		{"a value out of its enum", "POST", "/api/v1/evaluate", answers, jsonType(), 200, jsonType(),
			strings.Replace(evaluation, `"recommendation": "django"`, `"recommendation": "rails"`, 1), "recommendation"},
		{"null for a list", "POST", "/api/v1/evaluate", answers, jsonType(), 200, jsonType(),
			strings.Replace(evaluation, `"flips": []`, `"flips": null`, 1), "flips"},
		{"another content type", "POST", "/api/v1/evaluate", answers, jsonType(), 200, http.Header{"Content-Type": {"text/html"}}, evaluation, "text/html"},
		{"an error of another shape", "GET", "/api/v1/results/" + id, "", nil, 404, jsonType(), `{"message": "no such result"}`, "error"},
		{"the wrong cache policy", "GET", "/api/v1/results/" + id, "", nil, 200, jsonType("Cache-Control", "no-store"),
			`{"id": "` + id + `", "created_at": "2026-11-25T18:00:00Z", "answers": {}, "result": ` + evaluation + `}`, "Cache-Control"},
		{"429 without Retry-After", "POST", "/api/v1/results", answers, jsonType(), 429, jsonType(), `{"error": "slow down"}`, "Retry-After"},
		{"401 without WWW-Authenticate", "GET", "/api/v1/workshops/K7QH2M/summary", "", nil, 401, jsonType(), `{"error": "wrong key"}`, "WWW-Authenticate"},
		{"a body where the document has none", "DELETE", "/api/v1/workshops/K7QH2M/participants/" + id, "", http.Header{"Authorization": {"Bearer k"}},
			204, http.Header{"Cache-Control": {"no-store"}}, `{}`, "no body"},
		{"a route not in the document", "GET", "/api/v1/workshops", "", nil, 200, jsonType(), `[]`, "answered 200, want 405"},
		{"an unknown path answered", "GET", "/api/v1/teams", "", nil, 200, jsonType(), `{}`, "answered 200, want 404"},
		{"an unknown path refused", "GET", "/api/v1/teams", "", nil, 404, jsonType(), `{"error": "no page"}`, ""},
		{"405 without Allow", "GET", "/api/v1/evaluate", "", nil, 405, jsonType(), `{"error": "no"}`, "Allow"},
		{"a body the document refuses, accepted", "POST", "/api/v1/results", `{"answers": {}, "extra": 1}`, jsonType(), 201,
			jsonType("Cache-Control", "private"), created, "accepted a request the document refuses"},
		{"no facilitator key, accepted", "GET", "/api/v1/workshops/K7QH2M/summary", "", nil, 200, jsonType("Cache-Control", "no-store"), `{}`,
			"accepted a request the document refuses"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, "http://127.0.0.1:8080"+tt.path, strings.NewReader(tt.reqBody))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.reqHeader {
				req.Header[k] = v
			}
			if tt.reqBody != "" && req.Header.Get("Content-Type") == "" {
				req.Header.Set("Content-Type", "application/json")
			}
			err = k.check(exchange{req: req, reqBody: []byte(tt.reqBody), status: tt.status, header: tt.header, body: []byte(tt.body)})
			switch {
			case tt.fails == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.fails != "" && err == nil:
				t.Fatalf("allowed; want a failure about %q", tt.fails)
			case tt.fails != "" && !strings.Contains(err.Error(), tt.fails):
				t.Fatalf("failure %q does not mention %q", err, tt.fails)
			}
		})
	}
}

// TestOpenAPIEventsFail: the events of an API stream are checked against
// the document's x-events: name, SSE id and data.
func TestOpenAPIEventsFail(t *testing.T) {
	k := contract(t)
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:8080/api/v1/workshops/K7QH2M/events", nil)
	events, err := k.events(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.events(&http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/api/v1/questionnaire"}}); err == nil {
		t.Error("the questionnaire has no event stream, yet events found one")
	}
	tests := []struct {
		name  string
		m     sseMessage
		fails string
	}{
		{"ready", sseMessage{event: "ready", data: `{"code": "K7QH2M"}`}, ""},
		{"joined", sseMessage{id: "7", event: "joined", data: `{"id": 7, "type": "joined", "participant": "abc"}`}, ""},
		{"revealed", sseMessage{id: "8", event: "revealed", data: `{"id": 8, "type": "revealed"}`}, ""},
		{"an event not listed", sseMessage{id: "9", event: "renamed", data: `{"id": 9, "type": "renamed"}`}, "not in the document"},
		{"no SSE id", sseMessage{event: "joined", data: `{"id": 7, "type": "joined"}`}, "SSE id"},
		{"an SSE id on ready", sseMessage{id: "1", event: "ready", data: `{"code": "K7QH2M"}`}, "SSE id"},
		{"data of another shape", sseMessage{id: "7", event: "joined", data: `{"id": 7, "kind": "joined"}`}, "WorkshopEvent"},
		{"data not JSON", sseMessage{event: "ready", data: `K7QH2M`}, "not JSON"},
		{"a type not its name", sseMessage{id: "7", event: "joined", data: `{"id": 7, "type": "removed"}`}, "of type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := k.checkEvent(events, tt.m)
			switch {
			case tt.fails == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.fails != "" && err == nil:
				t.Fatalf("allowed; want a failure about %q", tt.fails)
			case tt.fails != "" && !strings.Contains(err.Error(), tt.fails):
				t.Fatalf("failure %q does not mention %q", err, tt.fails)
			}
		})
	}
}
