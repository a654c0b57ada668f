package handlers_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"stackfit"
)

// newLimitedApp is a test app with limits instead of the defaults.
func newLimitedApp(t *testing.T, l stackfit.Limits) *testApp {
	t.Helper()
	return startLoggingApp(t, filepath.Join(t.TempDir(), "stackfit.db"),
		slog.New(slog.NewTextHandler(io.Discard, nil)), stackfit.WithLimits(l))
}

// roomy is an allowance no test reaches.
var roomy = stackfit.Rate{Burst: 10_000, PerMinute: 10_000}

// Each limit lets its burst through, then answers 429 with Retry-After and a
// sentence, and stores nothing; other addresses are not affected.
func TestRateLimits(t *testing.T) {
	const burst = 2
	tight := stackfit.Rate{Burst: burst, PerMinute: 1}
	tests := []struct {
		name   string
		limits stackfit.Limits
		table  string // where the attempts would be stored
		// setup prepares a client and returns the attempt to repeat
		setup   func(app *testApp, c *client) func() response
		sayHTML string // the page's sentence ("" for the API's JSON)
	}{
		{"results from the review page", stackfit.Limits{Results: tight, Workshops: roomy, Submissions: roomy}, "results",
			func(app *testApp, c *client) func() response {
				c.answerAll(nil)
				return func() response { return c.post("/q/review", nil) }
			}, "Many results were made from your network"},
		{"results from a form post", stackfit.Limits{Results: tight, Workshops: roomy, Submissions: roomy}, "results",
			func(app *testApp, c *client) func() response {
				form := url.Values{}
				for id, a := range app.answers(nil) {
					form[id] = a.Options
				}
				return func() response { return c.post("/r", form) }
			}, "Many results were made from your network"},
		{"results from the API", stackfit.Limits{Results: tight, Workshops: roomy, Submissions: roomy}, "results",
			func(app *testApp, c *client) func() response {
				return func() response { return c.postJSON("/api/v1/results", `{"answers": {"python": "strong"}}`) }
			}, ""},
		{"workshops from the form", stackfit.Limits{Results: roomy, Workshops: tight, Submissions: roomy}, "workshops",
			func(app *testApp, c *client) func() response {
				return func() response { return c.post("/w", url.Values{"title": {"Kick-off"}}) }
			}, "Many workshops were started from your network"},
		{"workshops from the API", stackfit.Limits{Results: roomy, Workshops: tight, Submissions: roomy}, "workshops",
			func(app *testApp, c *client) func() response {
				return func() response { return c.postJSON("/api/v1/workshops", `{"title": "Kick-off"}`) }
			}, ""},
		{"joining a workshop", stackfit.Limits{Results: roomy, Workshops: roomy, Submissions: tight}, "participants",
			func(app *testApp, c *client) func() response {
				code := app.createWorkshopAPI("Kick-off", true).Code
				// A fresh browser each time, as each person in an office is.
				return func() response { return app.client().post("/w/"+code+"/join", nil) }
			}, "Many answers were sent from your network"},
		{"submissions to the API", stackfit.Limits{Results: roomy, Workshops: roomy, Submissions: tight}, "participants",
			func(app *testApp, c *client) func() response {
				code := app.createWorkshopAPI("Kick-off", true).Code
				return func() response {
					return c.postJSON("/api/v1/workshops/"+code+"/submissions", `{"answers": {"python": "strong"}}`)
				}
			}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := newLimitedApp(t, tt.limits)
			attempt := tt.setup(app, app.client())
			for i := range burst {
				if r := attempt(); r.status >= 400 {
					t.Fatalf("attempt %d of the burst: status %d\n%s", i+1, r.status, r.body)
				}
			}
			before := app.countRows(tt.table)
			r := attempt()
			if r.status != http.StatusTooManyRequests {
				t.Fatalf("past the burst: status %d, want 429\n%s", r.status, r.body)
			}
			if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs < 1 || secs > 60 {
				t.Errorf("Retry-After %q, want whole seconds up to a minute (1 a minute)", r.header.Get("Retry-After"))
			}
			if tt.sayHTML == "" {
				if e := apiError(t, r); !strings.Contains(e, "from your network") {
					t.Errorf("error %q does not say what happened", e)
				}
			} else {
				mustContain(t, decoded(r.body), tt.sayHTML, "again in ")
			}
			if after := app.countRows(tt.table); after != before {
				t.Errorf("refused attempt stored a row in %s: %d, then %d", tt.table, before, after)
			}
		})
	}
}

// With every limit off, a client goes far past any burst.
func TestNoLimits(t *testing.T) {
	off := stackfit.Rate{Burst: 1, PerMinute: 1}
	app := newLimitedApp(t, stackfit.Limits{Results: off, Workshops: off, Submissions: off, Off: true})
	c := app.client()
	for i := range 5 {
		if r := c.postJSON("/api/v1/workshops", `{"title": "Kick-off"}`); r.status != http.StatusCreated {
			t.Fatalf("workshop %d: status %d", i+1, r.status)
		}
		if r := c.postJSON("/api/v1/results", `{"answers": {}}`); r.status != http.StatusCreated {
			t.Fatalf("result %d: status %d", i+1, r.status)
		}
	}
	// The join-code guard is a per-address limit too.
	for i := range 30 {
		if r := c.get("/w/ZZZZZZ"); r.status != http.StatusNotFound {
			t.Fatalf("unknown code %d: status %d, want 404", i+1, r.status)
		}
	}
}
