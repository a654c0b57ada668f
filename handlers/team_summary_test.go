package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestOpenPagesShowTheNewSummary: the team summary is tallied once per
// change and shared by the open pages, so each change must reach every
// page with the summary as of that change, never a kept older one.
func TestOpenPagesShowTheNewSummary(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, _ := fac.createWorkshop("Kickoff", false)
	submit := func(name string) {
		t.Helper()
		r := app.client().postJSON("/api/v1/workshops/"+code+"/submissions", `{"name": "`+name+`", "answers": {"python": "strong"}}`)
		if r.status != http.StatusCreated {
			t.Fatalf("submit: status %d %s", r.status, r.body)
		}
	}
	var pages []*sseStream
	for range 5 {
		s := app.client().stream("/w/"+code+"/events", nil)
		s.next() // the status as the page opened
		pages = append(pages, s)
	}
	steps := []struct {
		name   string
		change func()
		want   string
	}{
		{"reveal after one submission", func() { submit("Ada"); fac.post("/w/"+code+"/reveal", nil) }, "From the answers of 1 person."},
		{"reveal again after two more", func() { submit("Bo"); submit("Cy"); fac.post("/w/"+code+"/reveal", nil) }, "From the answers of 3 people."},
		{"close after one more", func() { submit("Di"); fac.post("/w/"+code+"/close", nil) }, "From the answers of 4 people."},
	}
	for _, step := range steps {
		step.change()
		for i, page := range pages {
			if m := page.next(); !strings.Contains(m.data, step.want) {
				t.Errorf("%s: page %d shows\n%s\nwant %q", step.name, i, m.data, step.want)
			}
		}
	}
	// A page opened afterwards shows the same.
	if r := app.client().get("/w/" + code); !strings.Contains(r.body, "From the answers of 4 people.") {
		t.Errorf("the page after the changes:\n%s", r.body)
	}
}
