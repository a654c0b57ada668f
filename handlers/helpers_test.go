package handlers_test

import (
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"stackfit"
	"stackfit/events"
	"stackfit/handlers"
	"stackfit/rules"
	"stackfit/stackfittest"
	"stackfit/store"
)

// testApp is a running stackfit on a real SQLite database in a temp dir.
type testApp struct {
	t      *testing.T
	rules  *rules.Ruleset
	dbPath string
	store  *store.Store
	hub    *events.Hub // what the store publishes to and the streams hear
	srv    *httptest.Server
}

var testKeys = [2][]byte{[]byte(strings.Repeat("h", 64)), []byte(strings.Repeat("b", 32))}

func newTestApp(t *testing.T) *testApp {
	t.Helper()
	return startApp(t, filepath.Join(t.TempDir(), "stackfit.db"))
}

func startApp(t *testing.T, dbPath string) *testApp {
	t.Helper()
	return startLoggingApp(t, dbPath, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// startLoggingApp wires stackfit as cmd/stackfit does, logging to log.
func startLoggingApp(t *testing.T, dbPath string, log *slog.Logger, opts ...any) *testApp {
	t.Helper()
	return startConfiguredApp(t, dbPath, handlers.Config{Logger: log}, opts...)
}

// startConfiguredApp is startLoggingApp with the handlers' configuration
// (App and SessionKeys are filled in). Each of opts is a store.Option or a
// stackfit.Option.
func startConfiguredApp(t *testing.T, dbPath string, cfg handlers.Config, opts ...any) *testApp {
	t.Helper()
	return startTunedApp(t, dbPath, cfg, func(*http.Server) {}, opts...)
}

// startTunedApp is startConfiguredApp with the HTTP server's settings
// (timeouts) changed by tune before it starts.
func startTunedApp(t *testing.T, dbPath string, cfg handlers.Config, tune func(*http.Server), opts ...any) *testApp {
	t.Helper()
	var wiring stackfittest.Options
	for _, o := range opts {
		switch o := o.(type) {
		case store.Option:
			wiring.Store = append(wiring.Store, o)
		case stackfit.Option:
			wiring.App = append(wiring.App, o)
		default:
			t.Fatalf("option of type %T is neither a store.Option nor a stackfit.Option", o)
		}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c := stackfittest.Open(t, dbPath, wiring)
	rs, st := c.Rules, c.Store
	cfg.App, cfg.SessionKeys, cfg.Logger = c.App, testKeys, log
	h, err := handlers.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	tune(srv.Config)
	srv.Start()
	app := &testApp{t: t, rules: rs, dbPath: dbPath, store: st, hub: c.Hub, srv: srv}
	t.Cleanup(app.stop)
	return app
}

func (a *testApp) stop() {
	if a.srv != nil {
		a.srv.Close()
		a.store.Close()
		a.srv = nil
	}
}

// client is one browser: its own cookies, no redirects followed, so tests see each 303.
type client struct {
	t    *testing.T
	app  *testApp
	http *http.Client
	csrf string
	// header is sent with every request (e.g. HX-Request for htmx).
	header http.Header
}

func (a *testApp) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: a.t, app: a, header: http.Header{}, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type response struct {
	status int
	header http.Header
	body   string
	closes bool // the server closes the connection after it (Connection: close)
}

func (c *client) do(method, path string, body io.Reader, header http.Header) response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.app.srv.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	for k, v := range header {
		req.Header[k] = v
	}
	sent := sentBody(req)
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, header: res.Header, body: string(b), closes: res.Close}
	if strings.HasPrefix(path, "/api/") {
		checkAPI(c.t, exchange{req: req, reqBody: sent(), status: r.status, header: r.header, body: b})
	}
	if m := csrfMeta.FindStringSubmatch(r.body); m != nil {
		c.csrf = m[1]
	}
	return r
}

// sentBody returns what req's body sends: a copy made as net/http makes
// one to resend it (GetBody), or else what the client reads of it, which is
// all of it unless the server answered first.
func sentBody(req *http.Request) func() []byte {
	switch {
	case req.GetBody != nil:
		rc, err := req.GetBody()
		if err != nil {
			return func() []byte { return nil }
		}
		b, _ := io.ReadAll(rc)
		return func() []byte { return b }
	case req.Body == nil:
		return func() []byte { return nil }
	}
	read := &logBuffer{} // the transport reads the body in a goroutine of its own
	req.Body = struct {
		io.Reader
		io.Closer
	}{io.TeeReader(req.Body, read), req.Body}
	return func() []byte { return []byte(read.String()) }
}

// checkAPI fails the test when exchange x with the API breaks openapi.json.
func checkAPI(t testing.TB, x exchange) {
	t.Helper()
	if err := contract(t).check(x); err != nil {
		t.Errorf("openapi.json: %v", err)
	}
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)">`)

func (c *client) get(path string) response {
	c.t.Helper()
	return c.do(http.MethodGet, path, nil, nil)
}

// post sends a form with the CSRF token this client was last given.
func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if c.csrf == "" {
		c.get("/")
	}
	form.Set("_csrf", c.csrf)
	return c.do(http.MethodPost, path, strings.NewReader(form.Encode()), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
}

func (c *client) postJSON(path, body string) response {
	c.t.Helper()
	return c.do(http.MethodPost, path, strings.NewReader(body), http.Header{"Content-Type": {"application/json"}})
}

// answerAll posts every step with the first option of every question (or the
// given overrides): the answers of a.answers(overrides).
func (c *client) answerAll(overrides map[string][]string) {
	c.t.Helper()
	answers := c.app.answers(overrides)
	for _, sec := range c.app.rules.Sections {
		form := url.Values{}
		for _, q := range sec.Questions {
			form[q.ID] = answers[q.ID].Options
		}
		form.Set("nav", "next")
		if r := c.post("/q/"+sec.ID, form); r.status != http.StatusSeeOther {
			c.t.Fatalf("step %s: status %d\n%s", sec.ID, r.status, r.body)
		}
	}
}

// answers is a complete answer set: the first option of every question, or
// the given overrides.
func (a *testApp) answers(overrides map[string][]string) rules.Answers {
	out := rules.Answers{}
	for _, q := range a.rules.Questions() {
		options, ok := overrides[q.ID]
		if !ok {
			options = []string{q.Options[0].ID}
		}
		out[q.ID] = rules.Choice{Options: options, Multiple: q.Multiple}
	}
	return out
}

// evaluate is what the server should decide for answers: tests compute their
// expectation from the ruleset, so a change of weights does not break them.
func (a *testApp) evaluate(answers rules.Answers) *rules.Evaluation {
	a.t.Helper()
	checked, err := a.rules.Check(answers)
	if err != nil {
		a.t.Fatal(err)
	}
	ev, err := a.rules.Evaluate(checked)
	if err != nil {
		a.t.Fatal(err)
	}
	return ev
}

// countResults reads the database file directly: the store has no count, and
// the test must see what is really stored.
func (a *testApp) countResults() int { return a.countRows("results") }

// decoded is a page's markup with the entities decoded, so that tests can look
// for a sentence as the ruleset writes it ("C++", "team's") whatever the
// template escaped.
func decoded(body string) string { return html.UnescapeString(body) }

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("response does not contain %q", w)
		}
	}
}
