package handlers_test

import (
	"database/sql"
	"encoding/json"
	"html"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"stackfit/rules"
)

// finish answers everything and submits; it returns the result's path.
func (c *client) finish(overrides map[string][]string) string {
	c.t.Helper()
	c.answerAll(overrides)
	r := c.post("/q/review", nil)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/r/") {
		c.t.Fatalf("submit: status %d, Location %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	return r.header.Get("Location")
}

func TestResultFlow(t *testing.T) {
	app := newTestApp(t)
	owner := app.client()
	path := owner.finish(map[string][]string{"python": {"strong"}, "admin": {"central"}, "deadline": {"soon"}})
	id := strings.TrimPrefix(path, "/r/")
	if len(id) != 22 {
		t.Errorf("result id %q: want 22 URL-safe characters (128 bits)", id)
	}
	page := owner.get(path)
	if page.status != 200 {
		t.Fatalf("status %d", page.status)
	}
	mustContain(t, page.body, "Django recommended", "Why Django", "What speaks for Node.js", "What would change this",
		"“Admin Interface”", `/r/`+id+`/decision.md`, `/r/`+id+`/qr.svg`, "Change the answers",
		`property="og:title" content="Django recommended · `)

	// Someone else, with only the link: read-only, with a way to start from these answers.
	other := app.client()
	shared := other.get(path)
	mustContain(t, shared.body, "Someone shared this result with you", "Start from these answers", "Take the questionnaire yourself")
	// Each answer's button is named by its word and its question, which the
	// page writes once, in the list: "Change" alone would name them all alike.
	for _, q := range app.rules.Questions() {
		mustContain(t, shared.body, `<dt id="ans-`+q.ID+`">`+html.EscapeString(q.Text)+`</dt>`,
			`id="chg-`+q.ID+`" aria-labelledby="chg-`+q.ID+` ans-`+q.ID+`">Change</button>`)
	}
	r := other.post(path+"/start", url.Values{"q": {"deadline"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/q/delivery#q-deadline" {
		t.Fatalf("start: status %d, Location %q", r.status, r.header.Get("Location"))
	}
	mustContain(t, other.get("/q/delivery").body, `value="soon" checked`)

	// Every flip is a link to a what-if page that shows the other result, and can be saved.
	flip := regexp.MustCompile(`href="(/r/` + id + `/what-if\?[^"]+)"`).FindStringSubmatch(page.body)
	if flip == nil {
		t.Fatal("no what-if link")
	}
	whatIf := other.get(html.UnescapeString(flip[1]))
	if whatIf.status != 200 {
		t.Fatalf("what-if: status %d", whatIf.status)
	}
	mustContain(t, whatIf.body, "What if", "This result is not saved", "Save as a new result")
	if strings.Contains(whatIf.body, "Django recommended") {
		t.Error("the what-if page shows the same recommendation")
	}
	before := app.countResults()
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([a-z_]+)">`).FindAllStringSubmatch(whatIf.body, -1) {
		if m[1] != "_csrf" {
			form.Add(m[1], m[2])
		}
	}
	saved := other.post("/r", form)
	if saved.status != http.StatusSeeOther || app.countResults() != before+1 {
		t.Fatalf("save what-if: status %d, results %d → %d", saved.status, before, app.countResults())
	}
}

func TestReviewNeedsEveryAnswer(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	c.get("/q/team")
	r := c.post("/q/review", nil)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	mustContain(t, r.body, strconv.Itoa(len(app.rules.Questions()))+" questions need an answer")
	if app.countResults() != 0 {
		t.Error("an incomplete questionnaire was stored")
	}
}

func TestDownloads(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	path := c.finish(nil)
	id := strings.TrimPrefix(path, "/r/")
	tests := []struct {
		path, contentType string
		contains          []string
	}{
		{path + "/decision.md", "text/markdown", []string{"## Decision Outcome", "Django vs NodeJS"}},
		{path + "/result.json", "application/json", []string{`"id": "` + id + `"`, `"created_at"`, `"answers"`, `"result"`}},
		{path + "/qr.svg", "image/svg+xml", []string{"<svg", "viewBox"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := c.get(tt.path)
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), tt.contentType) {
				t.Fatalf("status %d, Content-Type %q", r.status, r.header.Get("Content-Type"))
			}
			mustContain(t, r.body, tt.contains...)
		})
	}
	var stored struct {
		Answers map[string]json.RawMessage `json:"answers"`
	}
	json.Unmarshal([]byte(c.get(path+"/result.json").body), &stored)
	if len(stored.Answers) != len(app.rules.Questions()) {
		t.Errorf("%d answers in the JSON download, want %d", len(stored.Answers), len(app.rules.Questions()))
	}
	// A multiple-choice answer is a list, a single choice an option id.
	for _, q := range app.rules.Questions() {
		if a := strings.TrimSpace(string(stored.Answers[q.ID])); a == "" || (a[0] == '[') != q.Multiple {
			t.Errorf("answer to %s (multiple %v) in the JSON download: %s", q.ID, q.Multiple, a)
		}
	}
}

// A result outlives the server: restart on the same database and read it again.
func TestResultSurvivesRestart(t *testing.T) {
	app := newTestApp(t)
	path := app.client().finish(nil)
	app.stop()
	again := startApp(t, app.dbPath)
	r := again.client().get(path)
	if r.status != 200 {
		t.Fatalf("after restart: status %d", r.status)
	}
	mustContain(t, r.body, "recommended")
}

// A server error shows a friendly page, never the cause.
func TestServerErrorIsFriendly(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	path := c.finish(nil)
	app.store.Close() // the database goes away under the running server
	for _, p := range []string{path, "/api/v1/results/" + strings.TrimPrefix(path, "/r/")} {
		r := c.get(p)
		if r.status != 500 {
			t.Fatalf("%s: status %d, want 500", p, r.status)
		}
		for _, leak := range []string{"sql", "database is closed", "goroutine", ".go:"} {
			if strings.Contains(strings.ToLower(r.body), leak) {
				t.Errorf("%s: the page shows %q:\n%s", p, leak, r.body)
			}
		}
	}
	if r := c.get("/healthz"); r.status != http.StatusServiceUnavailable {
		t.Errorf("healthz with a closed database: %d", r.status)
	}
}

// The result page says why the confidence is what it is, lists the open
// answers by question, sets the notes beyond the document apart, and shows
// each reason once with every sentence of the document behind it.
func TestResultExplainsItself(t *testing.T) {
	app := newTestApp(t)
	base := app.answers(nil)
	open := maps.Clone(base)
	for _, q := range app.rules.Questions() {
		if o, ok := unsureOption(q); ok {
			open[q.ID] = rules.Choice{Options: []string{o}, Multiple: q.Multiple}
			break
		}
	}
	last := app.rules.Questions()[len(app.rules.Questions())-1]
	delete(open, last.ID)

	tests := []struct {
		name    string
		answers rules.Answers
	}{
		{"every question answered", base},
		{"a “not sure” and a missing answer", open},
		{"answers the document does not cover", app.withNotes(base)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := app.client()
			body, _ := json.Marshal(rules.Request{Answers: tt.answers})
			created := c.postJSON("/api/v1/results", string(body))
			var cr struct{ ID string }
			if err := json.Unmarshal([]byte(created.body), &cr); err != nil || created.status != http.StatusCreated {
				t.Fatalf("create: status %d %s", created.status, created.body)
			}
			r := c.get("/r/" + cr.ID)
			if r.status != http.StatusOK {
				t.Fatalf("status %d", r.status)
			}
			page := decoded(r.body)
			ev := app.evaluate(tt.answers)

			mustContain(t, page, `<span class="badge `+string(ev.Confidence)+`">`+string(ev.Confidence)+` confidence</span> <span class="confidence-reason">`+ev.ConfidenceReason+`</span>`)

			openIDs := slices.Concat(ev.Unanswered, ev.Unsure)
			if len(openIDs) > 0 {
				list := section(t, page, "open-title")
				for _, id := range openIDs {
					q, _ := app.rules.Question(id)
					mustContain(t, list, "<li>"+q.Text+" — ")
				}
				if n := strings.Count(list, "<li>"); n != len(openIDs) {
					t.Errorf("%d open answers listed, want %d (%v)", n, len(openIDs), openIDs)
				}
			} else {
				mustNotContain(t, page, `id="open-title"`)
			}

			if len(ev.Notes) > 0 {
				notes := section(t, page, "notes-title")
				mustContain(t, notes, "Beyond the document", "Not covered by the document", "do not count")
				for _, n := range ev.Notes {
					mustContain(t, notes, "<li>"+n.Text)
				}
			} else {
				mustNotContain(t, page, "Beyond the document")
			}

			for _, reason := range ev.Reasons {
				if n := strings.Count(page, reason.Text); n != 1 {
					t.Errorf("reason %s shows %d times, want once: %q", reason.Rule, n, reason.Text)
				}
				for _, q := range reason.Quotes {
					mustContain(t, page, "“"+q+"”</blockquote>")
				}
			}
		})
	}
}

// A result stored before the evaluation had confidence_reason, unsure, notes
// and several quotes per reason still renders from what it stored; under an
// older ruleset its page names that ruleset and offers today's evaluation.
func TestStoredResultOfAnEarlierShape(t *testing.T) {
	app := newTestApp(t)
	crit := app.rules.Criteria[0]
	questions := app.rules.Questions()
	missing := questions[len(questions)-1]
	answers := app.answers(nil)
	delete(answers, missing.ID)
	answersJSON, _ := json.Marshal(answers)
	today := app.evaluate(answers)

	tests := []struct {
		name, id, ruleset, answers string
		drift, invalid             bool
	}{
		{"same ruleset", "AAAAAAAAAAAAAAAAAAAAAB", app.rules.Version, string(answersJSON), false, false},
		{"older ruleset", "AAAAAAAAAAAAAAAAAAAAAC", "0123456789ab", string(answersJSON), true, false},
		{"questionnaire changed since", "AAAAAAAAAAAAAAAAAAAAAD", "0123456789ab", `{"gone": "x"}`, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The evaluation as stackfit wrote it before: seven keys, one quote per reason.
			evaluation := `{"ruleset": "` + tt.ruleset + `", "recommendation": "` + string(crit.Favours) + `", "confidence": "medium",
				"scores": {"django": 5, "nodejs": 1}, "flips": [], "unanswered": ["` + missing.ID + `"],
				"reasons": [{"rule": "old-rule", "criterion": "` + crit.ID + `", "favours": "` + string(crit.Favours) + `",
					"weight": 5, "quote": ` + strconv.Quote(crit.Quote) + `, "text": "A reason an older ruleset gave."}]}`
			app.storeRaw(tt.id, tt.ruleset, tt.answers, evaluation)

			c := app.client()
			r := c.get("/r/" + tt.id)
			if r.status != http.StatusOK {
				t.Fatalf("status %d\n%s", r.status, r.body)
			}
			page := decoded(r.body)
			mustContain(t, page, crit.Favours.Name()+" recommended", `<span class="badge medium">medium confidence</span></p>`,
				"A reason an older ruleset gave.", `<blockquote cite="/how#`+crit.ID+`">“`+crit.Quote+`”</blockquote>`)
			mustNotContain(t, page, `class="confidence-reason"`)
			if !tt.invalid {
				mustContain(t, section(t, page, "open-title"), "<li>"+missing.Text+" — <em>Not answered</em></li>")
			}

			if !tt.drift {
				mustNotContain(t, page, "made with ruleset", "today's rules")
				return
			}
			mustContain(t, page, "This result was made with ruleset "+tt.ruleset)
			if tt.invalid {
				mustContain(t, page, "(today's ruleset is "+app.rules.Version+")", "cannot be read again with today's rules")
				return
			}
			mustContain(t, page, "With today's rules (ruleset "+app.rules.Version+")", today.ConfidenceReason,
				"See today's result in full")
			// Following the offer stores today's evaluation as a new result.
			form := url.Values{}
			for _, m := range regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([a-z_]+)">`).FindAllStringSubmatch(r.body, -1) {
				if m[1] != "_csrf" {
					form.Add(m[1], m[2])
				}
			}
			saved := c.post("/r", form)
			if saved.status != http.StatusSeeOther {
				t.Fatalf("save today's evaluation: status %d", saved.status)
			}
			now := decoded(c.get(saved.header.Get("Location")).body)
			mustContain(t, now, today.ConfidenceReason)
			mustNotContain(t, now, "made with ruleset")
		})
	}
}

func unsureOption(q *rules.Question) (string, bool) {
	for _, o := range q.Options {
		if o.Unsure {
			return o.ID, true
		}
	}
	return "", false
}

// withNotes changes answers, a question at a time, wherever an option adds a
// note beyond the document. A ruleset without such questions leaves them be.
func (a *testApp) withNotes(answers rules.Answers) rules.Answers {
	a.t.Helper()
	answers = maps.Clone(answers)
	for _, q := range a.rules.Questions() {
		before := len(a.evaluate(answers).Notes)
		for _, o := range q.Options {
			try := maps.Clone(answers)
			try[q.ID] = rules.Choice{Options: []string{o.ID}, Multiple: q.Multiple}
			if len(a.evaluate(try).Notes) > before {
				answers = try
				break
			}
		}
	}
	return answers
}

// section is the markup of the <section> whose heading has the given id.
func section(t *testing.T, page, headingID string) string {
	t.Helper()
	at := strings.Index(page, `id="`+headingID+`"`)
	if at < 0 {
		t.Fatalf("no section headed #%s", headingID)
	}
	start := strings.LastIndex(page[:at], "<section")
	end := strings.Index(page[at:], "</section>")
	return page[start : at+end]
}

// storeRaw writes a result row as an earlier stackfit wrote it, past the
// store, whose SaveResult would write today's shape.
func (a *testApp) storeRaw(id, ruleset, answers, evaluation string) {
	a.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+a.dbPath+"?_busy_timeout=5000")
	if err != nil {
		a.t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO results (id, created_at, ruleset, answers, evaluation) VALUES (?, ?, ?, ?, ?)`,
		id, "2025-11-02T10:00:00.000Z", ruleset, answers, evaluation); err != nil {
		a.t.Fatal(err)
	}
}
