package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"stackfit/rules"
	"stackfit/rules/rulestest"
)

// crowdedAnswers is a deterministic answer set with as many reasons on both
// sides as 2,000 random ones offer, and more flips than the page lists at
// once: the longest result page to fit into one screen and two printed pages.
func (a *app) crowdedAnswers(t *testing.T) (rules.Answers, *rules.Evaluation) {
	t.Helper()
	r := rand.New(rand.NewPCG(12, 9))
	var best rules.Answers
	var bestEv *rules.Evaluation
	score := func(ev *rules.Evaluation) int {
		d, n := len(ev.ReasonsFor(rules.Django)), len(ev.ReasonsFor(rules.NodeJS))
		if d < 4 || n < 4 || len(ev.Flips) <= 5 {
			return 0
		}
		return d + n
	}
	for range 2000 {
		answers := rulestest.Random(a.rules, r)
		ev, err := a.rules.Evaluate(answers)
		if err != nil {
			t.Fatal(err)
		}
		if bestEv == nil || score(ev) > score(bestEv) {
			best, bestEv = answers, ev
		}
	}
	if score(bestEv) == 0 {
		t.Fatal("no answer set with four reasons a side and six flips; the test needs another seed")
	}
	return best, bestEv
}

// saveResult stores answers through the API and returns the result's path.
func (a *app) saveResult(t *testing.T, answers rules.Answers) string {
	t.Helper()
	body, err := json.Marshal(map[string]any{"answers": answers})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(a.url+"/api/v1/results", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var created struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&created); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("save result: %s, %v", resp.Status, err)
	}
	return "/r/" + created.ID
}

// mustHold is mustSee for text that may be folded away in a closed <details>:
// it reads the text content, shown or not.
func (p *person) mustHold(css string, wants ...string) {
	p.t.Helper()
	got := p.eval(`document.querySelector(` + strconv.Quote(css) + `).textContent`)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			p.t.Errorf("%s on %s does not hold %q", css, p.path(), w)
		}
	}
}

// bottom is how far below the top of the page the last element matching css
// ends, in CSS pixels; -1 when there is none.
func (p *person) bottom(css string) int {
	p.t.Helper()
	got := p.eval(`(() => { const els = document.querySelectorAll(` + strconv.Quote(css) + `);
		if (els.length === 0) return "-1";
		return String(Math.ceil(els[els.length - 1].getBoundingClientRect().bottom + window.scrollY)); })()`)
	n, err := strconv.Atoi(got)
	if err != nil {
		p.t.Fatalf("bottom of %s: %q", css, got)
	}
	return n
}

// TestResultPage: on a laptop (1280×800) the result answers in one screen;
// the rest is one click away, without JavaScript too; axe finds nothing, not
// even a minor issue; printed, it takes at most two pages with its link and QR.
func TestResultPage(t *testing.T) {
	app := startApp(t)
	browser := newBrowser(t)
	answers, ev := app.crowdedAnswers(t)
	result := app.saveResult(t, answers)
	for _, mode := range []struct {
		name string
		opts []option
	}{
		{"with JavaScript", nil},
		{"without JavaScript", []option{withoutJS}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			p := app.newPerson(t, browser, append(mode.opts, onLaptop)...)
			p.open(result)
			p.waitFor(`document.querySelector("#verdict") !== null`)
			p.mustSee("#verdict", headline(ev))

			fold := 800
			for _, what := range []struct{ name, css string }{
				{"verdict", "#verdict"},
				{"confidence and its reason", ".verdict-card .confidence"},
				{"score bar", ".verdict-card .scorebar"},
				{"top reasons for " + ev.Recommendation.Name(), `[aria-labelledby="primary-title"] > ol.reasons > li`},
				{"top reasons of the other side", `[aria-labelledby="secondary-title"] > ol.reasons > li`},
				{"share link", "#share-link"},
				{"QR code", `.share img`},
				{"Markdown", `.share a[href$="/decision.md"]`},
				{"JSON", `.share a[href$="/result.json"]`},
			} {
				if b := p.bottom(what.css); b < 0 || b > fold {
					t.Errorf("%s ends at %d px, want inside the first %d px", what.name, b, fold)
				}
			}
			if mode.opts == nil { // the copy button needs script, and is hidden without it
				if p.eval(`String(document.querySelector(".share [data-copy]")?.checkVisibility())`) != "true" {
					t.Error("the copy button is not shown")
				} else if b := p.bottom(".share [data-copy]"); b > fold {
					t.Errorf("the copy button ends at %d px, want inside the first %d px", b, fold)
				}
			}
			if got := p.eval(`String(document.querySelectorAll('[aria-labelledby="primary-title"] > ol.reasons > li').length)`); got != "3" {
				t.Errorf("%s top reasons shown for %s, want 3", got, ev.Recommendation.Name())
			}
			if strings.Contains(p.text("main"), "(weight") {
				t.Error("the page shows a raw weight")
			}

			// Every other reason is one click on a <details>, also without JavaScript.
			more := `[aria-labelledby="primary-title"] details.more-reasons`
			hidden := len(ev.ReasonsFor(primarySide(ev))) - 3
			p.mustSee(more+" > summary", strconv.Itoa(hidden)+" more")
			p.click(more + " > summary")
			p.waitFor(`document.querySelector(` + strconv.Quote(more) + `).open`)
			if got := p.eval(`String(document.querySelectorAll(` + strconv.Quote(more+" li") + `).length)`); got != strconv.Itoa(hidden) {
				t.Errorf("%s reasons behind “more”, want %d", got, hidden)
			}

			// What would change this: five at once, biggest shift first, the rest behind "show all".
			if got := p.eval(`String(document.querySelectorAll("#flips-title ~ ul.flips > li").length)`); got != "5" {
				t.Errorf("%s flips listed at once, want 5", got)
			}
			p.mustSee("details.more-flips > summary", "Show all "+strconv.Itoa(len(ev.Flips))+" changes")
			first, _ := app.rules.Question(ev.Flips[0].Question)
			p.mustSee("#flips-title ~ ul.flips > li:first-child", first.Text)

			if mode.opts == nil {
				for _, v := range p.axe() {
					t.Errorf("result: %s [%s] %s at %s", v.Impact, v.ID, v.Help, strings.Join(v.Nodes, ", "))
				}
			}
		})
	}

	// README's picture: the first screen of the result the questionnaire
	// test makes (every first option), as a person on a laptop sees it.
	t.Run("screenshot", func(t *testing.T) {
		answers := rules.Answers{}
		for _, q := range app.rules.Questions() {
			answers[q.ID] = rules.Choice{Options: []string{q.Options[0].ID}, Multiple: q.Multiple}
		}
		p := app.newPerson(t, browser, onLaptop)
		p.open(app.saveResult(t, answers))
		p.waitFor(`document.querySelector("#verdict") !== null`)
		p.screenshot("result")
	})

	t.Run("phone", func(t *testing.T) {
		p := app.newPerson(t, browser, onPhone)
		p.open(result)
		p.waitFor(`document.querySelector("#verdict") !== null`)
		if over := p.eval(`String(document.documentElement.scrollWidth > window.innerWidth)`); over != "false" {
			t.Error("the result scrolls sideways on a phone")
		}
		for _, v := range p.axe() {
			t.Errorf("result on a phone: %s [%s] %s at %s", v.Impact, v.ID, v.Help, strings.Join(v.Nodes, ", "))
		}
	})

	t.Run("print", func(t *testing.T) {
		p := app.newPerson(t, browser)
		p.open(result)
		p.waitFor(`document.querySelector("#verdict") !== null`)
		for _, paper := range []struct {
			name          string
			width, height float64 // inches
		}{
			{"A4", 8.27, 11.69},
			{"Letter", 8.5, 11},
		} {
			if n := pdfPages(p.printPDF(paper.width, paper.height)); n < 1 || n > 2 {
				t.Errorf("on %s the result prints on %d pages, want 1 or 2", paper.name, n)
			}
		}
		// Printed: the link and the QR code, no buttons.
		p.emulateMedia("print")
		if p.eval(`String(document.querySelector(".share img").checkVisibility())`) != "true" {
			t.Error("the QR code is not printed")
		}
		share := app.url + result
		if !strings.Contains(p.eval(`document.querySelector("main").innerText`), share) {
			t.Errorf("the printed page does not show the link %s", share)
		}
		if n := p.eval(`String([...document.querySelectorAll("main button, main .button")].filter(b => b.checkVisibility()).length)`); n != "0" {
			t.Errorf("%s buttons are printed", n)
		}
	})
}

// pdfPages counts the page objects of a PDF ("/Type /Page", not "/Pages").
func pdfPages(pdf []byte) int {
	return len(pageObject.FindAll(pdf, -1))
}

var pageObject = regexp.MustCompile(`/Type\s*/Page[^s]`)

func primarySide(ev *rules.Evaluation) rules.Side {
	if ev.Recommendation == rules.Tie {
		return rules.Django
	}
	return ev.Recommendation
}

// onLaptop is a 1280×800 screen.
func onLaptop(t *testing.T, ctx context.Context) {
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
}

// printPDF prints the page as Chromium does, on paper of the given size in inches.
func (p *person) printPDF(width, height float64) []byte {
	p.t.Helper()
	res, err := chromedp.Call(p.ctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: width, PaperHeight: height})
	if err != nil {
		p.t.Fatal(err)
	}
	return res.Data
}

// emulateMedia makes the page apply the CSS of a media type ("print"); "" ends it.
func (p *person) emulateMedia(media string) {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media}); err != nil {
		p.t.Fatal(err)
	}
}

// TestStartFromSharedResult: someone with answers of their own in progress
// opens a shared result and starts from its answers. They are asked first;
// "Keep my answers" keeps theirs, and only "Replace" replaces them.
func TestStartFromSharedResult(t *testing.T) {
	app := startApp(t)
	browser := newBrowser(t)
	answers, _ := app.crowdedAnswers(t)
	result := app.saveResult(t, answers)
	team := app.rules.Sections[0]
	// A question of the first step the shared result answers otherwise than its first option.
	var q *rules.Question
	for _, qq := range team.Questions {
		if c := answers[qq.ID]; len(c.Options) != 1 || c.Options[0] != qq.Options[0].ID {
			q = qq
			break
		}
	}
	if q == nil {
		t.Fatal("the shared result answers the first step with first options; the test cannot tell the answers apart")
	}
	mine := `document.querySelector('#q-` + q.ID + ` input[value="` + q.Options[0].ID + `"]')?.checked === true`
	for _, mode := range []struct {
		name string
		opts []option
	}{
		{"with htmx", nil},
		{"without JavaScript", []option{withoutJS}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			p := app.newPerson(t, browser, mode.opts...)
			p.open("/q/" + team.ID)
			p.waitStep(team)
			p.answerFirstOptions(team.ID)
			p.click(`button[name="nav"][value="next"]`)
			p.waitStep(app.rules.Sections[1])

			p.open(result)
			p.click(`form[action$="/start"] button[type="submit"]:not([name])`)
			p.waitFor(`document.querySelector("#confirm-title") !== null`)
			p.mustSee("main", "Replace your answers?", "of your own in progress")
			if mode.opts == nil { // axe needs script
				for _, v := range p.axe() {
					t.Errorf("the question: %s [%s] %s at %s", v.Impact, v.ID, v.Help, strings.Join(v.Nodes, ", "))
				}
			}
			p.click(`main a[href="/q"]`) // Keep my answers
			p.waitFor(`location.pathname.startsWith("/q/")`)
			p.open("/q/" + team.ID)
			p.waitStep(team)
			if p.eval(`String(`+mine+`)`) != "true" {
				t.Fatal("keeping my answers lost them: the shared result's answers replaced them")
			}

			// Asked again, "Replace" takes the result's answers.
			p.open(result)
			p.click(`form[action$="/start"] button[type="submit"]:not([name])`)
			p.waitFor(`document.querySelector("#confirm-title") !== null`)
			p.click(`form input[name="replace"] ~ button`)
			p.waitReview()
			p.open("/q/" + team.ID)
			p.waitStep(team)
			if p.eval(`String(`+mine+`)`) != "false" {
				t.Error("replacing kept my own answer")
			}
		})
	}
}
