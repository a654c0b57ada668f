package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"stackfit"
)

const (
	msgFull   = "This workshop is full: every place is taken. Ask your facilitator to make room."
	msgLocked = "The facilitator has closed this workshop to new participants."
)

// The facilitator sets the places on the form; past them joining is refused
// with a page that says so; removing someone frees a place; locking stops
// anyone new; the board says how many places are left throughout.
func TestWorkshopCapacityPages(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	r := fac.post("/w", url.Values{"title": {"Small room"}, "capacity": {"2"}, "anonymous": {"no"}})
	code, _ := strings.CutSuffix(strings.TrimPrefix(r.header.Get("Location"), "/w/"), "/created")
	if r.status != http.StatusSeeOther || !joinCode.MatchString(code) {
		t.Fatalf("create: status %d\n%s", r.status, r.body)
	}
	board := func() string { t.Helper(); return decoded(fac.get("/w/" + code + "/board").body) }
	mustContain(t, board(), "2</strong> of 2 places left", "Lock joining")

	annBrowser := app.client()
	annBrowser.join(code, "Ann")
	app.client().join(code, "Bob")
	mustContain(t, board(), "The workshop is full: all 2 places are taken.")

	late := app.client()
	page := decoded(late.get("/w/" + code).body)
	mustContain(t, page, msgFull)
	mustNotContain(t, page, "Join the workshop")
	r = late.post("/w/"+code+"/join", url.Values{"name": {"Cy"}})
	if r.status != http.StatusConflict {
		t.Fatalf("join a full workshop: status %d, want 409", r.status)
	}
	mustContain(t, decoded(r.body), msgFull)
	if n := len(app.participants(code)); n != 2 {
		t.Fatalf("%d participants after the refused join, want 2", n)
	}

	// The remove button beside Ann.
	// Found by name: two joins in one millisecond come back in either order.
	var ann stackfit.Participant
	for _, p := range app.participants(code) {
		if p.Name == "Ann" {
			ann = p
		}
	}
	remove := url.Values{"participant": {ann.ID}}
	if r := app.client().post("/w/"+code+"/remove", remove); r.status != http.StatusUnauthorized {
		t.Errorf("remove without the facilitator key: status %d, want 401", r.status)
	}
	if r := fac.post("/w/"+code+"/remove", remove); r.status != http.StatusSeeOther || r.header.Get("Location") != "/w/"+code+"/board?removed="+ann.ID {
		t.Fatalf("remove: status %d, Location %q", r.status, r.header.Get("Location"))
	}
	b := board()
	mustContain(t, b, "1</strong> of 2 places left")
	mustNotContain(t, b, ">Ann<")
	// Ann, removed, finds out when she sends her answers; nothing is stored.
	annBrowser.answerAll(nil)
	if r := annBrowser.post("/q/review", nil); r.status != http.StatusNotFound ||
		!strings.Contains(decoded(r.body), "the facilitator removed you, so your answers were not sent") {
		t.Errorf("answers of a removed participant: status %d\n%s", r.status, r.body)
	}
	if n := app.countRows("results"); n != 0 {
		t.Errorf("the removed participant's answers stored %d results", n)
	}

	if r := fac.post("/w/"+code+"/lock", nil); r.status != http.StatusSeeOther {
		t.Fatalf("lock: status %d", r.status)
	}
	mustContain(t, board(), "Joining is locked", "Let people join again")
	page = decoded(late.get("/w/" + code).body)
	mustContain(t, page, msgLocked)
	mustNotContain(t, page, "Join the workshop")
	r = late.post("/w/"+code+"/join", url.Values{"name": {"Cy"}})
	if r.status != http.StatusConflict {
		t.Fatalf("join a locked workshop: status %d, want 409", r.status)
	}
	mustContain(t, decoded(r.body), msgLocked)

	// htmx posts the unlock button and swaps in the board body.
	fac.header.Set("HX-Request", "true")
	fac.header.Set("HX-Request-Type", "partial")
	r = fac.post("/w/"+code+"/unlock", nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("unlock: status %d", r.status)
	}
	r = fac.get(r.header.Get("Location"))
	if r.status != http.StatusOK || strings.Contains(r.body, "<html") {
		t.Fatalf("the board after an htmx post: status %d, want its body alone\n%s", r.status, r.body)
	}
	mustContain(t, decoded(r.body), "1</strong> of 2 places left", "Lock joining")
	fac.header = http.Header{}
	late.join(code, "Cy")
}

func TestWorkshopCapacityForm(t *testing.T) {
	app := newTestApp(t)
	for _, places := range []string{"0", "501", "many"} {
		r := app.client().post("/w", url.Values{"title": {"Kick-off"}, "capacity": {places}})
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("capacity %q: status %d, want 422", places, r.status)
		}
		mustContain(t, decoded(r.body), "Give the number of places as a whole number from 1 to 500.")
	}
	if n := app.countRows("workshops"); n != 0 {
		t.Errorf("refused forms stored %d workshops", n)
	}
}

// The API's capacity field, lock, unlock and removal, and what the summary
// and the event stream say of them.
func TestAPICapacity(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	if r := c.postJSON("/api/v1/workshops", `{"title": "Kick-off", "capacity": 501}`); r.status != http.StatusBadRequest {
		t.Errorf("capacity over the maximum: status %d, want 400", r.status)
	} else if e := apiError(t, r); !strings.Contains(e, "capacity") {
		t.Errorf("error %q does not name the field", e)
	}
	r := c.postJSON("/api/v1/workshops", `{"title": "Kick-off", "capacity": 1}`)
	var w apiWorkshop
	if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &w) != nil {
		t.Fatalf("create: status %d %s", r.status, r.body)
	}
	events := c.stream("/api/v1/workshops/"+w.Code+"/events", bearer(w.FacilitatorKey))
	if m := events.next(); m.event != "ready" {
		t.Fatalf("first event %q", m.event)
	}
	submit := func() response {
		return c.postJSON("/api/v1/workshops/"+w.Code+"/submissions", `{"name": "Ann", "answers": {"python": "strong"}}`)
	}
	if r := submit(); r.status != http.StatusCreated {
		t.Fatalf("first submission: status %d %s", r.status, r.body)
	}
	events.next()
	if r := submit(); r.status != http.StatusConflict || apiError(t, r) != msgFull {
		t.Errorf("submission past the cap: status %d %s", r.status, r.body)
	}

	type summary struct {
		Joined, Capacity int
		PlacesLeft       int `json:"places_left"`
		Locked           bool
		People           []struct {
			ID, Name  string
			Submitted bool
		}
	}
	read := func() summary {
		t.Helper()
		r := c.do(http.MethodGet, "/api/v1/workshops/"+w.Code+"/summary", nil, bearer(w.FacilitatorKey))
		var s summary
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &s) != nil {
			t.Fatalf("summary: status %d %s", r.status, r.body)
		}
		return s
	}
	s := read()
	if s.Joined != 1 || s.Capacity != 1 || s.PlacesLeft != 0 || len(s.People) != 1 || s.People[0].Name != "Ann" || !s.People[0].Submitted {
		t.Fatalf("summary %+v", s)
	}
	ann := s.People[0].ID

	path := "/api/v1/workshops/" + w.Code
	steps := []struct {
		name, method, path string
		key                string
		status             int
		event              string // the event it publishes, "" for none
	}{
		{"remove without the key", http.MethodDelete, path + "/participants/" + ann, "", http.StatusUnauthorized, ""},
		{"lock with a wrong key", http.MethodPost, path + "/lock", "wrong", http.StatusUnauthorized, ""},
		{"remove", http.MethodDelete, path + "/participants/" + ann, w.FacilitatorKey, http.StatusNoContent, "removed"},
		{"remove again", http.MethodDelete, path + "/participants/" + ann, w.FacilitatorKey, http.StatusNotFound, ""},
		{"lock", http.MethodPost, path + "/lock", w.FacilitatorKey, http.StatusOK, "locked"},
		{"unlock", http.MethodPost, path + "/unlock", w.FacilitatorKey, http.StatusOK, "unlocked"},
	}
	for _, st := range steps {
		var h http.Header
		if st.key != "" {
			h = bearer(st.key)
		}
		r := c.do(st.method, st.path, nil, h)
		if r.status != st.status {
			t.Fatalf("%s: status %d, want %d %s", st.name, r.status, st.status, r.body)
		}
		if st.event != "" {
			if m := events.next(); m.event != st.event {
				t.Errorf("%s: event %q, want %q", st.name, m.event, st.event)
			}
		}
		if st.name == "remove" {
			if s := read(); s.Joined != 0 || s.PlacesLeft != 1 || len(s.People) != 0 {
				t.Errorf("summary after the removal %+v", s)
			}
		}
		if st.name == "lock" {
			if !read().Locked || submit().status != http.StatusConflict {
				t.Error("a locked workshop took a submission, or its summary does not say locked")
			}
		}
	}
	if r := submit(); r.status != http.StatusCreated {
		t.Errorf("submission to the freed place: status %d %s", r.status, r.body)
	}
}
