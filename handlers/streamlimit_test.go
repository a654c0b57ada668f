package handlers_test

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stackfit/handlers"
	"stackfit/handlers/respond"
)

// openStream opens an event stream as the client at addr (X-Forwarded-For,
// from a trusted proxy) and keeps it open until close is called or the test
// ends. A refused stream's answer is returned whole.
func openStream(t *testing.T, app *testApp, addr, path string, header http.Header) (r response, close func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, app.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("X-Forwarded-For", addr)
	res, err := (&http.Client{Timeout: 0}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r = response{status: res.StatusCode, header: res.Header, closes: res.Close}
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		r.body = string(b)
		res.Body.Close()
	}
	if strings.HasPrefix(path, "/api/") {
		checkAPI(t, exchange{req: req, status: r.status, header: r.header, body: []byte(r.body), stream: r.status == http.StatusOK})
	}
	if res.StatusCode != http.StatusOK {
		return r, cancel
	}
	return r, func() { cancel(); res.Body.Close() }
}

// TestStreamLimits: past each cap a stream is refused at once, with the
// status of whose fault it is (429 this client, 503 the workshop or the
// server), Retry-After and Connection: close; the rest of the site answers
// meanwhile, and a closed stream frees its place.
func TestStreamLimits(t *testing.T) {
	app := startConfiguredApp(t, filepath.Join(t.TempDir(), "stackfit.db"), handlers.Config{
		TrustedProxies: []string{"127.0.0.0/8"},
		StreamLimits:   respond.StreamLimits{PerClient: 2, PerWorkshop: 3, Total: 4},
	})
	a := app.createWorkshopAPI("Capped A", false)
	b := app.createWorkshopAPI("Capped B", false)
	participant := func(code string) string { return "/w/" + code + "/events" }
	api := func(code string) string { return "/api/v1/workshops/" + code + "/events" }

	var closers []func()
	steps := []struct {
		name, addr, path string
		header           http.Header
		want             int
	}{
		{"first of a client", "10.0.0.1", participant(a.Code), nil, http.StatusOK},
		{"second of a client", "10.0.0.1", participant(a.Code), nil, http.StatusOK},
		{"third of a client", "10.0.0.1", participant(b.Code), nil, http.StatusTooManyRequests},
		{"third of workshop A", "10.0.0.2", api(a.Code), bearer(a.FacilitatorKey), http.StatusOK},
		{"fourth of workshop A", "10.0.0.3", participant(a.Code), nil, http.StatusServiceUnavailable},
		{"fourth in all", "10.0.0.3", api(b.Code), bearer(b.FacilitatorKey), http.StatusOK},
		{"fifth in all", "10.0.0.4", participant(b.Code), nil, http.StatusServiceUnavailable},
		{"fifth in all, API", "10.0.0.4", api(b.Code), bearer(b.FacilitatorKey), http.StatusServiceUnavailable},
	}
	for _, s := range steps {
		r, closeStream := openStream(t, app, s.addr, s.path, s.header)
		if r.status != s.want {
			t.Fatalf("%s: status %d, want %d\n%s", s.name, r.status, s.want, r.body)
		}
		if s.want == http.StatusOK {
			closers = append(closers, closeStream)
			continue
		}
		if r.header.Get("Retry-After") == "" || !r.closes {
			t.Errorf("%s: Retry-After %q, Connection: close %v", s.name, r.header.Get("Retry-After"), r.closes)
		}
		mustContain(t, decoded(r.body), "live pages")
	}

	c := app.client().impatient()
	for _, path := range []string{"/", "/healthz", "/w/" + a.Code} {
		if r := c.get(path); r.status != http.StatusOK {
			t.Errorf("GET %s with every stream taken: status %d", path, r.status)
		}
	}

	// A closed stream frees its place, once the server has noticed.
	closers[0]()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r, _ := openStream(t, app, "10.0.0.1", participant(b.Code), nil)
		if r.status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a closed stream's place was not freed: status %d", r.status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
