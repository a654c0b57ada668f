package handlers_test

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestStepMovesOnAndBack(t *testing.T) {
	app := newTestApp(t)
	first, second := app.rules.Sections[0], app.rules.Sections[1]
	c := app.client()
	c.get("/q/" + first.ID)
	form := url.Values{"nav": {"next"}}
	for _, q := range first.Questions {
		form[q.ID] = app.answers(nil)[q.ID].Options
	}
	r := c.post("/q/"+first.ID, form)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/q/"+second.ID {
		t.Fatalf("status %d, Location %q", r.status, r.header.Get("Location"))
	}
	// Back keeps what was answered on this step, even if incomplete, and needs nothing else.
	q := second.Questions[0]
	chosen := q.Options[len(q.Options)-1].ID
	r = c.post("/q/"+second.ID, url.Values{q.ID: {chosen}, "nav": {"back"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/q/"+first.ID {
		t.Fatalf("back: status %d, Location %q", r.status, r.header.Get("Location"))
	}
	page := c.get("/q/" + second.ID)
	mustContain(t, page.body, `name="`+q.ID+`" value="`+chosen+`" checked`)
	// The answers survive in the session: a new visit to /q resumes at the step last shown.
	if r := c.get("/q"); r.header.Get("Location") != "/q/"+second.ID {
		t.Errorf("resume went to %q", r.header.Get("Location"))
	}
	mustContain(t, c.get("/").body, "Continue where you left off")
}

func TestMissingAnswerBringsTheStepBack(t *testing.T) {
	app := newTestApp(t)
	first := app.rules.Sections[0]
	answered, missing := first.Questions[0], first.Questions[1:]
	c := app.client()
	c.get("/q/" + first.ID)
	r := c.post("/q/"+first.ID, url.Values{answered.ID: {answered.Options[0].ID}, "nav": {"next"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	mustContain(t, r.body,
		`role="alert"`, strconv.Itoa(len(missing))+" questions need an answer",
		`name="`+answered.ID+`" value="`+answered.Options[0].ID+`" checked`, // what was answered is kept
		"<html")
	for _, q := range missing {
		mustContain(t, r.body, `id="q-`+q.ID+`-error"`)
	}
	if strings.Contains(r.body, `id="q-`+answered.ID+`-error"`) {
		t.Error("an answered question shows an error")
	}
}

func TestBadOptionIsAProblemNotAnError(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	c.get("/q/team")
	r := c.post("/q/team", url.Values{"python": {"guru"}, "javascript": {"some"}, "experience": {"django"}, "learning": {"days"}, "nav": {"next"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	mustContain(t, r.body, `id="q-python-error"`, "Choose one of the options.")
}

// htmx asks for a fragment (HX-Request-Type: partial); everything else gets the page.
func TestFragmentOrPage(t *testing.T) {
	app := newTestApp(t)
	tests := []struct {
		name     string
		header   http.Header
		fragment bool
	}{
		{"plain browser", nil, false},
		{"htmx partial", http.Header{"Hx-Request": {"true"}, "Hx-Request-Type": {"partial"}}, true},
		{"htmx history restore", http.Header{"Hx-Request-Type": {"full"}, "Hx-History-Restore-Request": {"true"}}, false},
		{"htmx full", http.Header{"Hx-Request": {"true"}, "Hx-Request-Type": {"full"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := app.client()
			r := c.do(http.MethodGet, "/q/"+app.rules.Sections[2].ID, nil, tt.header)
			isPage := strings.Contains(r.body, "<html")
			if r.status != 200 || isPage == tt.fragment {
				t.Fatalf("status %d, whole page %v, want fragment %v", r.status, isPage, tt.fragment)
			}
			mustContain(t, r.body, `id="wizard"`, "Step 3 of "+strconv.Itoa(len(app.rules.Sections)))
			// htmx 4 sets document.title from a <title> in the fragment.
			if title := "<title>" + html.EscapeString(app.rules.Sections[2].Title) + " · stackfit</title>"; tt.fragment && !strings.HasPrefix(r.body, title) {
				t.Errorf("the fragment does not start with %s:\n%.200s", title, r.body)
			}
		})
	}
	// A 422 to htmx is the fragment too (htmx 4 swaps error responses).
	c := app.client()
	c.get("/q/" + app.rules.Sections[2].ID)
	c.header.Set("HX-Request", "true")
	c.header.Set("HX-Request-Type", "partial")
	r := c.post("/q/"+app.rules.Sections[2].ID, url.Values{"nav": {"next"}})
	if r.status != 422 || strings.Contains(r.body, "<html") {
		t.Errorf("status %d, whole page %v", r.status, strings.Contains(r.body, "<html"))
	}
	mustContain(t, r.body, "<title>Check your answers: "+html.EscapeString(app.rules.Sections[2].Title)+" · stackfit</title>")
}

// The steps send nothing while a person answers: no leaning request on a
// change, no route for one, and no panel that shows a score.
func TestStepsDoNotLean(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	for _, sec := range app.rules.Sections {
		t.Run(sec.ID, func(t *testing.T) {
			page := c.get("/q/" + sec.ID)
			if page.status != http.StatusOK {
				t.Fatalf("status %d", page.status)
			}
			mustNotContain(t, page.body, `hx-trigger="change"`, "/lean", `id="leaning"`, "Your answers lean")
			// htmx posts the form only when it is submitted, to the step itself.
			if n := strings.Count(page.body, "hx-post="); n != 1 || !strings.Contains(page.body, `hx-post="/q/`+sec.ID+`"`) {
				t.Errorf("%d hx-post attributes; want only the step form's, to /q/%s", n, sec.ID)
			}
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				form := url.Values{sec.Questions[0].ID: {sec.Questions[0].Options[0].ID}, "_csrf": {c.csrf}}
				r := c.do(method, "/q/"+sec.ID+"/lean", strings.NewReader(form.Encode()),
					http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
				if r.status != http.StatusNotFound && r.status != http.StatusMethodNotAllowed {
					t.Errorf("%s /q/%s/lean: status %d, want 404 or 405", method, sec.ID, r.status)
				}
			}
		})
	}
}

func TestCSRF(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	c.get("/q/team")
	form := url.Values{"python": {"strong"}, "nav": {"next"}}
	tests := []struct {
		name   string
		header http.Header
		token  string
		want   int
	}{
		{"no token", nil, "", http.StatusForbidden},
		{"wrong token", nil, "forged", http.StatusForbidden},
		{"cross-site browser", http.Header{"Sec-Fetch-Site": {"cross-site"}}, "", http.StatusForbidden},
		{"token in header, as htmx sends it", http.Header{"X-Csrf-Token": {"@token"}}, "", http.StatusUnprocessableEntity},
		{"same-origin browser", http.Header{"Sec-Fetch-Site": {"same-origin"}}, "", http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if tt.token != "" {
				f.Set("_csrf", tt.token)
			}
			h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
			for k, v := range tt.header {
				if v[0] == "@token" {
					v = []string{c.csrf}
				}
				h[k] = v
			}
			r := c.do(http.MethodPost, "/q/team", strings.NewReader(f.Encode()), h)
			if r.status != tt.want {
				t.Fatalf("status %d, want %d", r.status, tt.want)
			}
			if tt.want == http.StatusForbidden {
				mustContain(t, r.body, "This form has expired")
			}
		})
	}
}
