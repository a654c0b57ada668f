package e2e

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axe checks the current page against WCAG 2.1 A and AA and axe-core's
// best practices, and returns every violation, minor and moderate included.
func (p *person) axe() []axeViolation {
	p.t.Helper()
	src, err := os.ReadFile("testdata/axe-core-4.14.1.min.js")
	if err != nil {
		p.t.Fatal(err)
	}
	// Injected through the DevTools protocol, which our CSP does not govern.
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
		p.t.Fatal(err)
	}
	found, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]axeViolation](
		`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
		  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
		     nodes: v.nodes.map(n => n.target.join(" "))})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatal(err)
	}
	return found
}

// mustPassAxe reports every axe violation on the current page, of any
// impact: issue 12 asks for none, minor included.
// Not in a tab without JavaScript: axe.run waits on timers that never fire there.
func (p *person) mustPassAxe(page string) {
	p.t.Helper()
	for _, v := range p.axe() {
		p.t.Errorf("%s (%s): %s [%s] %s at %s", page, p.path(), v.Impact, v.ID, v.Help, strings.Join(v.Nodes, ", "))
	}
}

// TestAccessibility runs axe-core on every page a person can reach, on a
// desktop and on a phone, and wants no violation of any impact: the
// questionnaire and its review, a result as its owner and as a stranger, a
// what-if, the confirmation pages (start from a shared result, start over,
// reveal, close), every workshop page (new, created, join, a participant's
// page, the board, the projector page, the slides) and the error pages (404,
// and 409 for a closed workshop).
func TestAccessibility(t *testing.T) {
	app := startApp(t)
	browser := newBrowser(t)
	shared, _ := app.crowdedAnswers(t)
	sharedResult := app.saveResult(t, shared)
	for _, device := range []struct {
		name string
		opts []option
	}{
		{"desktop", nil},
		{"phone", []option{onPhone}},
	} {
		t.Run(device.name, func(t *testing.T) {
			p := app.newPerson(t, browser, device.opts...)
			p.followLive()
			p.open("/")
			p.mustPassAxe("landing page")
			p.open("/how")
			p.mustPassAxe("how it decides")
			p.expectConsole("status of 404")
			p.open("/no-such-page")
			p.mustPassAxe("not found")
			p.open("/r/no-such-result")
			p.mustPassAxe("result not found")

			p.open("/q/" + app.rules.Sections[0].ID)
			p.waitStep(app.rules.Sections[0])
			p.click(`button[name="nav"][value="next"]`)
			p.waitFor(`document.querySelector(".error-summary") !== null && ` + htmxSettled)
			p.mustPassAxe("step with missing answers")
			for i, sec := range app.rules.Sections {
				p.waitStep(sec)
				p.answerFirstOptions(sec.ID)
				p.mustPassAxe(fmt.Sprintf("step %d (%s)", i+1, sec.ID))
				p.click(`button[name="nav"][value="next"]`)
			}
			p.waitReview()
			p.waitFor(`document.querySelector("#leaning") !== null`)
			p.mustPassAxe("review, with the leaning")
			p.open("/q/reset")
			p.mustPassAxe("start-over confirmation page")
			p.open("/q/review")
			p.waitReview()
			p.click(`form[action="/q/review"] button`)
			p.waitFor(`document.querySelector("#verdict") !== null`)
			p.mustPassAxe("result, as its owner")
			result := p.path()

			// Starting from someone else's result asks first: these answers are in progress.
			p.open(sharedResult)
			p.click(`form[action$="/start"] button[type="submit"]:not([name])`)
			p.waitFor(`document.querySelector("#confirm-title") !== null`)
			p.mustPassAxe("start from a shared result: the question")

			stranger := app.newPerson(t, browser, device.opts...)
			stranger.open(result)
			stranger.mustPassAxe("shared result")
			stranger.click(`#flips-title ~ ul a`)
			stranger.waitFor(`location.pathname.endsWith("/what-if") && document.querySelector("#verdict") !== null`)
			stranger.mustPassAxe("what-if")

			// A workshop: the facilitator's pages, a participant's, the projector's.
			p = app.newPerson(t, browser, device.opts...)
			p.followLive()
			p.open("/w/new")
			p.mustPassAxe("new workshop")
			p.do(chromedp.SendKeys(chromedp.CSS("#title"), "Axe kickoff"))
			p.click(`input[name="anonymous"][value="no"]`)
			p.click(`form[action="/w"] button[type="submit"]`)
			p.waitFor(`location.pathname.endsWith("/created")`)
			p.mustPassAxe("workshop created")
			code := p.text(".join-panel .join-code")
			joinPath := "/w/" + code
			p.open(joinPath + "/present")
			p.mustPassAxe("projector page")

			ada := app.newPerson(t, browser, device.opts...)
			ada.followLive()
			ada.open(joinPath)
			ada.mustPassAxe("join page")
			ada.join("Ada")
			ada.answerAndSend(joinPath, nthOption(0))
			ada.waitConnected()
			ada.mustPassAxe("participant page")
			app.submit(t, code, "Grace", map[string]string{"python": "none"})
			// Without JavaScript, so that the join form stays when the workshop closes.
			late := app.newPerson(t, browser, append(device.opts, withoutJS)...)
			late.open(joinPath)

			p.open(joinPath + "/board")
			p.waitConnected()
			p.waitText("#board-status", "2 joined · 2 finished")
			p.mustPassAxe("board")
			p.open(joinPath + "/board/slides")
			p.waitConnected()
			p.mustPassAxe("projector mode, first slide")
			p.open(joinPath + "/reveal")
			p.mustPassAxe("reveal confirmation page")
			p.click(`.confirm button[type="submit"]`)
			p.waitPath(joinPath + "/board")
			p.open(joinPath + "/board/slides?q=" + strconv.Itoa(len(app.rules.Questions())+1))
			p.waitConnected()
			p.waitText("#slide-title", "Team: ")
			p.mustPassAxe("projector mode, the team's result")
			ada.waitText("#team-title", "The team's result")
			ada.mustPassAxe("participant page, the team's result revealed")
			p.open(joinPath + "/close")
			p.mustPassAxe("close confirmation page")
			p.click(`.confirm button[type="submit"]`)
			p.waitPath(joinPath + "/board")
			p.waitConnected()
			p.waitText("#board-status", "closed")
			p.mustPassAxe("board of a closed workshop")
			p.open(joinPath + "/present")
			p.mustPassAxe("projector page of a closed workshop")
			ada.waitText("#workshop-live .notice", "This workshop is closed")
			ada.mustPassAxe("participant page of a closed workshop")
			p.open("/w")
			p.mustPassAxe("join by code")

			// Joining from a page opened before the close: 409, in words.
			late.expectConsole("status of 409")
			late.do(chromedp.SendKeys(chromedp.CSS("#name"), "Linus"))
			late.click(`form[action$="/join"] button[type="submit"]`)
			late.waitFor(`document.querySelector("#error-title") !== null`)
			late.mustSee("#error-title", "This workshop is closed")
			late.scriptsOn()
			late.mustPassAxe("error page (409, closed)")
		})
	}
}

// scriptsOn lets a tab opened without JavaScript run scripts again, from
// the page it shows on: the page's own scripts stay off, as they were when
// it loaded, while axe can run.
func (p *person) scriptsOn() {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
		p.t.Fatal(err)
	}
}
