package handlers_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

type apiWorkshop struct {
	Code           string `json:"code"`
	JoinURL        string `json:"join_url"`
	BoardURL       string `json:"board_url"`
	FacilitatorKey string `json:"facilitator_key"`
}

// createWorkshopAPI creates a workshop through the API.
func (a *testApp) createWorkshopAPI(title string, anonymous bool) apiWorkshop {
	a.t.Helper()
	r := a.client().postJSON("/api/v1/workshops", `{"title": `+quote(title)+`, "anonymous": `+strconv.FormatBool(anonymous)+`}`)
	var w apiWorkshop
	if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &w) != nil {
		a.t.Fatalf("create workshop: status %d %s", r.status, r.body)
	}
	return w
}

// apiError is the body of every API error.
func apiError(t *testing.T, r response) string {
	t.Helper()
	var e map[string]string
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || e["error"] == "" || len(e) != 1 {
		t.Fatalf("body %q is not {\"error\": ...}", r.body)
	}
	return e["error"]
}

func TestAPICreateWorkshop(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	tests := []struct {
		name, contentType, body string
		status                  int
		errorHas                string
	}{
		{"malformed", "application/json", `{"title": `, 400, "malformed JSON"},
		{"no title", "application/json", `{"anonymous": true}`, 400, "title: Give the workshop a title"},
		{"blank title", "application/json", `{"title": "  "}`, 400, "title: "},
		{"title too long", "application/json", `{"title": "` + strings.Repeat("x", 121) + `"}`, 400, "at most 120 characters"},
		{"unknown field", "application/json", `{"title": "Kickoff", "key": "mine"}`, 400, `unknown field "key"`},
		{"not JSON", "text/plain", `{"title": "Kickoff"}`, 415, "Content-Type must be application/json"},
		{"form post", "application/x-www-form-urlencoded", `title=Kickoff`, 415, "Content-Type must be application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.do(http.MethodPost, "/api/v1/workshops", strings.NewReader(tt.body), http.Header{"Content-Type": {tt.contentType}})
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if e := apiError(t, r); !strings.Contains(e, tt.errorHas) {
				t.Errorf("error %q does not contain %q", e, tt.errorHas)
			}
		})
	}
	if n := app.countRows("workshops"); n != 0 {
		t.Fatalf("bad requests stored %d workshops", n)
	}

	r := c.postJSON("/api/v1/workshops", `{"title": "Booking platform v2 kickoff", "context": "Bookings", "anonymous": true}`)
	if r.status != http.StatusCreated {
		t.Fatalf("create: status %d %s", r.status, r.body)
	}
	var fields map[string]string
	if err := json.Unmarshal([]byte(r.body), &fields); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	code, key := fields["code"], fields["facilitator_key"]
	if !joinCode.MatchString(code) || len(key) != 43 {
		t.Errorf("code %q, key %q: want 6 unambiguous characters and 43 of base64", code, key)
	}
	if fields["join_url"] != app.srv.URL+"/w/"+code || fields["board_url"] != app.srv.URL+"/w/"+code+"/board?key="+key || len(fields) != 4 {
		t.Errorf("created %v", fields)
	}
	w, err := app.store.Workshop(t.Context(), code)
	if err != nil || w.Title != "Booking platform v2 kickoff" || w.Context != "Bookings" || !w.Anonymous {
		t.Errorf("stored %+v, %v", w, err)
	}
	// The board link of the API opens the board in a browser.
	browser := app.client()
	if r := browser.get(strings.TrimPrefix(fields["board_url"], app.srv.URL)); r.status != http.StatusSeeOther {
		t.Errorf("board_url: status %d", r.status)
	}
	if r := browser.get("/w/" + code + "/board"); r.status != http.StatusOK {
		t.Errorf("board after board_url: status %d", r.status)
	}
}

func TestAPISubmissions(t *testing.T) {
	app := newTestApp(t)
	w := app.createWorkshopAPI("Kickoff", false)
	c := app.client()
	path := "/api/v1/workshops/" + w.Code + "/submissions"
	tests := []struct {
		name, path, contentType, body string
		status                        int
		errorHas                      string
	}{
		{"unknown option", path, "application/json", `{"name": "Ann", "answers": {"python": "guru"}}`, 400, `answers.python: no option "guru"`},
		{"unknown question", path, "application/json", `{"name": "Ann", "answers": {"ruby": "strong"}}`, 400, "answers.ruby: no such question"},
		{"two answers to one", path, "application/json", `{"name": "Ann", "answers": {"python": ["strong", "none"]}}`, 400, "answers.python: only one answer allowed"},
		{"no answers", path, "application/json", `{"name": "Ann"}`, 400, `missing "answers"`},
		{"no name", path, "application/json", `{"answers": {"python": "strong"}}`, 400, "name: Give the name"},
		{"name too long", path, "application/json", `{"name": "` + strings.Repeat("n", 61) + `", "answers": {}}`, 400, "name: Keep the name"},
		{"malformed", path, "application/json", `{"name": "Ann", "answers": {`, 400, "malformed JSON"},
		{"not JSON", path, "text/plain", `{"name": "Ann", "answers": {}}`, 415, "Content-Type must be application/json"},
		{"unknown code", "/api/v1/workshops/ZZZZZZ/submissions", "application/json", `{"name": "Ann", "answers": {}}`, 404, msgNoWorkshop},
	}
	if w.Code == "ZZZZZZ" {
		tests[len(tests)-1].path = "/api/v1/workshops/YYYYYY/submissions"
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.do(http.MethodPost, tt.path, strings.NewReader(tt.body), http.Header{"Content-Type": {tt.contentType}})
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if e := apiError(t, r); !strings.Contains(e, tt.errorHas) {
				t.Errorf("error %q does not contain %q", e, tt.errorHas)
			}
		})
	}
	if n, m := len(app.participants(w.Code)), app.countResults(); n != 0 || m != 0 {
		t.Fatalf("bad submissions stored %d participants and %d results", n, m)
	}

	r := c.postJSON(path, `{"name": "Ann", "answers": {"python": "none", "javascript": "strong", "realtime": "core", "packages": ["realtime_libs"]}}`)
	if r.status != http.StatusCreated {
		t.Fatalf("submit: status %d %s", r.status, r.body)
	}
	var created struct {
		ID     string         `json:"id"`
		Result map[string]any `json:"result"`
		URL    string         `json:"url"`
	}
	json.Unmarshal([]byte(r.body), &created)
	ps := app.participants(w.Code)
	if len(ps) != 1 || ps[0].ID != created.ID || ps[0].Name != "Ann" || !ps[0].Submitted {
		t.Fatalf("stored %+v; response id %q", ps, created.ID)
	}
	if created.Result["recommendation"] != "nodejs" || created.URL != app.srv.URL+"/r/"+ps[0].ResultID {
		t.Errorf("result %v, url %q", created.Result["recommendation"], created.URL)
	}
	if r := c.get("/r/" + ps[0].ResultID); r.status != http.StatusOK {
		t.Errorf("the participant's own result: status %d", r.status)
	}

	if r := c.do(http.MethodPost, "/api/v1/workshops/"+w.Code+"/close", nil, bearer(w.FacilitatorKey)); r.status != http.StatusOK {
		t.Fatalf("close: status %d %s", r.status, r.body)
	}
	results := app.countResults()
	r = c.postJSON(path, `{"name": "Bob", "answers": {"python": "strong"}}`)
	if r.status != http.StatusConflict || apiError(t, r) != msgClosed {
		t.Errorf("submit after close: status %d %s", r.status, r.body)
	}
	if n := len(app.participants(w.Code)); n != 1 || app.countResults() != results {
		t.Errorf("after close: %d participants, results %d → %d", n, results, app.countResults())
	}
}

func TestAPISummary(t *testing.T) {
	app := newTestApp(t)
	w := app.createWorkshopAPI("Booking platform v2 kickoff", false)
	c := app.client()
	submissions := []string{
		`{"name": "Ann", "answers": {"python": "strong", "javascript": "none", "experience": "django", "packages": ["cms", "captcha"]}}`,
		`{"name": "Bob", "answers": {"python": "strong", "javascript": "strong", "experience": "django", "packages": ["cms"]}}`,
		`{"name": "Cy", "answers": {"python": "none", "experience": "django"}}`,
	}
	individual := map[string]float64{}
	for _, body := range submissions {
		r := c.postJSON("/api/v1/workshops/"+w.Code+"/submissions", body)
		var created struct {
			Result struct{ Recommendation string } `json:"result"`
		}
		if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &created) != nil {
			t.Fatalf("submit: status %d %s", r.status, r.body)
		}
		individual[created.Result.Recommendation]++
	}

	r := c.do(http.MethodGet, "/api/v1/workshops/"+w.Code+"/summary", nil, bearer(w.FacilitatorKey))
	if r.status != http.StatusOK {
		t.Fatalf("summary: status %d %s", r.status, r.body)
	}
	var sum struct {
		Code         string `json:"code"`
		Title        string `json:"title"`
		Participants int    `json:"participants"`
		Closed       *bool  `json:"closed"`
		Questions    []struct {
			ID           string         `json:"id"`
			Distribution map[string]int `json:"distribution"`
			Unanswered   int            `json:"unanswered"`
			Disagreement *float64       `json:"disagreement"`
		} `json:"questions"`
		Team       map[string]any     `json:"team"`
		Individual map[string]float64 `json:"individual"`
	}
	if err := json.Unmarshal([]byte(r.body), &sum); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	if sum.Code != w.Code || sum.Title != "Booking platform v2 kickoff" || sum.Participants != 3 || sum.Closed == nil || *sum.Closed {
		t.Errorf("code %q, title %q, participants %d, closed %v", sum.Code, sum.Title, sum.Participants, sum.Closed)
	}
	questions := app.rules.Questions()
	if len(sum.Questions) != len(questions) {
		t.Fatalf("%d questions, want %d", len(sum.Questions), len(questions))
	}
	byID := map[string]int{}
	for i, q := range questions {
		got := sum.Questions[i]
		byID[got.ID] = i
		if got.ID != q.ID || got.Disagreement == nil || *got.Disagreement < 0 || *got.Disagreement > 1 {
			t.Errorf("question %d: id %q, disagreement %v; want %s in [0, 1]", i, got.ID, got.Disagreement, q.ID)
			continue
		}
		var options []string
		total := 0
		for _, o := range q.Options {
			options = append(options, o.ID)
		}
		keys := make([]string, 0, len(got.Distribution))
		for k, n := range got.Distribution {
			keys = append(keys, k)
			total += n
		}
		slices.Sort(options)
		slices.Sort(keys)
		if !slices.Equal(keys, options) {
			t.Errorf("%s: distribution over %v, want every option %v", q.ID, keys, options)
		}
		if !q.Multiple && total+got.Unanswered != sum.Participants {
			t.Errorf("%s: %d answers + %d unanswered, want %d participants", q.ID, total, got.Unanswered, sum.Participants)
		}
	}
	checks := []struct {
		question     string
		distribution map[string]int
		unanswered   int
		agreed       bool
	}{
		{"python", map[string]int{"strong": 2, "some": 0, "none": 1, "not_sure": 0}, 0, false},
		{"javascript", map[string]int{"strong": 1, "some": 0, "none": 1, "not_sure": 0}, 1, false},
		{"experience", map[string]int{"django": 3, "nodejs": 0, "both": 0, "neither": 0}, 0, true},
		{"admin", map[string]int{}, 3, true},
	}
	for _, ck := range checks {
		got := sum.Questions[byID[ck.question]]
		for option, n := range ck.distribution {
			if got.Distribution[option] != n {
				t.Errorf("%s: %d × %s, want %d", ck.question, got.Distribution[option], option, n)
			}
		}
		if got.Unanswered != ck.unanswered || (*got.Disagreement == 0) != ck.agreed {
			t.Errorf("%s: %d unanswered, disagreement %v; want %d, agreed %v", ck.question, got.Unanswered, *got.Disagreement, ck.unanswered, ck.agreed)
		}
	}
	if rec := sum.Team["recommendation"]; rec != "django" && rec != "nodejs" && rec != "tie" {
		t.Errorf("team evaluation %v", sum.Team)
	}
	for _, side := range []string{"django", "nodejs", "tie"} {
		if sum.Individual[side] != individual[side] {
			t.Errorf("individual %v, want %v from the submissions", sum.Individual, individual)
			break
		}
	}
}

func TestAPIFacilitatorKey(t *testing.T) {
	app := newTestApp(t)
	w := app.createWorkshopAPI("Secret kickoff", false)
	other := app.createWorkshopAPI("Another kickoff", false)
	c := app.client().impatient()
	base := "/api/v1/workshops/" + w.Code
	credentials := []struct {
		name   string
		header http.Header
	}{
		{"no key", nil},
		{"empty bearer", http.Header{"Authorization": {"Bearer "}}},
		{"basic", http.Header{"Authorization": {"Basic " + w.FacilitatorKey}}},
		{"wrong key", bearer(strings.Repeat("A", 43))},
		{"another workshop's key", bearer(other.FacilitatorKey)},
	}
	for _, cr := range credentials {
		for _, ep := range []struct{ method, path string }{
			{http.MethodGet, "/summary"}, {http.MethodGet, "/events"}, {http.MethodPost, "/reveal"}, {http.MethodPost, "/close"},
			{http.MethodPost, "/hide"}, {http.MethodPost, "/reopen"},
		} {
			t.Run(cr.name+" "+ep.path, func(t *testing.T) {
				r := c.do(ep.method, base+ep.path, nil, cr.header)
				if r.status != http.StatusUnauthorized {
					t.Fatalf("status %d, want 401: %s", r.status, r.body)
				}
				if e := apiError(t, r); e != msgNeedKey {
					t.Errorf("error %q", e)
				}
				mustNotContain(t, r.body, "Secret kickoff", w.Code, "participants")
				if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
				}
			})
		}
	}
	if got, _ := app.store.Workshop(t.Context(), w.Code); got.Revealed || got.Closed {
		t.Fatalf("refused requests changed the workshop: %+v", got)
	}

	state := func(r response) map[string]any {
		t.Helper()
		var s map[string]any
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &s) != nil {
			t.Fatalf("status %d %s", r.status, r.body)
		}
		return s
	}
	revealed := state(c.do(http.MethodPost, base+"/reveal", nil, bearer(w.FacilitatorKey)))
	if revealed["code"] != w.Code || revealed["revealed"] != true || revealed["closed"] != false {
		t.Errorf("reveal: %v", revealed)
	}
	closed := state(c.do(http.MethodPost, strings.ToLower(base)+"/close", nil, bearer(w.FacilitatorKey)))
	if closed["code"] != w.Code || closed["revealed"] != true || closed["closed"] != true {
		t.Errorf("close: %v", closed)
	}
	if again := state(c.do(http.MethodPost, base+"/close", nil, bearer(w.FacilitatorKey))); again["closed"] != true {
		t.Errorf("closing twice: %v", again)
	}
	if got, _ := app.store.Workshop(t.Context(), w.Code); !got.Revealed || !got.Closed {
		t.Errorf("stored %+v, want revealed and closed", got)
	}
	if s := state(c.do(http.MethodGet, base+"/summary", nil, bearer(w.FacilitatorKey))); s["closed"] != true || s["participants"] != 0.0 {
		t.Errorf("summary after close: %v", s)
	}
	if r := c.do(http.MethodGet, "/api/v1/workshops/"+other.Code+"/summary", nil, bearer(w.FacilitatorKey)); r.status != http.StatusUnauthorized {
		t.Errorf("a key opened another workshop: status %d", r.status)
	}
}

// unknownCodeBurst is how many lookups of unknown codes a client gets before
// it is refused (codeGuard in guard.go, the core).
const unknownCodeBurst = 20

func TestJoinCodeRateLimit(t *testing.T) {
	app := newTestApp(t)
	w := app.createWorkshopAPI("Office kickoff", true)
	c := app.client()

	// A whole office joins from one address: successes are never counted.
	for i := range 3 * unknownCodeBurst {
		var r response
		switch i % 3 {
		case 0:
			r = c.get("/w?code=" + strings.ToLower(w.Code))
		case 1:
			r = c.get("/w/" + w.Code)
		default:
			r = c.postJSON("/api/v1/workshops/"+w.Code+"/submissions", `{"answers": {"python": "strong"}}`)
		}
		if r.status >= 400 {
			t.Fatalf("lookup %d of a known code: status %d", i+1, r.status)
		}
	}

	// Codes that do not exist, through every door, with headers that try
	// to pass for another client: the address of the connection counts.
	unknown := func(i int) string {
		code := "ZZZZ" + string("23456789ABCDEFGHJKMNPQRSTUVWXYZ"[i%31]) + string("23456789ABCDEFGHJKMNPQRSTUVWXYZ"[i/31%31])
		if code == w.Code {
			code = "YYYYYY"
		}
		return code
	}
	lookup := func(i int) response {
		spoof := http.Header{"X-Forwarded-For": {"203.0.113." + strconv.Itoa(i)}, "X-Real-Ip": {"198.51.100." + strconv.Itoa(i)}}
		switch i % 3 {
		case 0:
			return c.do(http.MethodGet, "/w?code="+unknown(i), nil, spoof)
		case 1:
			return c.do(http.MethodGet, "/w/"+unknown(i), nil, spoof)
		default:
			spoof.Set("Content-Type", "application/json")
			return c.do(http.MethodPost, "/api/v1/workshops/"+unknown(i)+"/submissions", strings.NewReader(`{"answers": {}}`), spoof)
		}
	}
	for i := range unknownCodeBurst {
		if r := lookup(i); r.status != http.StatusNotFound {
			t.Fatalf("unknown code %d of %d: status %d, want 404", i+1, unknownCodeBurst, r.status)
		}
	}
	// The allowance refills by one every 3 s: a slow machine may get one more 404.
	limited := -1
	for i := unknownCodeBurst; i < unknownCodeBurst+3 && limited < 0; i++ {
		r := lookup(i)
		switch r.status {
		case http.StatusTooManyRequests:
			limited = i
			if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > 3 {
				t.Errorf("429 with Retry-After %q, want 1 to 3 seconds (one code every 3 s)", r.header.Get("Retry-After"))
			}
			if i%3 != 2 {
				mustContain(t, r.body, "Too many workshop codes that do not exist were tried from your network")
			}
		case http.StatusNotFound:
		default:
			t.Fatalf("unknown code %d: status %d", i+1, r.status)
		}
	}
	if limited < 0 {
		t.Fatalf("still not limited after %d unknown codes", unknownCodeBurst+3)
	}
	// While limited, a known code is refused too: a guess that hits would tell.
	if r := c.get("/w?code=" + w.Code); r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Wait a minute") {
		t.Errorf("known code while limited: status %d", r.status)
	}
	r := c.postJSON("/api/v1/workshops/"+w.Code+"/submissions", `{"answers": {}}`)
	if r.status != http.StatusTooManyRequests || !strings.Contains(apiError(t, r), "Too many workshop codes") {
		t.Errorf("API while limited: status %d %s", r.status, r.body)
	}
}

func TestAPIEvents(t *testing.T) {
	app := newTestApp(t)
	w := app.createWorkshopAPI("Live kickoff", true)
	c := app.client()
	path := "/api/v1/workshops/" + w.Code + "/events"
	if r := app.client().impatient().get(path); r.status != http.StatusUnauthorized {
		t.Errorf("events without a key: status %d", r.status)
	}

	events := c.stream(path, bearer(w.FacilitatorKey))
	if m := events.next(); m.event != "ready" || m.data != `{"code":"`+w.Code+`"}` {
		t.Fatalf("first event %+v", m)
	}
	lastID := 0
	for i := range 3 {
		r := c.postJSON("/api/v1/workshops/"+w.Code+"/submissions", `{"answers": {"python": "strong"}}`)
		var created struct{ ID string }
		if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &created) != nil {
			t.Fatalf("submit: status %d %s", r.status, r.body)
		}
		m := events.next()
		var ev struct {
			ID          int    `json:"id"`
			Type        string `json:"type"`
			Participant string `json:"participant"`
		}
		if err := json.Unmarshal([]byte(m.data), &ev); err != nil {
			t.Fatalf("event data %q: %v", m.data, err)
		}
		if m.event != "submission" || ev.Type != "submission" || ev.Participant != created.ID || m.id != strconv.Itoa(ev.ID) || ev.ID <= lastID {
			t.Errorf("event %d for %s: %+v, %+v", i+1, created.ID, m, ev)
		}
		lastID = ev.ID
	}
	c.do(http.MethodPost, "/api/v1/workshops/"+w.Code+"/reveal", nil, bearer(w.FacilitatorKey))
	if m := events.next(); m.event != "revealed" {
		t.Errorf("after reveal: %+v", m)
	}
	c.do(http.MethodPost, "/api/v1/workshops/"+w.Code+"/close", nil, bearer(w.FacilitatorKey))
	if m := events.next(); m.event != "closed" {
		t.Errorf("after close: %+v", m)
	}
	for _, change := range []string{"hide", "reopen"} {
		c.do(http.MethodPost, "/api/v1/workshops/"+w.Code+"/"+change, nil, bearer(w.FacilitatorKey))
		want := map[string]string{"hide": "hidden", "reopen": "reopened"}[change]
		m := events.next()
		if m.event != want || !strings.Contains(m.data, `"type":"`+want+`"`) {
			t.Errorf("after %s: %+v, want %s", change, m, want)
		}
	}
}

// Hide and reopen undo reveal and close: 200 with the state, and the
// workshop takes submissions again (409 while closed, nothing stored).
func TestAPIHideAndReopen(t *testing.T) {
	app := newTestApp(t)
	w := app.createWorkshopAPI("Undo kickoff", true)
	c := app.client().impatient()
	base := "/api/v1/workshops/" + w.Code
	submit := func() response {
		return c.postJSON(base+"/submissions", `{"answers": {"python": "strong"}}`)
	}
	steps := []struct {
		method, path string
		key          bool
		status       int
		state        map[string]any // the reply's fields, for a 200
		errorHas     string         // part of the {"error"} for a refusal
	}{
		{http.MethodPost, "/reveal", true, http.StatusOK, map[string]any{"revealed": true, "closed": false}, ""},
		{http.MethodPost, "/close", true, http.StatusOK, map[string]any{"revealed": true, "closed": true}, ""},
		{http.MethodPost, "/submissions", false, http.StatusConflict, nil, "closed"},
		{http.MethodPost, "/hide", true, http.StatusOK, map[string]any{"revealed": false, "closed": true, "locked": false}, ""},
		{http.MethodPost, "/hide", true, http.StatusOK, map[string]any{"revealed": false, "closed": true}, ""},
		{http.MethodPost, "/reopen", true, http.StatusOK, map[string]any{"revealed": false, "closed": false, "locked": false}, ""},
		{http.MethodPost, "/reopen", true, http.StatusOK, map[string]any{"revealed": false, "closed": false}, ""},
		{http.MethodPost, "/submissions", false, http.StatusCreated, nil, ""},
		{http.MethodGet, "/reopen", true, http.StatusMethodNotAllowed, nil, ""},
	}
	for _, st := range steps {
		t.Run(st.method+" "+st.path, func(t *testing.T) {
			var r response
			switch {
			case st.path == "/submissions":
				r = submit()
			case st.key:
				r = c.do(st.method, base+st.path, nil, bearer(w.FacilitatorKey))
			}
			if r.status != st.status {
				t.Fatalf("status %d, want %d: %s", r.status, st.status, r.body)
			}
			if st.errorHas != "" && !strings.Contains(apiError(t, r), st.errorHas) {
				t.Errorf("error %s, want it to say %q", r.body, st.errorHas)
			}
			if st.state == nil {
				return
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(r.body), &got); err != nil || got["code"] != w.Code {
				t.Fatalf("body %s: %v", r.body, err)
			}
			for k, v := range st.state {
				if got[k] != v {
					t.Errorf("%s = %v, want %v (%s)", k, got[k], v, r.body)
				}
			}
		})
	}
	if n := len(app.participants(w.Code)); n != 1 {
		t.Errorf("%d participants stored, want only the one after reopening", n)
	}
	for _, path := range []string{"/hide", "/reopen"} {
		r := c.do(http.MethodPost, "/api/v1/workshops/ZZZZZZ"+path, nil, bearer(w.FacilitatorKey))
		if r.status != http.StatusNotFound {
			t.Errorf("%s of an unknown workshop: status %d, want 404", path, r.status)
		}
		apiError(t, r)
	}
}
