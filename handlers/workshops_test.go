package handlers_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"stackfit"
	"stackfit/rules"
	"stackfit/workshop"
)

// Messages the workshop pages and API promise a person (handlers/errors.go).
const (
	msgClosed     = "This workshop is closed: the facilitator is no longer taking answers, so yours were not sent."
	msgNoWorkshop = "No workshop has that code. Check it with your facilitator: codes have six letters and digits."
	msgNeedKey    = "This board opens only with the facilitator link (or, for the API, the facilitator key as a Bearer token)."
)

var (
	joinCode     = regexp.MustCompile(`^[2-9A-HJ-NP-Z]{6}$`) // no 0/O, 1/I/L
	facilitation = regexp.MustCompile(`/w/([A-Z0-9]{6})/board\?key=([A-Za-z0-9_-]{43})`)
)

// createWorkshop fills in the workshop form as c, which becomes the
// facilitator; it returns the join code and the key from the page shown once.
func (c *client) createWorkshop(title string, anonymous bool) (code, key string) {
	c.t.Helper()
	form := url.Values{"title": {title}, "context": {"Kick-off of " + title}, "anonymous": {"no"}}
	if anonymous {
		form.Set("anonymous", "yes")
	}
	r := c.post("/w", form)
	code, ok := strings.CutSuffix(strings.TrimPrefix(r.header.Get("Location"), "/w/"), "/created")
	if r.status != http.StatusSeeOther || !ok || !joinCode.MatchString(code) {
		c.t.Fatalf("create workshop: status %d, Location %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	created := c.get("/w/" + code + "/created")
	m := facilitation.FindStringSubmatch(created.body)
	if created.status != http.StatusOK || m == nil || m[1] != code {
		c.t.Fatalf("created page: status %d, no facilitator link for %s\n%s", created.status, code, created.body)
	}
	return code, m[2]
}

// join makes c a participant of the workshop.
func (c *client) join(code, name string) {
	c.t.Helper()
	if r := c.post("/w/"+code+"/join", url.Values{"name": {name}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/q" {
		c.t.Fatalf("join %s as %q: status %d, Location %q\n%s", code, name, r.status, r.header.Get("Location"), r.body)
	}
}

// submitToWorkshop answers every question (first options, or the overrides)
// and sends the answers from the review step.
func (c *client) submitToWorkshop(code string, overrides map[string][]string) {
	c.t.Helper()
	c.answerAll(overrides)
	if r := c.post("/q/review", nil); r.status != http.StatusSeeOther || r.header.Get("Location") != "/w/"+code {
		c.t.Fatalf("submit to %s: status %d, Location %q\n%s", code, r.status, r.header.Get("Location"), r.body)
	}
}

func (a *testApp) participants(code string) []stackfit.Participant {
	a.t.Helper()
	ps, err := a.store.Participants(context.Background(), code)
	if err != nil {
		a.t.Fatal(err)
	}
	return ps
}

// teamEvaluation is the team's evaluation of the workshop's submitted answers.
func (a *testApp) teamEvaluation(code string) *rules.Evaluation {
	a.t.Helper()
	var responses []workshop.Response
	for _, p := range a.participants(code) {
		if p.Submitted {
			responses = append(responses, workshop.Response{Name: p.Name, Answers: p.Answers, Evaluation: p.Evaluation})
		}
	}
	sum, err := workshop.Summarize(a.rules, responses)
	if err != nil {
		a.t.Fatal(err)
	}
	return sum.Evaluation
}

// countRows reads the database file directly.
func (a *testApp) countRows(table string) int {
	a.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+a.dbPath+"?mode=ro")
	if err != nil {
		a.t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

// impatient makes c give up on a response after a few seconds: a request
// for an event stream that should be refused, but is not, then fails the
// test instead of hanging it.
func (c *client) impatient() *client {
	c.http.Timeout = 5 * time.Second
	return c
}

func mustNotContain(t *testing.T, body string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("response contains %q", u)
		}
	}
}

func TestNewWorkshopForm(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	page := fac.get("/w/new")
	if page.status != http.StatusOK {
		t.Fatalf("GET /w/new: status %d", page.status)
	}
	mustContain(t, page.body, "Run a workshop", `name="title"`, `name="context"`, `name="anonymous" value="yes"`, `name="_csrf"`)

	tests := []struct {
		name, field, title, context, message string
	}{
		{"empty title", "title", "   ", "", "Give the workshop a title"},
		{"title too long", "title", strings.Repeat("x", 121), "", "Keep the title to one line of at most 120 characters."},
		{"title of two lines", "title", "Kick-off\nv2", "", "Keep the title to one line"},
		{"context too long", "context", "Kick-off", strings.Repeat("y", 1001), "Keep the context to at most 1000 characters."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fac.post("/w", url.Values{"title": {tt.title}, "context": {tt.context}, "anonymous": {"yes"}})
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", r.status, r.body)
			}
			// Beside the field, tied to it for screen readers, and in the summary.
			mustContain(t, r.body, `id="`+tt.field+`-error"><span class="visually-hidden">Error: </span>`+tt.message,
				`aria-describedby="`+tt.field+`-help `+tt.field+`-error" aria-invalid="true"`,
				"1 field needs fixing", `value="yes" checked`)
		})
	}
	if n := app.countRows("workshops"); n != 0 {
		t.Errorf("bad input stored %d workshops", n)
	}
}

func TestFacilitatorLink(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	r := fac.post("/w", url.Values{"title": {"Booking platform v2 kickoff"}, "anonymous": {"no"}})
	code, _ := strings.CutSuffix(strings.TrimPrefix(r.header.Get("Location"), "/w/"), "/created")
	if r.status != http.StatusSeeOther || !joinCode.MatchString(code) {
		t.Fatalf("create: status %d, Location %q", r.status, r.header.Get("Location"))
	}
	if n := app.countRows("workshops"); n != 1 {
		t.Fatalf("%d workshops stored, want 1", n)
	}

	created := fac.get("/w/" + code + "/created")
	m := facilitation.FindStringSubmatch(created.body)
	if created.status != http.StatusOK || m == nil {
		t.Fatalf("created: status %d, no facilitator link\n%s", created.status, created.body)
	}
	key := m[2]
	if cc := created.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("created page Cache-Control %q: the key must not be cached", cc)
	}
	mustContain(t, created.body, "Your facilitator link: keep it", app.srv.URL+"/w/"+code+"/board?key="+key,
		`aria-label="Join code `+code+`"`, app.srv.URL+"/w/"+code, "/w/"+code+"/qr.svg")
	again := fac.get("/w/" + code + "/created")
	if again.status != http.StatusOK {
		t.Fatalf("created again: status %d", again.status)
	}
	mustNotContain(t, again.body, key, "board?key=", "Your facilitator link")
	mustContain(t, again.body, `aria-label="Join code `+code+`"`)

	// Only the facilitator's browser, or one that opened the link, has the board.
	if r := fac.get("/w/" + code + "/board"); r.status != http.StatusOK {
		t.Fatalf("facilitator's board: status %d\n%s", r.status, r.body)
	} else {
		mustContain(t, r.body, "Booking platform v2 kickoff", "<strong>0</strong> joined", `hx-sse:connect="/w/`+code+`/board/events"`)
	}
	other := app.client().impatient()
	for _, path := range []string{"/board", "/created", "/board/events", "/decision.md", "/answers.csv", "/summary.json"} {
		r := other.get("/w/" + code + path)
		if r.status != http.StatusUnauthorized {
			t.Errorf("GET %s without the key: status %d, want 401", path, r.status)
		}
		mustNotContain(t, r.body, "Booking platform", key)
	}
	wrong := key[:42] + "A"
	if wrong == key {
		wrong = key[:42] + "B"
	}
	if r := other.get("/w/" + code + "/board?key=" + wrong); r.status != http.StatusUnauthorized {
		t.Errorf("a wrong key: status %d, want 401", r.status)
	}
	if r := other.get("/w/" + code + "/board"); r.status != http.StatusUnauthorized {
		t.Errorf("after a wrong key the board opened: status %d", r.status)
	}

	laptop := app.client()
	opened := laptop.get("/w/" + strings.ToLower(code) + "/board?key=" + key)
	if opened.status != http.StatusSeeOther || opened.header.Get("Location") != "/w/"+code+"/board" {
		t.Fatalf("facilitator link: status %d, Location %q, want 303 to the clean URL", opened.status, opened.header.Get("Location"))
	}
	if r := laptop.get("/w/" + code + "/board"); r.status != http.StatusOK {
		t.Errorf("board after the link: status %d", r.status)
	}
	if r := laptop.get("/w/" + code + "/summary.json"); r.status != http.StatusOK {
		t.Errorf("export after the link: status %d", r.status)
	}
}

func TestWorkshopParticipant(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, _ := fac.createWorkshop("Booking platform v2 kickoff", false)
	w := "/w/" + code

	ann := app.client()
	page := ann.get(w)
	if page.status != http.StatusOK {
		t.Fatalf("join page: status %d", page.status)
	}
	mustContain(t, page.body, "Booking platform v2 kickoff", `action="`+w+`/join"`, `name="name"`, "Join the workshop")
	mustNotContain(t, page.body, "open the board")

	for _, name := range []string{"", "  ", strings.Repeat("n", 61)} {
		r := ann.post(w+"/join", url.Values{"name": {name}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("join as %q: status %d, want 422", name, r.status)
		}
		mustContain(t, r.body, `id="name-error" role="alert"`, `aria-invalid="true"`)
	}
	if n := len(app.participants(code)); n != 0 {
		t.Fatalf("names refused, yet %d participants", n)
	}

	ann.join(code, " Ann ")
	ann.join(code, "Ann again") // a second click finds the same participant
	if r := ann.get(w); !strings.Contains(r.body, "You have joined as <strong>Ann</strong>") {
		t.Errorf("after joining the page does not say so\n%s", r.body)
	}
	ps := app.participants(code)
	if len(ps) != 1 || ps[0].Name != "Ann" || ps[0].Submitted {
		t.Fatalf("participants %+v, want Ann, not submitted", ps)
	}
	mustContain(t, ann.get("/q/review").body, "Send my answers to “Booking platform v2 kickoff”", "Answering for the workshop")

	ann.submitToWorkshop(code, map[string][]string{"python": {"strong"}})
	ann.get(w) // a reload
	ann.join(code, "Ann")
	ps = app.participants(code)
	if len(ps) != 1 || !ps[0].Submitted || ps[0].Answers["python"].Options[0] != "strong" {
		t.Fatalf("participants %+v, want Ann with python=strong", ps)
	}
	before := ann.get(w)
	mustContain(t, before.body, "Your answers are in", "/r/"+ps[0].ResultID, "appears here when the facilitator reveals it")
	mustNotContain(t, before.body, "The team's result:")

	bob := app.client()
	bob.join(code, "Bob")
	bob.submitToWorkshop(code, map[string][]string{"python": {"none"}})

	if r := bob.post(w+"/reveal", nil); r.status != http.StatusUnauthorized {
		t.Errorf("a participant revealed: status %d", r.status)
	}
	mustNotContain(t, ann.get(w).body, "The team's result:")
	if r := fac.post(w+"/reveal", nil); r.status != http.StatusSeeOther || r.header.Get("Location") != w+"/board" {
		t.Fatalf("reveal: status %d, Location %q", r.status, r.header.Get("Location"))
	}
	after := ann.get(w)
	mustContain(t, after.body, "The team's result:", "From the answers of 2 people", "Where the team differed most",
		"How well does your team know Python?")
	// Where the team's confidence shows, so does the sentence that explains it.
	team := app.teamEvaluation(code)
	for _, page := range []string{after.body, fac.get(w + "/board").body} {
		mustContain(t, decoded(page), `<span class="badge `+string(team.Confidence)+`">`,
			`<span class="confidence-reason">`+team.ConfidenceReason+`</span>`)
	}

	// Ann changes her answers while the workshop is open: the same participant, new answers.
	results := app.countResults()
	if r := ann.post(w+"/answers", nil); r.status != http.StatusSeeOther || r.header.Get("Location") != "/q/review" {
		t.Fatalf("change answers: status %d, Location %q", r.status, r.header.Get("Location"))
	}
	mustContain(t, ann.get("/q/review").body, "Well: we write Python every week")
	ann.submitToWorkshop(code, map[string][]string{"python": {"some"}})
	ps = app.participants(code)
	if len(ps) != 2 || ps[0].Answers["python"].Options[0] != "some" {
		t.Fatalf("after the change: %+v", ps)
	}
	if app.countResults() != results+1 {
		t.Errorf("results %d → %d: a change makes one new result (an old share link keeps its answers)", results, app.countResults())
	}

	if r := bob.post(w+"/close", nil); r.status != http.StatusUnauthorized {
		t.Errorf("a participant closed: status %d", r.status)
	}
	if r := fac.post(w+"/close", nil); r.status != http.StatusSeeOther {
		t.Fatalf("close: status %d", r.status)
	}
	results = app.countResults()
	ann.answerAll(map[string][]string{"python": {"none"}})
	refused := ann.post("/q/review", nil)
	if refused.status != http.StatusConflict {
		t.Fatalf("submit after close: status %d, want 409\n%s", refused.status, refused.body)
	}
	mustContain(t, refused.body, msgClosed)
	if r := ann.post(w+"/answers", nil); r.status != http.StatusConflict || !strings.Contains(r.body, msgClosed) {
		t.Errorf("change answers after close: status %d", r.status)
	}
	late := app.client()
	if r := late.post(w+"/join", url.Values{"name": {"Late"}}); r.status != http.StatusConflict || !strings.Contains(r.body, msgClosed) {
		t.Errorf("join after close: status %d", r.status)
	}
	ps = app.participants(code)
	if len(ps) != 2 || ps[0].Answers["python"].Options[0] != "some" || app.countResults() != results {
		t.Errorf("after close something was stored: %d participants, Ann's python %v, results %d → %d",
			len(ps), ps[0].Answers["python"], results, app.countResults())
	}
	closed := ann.get(w)
	mustContain(t, closed.body, "This workshop is closed", "The team's result:", `action="`+w+`/leave"`)
	mustNotContain(t, closed.body, "Change my answers")

	// Leaving keeps Ann's answers for a result of her own, which the closed
	// workshop no longer takes.
	left := ann.post(w+"/leave", nil)
	if left.status != http.StatusSeeOther || left.header.Get("Location") != "/q/review" {
		t.Fatalf("leave: status %d to %q, want 303 to the review", left.status, left.header.Get("Location"))
	}
	review := ann.get("/q/review")
	mustContain(t, review.body, "See the recommendation")
	mustNotContain(t, review.body, "Send my answers to")
	own := ann.post("/q/review", nil)
	if own.status != http.StatusSeeOther || !strings.HasPrefix(own.header.Get("Location"), "/r/") {
		t.Fatalf("own result after leaving: status %d to %q", own.status, own.header.Get("Location"))
	}
	if app.countResults() != results+1 || len(app.participants(code)) != 2 {
		t.Errorf("leaving and taking one's own result: results %d → %d, %d participants",
			results, app.countResults(), len(app.participants(code)))
	}
}

func TestAnonymousWorkshop(t *testing.T) {
	app := newTestApp(t)
	code, _ := app.client().createWorkshop("Anonymous kickoff", true)
	p := app.client()
	page := p.get("/w/" + code)
	mustContain(t, page.body, "Answers in this workshop are anonymous", "Join the workshop")
	mustNotContain(t, page.body, `name="name"`)
	p.join(code, "")
	ps := app.participants(code)
	if len(ps) != 1 || ps[0].Name != "" {
		t.Fatalf("participants %+v, want one without a name", ps)
	}
	// A name sent anyway is not kept.
	q := app.client()
	q.join(code, "Quentin")
	if ps := app.participants(code); len(ps) != 2 || ps[1].Name != "" {
		t.Errorf("participants %+v: an anonymous workshop kept a name", ps)
	}
}

func TestJoinByCode(t *testing.T) {
	app := newTestApp(t)
	code, _ := app.client().createWorkshop("Kickoff", false)
	unknown := "ZZZZZZ"
	if code == unknown {
		unknown = "YYYYYY"
	}
	c := app.client()
	tests := []struct {
		name, typed string
		status      int
		location    string
		contains    []string
	}{
		{"as shown", code, 303, "/w/" + code, nil},
		{"lower case", strings.ToLower(code), 303, "/w/" + code, nil},
		{"with a dash", strings.ToLower(code[:3]) + "-" + code[3:], 303, "/w/" + code, nil},
		{"with spaces", " " + code[:3] + " " + strings.ToLower(code[3:]) + " ", 303, "/w/" + code, nil},
		{"unknown", unknown, 404, "", []string{msgNoWorkshop, `value="` + unknown + `"`, `id="code-error"`}},
		{"too short", "abc", 404, "", []string{msgNoWorkshop, `value="abc"`}},
		{"ambiguous letters", "O0I1L" + code[:1], 404, "", []string{msgNoWorkshop}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.get("/w?" + url.Values{"code": {tt.typed}}.Encode())
			if r.status != tt.status || r.header.Get("Location") != tt.location {
				t.Fatalf("status %d, Location %q; want %d, %q", r.status, r.header.Get("Location"), tt.status, tt.location)
			}
			mustContain(t, r.body, tt.contains...)
		})
	}
	if r := c.get("/w"); r.status != http.StatusOK || !strings.Contains(r.body, `name="code"`) {
		t.Errorf("GET /w: status %d, want the join form", r.status)
	}
	for _, path := range []string{"/w/" + unknown, "/w/" + unknown + "/present", "/w/" + unknown + "/qr.svg"} {
		if r := c.get(path); r.status != http.StatusNotFound || !strings.Contains(r.body, msgNoWorkshop) {
			t.Errorf("GET %s: status %d, want 404 with %q", path, r.status, msgNoWorkshop)
		}
	}
	present := c.get("/w/" + strings.ToLower(code) + "/present")
	mustContain(t, present.body, code[:3]+" "+code[3:], app.srv.URL+"/w/"+code)
	if qr := c.get("/w/" + code + "/qr.svg"); qr.status != http.StatusOK || qr.header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("QR code: status %d, type %q", qr.status, qr.header.Get("Content-Type"))
	}
}

func TestWorkshopExports(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, key := fac.createWorkshop("Booking platform v2 kickoff", false)
	api := app.client()
	submit := func(name, python string) {
		t.Helper()
		body := `{"name": ` + quote(name) + `, "answers": {"python": "` + python + `", "javascript": "strong", "packages": ["cms", "captcha"]}}`
		if r := api.postJSON("/api/v1/workshops/"+code+"/submissions", body); r.status != http.StatusCreated {
			t.Fatalf("submit %s: status %d %s", name, r.status, r.body)
		}
	}
	submit("=1+2", "strong")
	submit("Bob", "none")
	app.client().join(code, "Dora") // joined, never submitted

	md := fac.get("/w/" + code + "/decision.md")
	if md.status != http.StatusOK || !strings.HasPrefix(md.header.Get("Content-Type"), "text/markdown") {
		t.Fatalf("decision.md: status %d, type %q", md.status, md.header.Get("Content-Type"))
	}
	mustContain(t, md.header.Get("Content-Disposition"), "attachment", "stackfit-workshop-"+code+".md")
	mustContain(t, md.body, "# Booking platform v2 kickoff", "consulted:\n", "  - \"=1+2\"\n", "  - \"Bob\"\n")
	mustNotContain(t, md.body, "Dora") // joined, never answered: not consulted
	// The one question they answered differently is the one discussion point.
	_, discussion, _ := strings.Cut(md.body, "### Discussion points\n")
	discussion, _, _ = strings.Cut(discussion, "###")
	if points := strings.Count(discussion, "\n* "); points != 1 || !strings.Contains(discussion,
		"* How well does your team know Python? — 1 × Well: we write Python every week, 1 × Not at all (disagreement 50%)") {
		t.Errorf("discussion points (%d):\n%s", points, discussion)
	}

	res := fac.get("/w/" + code + "/answers.csv")
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("answers.csv: status %d, type %q", res.status, res.header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	questions := app.rules.Questions()
	if len(rows) != 4 || len(rows[0]) != 4+len(questions) {
		t.Fatalf("CSV has %d rows of %d columns, want a header and 3 participants with %d columns", len(rows), len(rows[0]), 4+len(questions))
	}
	// One header row of question texts; the ids are in summary.json.
	if got := strings.Join(rows[0][:5], "|"); got != "Participant|Submitted at (UTC)|Recommendation|Confidence|"+questions[0].Text {
		t.Errorf("header starts %q", got)
	}
	column := map[string]int{}
	for i, h := range rows[0] {
		column[h] = i
	}
	for _, q := range questions {
		i, ok := column[q.Text]
		if !ok {
			t.Errorf("no column for question %s (%q)", q.ID, q.Text)
		}
		column[q.ID] = i
	}
	// Rows follow the joining order, which two quick API calls may not settle: find them by name.
	byName := map[string][]string{}
	for _, row := range rows[1:] {
		byName[row[0]] = row
	}
	python, _ := app.rules.Question("python")
	packages, _ := app.rules.Question("packages")
	both := packages.Label("cms") + "; " + packages.Label("captcha")
	want := [][3]string{ // participant, python, packages: the options' labels
		{"'=1+2", python.Label("strong"), both},
		{"Bob", python.Label("none"), both},
		{"Dora", "", ""},
	}
	for _, w := range want {
		row, ok := byName[w[0]]
		if !ok {
			t.Errorf("no row for %q in %q", w[0], rows)
			continue
		}
		if row[column["python"]] != w[1] || row[column["packages"]] != w[2] {
			t.Errorf("%s: python %q, packages %q; want %q, %q", w[0], row[column["python"]], row[column["packages"]], w[1], w[2])
		}
		if submitted := row[1] != "" && row[2] != ""; submitted != (w[1] != "") {
			t.Errorf("%s: submitted at %q, recommendation %q", w[0], row[1], row[2])
		}
		if row[2] != "" && !slices.Contains([]string{"Django", "Node.js", "Too close to call"}, row[2]) {
			t.Errorf("%s: recommendation %q, want it in words", w[0], row[2])
		}
	}

	exported := fac.get("/w/" + code + "/summary.json")
	apiSummary := app.client().do(http.MethodGet, "/api/v1/workshops/"+code+"/summary", nil, bearer(key))
	if exported.status != http.StatusOK || apiSummary.status != http.StatusOK {
		t.Fatalf("summary.json: status %d; API summary: status %d", exported.status, apiSummary.status)
	}
	var a, b any
	if err := json.Unmarshal([]byte(exported.body), &a); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal([]byte(apiSummary.body), &b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("summary.json differs from the API summary:\n%s\n%s", exported.body, apiSummary.body)
	}
}

func TestAnonymousExports(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, _ := fac.createWorkshop("Quiet kickoff", true)
	for _, python := range []string{"strong", "none"} {
		r := app.client().postJSON("/api/v1/workshops/"+code+"/submissions", `{"name": "Secret Sam", "answers": {"python": "`+python+`"}}`)
		if r.status != http.StatusCreated {
			t.Fatalf("submit: status %d %s", r.status, r.body)
		}
	}
	md := fac.get("/w/" + code + "/decision.md")
	mustContain(t, md.body, "consulted:\n  - \"2 participants, anonymously\"\n", "### Discussion points")
	res := fac.get("/w/" + code + "/answers.csv")
	mustContain(t, res.body, "\n\"Participant 1\",", "\n\"Participant 2\",") // every cell quoted
	for _, r := range []response{md, res, fac.get("/w/" + code + "/summary.json")} {
		mustNotContain(t, r.body, "Secret Sam")
	}
}

// TestWorkshopFragments: htmx asks for fragments; where a handler renders
// one, it has no layout around it.
func TestWorkshopFragments(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, _ := fac.createWorkshop("Kickoff", false)
	htmx := http.Header{"HX-Request": {"true"}, "HX-Request-Type": {"partial"}}

	p := app.client()
	p.join(code, "Pat")
	// A step's fragment is its title (htmx 4 sets document.title from it) and the wizard.
	step := p.do(http.MethodGet, "/q/team", nil, htmx)
	if step.status != http.StatusOK || !isStepFragment(step.body, "Team skills") {
		t.Fatalf("step fragment: status %d\n%s", step.status, step.body)
	}
	mustContain(t, step.body, "Answering for the workshop", `href="/w/`+code+`"`)
	mustNotContain(t, step.body, "<html", "<head")

	missing := p.do(http.MethodPost, "/q/review", strings.NewReader(url.Values{"_csrf": {p.csrf}}.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "HX-Request": {"true"}, "HX-Request-Type": {"partial"}})
	if missing.status != http.StatusUnprocessableEntity || !isStepFragment(missing.body, "Review your answers") {
		t.Fatalf("review fragment: status %d\n%s", missing.status, missing.body)
	}
	mustContain(t, missing.body, "need an answer", "Send my answers to “Kickoff”")
	if ps := app.participants(code); ps[0].Submitted {
		t.Error("an incomplete questionnaire was submitted")
	}

	unknown := p.do(http.MethodGet, "/w/ZZZZZZ", nil, htmx)
	if code == "ZZZZZZ" {
		unknown = p.do(http.MethodGet, "/w/YYYYYY", nil, htmx)
	}
	if unknown.status != http.StatusNotFound || !strings.HasPrefix(strings.TrimSpace(unknown.body), `<section class="notice warn" role="alert"`) {
		t.Fatalf("unknown code, htmx: status %d\n%s", unknown.status, unknown.body)
	}
	mustContain(t, unknown.body, msgNoWorkshop)
	mustNotContain(t, unknown.body, "<html")

	p.answerAll(nil)
	fac.post("/w/"+code+"/close", nil)
	closed := p.do(http.MethodPost, "/q/review", strings.NewReader(url.Values{"_csrf": {p.csrf}}.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "HX-Request": {"true"}, "HX-Request-Type": {"partial"}})
	if closed.status != http.StatusConflict || strings.Contains(closed.body, "<html") {
		t.Fatalf("closed, htmx: status %d, want 409 and a fragment\n%s", closed.status, closed.body)
	}
	mustContain(t, closed.body, msgClosed)

	// A page htmx loads whole (a boosted link, history) is the whole page.
	if r := p.do(http.MethodGet, "/w/"+code, nil, http.Header{"HX-Request": {"true"}, "HX-Request-Type": {"full"}}); !strings.Contains(r.body, "<html") {
		t.Error("a full htmx request got a fragment")
	}
}

// isStepFragment tells whether body is a questionnaire step as htmx gets it:
// the step's <title>, then the wizard, with no layout around them.
func isStepFragment(body, title string) bool {
	rest, ok := strings.CutPrefix(body, "<title>"+title+" · stackfit</title>")
	return ok && strings.HasPrefix(strings.TrimSpace(rest), `<div id="wizard"`)
}

func TestBoardEvents(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, _ := fac.createWorkshop("Live kickoff", false)

	if r := app.client().impatient().get("/w/" + code + "/board/events"); r.status != http.StatusUnauthorized {
		t.Errorf("board events without the key: status %d", r.status)
	}
	board := fac.stream("/w/"+code+"/board/events", nil)
	first := board.next()
	if first.event != "" || !strings.Contains(first.data, "<strong>0</strong> finished") || strings.Contains(first.data, "<html") {
		t.Fatalf("first board message: event %q\n%s", first.event, first.data)
	}

	participant := app.client()
	participant.join(code, "Pat")
	status := participant.stream("/w/"+code+"/events", nil)
	if m := status.next(); !strings.Contains(m.data, "You have joined as <strong>Pat</strong>") {
		t.Errorf("participant's first message:\n%s", m.data)
	}

	r := app.client().postJSON("/api/v1/workshops/"+code+"/submissions", `{"name": "Quinn", "answers": {"python": "strong"}}`)
	if r.status != http.StatusCreated {
		t.Fatalf("submit: status %d %s", r.status, r.body)
	}
	// The join and the submission may come as one message or two; the last shows both.
	for m := board.next(); !strings.Contains(m.data, "<strong>1</strong> finished"); m = board.next() {
	}

	fac.post("/w/"+code+"/reveal", nil)
	if m := status.next(); !strings.Contains(m.data, "The team's result:") {
		t.Errorf("participant's message after the reveal:\n%s", m.data)
	}

	// The way to join, above the live part, comes with each message out of
	// band: empty once closed, back after a reopen (a board loaded closed
	// shows it again without a reload).
	joinLine := `<div id="board-join-line" hx-swap-oob="true">`
	fac.post("/w/"+code+"/close", nil)
	m := board.next()
	for ; !strings.Contains(m.data, "closed: nobody can join"); m = board.next() {
	}
	mustContain(t, m.data, joinLine+"\n</div>", `<div id="board-join-qr" hx-swap-oob="true">`+"\n</div>")
	fac.post("/w/"+code+"/reopen", nil)
	for m = board.next(); strings.Contains(m.data, "closed: nobody can join"); m = board.next() {
	}
	mustContain(t, m.data, joinLine, "Join with code <strong class=\"join-code small\">"+code+"</strong>", `src="/w/`+code+`/qr.svg"`)
	mustNotContain(t, fac.get("/w/"+code+"/board").body, "hx-swap-oob") // the page itself holds them in place
}

// sseMessage is one server-sent event.
type sseMessage struct {
	id, event, data string
}

// sseStream reads an event stream line by line; next never waits long, so a
// missing message fails the test instead of hanging it.
type sseStream struct {
	t     *testing.T
	lines chan string
	// events are the API stream's events as openapi.json describes them,
	// which next checks each message against; nil for a page's stream.
	events map[string]sseEvent
}

// stream opens an event stream as c; the stream closes when the test ends.
func (c *client) stream(path string, header http.Header) *sseStream {
	c.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c.t.Cleanup(cancel) // before the server's Close, which waits for open requests
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.app.srv.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		res.Body.Close()
		c.t.Fatalf("stream %s: status %d, type %q", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &sseStream{t: c.t, lines: make(chan string)}
	if strings.HasPrefix(path, "/api/") {
		checkAPI(c.t, exchange{req: req, status: res.StatusCode, header: res.Header, stream: true})
		if s.events, err = contract(c.t).events(req); err != nil {
			c.t.Fatal(err)
		}
	}
	go func() {
		defer res.Body.Close()
		defer close(s.lines)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			select {
			case s.lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	return s
}

func (s *sseStream) next() sseMessage {
	s.t.Helper()
	var m sseMessage
	var data []string
	deadline := time.After(5 * time.Second)
	for {
		select {
		case <-deadline:
			s.t.Fatal("no event within 5 s")
		case line, ok := <-s.lines:
			if !ok {
				s.t.Fatal("the event stream ended")
			}
			switch {
			case line == "" && data != nil:
				m.data = strings.Join(data, "\n")
				if s.events != nil {
					if err := contract(s.t).checkEvent(s.events, m); err != nil {
						s.t.Errorf("openapi.json: %v", err)
					}
				}
				return m
			case line == "", strings.HasPrefix(line, ":"): // keep-alive
			case strings.HasPrefix(line, "id: "):
				m.id = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "event: "):
				m.event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data:"):
				data = append(data, strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
			default:
				s.t.Fatalf("not an SSE line: %q", line)
			}
		}
	}
}

func bearer(key string) http.Header { return http.Header{"Authorization": {"Bearer " + key}} }

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestEventStreamHead: uptime checks and link previewers probe with HEAD
// (headAsGet); on an event stream that gets the headers, and neither a
// panic in the log nor a stream that holds the connection.
func TestEventStreamHead(t *testing.T) {
	app, logs := newLoggedTestApp(t)
	fac := app.client()
	code, key := fac.createWorkshop("Probed kickoff", false)
	fac.impatient() // a stream left open fails the next request instead of hanging the test
	for _, tt := range []struct {
		path   string
		header http.Header
	}{
		{"/api/v1/workshops/" + code + "/events", bearer(key)},
		{"/w/" + code + "/events", nil},
		{"/w/" + code + "/board/events", nil},
	} {
		r := fac.do(http.MethodHead, tt.path, nil, tt.header)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/event-stream" || r.body != "" {
			t.Errorf("HEAD %s: status %d, type %q, %d bytes", tt.path, r.status, r.header.Get("Content-Type"), len(r.body))
		}
		// The next request goes over the same kept-alive connection.
		if r := fac.get("/healthz"); r.status != http.StatusOK {
			t.Errorf("after HEAD %s: status %d", tt.path, r.status)
		}
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("HEAD on an event stream logged an error:\n%.2000s", logs.String())
	}
}

// newLoggedTestApp is newTestApp with the server's log kept for the test to read.
func newLoggedTestApp(t *testing.T) (*testApp, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	app := startLoggingApp(t, filepath.Join(t.TempDir(), "stackfit.db"), slog.New(slog.NewTextHandler(logs, nil)))
	return app, logs
}

// logBuffer is a bytes.Buffer the server's goroutines may write to at once.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A facilitator who creates two workshops before looking at the first one's
// "created" page still gets each facilitator link, once.
func TestFacilitatorLinkOfEachWorkshop(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	var codes []string
	for _, title := range []string{"First kickoff", "Second kickoff"} {
		r := fac.post("/w", url.Values{"title": {title}, "anonymous": {"no"}})
		code, ok := strings.CutSuffix(strings.TrimPrefix(r.header.Get("Location"), "/w/"), "/created")
		if r.status != http.StatusSeeOther || !ok {
			t.Fatalf("create %q: status %d, Location %q", title, r.status, r.header.Get("Location"))
		}
		codes = append(codes, code)
	}
	for _, code := range codes {
		first := fac.get("/w/" + code + "/created")
		if m := facilitation.FindStringSubmatch(first.body); m == nil || m[1] != code {
			t.Errorf("created page of %s shows no facilitator link of its own", code)
		}
		mustNotContain(t, fac.get("/w/"+code+"/created").body, "board?key=")
	}
}
