package handlers_test

import (
	"html"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestSlides: the board's projector mode, one address per slide. Two people
// differ only on Python, so it comes first; the last slide keeps the team's
// result hidden until the reveal; only the facilitator opens the slides.
func TestSlides(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, _ := fac.createWorkshop("Slides", false)
	for name, python := range map[string]string{"Ada": "strong", "Grace": "none"} {
		p := app.client()
		p.join(code, name)
		p.submitToWorkshop(code, map[string][]string{"python": {python}})
	}
	python, _ := app.rules.Question("python")
	total := len(app.rules.Questions()) + 1
	slides := "/w/" + code + "/board/slides"
	link := func(rel string, n int) string {
		return `rel="` + rel + `" href="` + slides + `?q=` + strconv.Itoa(n) + `"`
	}

	tests := []struct {
		name     string
		c        *client
		path     string
		status   int
		wants    []string
		unwanted []string
	}{
		{"without the key", app.client(), slides, http.StatusUnauthorized, []string{msgNeedKey}, []string{python.Text}},
		{"first slide", fac, slides, http.StatusOK,
			[]string{"<title>Question 1 of " + strconv.Itoa(total-1) + " · Slides · stackfit</title>", html.EscapeString(python.Text),
				"50% disagreement", "2 answered", "2 of 2 finished", link("next", 2), `hx-sse:connect="` + slides + `/events?q=1"`},
			[]string{`rel="prev"`}},
		{"second slide", fac, slides + "?q=2", http.StatusOK,
			[]string{link("prev", 1), link("next", 3), "0% disagreement"}, []string{html.EscapeString(python.Text)}},
		{"the team's result, hidden", fac, slides + "?q=" + strconv.Itoa(total), http.StatusOK,
			[]string{"The team's result is hidden", link("prev", total-1)}, []string{`rel="next"`, "Team:"}},
		{"no slide 0", fac, slides + "?q=0", http.StatusNotFound, nil, nil},
		{"no slide after the result", fac, slides + "?q=" + strconv.Itoa(total+1), http.StatusNotFound, nil, nil},
		{"not a number", fac, slides + "?q=python", http.StatusNotFound, nil, nil},
		{"another address of slide 2", fac, slides + "?q=02", http.StatusNotFound, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.c.get(tt.path)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d\n%s", r.status, tt.status, r.body)
			}
			mustContain(t, r.body, tt.wants...)
			mustNotContain(t, r.body, tt.unwanted...)
		})
	}

	// htmx swaps a slide in with its title; the whole page is not sent again.
	fac.header.Set("HX-Request", "true")
	fac.header.Set("HX-Request-Type", "partial")
	r := fac.get(slides + "?q=2")
	rest, ok := strings.CutPrefix(r.body, "<title>Question 2 of "+strconv.Itoa(total-1)+" · Slides · stackfit</title>")
	if r.status != http.StatusOK || !ok || !strings.HasPrefix(strings.TrimSpace(rest), `<div id="projector"`) {
		t.Fatalf("htmx slide: status %d\n%.300s", r.status, r.body)
	}
	fac.header = http.Header{}

	fac.post("/w/"+code+"/reveal", nil)
	r = fac.get(slides + "?q=" + strconv.Itoa(total))
	mustContain(t, r.body, "<title>The team&#39;s result · Slides · stackfit</title>", "Team: ", "Each person's own result")
	mustNotContain(t, r.body, "is hidden")
}

// TestSlideEvents: a slide on the projector follows new answers live.
func TestSlideEvents(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, _ := fac.createWorkshop("Live slides", false)
	slide := "/w/" + code + "/board/slides/events?q=1"
	if r := app.client().impatient().get(slide); r.status != http.StatusUnauthorized {
		t.Errorf("slide events without the key: status %d", r.status)
	}
	if r := fac.impatient().get("/w/" + code + "/board/slides/events?q=0"); r.status != http.StatusNotFound {
		t.Errorf("events of slide 0: status %d", r.status)
	}

	s := fac.stream(slide, nil)
	if m := s.next(); !strings.Contains(m.data, "0 of 0 finished") || !strings.Contains(m.data, `id="slide-title"`) || strings.Contains(m.data, "<html") {
		t.Fatalf("first slide message:\n%s", m.data)
	}
	r := app.client().postJSON("/api/v1/workshops/"+code+"/submissions", `{"name": "Quinn", "answers": {"python": "strong"}}`)
	if r.status != http.StatusCreated {
		t.Fatalf("submit: status %d %s", r.status, r.body)
	}
	for m := s.next(); !strings.Contains(m.data, "1 of 1 finished"); m = s.next() {
	}
}
