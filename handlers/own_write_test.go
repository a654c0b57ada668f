package handlers_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"stackfit"
	"stackfit/events"
	"stackfit/handlers"
)

// TestOwnSubmissionOnAnotherInstance: behind a round-robin proxy, the page
// a participant lands on after submitting is often served by an instance
// that has not yet heard the submission's notification. Here that instance
// (deaf) shares the database and the session keys but never hears a thing,
// so its kept summary stays as it was before the submission; the page must
// still count the participant's own answers. Someone else's page there may
// lag until the notification: that is not their write.
func TestOwnSubmissionOnAnotherInstance(t *testing.T) {
	a := newTestApp(t)
	deaf := deafInstance(t, a)
	fac := a.client()
	code, _ := fac.createWorkshop("Kickoff", false)
	bo := a.client()
	bo.join(code, "Bo")
	bo.submitToWorkshop(code, nil)
	if r := fac.post("/w/"+code+"/reveal", nil); r.status != http.StatusSeeOther {
		t.Fatalf("reveal: status %d", r.status)
	}
	// The deaf instance keeps the summary of one response.
	mustContain(t, on(bo, deaf).get("/w/"+code).body, "From the answers of 1 person.")

	ada := a.client()
	ada.join(code, "Ada")
	ada.submitToWorkshop(code, nil) // on a, which answers with a redirect to /w/code
	for _, tc := range []struct {
		name string
		app  *testApp
	}{{"on the instance that stored it", a}, {"on one that has not heard", deaf}} {
		t.Run(tc.name, func(t *testing.T) {
			r := on(ada, tc.app).get("/w/" + code)
			if r.status != http.StatusOK {
				t.Fatalf("status %d", r.status)
			}
			mustContain(t, r.body, "Your answers are in", "From the answers of 2 people.")
		})
	}
	// Bo's own write was counted long ago; his page on the deaf instance
	// keeps what it kept.
	mustContain(t, on(bo, deaf).get("/w/"+code).body, "From the answers of 1 person.")
}

// TestRemovalOnAnotherInstance: the board the facilitator lands on after
// removing someone may be on an instance that has not heard of it; it must
// not list them, nor count their place.
func TestRemovalOnAnotherInstance(t *testing.T) {
	a := newTestApp(t)
	deaf := deafInstance(t, a)
	fac := a.client()
	code, key := fac.createWorkshop("Kickoff", false)
	fac.get("/w/" + code + "/board?key=" + key)
	for _, name := range []string{"Ann", "Bo"} {
		c := a.client()
		c.join(code, name)
	}
	board := on(fac, deaf).get("/w/" + code + "/board")
	mustContain(t, decoded(board.body), ">Ann<", ">Bo<") // the deaf instance keeps this summary
	var ann string
	for _, p := range a.participants(code) {
		if p.Name == "Ann" {
			ann = p.ID
		}
	}
	r := fac.post("/w/"+code+"/remove", url.Values{"participant": {ann}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("remove: status %d\n%s", r.status, r.body)
	}
	for _, tc := range []struct {
		name string
		app  *testApp
	}{{"on the instance that removed", a}, {"on one that has not heard", deaf}} {
		t.Run(tc.name, func(t *testing.T) {
			b := on(fac, tc.app).get(r.header.Get("Location"))
			if b.status != http.StatusOK {
				t.Fatalf("status %d", b.status)
			}
			mustContain(t, decoded(b.body), ">Bo<", "<strong>1</strong> joined")
			mustNotContain(t, decoded(b.body), ">Ann<")
		})
	}
}

// deafInstance is a second instance over a's database and session keys
// whose hub hears nothing: an instance behind a round-robin proxy that has
// not yet had the notifications of a's writes.
func deafInstance(t *testing.T, a *testApp) *testApp {
	t.Helper()
	app := stackfit.New(a.rules, a.store, events.NewHub())
	h, err := handlers.New(handlers.Config{App: app, SessionKeys: testKeys, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &testApp{t: t, rules: a.rules, store: a.store, srv: srv}
}

// on is the same browser (cookies, CSRF token) sending to another instance:
// the cookie jar ignores the port.
func on(c *client, app *testApp) *client {
	d := *c
	d.app = app
	return &d
}
