package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// waitPath waits until the page is at path.
func (p *person) waitPath(want string) {
	p.t.Helper()
	p.waitFor(`location.pathname === ` + strconv.Quote(want))
}

func (p *person) click(css string) {
	p.t.Helper()
	p.do(chromedp.Click(chromedp.CSS(css)))
}

// answerFirstOptions ticks the first option of every question of a step.
func (p *person) answerFirstOptions(section string) {
	p.t.Helper()
	for _, sec := range p.app.rules.Sections {
		if sec.ID != section {
			continue
		}
		for _, q := range sec.Questions {
			p.click(`#q-` + q.ID + ` input[value="` + q.Options[0].ID + `"]`)
		}
	}
}

// TestQuestionnaire is the whole path of one person, with htmx and without
// JavaScript: the steps, a missing answer, the review, the result, the share
// link in a stranger's browser, and a "what would change this" link.
func TestQuestionnaire(t *testing.T) {
	app := startApp(t)
	browser := newBrowser(t)
	for _, mode := range []struct {
		name string
		js   bool
		opts []option
	}{
		{"with htmx", true, nil},
		{"without JavaScript", false, []option{withoutJS}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			p := app.newPerson(t, browser, mode.opts...)
			p.open("/")
			p.screenshot("home")
			p.click(`main a[href="/q"]`)
			p.waitPath("/q/team")
			p.mustSee(".progress", "Step 1 of 6")
			if mode.js {
				// Survives only if the steps are swapped in place, not reloaded.
				p.eval(`window.stayedOnPage = "yes"`)
			}

			// Next without answers: the step comes back with the problems beside the questions.
			p.click(`button[name="nav"][value="next"]`)
			p.waitFor(`document.querySelector(".error-summary") !== null`)
			p.mustSee(".error-summary", "need an answer")
			p.mustSee("#q-python-error", "Choose")
			if mode.js {
				if got := p.eval(`document.activeElement.closest(".error-summary") ? "summary" : document.activeElement.tagName`); got != "summary" {
					t.Errorf("focus after the failed step is on %s, want the error summary", got)
				}
			}

			for i, sec := range app.rules.Sections {
				p.answerFirstOptions(sec.ID)
				if mode.js && i == 0 {
					// The side panel follows the answers as they change.
					p.waitFor(`document.querySelector("#leaning-body").textContent.includes("4 of 23 questions answered")`)
					p.mustSee("#leaning-body", "Django", "%")
					p.screenshot("questionnaire")
				}
				p.click(`button[name="nav"][value="next"]`)
				if i+1 < len(app.rules.Sections) {
					p.waitPath("/q/" + app.rules.Sections[i+1].ID)
				}
			}
			p.waitPath("/q/review")
			p.mustSee("main", "Review your answers", "Python")
			if mode.js && p.eval(`window.stayedOnPage || "reloaded"`) != "yes" {
				t.Error("the questionnaire reloaded the page between steps; htmx should swap them in place")
			}
			p.click(`form[action="/q/review"] button`)
			p.waitFor(`location.pathname.startsWith("/r/")`)
			p.waitFor(`document.querySelector("#verdict") !== null`)
			p.mustSee("#verdict", "Django recommended")
			p.mustSee("main", "medium confidence", "Why Django", "What speaks for Node.js", "What would change this", "Admin Interface")
			p.screenshot("result")
			share := p.eval(`document.querySelector("#share-link").value`)
			if !strings.HasPrefix(share, app.url+"/r/") {
				t.Fatalf("share link %q does not point at this server", share)
			}
			if mode.js {
				if hidden := p.eval(`String(document.querySelector("[data-copy]").hidden)`); hidden != "false" {
					t.Error("the copy button stays hidden with JavaScript on")
				}
			}

			// A stakeholder opens the link in their own browser.
			other := app.newPerson(t, browser, mode.opts...)
			other.open(strings.TrimPrefix(share, app.url))
			other.mustSee("main", "Someone shared this result with you", "Django recommended", "Start from these answers")
			other.click(`#flips-title ~ ul a`)
			other.waitPath("/r/" + share[strings.LastIndex(share, "/")+1:] + "/what-if")
			other.mustSee(".notice", "What if", "not saved")
			if v := other.text("#verdict"); strings.Contains(v, "Django recommended") {
				t.Errorf("the what-if page still says %q; the flip should change the result", v)
			}
			other.screenshot("what-if")

			// …and starts from these answers: they arrive in their own questionnaire.
			other.open(strings.TrimPrefix(share, app.url))
			other.click(`form[action$="/start"] button[type="submit"]:not([name])`)
			other.waitPath("/q/review")
			other.mustSee("main", "Review your answers")
			if strings.Contains(other.text("main"), "Not answered") {
				t.Error("starting from a shared result lost some answers")
			}
		})
	}
}

// TestPhone checks a step and a result fit a phone screen without sideways scrolling.
func TestPhone(t *testing.T) {
	app := startApp(t)
	browser := newBrowser(t)
	p := app.newPerson(t, browser, onPhone)
	for _, path := range []string{"/", "/q/team", "/how"} {
		p.open(path)
		if w := p.eval(`String(window.innerWidth)`); w != "390" {
			t.Fatalf("%s: layout viewport %s px wide, want 390 (is the viewport meta missing?)", path, w)
		}
		if over := p.eval(`String(document.documentElement.scrollWidth > window.innerWidth)`); over != "false" {
			t.Errorf("%s scrolls sideways on a phone", path)
		}
	}
	p.open("/q/team")
	p.screenshot("phone-step")
}
