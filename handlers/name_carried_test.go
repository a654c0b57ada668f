package handlers_test

import (
	"database/sql"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

// TestDecisionNameCarriedOn: the decision's name is not lost on the way.
// Typed on a review that comes back for missing answers, it is still in its
// field; a what-if saved as a new result, and today's evaluation of a result
// made under an earlier ruleset, keep the name of the result they come from.
func TestDecisionNameCarriedOn(t *testing.T) {
	const name = `Booking platform v2 & "co"`
	app := newTestApp(t)

	t.Run("review with missing answers", func(t *testing.T) {
		c := app.client()
		c.get("/q/team")
		r := c.post("/q/review", url.Values{"name": {name}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", r.status)
		}
		mustContain(t, r.body, `name="name" type="text" maxlength="80" autocomplete="off" value="`+html.EscapeString(name)+`"`)
	})

	// A named result whose what-if page and drifted copy both offer to save anew.
	answers, err := json.Marshal(app.answers(nil))
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(map[string]any{"name": name, "answers": json.RawMessage(answers)})
	if err != nil {
		t.Fatal(err)
	}
	created := app.client().postJSON("/api/v1/results", string(body))
	var res struct{ ID string }
	if err := json.Unmarshal([]byte(created.body), &res); err != nil || created.status != http.StatusCreated {
		t.Fatalf("save: status %d, %v", created.status, err)
	}
	drifted := "AAAAAAAAAAAAAAAAAAAAAE"
	var evaluation string
	app.withDB(func(db *sql.DB) error {
		return db.QueryRow(`SELECT evaluation FROM results WHERE id = ?`, res.ID).Scan(&evaluation)
	})
	app.storeRaw(drifted, "0123456789ab", string(answers), evaluation)
	app.withDB(func(db *sql.DB) error {
		_, err := db.Exec(`UPDATE results SET name = ? WHERE id = ?`, name, drifted)
		return err
	})

	for _, tt := range []struct {
		name, page, form string // form: the text that starts the form to post
	}{
		{"what-if saved", "/r/" + res.ID + "/what-if?admin=no", "<strong>What if</strong>"},
		{"today's result", "/r/" + drifted, "This result was made with ruleset"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := app.client()
			page := c.get(tt.page)
			if page.status != http.StatusOK {
				t.Fatalf("%s: status %d", tt.page, page.status)
			}
			form := hiddenFields(t, page.body, tt.form)
			if got := form.Get("name"); got != name {
				t.Fatalf("the form carries the name %q, want %q", got, name)
			}
			saved := c.post("/r", form)
			if saved.status != http.StatusSeeOther {
				t.Fatalf("save: status %d\n%s", saved.status, saved.body)
			}
			mustContain(t, decoded(c.get(saved.header.Get("Location")).body),
				`<p class="decision-name">`+name+`</p>`, "<title>"+name+": ")
		})
	}
}

// hiddenFields reads the hidden fields of the first form after the text
// from, as the browser would post them (without the CSRF token, which the
// client adds).
func hiddenFields(t *testing.T, page, from string) url.Values {
	t.Helper()
	start := regexp.MustCompile(regexp.QuoteMeta(from)).FindStringIndex(page)
	if start == nil {
		t.Fatalf("no %q on the page", from)
	}
	rest := page[start[1]:]
	end := regexp.MustCompile(`</form>`).FindStringIndex(rest)
	if end == nil {
		t.Fatalf("no form after %q", from)
	}
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(rest[:end[0]], -1) {
		if m[1] != "_csrf" {
			form.Add(m[1], html.UnescapeString(m[2]))
		}
	}
	return form
}

// withDB runs f on the test app's database file, beside the server.
func (a *testApp) withDB(f func(*sql.DB) error) {
	a.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+a.dbPath+"?_busy_timeout=5000")
	if err != nil {
		a.t.Fatal(err)
	}
	defer db.Close()
	if err := f(db); err != nil {
		a.t.Fatal(err)
	}
}
