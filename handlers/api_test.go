package handlers_test

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"stackfit/rules"
)

func TestAPIErrors(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	tests := []struct {
		name, path, contentType, body string
		status                        int
		errorHas                      string
		chunked                       bool // no Content-Length: the limit bites while reading
	}{
		{"malformed", "/api/v1/evaluate", "application/json", `{"answers": {`, 400, "malformed JSON", false},
		{"unknown question", "/api/v1/results", "application/json", `{"answers": {"ruby": "strong"}}`, 400, "answers.ruby: no such question", false},
		{"unknown option", "/api/v1/results", "application/json", `{"answers": {"python": "guru"}}`, 400, `answers.python: no option "guru"`, false},
		{"two answers to one", "/api/v1/results", "application/json", `{"answers": {"python": ["strong", "none"]}}`, 400, "answers.python: only one answer allowed", false},
		{"unknown field", "/api/v1/results", "application/json", `{"answers": {}, "extra": 1}`, 400, `unknown field "extra"`, false},
		{"not JSON", "/api/v1/results", "text/plain", `{"answers": {}}`, 415, "Content-Type must be application/json", false},
		{"form post", "/api/v1/evaluate", "application/x-www-form-urlencoded", `answers=x`, 415, "Content-Type must be application/json", false},
		{"too large", "/api/v1/results", "application/json", `{"answers": {"python": "` + strings.Repeat("x", 70<<10) + `"}}`, 413, "", false},
		{"too large, chunked", "/api/v1/evaluate", "application/json", `{"answers": {"python": "` + strings.Repeat("x", 70<<10) + `"}}`, 413, "64 KiB", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader = strings.NewReader(tt.body)
			if tt.chunked {
				body = io.MultiReader(body) // hides the length from net/http
			}
			r := c.do(http.MethodPost, tt.path, body, http.Header{"Content-Type": {tt.contentType}})
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			var e map[string]string
			if err := json.Unmarshal([]byte(r.body), &e); err != nil || e["error"] == "" || len(e) != 1 {
				t.Fatalf("body %q is not {\"error\": ...}", r.body)
			}
			if !strings.Contains(e["error"], tt.errorHas) {
				t.Errorf("error %q does not contain %q", e["error"], tt.errorHas)
			}
		})
	}
	if n := app.countResults(); n != 0 {
		t.Errorf("bad input stored %d results", n)
	}
}

func TestAPIResults(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	body := `{"answers": {"python": "none", "javascript": "strong", "realtime": "core", "packages": ["realtime_libs"]}}`

	ev := c.postJSON("/api/v1/evaluate", body)
	if ev.status != 200 {
		t.Fatalf("evaluate: %d %s", ev.status, ev.body)
	}
	created := c.postJSON("/api/v1/results", body)
	if created.status != http.StatusCreated {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	var cr struct {
		ID     string          `json:"id"`
		URL    string          `json:"url"`
		Result json.RawMessage `json:"result"`
	}
	json.Unmarshal([]byte(created.body), &cr)
	if cr.URL != app.srv.URL+"/r/"+cr.ID {
		t.Errorf("url %q", cr.URL)
	}
	// The same evaluation as the evaluate call, and the shape of rules.Evaluation
	// (the CLI's): every key it has, and no other.
	answers, err := rules.DecodeRequest(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	want := app.evaluate(answers)
	var a, b, keys map[string]any
	json.Unmarshal([]byte(ev.body), &a)
	json.Unmarshal(cr.Result, &b)
	wantJSON, _ := json.Marshal(want)
	json.Unmarshal(wantJSON, &keys)
	if !reflect.DeepEqual(a, keys) || !reflect.DeepEqual(b, keys) {
		t.Errorf("evaluate %v\nstored %v\nwant %v", a, b, keys)
	}

	got := c.get("/api/v1/results/" + cr.ID)
	var stored map[string]json.RawMessage
	json.Unmarshal([]byte(got.body), &stored)
	for _, k := range []string{"id", "created_at", "answers", "result"} {
		if _, ok := stored[k]; !ok {
			t.Errorf("GET result: no %q in %s", k, got.body)
		}
	}
	if string(stored["answers"]) != `{"javascript":"strong","packages":["realtime_libs"],"python":"none","realtime":"core"}` {
		t.Errorf("answers %s", stored["answers"])
	}
}
