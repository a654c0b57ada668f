package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axe checks the current page against WCAG 2.1 A and AA with axe-core
// and returns the serious and critical violations.
func (p *person) axe() []axeViolation {
	p.t.Helper()
	var serious []axeViolation
	for _, v := range p.axeAll() {
		if v.Impact == "serious" || v.Impact == "critical" {
			serious = append(serious, v)
		}
	}
	return serious
}

// axeAll returns every violation axe-core finds on the current page, minor
// and moderate included.
func (p *person) axeAll() []axeViolation {
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

// mustPassAxe reports each serious or critical violation on the current page.
// Not in a tab without JavaScript: axe.run waits on timers that never fire there.
func (p *person) mustPassAxe(page string) {
	p.t.Helper()
	for _, v := range p.axe() {
		p.t.Errorf("%s (%s): %s [%s] %s at %s", page, p.path(), v.Impact, v.ID, v.Help, strings.Join(v.Nodes, ", "))
	}
}

// mustPassAxeFully reports every violation on the current page, of any impact.
func (p *person) mustPassAxeFully(page string) {
	p.t.Helper()
	for _, v := range p.axeAll() {
		p.t.Errorf("%s (%s): %s [%s] %s at %s", page, p.path(), v.Impact, v.ID, v.Help, strings.Join(v.Nodes, ", "))
	}
}

// TestAccessibility runs axe-core on every page a person can reach, on a
// desktop and on a phone: zero serious or critical violations. The workshop
// pages are checked in TestWorkshop, with the participants who fill them.
func TestAccessibility(t *testing.T) {
	app := startApp(t)
	browser := newBrowser(t)
	for _, device := range []struct {
		name string
		opts []option
	}{
		{"desktop", nil},
		{"phone", []option{onPhone}},
	} {
		t.Run(device.name, func(t *testing.T) {
			p := app.newPerson(t, browser, device.opts...)
			check := func(page string) {
				t.Helper()
				for _, v := range p.axe() {
					t.Errorf("%s (%s): %s [%s] %s at %s", page, p.path(), v.Impact, v.ID, v.Help, strings.Join(v.Nodes, ", "))
				}
			}
			p.open("/")
			check("landing page")
			p.open("/how")
			check("how it decides")
			p.expectConsole("status of 404")
			p.open("/no-such-page")
			check("not found")

			p.open("/q/" + app.rules.Sections[0].ID)
			p.waitStep(app.rules.Sections[0])
			p.click(`button[name="nav"][value="next"]`)
			p.waitFor(`document.querySelector(".error-summary") !== null && ` + htmxSettled)
			check("step with missing answers")
			for i, sec := range app.rules.Sections {
				p.waitStep(sec)
				p.answerFirstOptions(sec.ID)
				check(fmt.Sprintf("step %d (%s)", i+1, sec.ID))
				p.click(`button[name="nav"][value="next"]`)
			}
			p.waitReview()
			p.waitFor(`document.querySelector("#leaning") !== null`)
			check("review, with the leaning")
			p.click(`form[action="/q/review"] button`)
			p.waitFor(`document.querySelector("#verdict") !== null`)
			check("result")
			result := p.path()

			stranger := app.newPerson(t, browser, device.opts...)
			stranger.open(result)
			for _, v := range stranger.axe() {
				t.Errorf("shared result: %s [%s] %s at %s", v.Impact, v.ID, v.Help, strings.Join(v.Nodes, ", "))
			}
			stranger.click(`#flips-title ~ ul a`)
			stranger.waitFor(`location.pathname.endsWith("/what-if")`)
			for _, v := range stranger.axe() {
				t.Errorf("what-if: %s [%s] %s at %s", v.Impact, v.ID, v.Help, strings.Join(v.Nodes, ", "))
			}
		})
	}
}
