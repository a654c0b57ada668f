package handlers_test

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"stackfit/handlers"
)

// withoutToken puts one placeholder where r's CSRF token was, so pages sent
// to different browsers compare.
func withoutToken(t *testing.T, c *client, r response) string {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d\n%s", r.status, r.body)
	}
	if c.csrf == "" || !strings.Contains(r.body, c.csrf) {
		t.Fatalf("page carries no CSRF token")
	}
	return strings.ReplaceAll(r.body, c.csrf, "TOKEN")
}

// A kept result page is byte for byte the page a fresh render sends, in each
// of its variants: the owner's, someone else's, made under another ruleset,
// or under a questionnaire that has changed since. They share the lines
// they have in common, each with its own id put back where it was blanked.
func TestKeptResultPageIsTheRenderedOne(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "stackfit.db")
	cfg := handlers.Config{BaseURL: "https://stackfit.example"}
	app := startConfiguredApp(t, dbPath, cfg)
	owner := app.client()
	own := owner.finish(nil)
	answers, _ := json.Marshal(app.answers(nil))
	evaluation, _ := json.Marshal(app.evaluate(app.answers(nil)))
	app.storeRaw("AAAAAAAAAAAAAAAAAAAAAC", "0123456789ab", string(answers), string(evaluation))
	app.storeRaw("AAAAAAAAAAAAAAAAAAAAAD", "0123456789ab", `{"gone": "x"}`, string(evaluation))

	variants := []struct {
		name, path string
		owner      bool
		wants      string
	}{
		{"own result", own, true, "Change the answers"},
		{"shared result", own, false, "Someone shared this result with you"},
		{"older ruleset", "/r/AAAAAAAAAAAAAAAAAAAAAC", false, "This result was made with ruleset 0123456789ab"},
		{"questionnaire changed since", "/r/AAAAAAAAAAAAAAAAAAAAAD", false, "cannot be read again with today's rules"},
	}
	kept := map[string]string{}
	for _, v := range variants {
		c := app.client()
		if v.owner {
			c = owner
		}
		first := withoutToken(t, c, c.get(v.path))
		fromCache := c.get(v.path)
		if again := withoutToken(t, c, fromCache); again != first {
			t.Errorf("%s: the second request got another page", v.name)
		}
		mustContain(t, decoded(fromCache.body), v.wants)
		kept[v.name] = first
	}

	app.stop()
	cfg.ResultPages = -1
	uncached := startConfiguredApp(t, dbPath, cfg)
	for _, v := range variants {
		c := uncached.client()
		if v.owner {
			c.http.Jar = owner.http.Jar // the same host: the owner's session cookie
		}
		if rendered := withoutToken(t, c, c.get(v.path)); rendered != kept[v.name] {
			t.Errorf("%s: the kept page differs from a fresh render", v.name)
		}
	}
}

// The cache keeps only so many pages: a page read again after others pushed
// it out is rendered afresh (here from a row changed underneath, which a
// real result never is, to tell a kept page from a new one).
func TestResultPagesAreBounded(t *testing.T) {
	app := startConfiguredApp(t, filepath.Join(t.TempDir(), "stackfit.db"), handlers.Config{ResultPages: 2})
	ids := []string{"AAAAAAAAAAAAAAAAAAAAAB", "AAAAAAAAAAAAAAAAAAAAAC", "AAAAAAAAAAAAAAAAAAAAAD"}
	answers, _ := json.Marshal(app.answers(nil))
	evaluation, _ := json.Marshal(app.evaluate(app.answers(nil)))
	for _, id := range ids {
		app.storeRaw(id, app.rules.Version, string(answers), string(evaluation))
	}
	c := app.client()
	c.get("/r/" + ids[0])
	app.setCreated(ids[0], "2024-01-15T10:00:00.000Z")
	if r := c.get("/r/" + ids[0]); strings.Contains(r.body, "2024") {
		t.Fatal("the page was rendered again: it was not kept")
	}
	c.get("/r/" + ids[1])
	c.get("/r/" + ids[2]) // pushes out ids[0], the least recently used
	if r := c.get("/r/" + ids[0]); !strings.Contains(r.body, "2024") {
		t.Error("the page was kept beyond the cache's size")
	}
}

func (a *testApp) setCreated(id, created string) {
	a.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+a.dbPath+"?_busy_timeout=5000")
	if err != nil {
		a.t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE results SET created_at = ? WHERE id = ?`, created, id); err != nil {
		a.t.Fatal(err)
	}
}

// The token of a kept page is filled in where its slot was put together when
// it is as long as the slot, and by a copy of the page when a browser's CSRF
// cookie holds a token of another length (a cookie is the browser's to
// send): each way the page is the same, and its token is accepted.
func TestKeptResultPageTakesTokensOfAnyLength(t *testing.T) {
	app := startConfiguredApp(t, filepath.Join(t.TempDir(), "stackfit.db"), handlers.Config{})
	path := app.client().finish(nil)
	base, _ := url.Parse(app.srv.URL)
	var want string
	for _, cookie := range []string{"", strings.Repeat("a", 20), strings.Repeat("b", 48)} {
		c := app.client()
		if cookie != "" {
			c.http.Jar.SetCookies(base, []*http.Cookie{{Name: "stackfit_csrf", Value: cookie, Path: "/"}})
		}
		c.get(path)
		page := withoutToken(t, c, c.get(path)) // kept by now, whoever rendered it
		if want == "" {
			want = page
		} else if page != want {
			t.Errorf("cookie of %d characters: the page differs from the one sent with Echo's token", len(cookie))
		}
		if r := c.post(path+"/start", url.Values{}); r.status != http.StatusSeeOther {
			t.Errorf("cookie of %d characters: a post with the kept page's token: status %d", len(cookie), r.status)
		}
	}
}
