package handlers_test

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"stackfit/handlers"
)

// TestLinksOrigin: the API's join_url and board_url (the facilitator key
// inside) come from --base-url when it is set, whatever Host says; without
// it, X-Forwarded-Proto counts only from a trusted proxy.
func TestLinksOrigin(t *testing.T) {
	tests := []struct {
		name   string
		cfg    handlers.Config
		header http.Header
		want   func(app *testApp) string // the expected origin
	}{
		{"base URL beats Host", handlers.Config{BaseURL: "https://stackfit.example"},
			http.Header{"X-Forwarded-Host": {"evil.example"}, "X-Forwarded-Proto": {"http"}},
			func(*testApp) string { return "https://stackfit.example" }},
		{"forwarded proto from anyone", handlers.Config{},
			http.Header{"X-Forwarded-Proto": {"https"}},
			func(app *testApp) string { return app.srv.URL }},
		{"forwarded proto from a trusted proxy", handlers.Config{TrustedProxies: []string{"127.0.0.0/8"}},
			http.Header{"X-Forwarded-Proto": {"https"}},
			func(app *testApp) string { return strings.Replace(app.srv.URL, "http://", "https://", 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := startConfiguredApp(t, filepath.Join(t.TempDir(), "stackfit.db"), tt.cfg)
			h := tt.header.Clone()
			h.Set("Content-Type", "application/json")
			req, _ := http.NewRequest(http.MethodPost, app.srv.URL+"/api/v1/workshops", strings.NewReader(`{"title": "Links"}`))
			req.Header = h
			if tt.cfg.BaseURL != "" {
				req.Host = "evil.example"
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			checkAPI(t, exchange{req: req, reqBody: []byte(`{"title": "Links"}`), status: res.StatusCode, header: res.Header, body: body})
			var w apiWorkshop
			if err := json.Unmarshal(body, &w); err != nil || res.StatusCode != http.StatusCreated {
				t.Fatalf("create: status %d, %v", res.StatusCode, err)
			}
			origin := tt.want(app)
			if !strings.HasPrefix(w.JoinURL, origin+"/w/") || !strings.HasPrefix(w.BoardURL, origin+"/w/") {
				t.Errorf("join_url %s, board_url %s: want both on %s", w.JoinURL, w.BoardURL, origin)
			}
		})
	}
}
