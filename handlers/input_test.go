package handlers_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestTypedTextRefused sends text a person could not have meant, through the
// pages and the API: each is refused with a message naming the field, 422
// beside the field on a page and 400 {"error"} from the API, and nothing is
// stored.
func TestTypedTextRefused(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, _ := fac.createWorkshop("Kickoff", false)
	w := app.createWorkshopAPI("API kickoff", false)
	before := map[string]int{}
	for _, table := range []string{"workshops", "participants", "results"} {
		before[table] = app.countRows(table)
	}

	pages := []struct {
		name, path string
		form       url.Values
		field      string
		message    string
	}{
		{"title with a direction override", "/w", url.Values{"title": {"Kick\u202eoff"}}, "title",
			"The title has a character that changes the direction of text (U+202E): remove it."},
		{"title with a zero-width space", "/w", url.Values{"title": {"Kick\u200boff"}}, "title",
			"The title has an invisible character (U+200B): remove it."},
		{"title not UTF-8", "/w", url.Values{"title": {"Kick\xffoff"}}, "title",
			"The title is not valid text (it is not UTF-8): type it again."},
		{"context with NUL", "/w", url.Values{"title": {"Kickoff"}, "context": {"a\x00b"}}, "context",
			"The context has a control character (U+0000): remove it."},
		{"context with escape", "/w", url.Values{"title": {"Kickoff"}, "context": {"\x1b[31mred"}}, "context",
			"The context has a control character (U+001B): remove it."},
		{"context with an isolate", "/w", url.Values{"title": {"Kickoff"}, "context": {"a\u2066b"}}, "context",
			"The context has a character that changes the direction of text (U+2066): remove it."},
		{"name with a zero-width joiner", "/w/" + code + "/join", url.Values{"name": {"An\u200da"}}, "name",
			"The name has an invisible character (U+200D): remove it."},
		{"name with a tab", "/w/" + code + "/join", url.Values{"name": {"An\ta"}}, "name",
			"The name has a control character (U+0009): remove it."},
	}
	for _, tt := range pages {
		t.Run("page "+tt.name, func(t *testing.T) {
			r := app.client().post(tt.path, tt.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", r.status, r.body)
			}
			mustContain(t, decoded(r.body), `id="`+tt.field+`-error"`, tt.message)
		})
	}

	submissions := "/api/v1/workshops/" + w.Code + "/submissions"
	api := []struct {
		name, path, body, message string
	}{
		{"title not UTF-8", "/api/v1/workshops", "{\"title\": \"Kick\xffoff\"}",
			"the body is not valid UTF-8 text (byte 15)"},
		{"title with an unpaired surrogate", "/api/v1/workshops", `{"title": "Kick\ud800off"}`,
			"the body is not valid UTF-8 text (byte 15)"},
		{"title with a direction override", "/api/v1/workshops", `{"title": "Kick\u202eoff"}`,
			"title: The title has a character that changes the direction of text (U+202E): remove it."},
		{"context with NUL", "/api/v1/workshops", `{"title": "Kickoff", "context": "a\u0000b"}`,
			"context: The context has a control character (U+0000): remove it."},
		{"context with a zero-width space", "/api/v1/workshops", `{"title": "Kickoff", "context": "a\u200bb"}`,
			"context: The context has an invisible character (U+200B): remove it."},
		{"name not UTF-8", submissions, "{\"name\": \"An\xc3\", \"answers\": {}}",
			"the body is not valid UTF-8 text (byte 12)"},
		{"name with an isolate", submissions, `{"name": "\u2067Ana", "answers": {}}`,
			"name: The name has a character that changes the direction of text (U+2067): remove it."},
		{"name on two lines", submissions, `{"name": "Ana\nBo", "answers": {}}`,
			"name: Keep the name to one line: it has a line break."},
		{"answers not UTF-8", "/api/v1/results", "{\"answers\": {\"python\": \"str\xffong\"}}",
			"the body is not valid UTF-8 text (byte 27)"},
		{"evaluation not UTF-8", "/api/v1/evaluate", "{\"answers\": {\"pyt\xffhon\": \"strong\"}}",
			"the body is not valid UTF-8 text (byte 17)"},
	}
	for _, tt := range api {
		t.Run("API "+tt.name, func(t *testing.T) {
			r := app.client().postJSON(tt.path, tt.body)
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400\n%s", r.status, r.body)
			}
			if got := apiError(t, r); got != tt.message {
				t.Errorf("error %q, want %q", got, tt.message)
			}
		})
	}

	for table, n := range before {
		if got := app.countRows(table); got != n {
			t.Errorf("%s: %d rows, want %d: refused text was stored", table, got, n)
		}
	}
	// Line breaks stay where the field has several lines.
	r := fac.post("/w", url.Values{"title": {"Kickoff"}, "context": {"First line\r\n\tSecond line"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("context of two lines: status %d\n%s", r.status, r.body)
	}
	if r := app.client().postJSON("/api/v1/workshops", `{"title": "Café ☕ שלום", "context": "a\nb"}`); r.status != http.StatusCreated {
		t.Errorf("API: status %d %s", r.status, r.body)
	}
}
