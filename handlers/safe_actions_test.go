package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Reveal, close and start over ask first: GET is the question and changes
// nothing, only the POST (with its CSRF token) does it. The question is the
// facilitator's alone for a workshop.
func TestConfirmationPages(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, _ := fac.createWorkshop("Careful kickoff", false)
	w := "/w/" + code
	ann := app.client()
	ann.join(code, "Ann")
	ann.submitToWorkshop(code, nil)
	stranger := app.client()

	tests := []struct {
		name   string
		c      *client
		path   string
		status int
		wants  []string // in the page
	}{
		{"reveal", fac, w + "/reveal", http.StatusOK, []string{"Reveal the team's result to everyone in “Careful kickoff”?",
			"1 person who have sent", "hide it again", `action="` + w + `/reveal" method="post"`, `href="` + w + `/board" data-confirm-cancel>Keep it hidden`}},
		{"close", fac, w + "/close", http.StatusOK, []string{"Close “Careful kickoff”?", "reopen the workshop from the board",
			`action="` + w + `/close" method="post"`, `>Keep it open</a>`}},
		{"reveal by a participant", ann, w + "/reveal", http.StatusUnauthorized, []string{msgNeedKey}},
		{"close by someone else", stranger, w + "/close", http.StatusUnauthorized, []string{msgNeedKey}},
		{"reveal of an unknown workshop", fac, "/w/ZZZZZZ/reveal", http.StatusNotFound, []string{msgNoWorkshop}},
		{"start over", ann, "/q/reset", http.StatusOK, []string{"Start over?", "Your 29 answers in this browser are cleared",
			"cannot be undone", "Answers you already sent to “Careful kickoff” stay on its board", `action="/q/reset" method="post"`,
			`href="/q/review" data-confirm-cancel>Keep my answers`}},
		{"start over with nothing answered", stranger, "/q/reset", http.StatusOK, []string{"Start over?", "Your answers in this browser are cleared"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.c.get(tt.path)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d\n%s", r.status, tt.status, r.body)
			}
			mustContain(t, decoded(r.body), tt.wants...)
			if cc := r.header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
		})
	}
	if got, _ := app.store.Workshop(t.Context(), code); got.Revealed || got.Closed {
		t.Fatalf("asking changed the workshop: %+v", got)
	}
	if review := ann.get("/q/review"); strings.Contains(review.body, "Not answered") {
		t.Error("asking to start over forgot the answers")
	}
	// The question's form carries a token the POST accepts; without one, nothing happens.
	if r := fac.do(http.MethodPost, w+"/close", strings.NewReader(""), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}); r.status != http.StatusForbidden && r.status != http.StatusBadRequest {
		t.Errorf("close without a CSRF token: status %d", r.status)
	}
	if got, _ := app.store.Workshop(t.Context(), code); got.Closed {
		t.Fatal("a close without a CSRF token closed the workshop")
	}
	if r := ann.post("/q/reset", nil); r.status != http.StatusSeeOther {
		t.Fatalf("start over: status %d", r.status)
	}
	mustContain(t, ann.get("/q/review").body, "Not answered")
}

// Hide and reopen undo reveal and close from the board, for the facilitator
// only; the board shows the action that fits the state, and a closed
// workshop's board and projector page no longer show how to join.
func TestHideAndReopenOnTheBoard(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, _ := fac.createWorkshop("Undo kickoff", false)
	w := "/w/" + code
	ann := app.client()
	ann.join(code, "Ann")
	ann.submitToWorkshop(code, nil)

	joinDetails := []string{`class="join-code small"`, w + `/qr.svg`, w + `/present`}
	steps := []struct {
		name               string
		c                  *client
		action             string
		status             int
		revealed, closed   bool
		board, notOnBoard  []string
		ann, notForAnn     []string
		present, notShowed []string
	}{
		{"as it starts", nil, "", 0, false, false,
			append([]string{`href="` + w + `/reveal" data-confirm`, `href="` + w + `/close" data-confirm`}, joinDetails...),
			[]string{w + "/hide", w + "/reopen"}, nil, []string{"The team's result:"}, []string{`class="join-code big"`}, nil},
		{"hide by a participant", ann, "/hide", http.StatusUnauthorized, false, false, nil, nil, nil, nil, nil, nil},
		{"reveal", fac, "/reveal", http.StatusSeeOther, true, false,
			[]string{`action="` + w + `/hide"`, "Hide the team result again"}, []string{w + "/reveal"},
			[]string{"The team's result:"}, nil, nil, nil},
		{"hide", fac, "/hide", http.StatusSeeOther, false, false,
			[]string{`href="` + w + `/reveal" data-confirm`}, []string{w + "/hide"},
			nil, []string{"The team's result:"}, nil, nil},
		{"reveal again", fac, "/reveal", http.StatusSeeOther, true, false, nil, nil, []string{"The team's result:"}, nil, nil, nil},
		{"reopen by a participant", ann, "/reopen", http.StatusUnauthorized, true, false, nil, nil, nil, nil, nil, nil},
		{"close", fac, "/close", http.StatusSeeOther, true, true,
			[]string{`action="` + w + `/reopen"`, "Reopen the workshop", "closed: nobody can join or send answers", `board-status is-closed`},
			append([]string{`href="` + w + `/close"`}, joinDetails...),
			[]string{"This workshop is closed", `href="#team-title">See the team's result</a>`}, nil,
			[]string{"“Undo kickoff” is closed", w + "#team-title"}, []string{`class="join-code`, "qr.svg"}},
		{"reopen", fac, "/reopen", http.StatusSeeOther, true, false,
			append([]string{`href="` + w + `/close" data-confirm`}, joinDetails...), []string{w + "/reopen"},
			[]string{"Change my answers"}, []string{"This workshop is closed"}, []string{`class="join-code`}, nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.c != nil {
				r := st.c.post(w+st.action, nil)
				if r.status != st.status {
					t.Fatalf("status %d, want %d\n%s", r.status, st.status, r.body)
				}
				if st.status == http.StatusSeeOther && r.header.Get("Location") != w+"/board" {
					t.Errorf("Location %q, want the board", r.header.Get("Location"))
				}
			}
			got, err := app.store.Workshop(t.Context(), code)
			if err != nil || got.Revealed != st.revealed || got.Closed != st.closed {
				t.Fatalf("workshop %+v, %v; want revealed %v, closed %v", got, err, st.revealed, st.closed)
			}
			board := decoded(fac.get(w + "/board").body)
			mustContain(t, board, st.board...)
			mustNotContain(t, board, st.notOnBoard...)
			page := decoded(ann.get(w).body)
			mustContain(t, page, st.ann...)
			mustNotContain(t, page, st.notForAnn...)
			present := decoded(app.client().get(w + "/present").body)
			mustContain(t, present, st.present...)
			mustNotContain(t, present, st.notShowed...)
		})
	}
}

// Someone answering for a workshop hears it has closed on the step they are
// on, not only when they send their answers.
func TestClosedWorkshopOnEveryStep(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, _ := fac.createWorkshop("Short kickoff", false)
	ann := app.client()
	ann.join(code, "Ann")
	first := "/q/" + app.rules.Sections[0].ID
	notice := "“Short kickoff” is closed: the facilitator is no longer taking answers"
	mustNotContain(t, decoded(ann.get(first).body), notice)
	fac.post("/w/"+code+"/close", nil)
	for _, path := range []string{first, "/q/" + app.rules.Sections[2].ID, "/q/review"} {
		page := decoded(ann.get(path).body)
		mustContain(t, page, notice, `<a href="/w/`+code+`">See the team's result</a>`, `href="/w/`+code+`#leave"`)
	}
	solo := app.client()
	mustNotContain(t, decoded(solo.get(first).body), "is closed")
}

// Error pages say what happened in words, never as a status phrase, and
// offer a way onward; the closed workshop's refusal links to its result.
func TestErrorPagesInWords(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, _ := fac.createWorkshop("Finished kickoff", false)
	w := "/w/" + code
	ann := app.client()
	ann.join(code, "Ann")
	ann.answerAll(nil)
	fac.post(w+"/close", nil)
	late := app.client()
	late.get(w)

	tests := []struct {
		name    string
		request func() response
		status  int
		heading string
		onward  []string // links
		not     []string // links it must not offer
	}{
		{"no such page", func() response { return late.get("/no-such-page") }, http.StatusNotFound,
			"We could not find that", []string{`href="/"`, `href="/q"`}, nil},
		{"no such result", func() response { return late.get("/r/AAAAAAAAAAAAAAAAAAAAAA") }, http.StatusNotFound,
			"We could not find that", []string{`href="/"`}, nil},
		{"no such workshop", func() response { return late.get("/w/ZZZZZZ") }, http.StatusNotFound,
			"We could not find that", []string{`href="/w">Type the workshop code again`}, nil},
		{"the board without its key", func() response { return late.get(w + "/board") }, http.StatusUnauthorized,
			"This board opens only with its facilitator link", []string{`href="/w/new"`, `href="/"`}, nil},
		{"joining a closed workshop", func() response { return late.post(w+"/join", url.Values{"name": {"Late"}}) }, http.StatusConflict,
			"This workshop is closed", []string{`href="` + w + `">Go to the workshop's page`, `href="/"`}, []string{"#leave"}},
		{"sending to a closed workshop", func() response { return ann.post("/q/review", nil) }, http.StatusConflict,
			"This workshop is closed", []string{`href="` + w + `">Go to the workshop's page`, `href="` + w + `#leave"`}, nil},
		{"a known page with another method", func() response {
			return late.do(http.MethodDelete, "/how", nil, nil)
		}, http.StatusMethodNotAllowed, "That address does not work that way", []string{`href="/"`}, nil},
		{"a form without its token", func() response {
			return late.do(http.MethodPost, "/q/reset", strings.NewReader(""), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
		}, http.StatusForbidden, "That form could not be accepted", []string{`href="/"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.request()
			if r.status != tt.status {
				t.Fatalf("status %d, want %d\n%s", r.status, tt.status, r.body)
			}
			body := decoded(r.body)
			mustContain(t, body, `<h1 id="error-title">`+tt.heading+`</h1>`, "<title>"+tt.heading+" · stackfit</title>", "What you can do")
			mustContain(t, body, tt.onward...)
			mustNotContain(t, body, tt.not...)
			mustNotContain(t, body, ">"+http.StatusText(tt.status)+"<", http.StatusText(tt.status)+" · stackfit")
		})
	}
	// Once revealed, the closed workshop's refusal links to the team's result itself.
	fac.post(w+"/reveal", nil)
	r := late.post(w+"/join", url.Values{"name": {"Later"}})
	mustContain(t, decoded(r.body), `href="`+w+`#team-title">See the team's result</a>`)
}
