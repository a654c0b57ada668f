package e2e

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"stackfit/rules"
)

// liveUpdate is how long a board or a participant's page may take to show a
// change it is sent over server-sent events. The server gathers a burst for
// 200 ms; the rest is slack for a loaded machine running with -race.
const liveUpdate = 3 * time.Second

// TestWorkshop is a kickoff workshop in four browsers: a facilitator and three
// participants, one with htmx on a desktop, one on a phone who types the code,
// and one without JavaScript. The board follows every join and submission
// without a reload; the reveal brings the team result to the participants;
// after the close, answers are refused with a sentence that says so. Every
// workshop page passes axe on a desktop and on a phone.
func TestWorkshop(t *testing.T) {
	app := startApp(t)
	browser := newBrowser(t)

	// The facilitator starts from the landing page.
	host := app.newPerson(t, browser)
	host.followLive()
	host.open("/")
	host.click(`.workshop-entry a[href="/w/new"]`)
	host.waitPath("/w/new")
	host.mustPassAxe("new workshop")
	host.do(chromedp.SendKeys(chromedp.CSS("#title"), "Booking platform v2 kickoff"),
		chromedp.SendKeys(chromedp.CSS("#context"), "Rebuild the booking platform before the summer season."))
	host.click(`input[name="anonymous"][value="no"]`)
	host.click(`form[action="/w"] button[type="submit"]`)
	host.waitFor(`location.pathname.endsWith("/created")`)
	code := host.text(".join-panel .join-code")
	if len(code) != 6 || strings.ContainsAny(code, "0O1Il") {
		t.Fatalf("join code %q: want six characters without 0/O or 1/I/l", code)
	}
	joinPath := "/w/" + code
	host.mustSee(".join-panel", app.url+joinPath)
	host.waitFor(`document.querySelector('.join-panel img[src$="/qr.svg"]').naturalWidth > 0`)
	boardLink := host.eval(`document.querySelector("#board-link").value`)
	if !strings.HasPrefix(boardLink, app.url+joinPath+"/board?key=") {
		t.Fatalf("facilitator link %q does not open this workshop's board", boardLink)
	}
	host.mustPassAxe("workshop created")
	host.open(joinPath + "/created")
	if host.eval(`String(document.querySelector("#board-link") === null)`) != "true" {
		t.Error("the facilitator link is shown again on a reload of the created page; it should be shown once")
	}
	host.click(`a[href="` + joinPath + `/present"]`)
	host.waitPath(joinPath + "/present")
	host.mustSee(".present", code[:3]+" "+code[3:], app.url+joinPath)
	host.waitFor(`document.querySelector('.present img[src$="/qr.svg"]').naturalWidth > 0`)
	host.mustPassAxe("present")
	host.open(joinPath + "/created")
	host.click(`a[href="` + joinPath + `/board"]`)
	host.waitPath(joinPath + "/board")
	host.waitConnected()
	host.waitText("#board-status", "0 joined · 0 finished", "results hidden")
	host.eval(`String(window.__noReload = 1)`) // survives only if the board updates in place

	// Three people join: by the link, by the code typed on a phone, and without JavaScript.
	ada := app.newPerson(t, browser)
	ada.followLive()
	ada.open(joinPath)
	ada.mustSee("main", "Booking platform v2 kickoff", "Rebuild the booking platform")
	ada.mustPassAxe("join page")
	ada.join("Ada")
	host.waitBoard("1 joined · 0 finished")

	grace := app.newPerson(t, browser, onPhone)
	grace.followLive()
	grace.open("/")
	grace.do(chromedp.SendKeys(chromedp.CSS("#code"), strings.ToLower(code[:3]+" "+code[3:])))
	grace.click(`form.join-form button[type="submit"]`)
	grace.waitPath(joinPath)
	grace.fitsWidth("join page")
	grace.mustPassAxe("join page on a phone")
	grace.join("Grace")
	host.waitBoard("2 joined · 0 finished")

	linus := app.newPerson(t, browser, withoutJS)
	linus.open(joinPath)
	linus.join("Linus")
	host.waitBoard("3 joined · 0 finished")
	host.waitText(".people", "Ada", "Grace", "Linus", "answering…")

	// Each answers differently, sees their own result, and not the team's yet.
	tally := map[rules.Side]int{}
	for i, part := range []struct {
		p       *person
		answers func(*rules.Question) string
	}{
		{ada, nthOption(0)},
		{grace, nthOption(1)},
		{linus, nodeFan},
	} {
		own := app.evaluatePick(t, part.answers)
		tally[own.Recommendation]++
		part.p.answerAndSend(joinPath, part.answers)
		if part.p != linus {
			part.p.waitConnected()
		}
		part.p.waitText("#workshop-live", "Your answers are in: "+headline(own), own.ConfidenceReason,
			"Your result, with its reasons and share link", "appears here when the facilitator reveals it")
		if part.p.eval(`String(document.querySelector("#team-title") === null)`) != "true" {
			t.Errorf("participant %d sees the team result before the reveal", i+1)
		}
		host.waitBoard("3 joined · " + strconv.Itoa(i+1) + " finished")
	}
	ada.mustPassAxe("participant page")
	grace.fitsWidth("participant page")
	grace.mustPassAxe("participant page on a phone")

	// The board shows where the team differs.
	host.waitText("#board-live", "Team:", fmt.Sprintf("%d Django · %d Node.js · %d too close to call",
		tally[rules.Django], tally[rules.NodeJS], tally[rules.Tie]), "Where the team differs")
	if top := host.textNow(".questions .disagreement"); top == "0% disagreement" {
		t.Errorf("the most disputed question shows %q; three different answer sets should disagree somewhere", top)
	}
	// The heat map: a row per question named in full, a column per participant.
	if rows := host.eval(`String(document.querySelectorAll("table.heat tbody tr").length)`); rows != strconv.Itoa(len(app.rules.Questions())) {
		t.Errorf("the heat map has %s rows, want one per question (%d)", rows, len(app.rules.Questions()))
	}
	if people := host.eval(`[...document.querySelectorAll("table.heat thead th")].slice(1).map(th => th.textContent).join(", ")`); people != "Ada, Grace, Linus" {
		t.Errorf("the heat map's columns are %q, want one per participant", people)
	}
	if cut := host.eval(`[...document.querySelectorAll("table.heat th, table.heat td")].filter(c => c.scrollWidth > c.clientWidth).map(c => c.textContent).join(" | ")`); cut != "" {
		t.Errorf("heat map labels cut short: %s", cut)
	}
	// On a 1280 px projector the board fits a few screens: each question's answers fold away
	// (about 4,000 px with three people, where it was 6,900 with every distribution open).
	if h := mustFloat(t, host.eval(`String(document.documentElement.scrollHeight)`)); h > 4500 {
		t.Errorf("the board is %.0f px tall at 1280 px wide; the questions' answers should fold away", h)
	} else {
		t.Logf("the board is %.0f px tall at 1280 px wide", h)
	}
	team := strings.TrimPrefix(host.textNow("#team-verdict"), "Team: ")
	host.fitsWidth("board")
	host.mustPassAxe("board")
	// README's picture: the ranked questions, the most disputed opened to its answers.
	host.click(`.qrow summary`)
	host.eval(`document.querySelector("#differ-title").scrollIntoView(), "ok"`)
	host.screenshot("board")
	host.eval(`window.scrollTo(0, 0), "ok"`)

	// The facilitator link opens the board on another device too, and forgets the key in the address.
	hostPhone := app.newPerson(t, browser, onPhone)
	hostPhone.followLive()
	hostPhone.open(strings.TrimPrefix(boardLink, app.url))
	hostPhone.waitPath(joinPath + "/board")
	if q := hostPhone.eval(`location.search`); q != "" {
		t.Errorf("the board keeps %q in the address bar; the key should leave it", q)
	}
	hostPhone.waitConnected()
	hostPhone.waitText("#board-status", "3 joined · 3 finished")
	hostPhone.fitsWidth("board")
	hostPhone.mustPassAxe("board on a phone")
	for _, path := range []string{"/w/new", joinPath + "/created", joinPath + "/present", "/w"} {
		hostPhone.open(path)
		hostPhone.fitsWidth(path)
		hostPhone.mustPassAxe(path + " on a phone")
	}

	// The reveal reaches Ada live, and Linus on a reload.
	ada.eval(`String(window.__noReload = 1)`)
	host.openDialog(`#board-actions a[href$="/reveal"]`, "Reveal the team's result")
	host.click(`#confirm-dialog button[type="submit"]`)
	host.waitPath(joinPath + "/board")
	host.waitText("#board-status", "results revealed")
	ada.waitLive(`#team-title`, "The team's result: "+team)
	ada.waitText("#workshop-live", "From the answers of 3 people", "Where the team differed most")
	linus.open(joinPath)
	linus.waitText("#team-title", "The team's result: "+team)
	grace.waitText("#workshop-live", "The team's result: "+team) // on her phone, live too

	// Grace starts changing an answer; then the facilitator closes the workshop.
	grace.click(`form[action="` + joinPath + `/answers"] button`)
	grace.waitReview()
	grace.click(`a[href="/q/team#q-python"]`)
	grace.waitStep(app.rules.Sections[0])
	grace.click(`#q-python input[value="none"]`)
	grace.click(`button[name="nav"][value="next"]`)
	grace.waitStep(app.rules.Sections[1])
	grace.click(`nav[aria-label="Steps"] a[href="/q/review"]`)
	grace.waitReview()
	if got := grace.eval(`[...document.querySelectorAll("dl.answers dt")].find(dt => dt.textContent.includes("Python")).nextElementSibling.textContent`); !strings.HasPrefix(got, "Not at all") {
		t.Fatalf("the review shows %q for Python after Grace changed it to “Not at all”", got)
	}

	host.waitConnected() // the board's first live swap is over before the click
	host.openDialog(`#board-actions a[href$="/close"]`, "Close “Booking platform v2 kickoff”?")
	host.click(`#confirm-dialog button[type="submit"]`)
	host.waitPath(joinPath + "/board")
	host.waitText("#board-status", "closed")
	board := host.textNow("#board-live")
	ada.waitLive(`#workshop-live .notice`, "This workshop is closed")
	if ada.eval(`String(document.querySelector('form[action$="/answers"]') === null)`) != "true" {
		t.Error("after the close Ada is still offered to change her answers")
	}

	// Sending, or changing answers on a page from before the close, is refused in so many words.
	grace.expectConsole("status of 409")
	grace.click(`form[action="/q/review"] button`)
	grace.waitFor(`document.querySelector("#error-title") !== null`)
	grace.mustSee("main", "This workshop is closed", "yours were not sent")
	linus.expectConsole("status of 409")
	linus.click(`form[action="` + joinPath + `/answers"] button`)
	linus.waitFor(`document.querySelector("#error-title") !== null`)
	linus.mustSee("main", "This workshop is closed")
	host.open(joinPath + "/board")
	if after := host.textNow("#board-live"); after != board {
		t.Errorf("the board changed after the close:\nbefore:\n%s\nafter:\n%s", board, after)
	}

	// Only the facilitator link opens the board.
	linus.expectConsole("status of 401")
	linus.open(joinPath + "/board")
	linus.mustSee("main", "only with the facilitator link")

	host.open("/w")
	host.mustPassAxe("join by code")
}

// join gives the display name on a workshop's join page; the questionnaire follows.
func (p *person) join(name string) {
	p.t.Helper()
	p.typeInto("#name", name)
	p.click(`form[action$="/join"] button[type="submit"]`)
	p.waitStep(p.app.rules.Sections[0])
	p.mustSee(".workshop-banner", "Answering for the workshop")
}

// answerAndSend answers every step with pick's options and sends the answers
// to the workshop from the review, landing on the workshop's page.
func (p *person) answerAndSend(workshop string, pick func(*rules.Question) string) {
	p.t.Helper()
	for _, sec := range p.app.rules.Sections {
		p.waitStep(sec)
		for _, q := range sec.Questions {
			p.click(`#q-` + q.ID + ` input[value="` + pick(q) + `"]`)
		}
		p.click(`button[name="nav"][value="next"]`)
	}
	p.waitReview()
	p.mustSee(`form[action="/q/review"] button`, "Send my answers to")
	p.click(`form[action="/q/review"] button`)
	p.waitPath(workshop)
}

// evaluatePick is the evaluation of the answers answerAndSend gives with pick.
func (a *app) evaluatePick(t *testing.T, pick func(*rules.Question) string) *rules.Evaluation {
	t.Helper()
	answers := rules.Answers{}
	for _, q := range a.rules.Questions() {
		answers[q.ID] = rules.Choice{Options: []string{pick(q)}, Multiple: q.Multiple}
	}
	ev, err := a.rules.Evaluate(answers)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// nthOption answers each question with its nth option, or its last when it has fewer.
func nthOption(n int) func(*rules.Question) string {
	return func(q *rules.Question) string { return q.Options[min(n, len(q.Options)-1)].ID }
}

// nodeFan answers as a JavaScript team building a real-time API would;
// questions it has no view on get their first option.
func nodeFan(q *rules.Question) string {
	if a, ok := map[string]string{
		"python": "none", "javascript": "strong", "experience": "nodejs", "learning": "months",
		"admin": "no", "api": "core", "realtime": "core", "frontend": "spa", "data": "little",
		"users": "millions", "connections": "thousands", "spikes": "yes", "auth": "basic",
		"sensitive": "no", "compliance": "no", "deadline": "months", "budget": "moderate",
		"packages": "realtime_libs", "shared_code": "yes", "architecture": "freedom", "services": "several",
		"frameworks": "express_nestjs",
	}[q.ID]; ok {
		return a
	}
	return q.Options[0].ID
}

// textNow reads the text of the element css in one step, which a live
// region's swap cannot interrupt (chromedp.Text finds the node first, and
// a swap in between leaves it holding a node that is gone).
func (p *person) textNow(css string) string {
	p.t.Helper()
	return p.eval(`document.querySelector(` + strconv.Quote(css) + `)?.innerText ?? ""`)
}

// waitText waits until the text of the element css contains every one of wants.
func (p *person) waitText(css string, wants ...string) {
	p.t.Helper()
	list, err := json.Marshal(wants)
	if err != nil {
		p.t.Fatal(err)
	}
	p.waitFor(`((text) => ` + string(list) + `.every(w => text.includes(w)))(` +
		`(document.querySelector(` + strconv.Quote(css) + `)?.innerText ?? "").replace(/\s+/g, " "))`)
}

// waitLive waits for a change pushed to the page, within liveUpdate and
// without a reload: the page must still carry window.__noReload.
func (p *person) waitLive(css, want string) {
	p.t.Helper()
	start := time.Now()
	p.waitText(css, want)
	if d := time.Since(start); d > liveUpdate {
		p.t.Errorf("%s took %v to show %q; live updates should arrive within %v", p.path(), d.Round(time.Millisecond), want, liveUpdate)
	}
	if p.eval(`String(window.__noReload)`) != "1" {
		p.t.Fatalf("%s reloaded to show %q; it should update in place", p.path(), want)
	}
}

// waitBoard waits for the board's status line to say status.
func (p *person) waitBoard(status string) {
	p.t.Helper()
	p.waitLive("#board-status", status)
}

// followLive counts the messages a live region swaps in, on every page this
// person opens from now on (not in a tab without JavaScript). A live page
// swaps its region once as soon as its event stream connects; a click or an
// axe run during that swap would act on nodes that are gone.
func (p *person) followLive() {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__liveMessages = 0; document.addEventListener("htmx:sse:after:message", () => window.__liveMessages++);`,
	}); err != nil {
		p.t.Fatal(err)
	}
}

// waitConnected waits for the first message of the page's live region.
func (p *person) waitConnected() {
	p.t.Helper()
	p.waitFor(`window.__liveMessages > 0`)
}

// fitsWidth fails when the page scrolls sideways, as a wide table can make it.
func (p *person) fitsWidth(name string) {
	p.t.Helper()
	if over := p.eval(`String(document.documentElement.scrollWidth > window.innerWidth)`); over != "false" {
		p.t.Errorf("%s scrolls sideways (%s px content in a %s px window)", name,
			p.eval(`String(document.documentElement.scrollWidth)`), p.eval(`String(window.innerWidth)`))
	}
}

// TestWorkshopCapacity: a workshop of two places. The board counts the places
// left live; the facilitator locks joining and removes a person with htmx,
// without a reload; someone without JavaScript is told the workshop is closed
// to newcomers, and joins once it opens again.
func TestWorkshopCapacity(t *testing.T) {
	app := startApp(t)
	browser := newBrowser(t)

	host := app.newPerson(t, browser)
	host.followLive()
	host.open("/w/new")
	host.do(chromedp.SendKeys(chromedp.CSS("#title"), "Small room"), chromedp.SetValue(chromedp.CSS("#capacity"), "2"))
	host.click(`form[action="/w"] button[type="submit"]`)
	host.waitFor(`location.pathname.endsWith("/created")`)
	code := host.text(".join-panel .join-code")
	joinPath := "/w/" + code
	host.open(joinPath + "/board")
	host.waitConnected()
	host.waitText("#board-places", "2 of 2 places left")
	host.eval(`String(window.__noReload = 1)`)

	ada := app.newPerson(t, browser)
	ada.open(joinPath)
	ada.join("Ada")
	host.waitLive("#board-places", "1 of 2 places left")

	// Grace opens the join page before the lock; Lin waits on it, live.
	grace := app.newPerson(t, browser, withoutJS)
	grace.open(joinPath)
	lin := app.newPerson(t, browser)
	lin.followLive()
	lin.open(joinPath)
	lin.waitConnected()
	lin.eval(`String(window.__noReload = 1)`)

	host.click(`#board-places form[action$="/lock"] button`)
	host.waitLive("#board-places", "Joining is locked")
	host.mustPassAxe("board with joining locked")
	lin.waitLive("#workshop-live", "closed this workshop to new participants")
	lin.mustPassAxe("join page while locked")

	grace.expectConsole("status of 409")
	grace.do(chromedp.SendKeys(chromedp.CSS("#name"), "Grace"))
	grace.click(`form[action$="/join"] button[type="submit"]`)
	grace.waitFor(`document.querySelector("#error-title") !== null`)
	grace.mustSee("main", "closed this workshop to new participants")

	host.click(`.people button.remove`)
	host.waitLive("#board-status", "0 joined")
	if n := host.eval(`String(document.querySelectorAll(".people li").length)`); n != "0" {
		t.Errorf("%s people on the board after the removal, want 0", n)
	}
	host.click(`#board-places form[action$="/unlock"] button`)
	host.waitLive("#board-places", "2 of 2 places left")
	lin.waitLive("#workshop-live", "Join the workshop")

	grace.open(joinPath)
	grace.join("Grace")
	host.waitLive("#board-places", "1 of 2 places left")
}
