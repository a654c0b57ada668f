package e2e

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// onProjector emulates a 1280×800 projector.
func onProjector(t *testing.T, ctx context.Context) {
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
}

// TestProjector is the board's projector mode: the facilitator steps through
// the questions, most disputed first, with the arrow keys and a presenter's
// Page Up and Page Down, without a reload; a slide shows a new answer live;
// the last slide keeps the team's result hidden until the reveal, then shows
// it live. Without JavaScript the slides are pages linked by Previous and
// Next. Every slide passes axe at every impact.
func TestProjector(t *testing.T) {
	app := startApp(t)
	browser := newBrowser(t)

	host := app.newPerson(t, browser, onProjector)
	host.followLive()
	host.open("/w/new")
	host.do(chromedp.SendKeys(chromedp.CSS("#title"), "Booking platform v2 kickoff"))
	host.click(`input[name="anonymous"][value="no"]`)
	host.click(`form[action="/w"] button[type="submit"]`)
	host.waitFor(`location.pathname.endsWith("/created")`)
	code := host.text(".join-panel .join-code")
	boardLink := host.eval(`document.querySelector("#board-link").value`)
	key := boardLink[strings.LastIndex(boardLink, "=")+1:]

	// Three people who differ most on Python and then on JavaScript.
	for _, p := range []struct{ name, python, javascript string }{
		{"Ada", "strong", "strong"}, {"Grace", "none", "strong"}, {"Linus", "none", "none"},
	} {
		app.submit(t, code, p.name, map[string]string{"python": p.python, "javascript": p.javascript})
	}
	python, _ := app.rules.Question("python")
	javascript, _ := app.rules.Question("javascript")
	questions := strconv.Itoa(len(app.rules.Questions()))
	slides := "/w/" + code + "/board/slides"

	// On the board, a question opened to its answers stays open through a live update.
	host.open("/w/" + code + "/board")
	host.waitConnected()
	host.click(`#answers-python summary`)
	host.eval(`String(window.__noReload = 1)`)
	app.submit(t, code, "Margaret", map[string]string{"python": "strong", "javascript": "strong"})
	host.waitBoard("4 joined · 4 finished")
	if open := host.eval(`String(document.querySelector("#answers-python").open)`); open != "true" {
		t.Error("a live update of the board closed the question the facilitator had opened")
	}
	host.click(`a[href="` + slides + `"]`)
	host.waitFor(`location.pathname === ` + strconv.Quote(slides) + ` && window.__liveMessages > 0`)
	host.waitText("#slide-title", python.Text)
	host.mustSee(".slide", "disagreement", "4 answered", "4 of 4 finished")
	host.mustBeTitled("Question 1 of " + questions + " · Booking platform v2 kickoff")
	host.mustPassAxe("projector mode, first slide")
	host.screenshot("present")
	host.eval(`String(window.__noReload = 1)`)

	// The keys step through the slides in place, each slide at its own address.
	for _, step := range []struct {
		key   string
		slide int
		title string
	}{
		{"ArrowRight", 2, javascript.Text},
		{"PageDown", 3, ""},
		{"PageUp", 2, javascript.Text},
		{"ArrowLeft", 1, python.Text},
	} {
		host.press(step.key)
		host.waitFor(`location.search === "?q=` + strconv.Itoa(step.slide) + `" && document.querySelector(".slide-count")?.textContent.startsWith("` + strconv.Itoa(step.slide) + ` /")`)
		if step.title != "" {
			host.waitText("#slide-title", step.title)
		}
		host.mustBeTitled("Question " + strconv.Itoa(step.slide) + " of " + questions + " · Booking platform v2 kickoff")
	}
	host.waitFor(`window.__liveMessages > 1`) // the new slide's stream is connected

	// A late answer reaches the slide on the screen.
	app.submit(t, code, "Barbara", map[string]string{"python": "strong", "javascript": "strong"})
	host.waitLive("#slide-live", "5 of 5 finished")
	host.waitText(".slide", "5 answered")

	// The last slide: hidden until the reveal, then the team's result, live.
	total := strconv.Itoa(len(app.rules.Questions()) + 1)
	host.open(slides + "?q=" + total)
	host.waitConnected()
	host.waitText("#slide-title", "The team's result is hidden")
	if host.eval(`String(document.querySelector('#projector a[rel="next"]') === null)`) != "true" {
		t.Error("the team's result slide has a Next link; it is the last slide")
	}
	host.mustPassAxe("projector mode, result hidden")
	host.eval(`String(window.__noReload = 1)`)
	app.api(t, http.MethodPost, "/api/v1/workshops/"+code+"/reveal", key)
	host.waitLive("#slide-title", "Team: ")
	host.mustSee(".slide", "confidence", "Each person's own result")
	host.mustPassAxe("projector mode, team result")

	// Without JavaScript: the same slides, one page each, by their links.
	plain := app.newPerson(t, browser, withoutJS)
	plain.open(strings.TrimPrefix(boardLink, app.url))
	plain.waitPath("/w/" + code + "/board")
	plain.open(slides)
	plain.mustSee("#slide-title", python.Text)
	plain.click(`#projector a[rel="next"]`)
	plain.waitFor(`location.search === "?q=2"`)
	plain.mustSee("#slide-title", javascript.Text)
	plain.mustBeTitled("Question 2 of " + questions + " · Booking platform v2 kickoff")
	plain.click(`#projector a[rel="prev"]`)
	plain.waitFor(`location.search === "?q=1"`)
	plain.mustSee("#slide-title", python.Text)
}

// press sends one key to the page, as a keyboard or a presenter's clicker does.
func (p *person) press(key string) {
	p.t.Helper()
	code := map[string]int64{"ArrowLeft": 37, "ArrowRight": 39, "PageUp": 33, "PageDown": 34}[key]
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
		if _, err := chromedp.Call(p.ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{
			Type: typ, Key: key, Code: key, WindowsVirtualKeyCode: code,
		}); err != nil {
			p.t.Fatal(err)
		}
	}
}

// submit sends one participant's answers through the API (the other questions
// get their first option).
func (a *app) submit(t *testing.T, code, name string, answers map[string]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString(`{"name": ` + strconv.Quote(name) + `, "answers": {`)
	for i, q := range a.rules.Questions() {
		if i > 0 {
			b.WriteString(", ")
		}
		answer, ok := answers[q.ID]
		if !ok {
			answer = q.Options[0].ID
		}
		value := strconv.Quote(answer)
		if q.Multiple {
			value = "[" + value + "]"
		}
		b.WriteString(strconv.Quote(q.ID) + ": " + value)
	}
	b.WriteString("}}")
	res, err := http.Post(a.url+"/api/v1/workshops/"+url.PathEscape(code)+"/submissions", "application/json", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("submit %s: status %d", name, res.StatusCode)
	}
}

// api calls the JSON API as the facilitator.
func (a *app) api(t *testing.T, method, path, key string) {
	t.Helper()
	req, err := http.NewRequest(method, a.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode >= 300 {
		t.Fatalf("%s %s: status %d", method, path, res.StatusCode)
	}
}
