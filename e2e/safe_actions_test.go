package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestSafeActions: reveal, close and start over ask first, in a dialog with
// JavaScript and on a page of their own without it; cancelling (Escape, the
// cancel link, the page's "keep" link) changes nothing, confirming does it.
// Hide and reopen undo reveal and close from the board and from the API,
// and an open board and a participant's page follow each live. A closed
// workshop's board, projector page and questionnaire say so at once.
func TestSafeActions(t *testing.T) {
	app := startApp(t)
	browser := newBrowser(t)

	host := app.newPerson(t, browser)
	host.followLive()
	host.open("/w/new")
	host.do(chromedp.SendKeys(chromedp.CSS("#title"), "Safe kickoff"))
	host.click(`form[action="/w"] button[type="submit"]`)
	host.waitFor(`location.pathname.endsWith("/created")`)
	code := host.text(".join-panel .join-code")
	joinPath := "/w/" + code
	boardLink := host.eval(`document.querySelector("#board-link").value`)
	_, key, _ := strings.Cut(boardLink, "?key=")

	// Ada (JavaScript) sends her answers and keeps her page open; Linus
	// (without) joins and has not answered yet; Grace (without) waits on the
	// join page.
	ada := app.newPerson(t, browser)
	ada.followLive()
	ada.open(joinPath)
	ada.join("Ada")
	ada.answerAndSend(joinPath, nthOption(0))
	ada.waitConnected()
	ada.eval(`String(window.__noReload = 1)`)
	linus := app.newPerson(t, browser, withoutJS)
	linus.open(joinPath)
	linus.join("Linus")
	grace := app.newPerson(t, browser, withoutJS)
	grace.open(joinPath)

	host.open(joinPath + "/board")
	host.waitConnected()
	host.waitText("#board-status", "2 joined · 1 finished", "results hidden")

	// Reveal, with JavaScript: Escape and the cancel link leave it hidden.
	reveal := `#board-actions a[href$="/reveal"]`
	host.openDialog(reveal, "Reveal the team's result", "hide it again")
	host.mustPassAxe("reveal dialog")
	host.do(chromedp.KeyEvent(kb.Escape))
	host.dialogClosedTo(reveal)
	host.openDialog(reveal, "Reveal the team's result")
	host.click(`#confirm-dialog [data-confirm-cancel]`)
	host.dialogClosedTo(reveal)
	if got := host.textNow("#board-status"); !strings.Contains(got, "results hidden") {
		t.Fatalf("cancelling the reveal revealed: %q", got)
	}
	if ada.textNow("#workshop-live") == "" || ada.eval(`String(document.querySelector("#team-title") === null)`) != "true" {
		t.Fatal("Ada sees the team result after a cancelled reveal")
	}
	host.openDialog(reveal, "Reveal the team's result")
	host.click(`#confirm-dialog button[type="submit"]`)
	host.waitPath(joinPath + "/board")
	host.waitText("#board-status", "results revealed")
	ada.waitLive("#team-title", "The team's result")

	// Hide from the board: Ada's page loses the team result, live.
	host.waitConnected()
	host.click(`#board-actions form[action$="/hide"] button`)
	host.waitText("#board-status", "results hidden")
	ada.waitFor(`document.querySelector("#team-title") === null`)
	ada.waitLive("#workshop-live", "appears here when the facilitator reveals it")

	// The API reveals, hides, closes and reopens; the open board and Ada's page follow.
	host.waitConnected()
	host.eval(`String(window.__noReload = 1)`)
	api := func(change string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, app.url+"/api/v1/workshops/"+code+"/"+change, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("API %s: status %d", change, res.StatusCode)
		}
	}
	api("reveal")
	host.waitBoard("results revealed")
	host.waitLive("#board-actions", "Hide the team result again")
	ada.waitLive("#team-title", "The team's result")
	api("hide")
	host.waitBoard("results hidden")
	ada.waitFor(`document.querySelector("#team-title") === null`)
	api("close")
	host.waitBoard("closed: nobody can join")
	host.waitLive("#board-actions", "Reopen the workshop")
	if shown := host.eval(`String([...document.querySelectorAll(".board-join")].some(e => e.checkVisibility()))`); shown != "false" {
		t.Error("the board still shows how to join after the workshop closed")
	}
	ada.waitLive("#workshop-live .notice", "This workshop is closed")
	api("reopen")
	host.waitLive("#board-actions", "Close the workshop")
	if got := host.textNow("#board-status"); strings.Contains(got, "closed") {
		t.Errorf("the board says %q after the reopen", got)
	}
	ada.waitFor(`!document.querySelector("#workshop-live").innerText.includes("closed")`)
	host.mustPassAxe("board")
	ada.mustPassAxe("participant page")

	// Close, with JavaScript: Escape first, then confirm.
	closeLink := `#board-actions a[href$="/close"]`
	host.openDialog(closeLink, "Close “Safe kickoff”?", "reopen")
	host.mustPassAxe("close dialog")
	host.do(chromedp.KeyEvent(kb.Escape))
	host.dialogClosedTo(closeLink)
	host.openDialog(closeLink, "Close “Safe kickoff”?")
	host.click(`#confirm-dialog button[type="submit"]`)
	host.waitPath(joinPath + "/board")
	host.waitText("#board-status", "closed")
	if n := host.eval(`String(document.querySelectorAll(".board-join, img[src$='/qr.svg'], a[href$='/present']").length)`); n != "0" {
		t.Errorf("a closed workshop's board shows %s ways to join (code, QR code, projector)", n)
	}
	ada.waitLive("#workshop-live .notice", "This workshop is closed")

	// This board was loaded closed: a reopen made elsewhere brings the code,
	// the link and the QR code back live, and a close hides them again.
	host.waitConnected()
	host.eval(`String(window.__noReload = 1)`)
	api("reopen")
	host.waitLive(".board-join", code)
	host.waitFor(`document.querySelector("img.board-join[src$='/qr.svg']")?.naturalWidth > 0 &&
		[...document.querySelectorAll(".board-join, a[href$='/present']")].every(e => e.checkVisibility())`)
	api("close")
	host.waitBoard("closed: nobody can join")
	host.waitFor(`![...document.querySelectorAll(".board-join")].some(e => e.checkVisibility())`)

	// Those in a closed workshop hear it at once: Linus on his first step,
	// the projector, and Grace joining from a page opened before the close.
	linus.open("/q/" + app.rules.Sections[0].ID)
	linus.mustSee(".progress .notice", "“Safe kickoff” is closed", "See the team's result", "leave the workshop")
	linus.open(joinPath)
	linus.mustSee("#workshop-live .notice", "This workshop is closed", "appears here if the facilitator reveals it")
	host.open(joinPath + "/present")
	host.mustSee("main", "“Safe kickoff” is closed")
	if n := host.eval(`String(document.querySelectorAll(".join-code, img[src$='/qr.svg']").length)`); n != "0" {
		t.Errorf("the projector page of a closed workshop shows %s ways to join", n)
	}
	grace.expectConsole("status of 409")
	grace.do(chromedp.SendKeys(chromedp.CSS("#name"), "Grace"))
	grace.click(`form[action$="/join"] button[type="submit"]`)
	grace.waitFor(`document.querySelector("#error-title") !== null`)
	grace.mustSee("#error-title", "This workshop is closed")
	grace.mustSee("main", "Go to the workshop's page", "Go to the start page")
	if h := grace.textNow("#error-title"); h == "Conflict" {
		t.Error("the error page's heading is a status phrase")
	}

	// Without JavaScript the facilitator gets pages: reopen, reveal (cancel,
	// then confirm) and close again.
	hostNoJS := app.newPerson(t, browser, withoutJS)
	hostNoJS.open(strings.TrimPrefix(boardLink, app.url))
	hostNoJS.waitPath(joinPath + "/board")
	hostNoJS.click(`#board-actions form[action$="/reopen"] button`)
	hostNoJS.waitPath(joinPath + "/board")
	hostNoJS.mustSee(".board-join", code)
	hostNoJS.click(reveal)
	hostNoJS.waitPath(joinPath + "/reveal")
	hostNoJS.mustSee(".confirm", "Reveal the team's result", "1 person", "hide it again")
	hostNoJS.click(`.confirm [data-confirm-cancel]`)
	hostNoJS.waitPath(joinPath + "/board")
	hostNoJS.mustSee("#board-status", "results hidden")
	hostNoJS.click(reveal)
	hostNoJS.waitPath(joinPath + "/reveal")
	hostNoJS.click(`.confirm button[type="submit"]`)
	hostNoJS.waitPath(joinPath + "/board")
	hostNoJS.mustSee("#board-status", "results revealed")
	hostNoJS.click(closeLink)
	hostNoJS.waitPath(joinPath + "/close")
	hostNoJS.mustSee(".confirm", "Close “Safe kickoff”?", "reopen the workshop")
	hostNoJS.click(`.confirm button[type="submit"]`)
	hostNoJS.waitPath(joinPath + "/board")
	hostNoJS.mustSee("#board-status", "closed")
	linus.open(joinPath)
	linus.mustSee("#workshop-live .notice", "This workshop is closed", "See the team's result")

	// The confirmation pages and the error pages pass axe, any impact.
	host.open(joinPath + "/reveal")
	host.mustPassAxe("reveal confirmation page")
	host.open(joinPath + "/close")
	host.mustPassAxe("close confirmation page")
	host.open("/q/reset")
	host.mustPassAxe("start-over confirmation page")
	ada.expectConsole("status of 401")
	ada.open(joinPath + "/board")
	ada.mustSee("#error-title", "facilitator link")
	ada.mustPassAxe("error page (401)")
	ada.expectConsole("status of 404")
	ada.open("/r/no-such-result")
	ada.mustSee("main", "We could not find that", "Go to the start page")
	ada.mustPassAxe("error page (404)")
}

// TestStartOver: "Start over" on the review asks first, with and without
// JavaScript; keeping the answers keeps every one of them.
func TestStartOver(t *testing.T) {
	app := startApp(t)
	browser := newBrowser(t)
	for _, tt := range []struct {
		name   string
		dialog bool
		opts   []option
	}{
		{"with a dialog", true, nil},
		{"with a dialog on a phone", true, []option{onPhone}},
		{"without JavaScript", false, []option{withoutJS}},
		{"without JavaScript on a phone", false, []option{withoutJS, onPhone}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := app.newPerson(t, browser, tt.opts...)
			p.open("/q/" + app.rules.Sections[0].ID)
			for _, sec := range app.rules.Sections {
				p.waitStep(sec)
				p.answerFirstOptions(sec.ID)
				p.click(`button[name="nav"][value="next"]`)
			}
			p.waitReview()
			startOver := `a[href="/q/reset"]`
			answered := `[...document.querySelectorAll("dl.answers dd")].filter(d => !d.textContent.includes("Not answered")).length`
			before := p.eval(`String(` + answered + `)`)
			if tt.dialog {
				p.openDialog(startOver, "Start over?", "cannot be undone")
				p.mustPassAxe("start-over dialog")
				p.fitsWidth("start-over dialog")
				p.do(chromedp.KeyEvent(kb.Escape))
				p.dialogClosedTo(startOver)
				p.openDialog(startOver, "Start over?")
				p.click(`#confirm-dialog [data-confirm-cancel]`)
				p.dialogClosedTo(startOver)
			} else {
				p.click(startOver)
				p.waitPath("/q/reset")
				p.mustSee(".confirm", "Start over?", "cannot be undone")
				p.fitsWidth("start-over page")
				p.click(`.confirm [data-confirm-cancel]`)
				p.waitReview()
			}
			if after := p.eval(`String(` + answered + `)`); after != before || before == "0" {
				t.Fatalf("%s answers on the review after cancelling, %s before", after, before)
			}
			if tt.dialog {
				p.openDialog(startOver, "Start over?")
				p.click(`#confirm-dialog button[type="submit"]`)
			} else {
				p.click(startOver)
				p.waitPath("/q/reset")
				p.click(`.confirm button[type="submit"]`)
			}
			p.waitStep(app.rules.Sections[0])
			if n := p.eval(`String(document.querySelectorAll("input:checked").length)`); n != "0" {
				t.Errorf("%s answers ticked after starting over", n)
			}
		})
	}
}

// openDialog clicks link and waits for its confirmation dialog, which must
// hold focus and say each of wants.
func (p *person) openDialog(link string, wants ...string) {
	p.t.Helper()
	p.click(link)
	p.waitFor(`document.querySelector("dialog#confirm-dialog[open]")`)
	p.mustSee("#confirm-dialog", wants...)
	if in := p.eval(`String(document.querySelector("#confirm-dialog").contains(document.activeElement))`); in != "true" {
		p.t.Errorf("focus is on %s, not in the dialog", p.eval(`document.activeElement.outerHTML.slice(0, 80)`))
	}
	if p.eval(`String(document.querySelector("#confirm-dialog").matches(":modal"))`) != "true" {
		p.t.Error("the confirmation dialog is not modal")
	}
}

// dialogClosedTo waits for the dialog to close and checks focus went back to link.
func (p *person) dialogClosedTo(link string) {
	p.t.Helper()
	p.waitFor(`document.querySelector("dialog#confirm-dialog") === null`)
	if p.eval(`String(document.activeElement === document.querySelector(`+strconv.Quote(link)+`))`) != "true" {
		p.t.Errorf("after the dialog, focus is on %s, not back on %s", p.eval(`document.activeElement.outerHTML.slice(0, 80)`), link)
	}
}
