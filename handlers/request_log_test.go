package handlers_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"stackfit/handlers"
)

// The request log names the route, never the share id, the join code or the
// facilitator key a request carried: at every level, and whatever the
// status.
func TestRequestLogKeepsCapabilitiesOut(t *testing.T) {
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	app := startConfiguredApp(t, filepath.Join(t.TempDir(), "stackfit.db"), handlers.Config{Logger: log})
	c := app.client()
	result := strings.TrimPrefix(c.finish(nil), "/r/")
	code, key := c.createWorkshop("Log check", false)
	secrets := []string{result, code, key}

	tests := []struct {
		name   string
		path   string
		status int
		route  string
	}{
		{"a result page", "/r/" + result, http.StatusOK, "/r/:id"},
		{"a result's QR code", "/r/" + result + "/qr.svg", http.StatusOK, "/r/:id/qr.svg"},
		// The board takes the key into the session and sends the browser on.
		{"the board with its key", "/w/" + code + "/board?key=" + key, http.StatusSeeOther, "/w/:code/board"},
		{"the board with a wrong key", "/w/" + code + "/board?key=" + key + "x", http.StatusUnauthorized, "/w/:code/board"},
		{"a path no route has", "/nothing/" + result + "/" + key, http.StatusNotFound, "unmatched"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(logs.String())
			if r := c.get(tt.path); r.status != tt.status {
				t.Fatalf("GET %s: status %d, want %d", tt.path, r.status, tt.status)
			}
			line := logs.String()[before:]
			want := fmt.Sprintf("route=%s status=%d ", tt.route, tt.status)
			if !strings.Contains(line, `msg=request method=GET `+want) {
				t.Errorf("no request line with %q:\n%s", want, line)
			}
			for _, s := range secrets {
				if strings.Contains(line, s) {
					t.Errorf("the log has %q:\n%s", s, line)
				}
			}
		})
	}
}
