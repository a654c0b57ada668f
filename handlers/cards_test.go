package handlers_test

import (
	"bytes"
	"encoding/json"
	"html"
	"image"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"stackfit/card"
	"stackfit/handlers"
	"stackfit/rules"
)

// wantCard is the card a result should have, worked out from what the API
// says of it: the page's headline for the recommendation, the confidence and
// the score bar's percentages as the page rounds them.
func wantCard(name string, ev *rules.Evaluation) card.Card {
	headline := "Too close to call"
	if ev.Recommendation != rules.Tie {
		headline = ev.Recommendation.Name() + " recommended"
	}
	d := ev.Scores.Percent(rules.Django)
	return card.Card{Name: name, Headline: headline, Recommendation: ev.Recommendation, Confidence: ev.Confidence,
		Django: d, NodeJS: 100 - d}
}

// decodeCard checks that a response is a 1200×630 PNG and that it is the
// picture of want, drawn by the card package: its words are want.Lines().
func decodeCard(t *testing.T, r response, want card.Card) {
	t.Helper()
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/png" {
		t.Fatalf("status %d, Content-Type %q: %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	img, err := png.Decode(strings.NewReader(r.body))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if img.Bounds() != image.Rect(0, 0, 1200, 630) {
		t.Errorf("size %v, want 1200×630", img.Bounds())
	}
	drawn, err := card.Render(want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(drawn, []byte(r.body)) {
		t.Errorf("the card is not the picture of %q", want.Lines())
	}
}

var (
	ogImage    = regexp.MustCompile(`<meta property="og:image" content="([^"]+)">`)
	ogImageAlt = regexp.MustCompile(`<meta property="og:image:alt" content="([^"]+)">`)
)

func TestResultCard(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	tests := []struct {
		name, decision string
		overrides      map[string][]string
	}{
		{"Django, named", "Booking platform v2", map[string][]string{"python": {"strong"}, "admin": {"central"}, "deadline": {"soon"}}},
		{"first options, no name", "", nil},
		{"Node.js", "Chat <app> & “co”", map[string][]string{"python": {"none"}, "javascript": {"strong"}, "realtime": {"core"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answers, err := json.Marshal(app.answers(tt.overrides))
			if err != nil {
				t.Fatal(err)
			}
			r := c.postJSON("/api/v1/results", `{"name": `+quote(tt.decision)+`, "answers": `+string(answers)+`}`)
			var created struct {
				ID     string            `json:"id"`
				Result *rules.Evaluation `json:"result"`
			}
			if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &created) != nil {
				t.Fatalf("create: status %d %s", r.status, r.body)
			}
			want := wantCard(tt.decision, created.Result)

			path := "/r/" + created.ID + "/" + card.File
			img := c.get(path)
			decodeCard(t, img, want)
			if got := img.header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control %q, want a year, immutable", got)
			}
			if img.header.Get("Set-Cookie") != "" {
				t.Errorf("a card for shared caches sets a cookie: %q", img.header.Get("Set-Cookie"))
			}

			page := c.get("/r/" + created.ID)
			mustContain(t, page.body, `<meta name="robots" content="noindex">`,
				`<meta name="twitter:card" content="summary_large_image">`,
				`<meta property="og:image" content="`+app.srv.URL+path+`">`,
				`<meta name="twitter:image" content="`+app.srv.URL+path+`">`,
				`<meta property="og:image:width" content="1200">`, `<meta property="og:image:height" content="630">`)
			if got := page.header.Get("X-Robots-Tag"); got != "noindex" {
				t.Errorf("X-Robots-Tag %q, want noindex", got)
			}
			// The card says what the page says.
			if m := ogImageAlt.FindStringSubmatch(page.body); m == nil || html.UnescapeString(m[1]) != want.Alt() {
				t.Errorf("og:image:alt %q, want %q", m, want.Alt())
			}
			mustContain(t, decoded(page.body), want.Headline, want.Lines()[len(want.Lines())-2], want.Lines()[len(want.Lines())-1])
		})
	}

	for _, path := range []string{"/r/AAAAAAAAAAAAAAAAAAAAAA/" + card.File, "/r/nope/" + card.File} {
		r := c.get(path)
		if r.status != http.StatusNotFound || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: status %d, Cache-Control %q; want 404, no-store", path, r.status, r.header.Get("Cache-Control"))
		}
	}
}

// TestCardAddressFromBaseURL: a preview's image is fetched by another
// server, so its address is absolute, from the configured base URL.
func TestCardAddressFromBaseURL(t *testing.T) {
	app := startConfiguredApp(t, filepath.Join(t.TempDir(), "stackfit.db"),
		handlers.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "https://stackfit.example"})
	c := app.client()
	path := c.finish(nil)
	m := ogImage.FindStringSubmatch(c.get(path).body)
	if want := "https://stackfit.example" + path + "/" + card.File; m == nil || m[1] != want {
		t.Errorf("og:image %q, want %q", m, want)
	}
}

// TestWhatIfHasNoCard: a what-if page is not a stored result; it has no
// preview, and search engines are asked to leave it out.
func TestWhatIfHasNoCard(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	path := c.finish(map[string][]string{"python": {"strong"}, "admin": {"central"}})
	r := c.get(path + "/what-if?admin=no")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	mustContain(t, r.body, `<meta name="robots" content="noindex">`)
	mustNotContain(t, r.body, card.File, "og:image")
}

func TestTeamCard(t *testing.T) {
	app := newTestApp(t)
	facilitator := app.client()
	code, key := facilitator.createWorkshop("Booking platform v2 kickoff", false)
	for i, name := range []string{"Ada", "Bo"} {
		p := app.client()
		p.join(code, name)
		p.submitToWorkshop(code, map[string][]string{"python": {[]string{"strong", "none"}[i]}})
	}
	cardPath := "/w/" + code + "/" + card.File
	anyone := app.client()
	hidden := func(when string) {
		t.Helper()
		if r := anyone.get(cardPath); r.status != http.StatusNotFound || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: team card status %d, Cache-Control %q; want 404, no-store", when, r.status, r.header.Get("Cache-Control"))
		}
		for _, page := range []string{"/w/" + code, "/w/" + code + "/present"} {
			mustNotContain(t, anyone.get(page).body, card.File, "og:image")
		}
	}
	hidden("before reveal")

	if r := anyone.do(http.MethodPost, "/api/v1/workshops/"+code+"/reveal", nil, bearer(key)); r.status != http.StatusOK {
		t.Fatalf("reveal: status %d %s", r.status, r.body)
	}
	want := wantCard("Booking platform v2 kickoff", app.teamEvaluation(code))
	r := anyone.get(cardPath)
	decodeCard(t, r, want)
	if got := r.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("team card Cache-Control %q, want no-store", got)
	}
	// Once revealed, a preview of the join link shows the team's card.
	mustContain(t, anyone.get("/w/"+code).body, `<meta property="og:image" content="`+app.srv.URL+cardPath+`">`)
	mustNotContain(t, anyone.get("/w/"+code+"/present").body, card.File)

	if r := anyone.get("/w/ZZZZZZ/" + card.File); r.status != http.StatusNotFound {
		t.Errorf("unknown workshop: status %d, want 404", r.status)
	}
}
