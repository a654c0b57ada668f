package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gorilla/sessions"
)

// sessionCookieSet tells whether a response writes the progress cookie.
func sessionCookieSet(r response) bool {
	for _, line := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(line, "stackfit=") {
			return true
		}
	}
	return false
}

func TestProgressCookieIsWrittenOnlyWhenItChanges(t *testing.T) {
	app := newTestApp(t)
	first, second := app.rules.Sections[0], app.rules.Sections[1]
	c := app.client()
	steps := []struct {
		name  string
		do    func() response
		wants bool
	}{
		{"first visit to a step", func() response { return c.get("/q/" + first.ID) }, true},
		{"reload of the same step", func() response { return c.get("/q/" + first.ID) }, false},
		{"the home page", func() response { return c.get("/") }, false},
		{"another step", func() response { return c.get("/q/" + second.ID) }, true},
		{"an answer", func() response {
			q := second.Questions[0]
			return c.post("/q/"+second.ID, url.Values{q.ID: {q.Options[0].ID}, "nav": {"back"}})
		}, true},
		{"the step it went back to", func() response { return c.get("/q/" + first.ID) }, false},
	}
	for _, step := range steps {
		if got := sessionCookieSet(step.do()); got != step.wants {
			t.Errorf("%s: cookie written %v, want %v", step.name, got, step.wants)
		}
	}
}

// A cookie written by gorilla/sessions (a gob-encoded map) is still read.
func TestProgressCookieFromSessionsIsRead(t *testing.T) {
	app := newTestApp(t)
	second := app.rules.Sections[1]
	store := sessions.NewCookieStore(testKeys[0], testKeys[1])
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	sess, _ := store.New(req, "stackfit")
	sess.Values["p"] = `{"s":"` + second.ID + `"}`
	encoded, err := sessions.NewCookieStore(testKeys[0], testKeys[1]).Codecs[0].Encode("stackfit", sess.Values)
	if err != nil {
		t.Fatal(err)
	}
	c := app.client()
	u, _ := url.Parse(app.srv.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "stackfit", Value: encoded, Path: "/"}})
	if r := c.get("/q"); r.header.Get("Location") != "/q/"+second.ID {
		t.Errorf("resume from an old cookie went to %q", r.header.Get("Location"))
	}
	// A cookie that cannot be read starts afresh.
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "stackfit", Value: "garbage", Path: "/"}})
	if r := c.get("/q"); r.header.Get("Location") != "/q/"+app.rules.Sections[0].ID {
		t.Errorf("resume from a broken cookie went to %q", r.header.Get("Location"))
	}
}

func TestHomeLinksTheFirstStep(t *testing.T) {
	app := newTestApp(t)
	mustContain(t, app.client().get("/").body, `href="/q/`+app.rules.Sections[0].ID+`">Start the questionnaire`)
}

// csrfCookieSet tells whether a response writes the CSRF cookie.
func csrfCookieSet(r response) bool {
	for _, line := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(line, "stackfit_csrf=") {
			return true
		}
	}
	return false
}

// The CSRF cookie is sent to a browser that does not have it, and renewed
// by form posts, not by every page read.
func TestCSRFCookieIsWrittenWhenMissingOrOnAPost(t *testing.T) {
	app := newTestApp(t)
	first := app.rules.Sections[0]
	c := app.client()
	steps := []struct {
		name  string
		do    func() response
		wants bool
	}{
		{"first page", func() response { return c.get("/") }, true},
		{"a page read with the cookie", func() response { return c.get("/") }, false},
		{"a step read with the cookie", func() response { return c.get("/q/" + first.ID) }, false},
		{"a form post", func() response { return c.post("/q/"+first.ID, url.Values{"nav": {"back"}}) }, true},
		{"a page read without it", func() response {
			u, _ := url.Parse(app.srv.URL)
			c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "stackfit_csrf", Value: "", Path: "/", MaxAge: -1}})
			return c.get("/")
		}, true},
	}
	for _, step := range steps {
		r := step.do()
		if got := csrfCookieSet(r); got != step.wants {
			t.Errorf("%s: cookie written %v, want %v (status %d)", step.name, got, step.wants, r.status)
		}
	}
}
