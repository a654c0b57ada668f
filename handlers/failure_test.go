package handlers_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stackfit/handlers"
	"stackfit/store"
	"stackfit/store/storetest"
)

// While another process holds the write lock past the deadline, writes
// answer 503 with Retry-After and a sentence saying to try again, the health
// check fails, and reads go on; once released, writes succeed again.
func TestWriteLockHeld(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stackfit.db")
	app := startLoggingApp(t, path, slog.New(slog.NewTextHandler(io.Discard, nil)), store.WithWriteDeadline(time.Second))
	c := app.client()
	body, _ := json.Marshal(map[string]any{"answers": map[string]string{"python": "strong"}})
	c.get("/") // the CSRF token, before the lock

	release := storetest.HoldWriteLock(t, path)
	tests := []struct {
		name    string
		request func() response
		has     string
	}{
		{"API result", func() response { return c.postJSON("/api/v1/results", string(body)) }, "try again"},
		{"workshop page", func() response { return c.post("/w", url.Values{"title": {"Locked out"}}) }, "try again"},
		{"health check", func() response { return c.get("/healthz") }, "database unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.request()
			if r.status != http.StatusServiceUnavailable {
				t.Fatalf("status %d, want 503\n%s", r.status, r.body)
			}
			if r.header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
			mustContain(t, decoded(r.body), tt.has)
		})
	}
	if r := c.get("/how"); r.status != http.StatusOK {
		t.Errorf("a page that only reads: status %d with the lock held", r.status)
	}

	release()
	for _, tt := range tests {
		if r := tt.request(); r.status >= 300 && r.status != http.StatusSeeOther {
			t.Errorf("%s after release: status %d\n%s", tt.name, r.status, r.body)
		}
	}
}

// A body that stops arriving (the server's read timeout) is the client's
// doing: 408, logged at info, never an ERROR 500.
func TestSlowBodyIsNotAServerError(t *testing.T) {
	logs := &logBuffer{}
	app := startTunedApp(t, filepath.Join(t.TempDir(), "stackfit.db"), handlers.Config{Logger: slog.New(slog.NewTextHandler(logs, nil))},
		func(srv *http.Server) { srv.ReadTimeout = 300 * time.Millisecond })

	conn, err := net.Dial("tcp", app.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("POST /api/v1/results HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"answers\""))
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	req := httptest.NewRequest(http.MethodPost, "/api/v1/results", nil)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.ReadResponse(bufio.NewReader(conn), req)
	var timeout net.Error
	switch {
	case errors.Is(err, io.EOF), errors.As(err, &timeout) && timeout.Timeout(): // no answer, which is fine
	case err != nil:
		t.Errorf("answer to a stalled body: %v, want 408 or nothing", err)
	case res.StatusCode != http.StatusRequestTimeout:
		t.Errorf("answer to a stalled body: status %d, want 408 or nothing", res.StatusCode)
	default:
		body, _ := io.ReadAll(res.Body)
		checkAPI(t, exchange{req: req, reqBody: []byte(`{"answers"`), status: res.StatusCode, header: res.Header, body: body})
	}
	app.stop() // waits for the request's log line
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a stalled body was logged as an error:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "status=408") {
		t.Errorf("no 408 line logged:\n%s", logs.String())
	}
}

// A client that hangs up while its write waits in the queue is logged at
// info as 499, not at ERROR: nobody on the server side did anything wrong.
func TestAbortedRequestIsNotAServerError(t *testing.T) {
	logs := &logBuffer{}
	path := filepath.Join(t.TempDir(), "stackfit.db")
	app := startLoggingApp(t, path, slog.New(slog.NewTextHandler(logs, nil)), store.WithWriteDeadline(5*time.Second))
	storetest.HoldWriteLock(t, path)

	impatient := &http.Client{Timeout: 300 * time.Millisecond}
	res, err := impatient.Post(app.srv.URL+"/api/v1/results", "application/json", strings.NewReader(`{"answers": {"python": "strong"}}`))
	if err == nil {
		res.Body.Close()
		t.Fatalf("the post was answered %d while the lock was held", res.StatusCode)
	}
	app.stop() // waits for the request's log line
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("an aborted request was logged as an error:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "status=499") {
		t.Errorf("no 499 line logged:\n%s", logs.String())
	}
}
