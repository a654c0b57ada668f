package handlers_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// rawGet fetches path asking for gzip, without Go's transparent
// decompression, and returns the response and its body as sent.
func rawGet(t *testing.T, app *testApp, path, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, app.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	res, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestPagesAreCompressed(t *testing.T) {
	app := newTestApp(t)
	result := app.client().finish(nil)
	tests := []struct {
		name, path, accept string
		gzipped            bool
		wants              string
	}{
		{"home page", "/", "gzip, deflate, br", true, "Start the questionnaire"},
		{"result page", result, "gzip", true, "recommended"},
		{"a step", "/q/" + app.rules.Sections[0].ID, "gzip", true, `name="_csrf"`},
		{"a client without gzip", "/", "", false, "Start the questionnaire"},
		{"a client asking for another encoding", "/", "br", false, "Start the questionnaire"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := rawGet(t, app, tt.path, tt.accept)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			page := string(body)
			if got := res.Header.Get("Content-Encoding"); (got == "gzip") != tt.gzipped {
				t.Fatalf("Content-Encoding %q, want gzip: %v", got, tt.gzipped)
			}
			if tt.gzipped {
				page = gunzip(t, body)
			}
			mustContain(t, page, tt.wants)
		})
	}
}

// An event stream is never compressed: a compressor would hold its events back.
func TestEventStreamsAreNotCompressed(t *testing.T) {
	app := newTestApp(t)
	code, _ := app.client().createWorkshop("Streams", false)
	r, closeStream := openStream(t, app, "10.0.0.1", "/w/"+code+"/events", http.Header{"Accept-Encoding": {"gzip"}})
	defer closeStream()
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d, type %q", r.status, r.header.Get("Content-Type"))
	}
	if enc := r.header.Get("Content-Encoding"); enc != "" {
		t.Errorf("event stream sent with Content-Encoding %q", enc)
	}
}

// The CSRF token differs in every response (masked with a one-time pad), so
// that compression cannot reveal it, and each masked form of it is accepted,
// in the form and in htmx's header; a changed one is not.
func TestCSRFTokenIsMaskedPerResponse(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	var tokens []string
	for range 3 {
		c.get("/")
		tokens = append(tokens, c.csrf)
	}
	if tokens[0] == tokens[1] || tokens[1] == tokens[2] || tokens[0] == tokens[2] {
		t.Fatalf("the same token in two responses: %q", tokens)
	}
	u, _ := url.Parse(app.srv.URL)
	for _, cookie := range c.http.Jar.Cookies(u) {
		if cookie.Name == "stackfit_csrf" && strings.Contains(c.get("/").body, cookie.Value) {
			t.Fatal("the page carries the token itself")
		}
	}
	tampered := []byte(tokens[0])
	tampered[len(tampered)/2] ^= 'A' ^ 'B'
	tests := []struct {
		name   string
		header http.Header
		form   url.Values
		want   int
	}{
		{"first token, in the form", nil, url.Values{"_csrf": {tokens[0]}}, http.StatusSeeOther},
		{"second token, in the form", nil, url.Values{"_csrf": {tokens[1]}}, http.StatusSeeOther},
		{"third token, in htmx's header", http.Header{"X-Csrf-Token": {tokens[2]}}, url.Values{}, http.StatusSeeOther},
		{"a changed token", nil, url.Values{"_csrf": {string(tampered)}}, http.StatusForbidden},
		{"a changed token, in the header", http.Header{"X-Csrf-Token": {string(tampered)}}, url.Values{}, http.StatusForbidden},
		{"no token", nil, url.Values{}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
			for k, v := range tt.header {
				header[k] = v
			}
			r := c.do(http.MethodPost, "/q/reset", strings.NewReader(tt.form.Encode()), header)
			if r.status != tt.want {
				t.Errorf("status %d, want %d\n%s", r.status, tt.want, r.body)
			}
		})
	}
}
