package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"stackfit/rules"
)

// waitPath waits until the page is at path.
func (p *person) waitPath(want string) {
	p.t.Helper()
	p.waitFor(`location.pathname === ` + strconv.Quote(want))
}

// htmxSettled holds once no htmx request is in flight and, where htmx runs,
// the step form has been processed by it. htmx 4 pushes the new address
// before it swaps, and processes the new form only after the swap settles:
// a click on "Next" before that would submit the form natively, reloading
// the page, or post a form on its way out.
const htmxSettled = `document.querySelector(".htmx-request") === null &&
	(typeof htmx === "undefined" || document.querySelector("#step-form") === null ||
	 document.querySelector("#step-form[data-htmx-powered]") !== null)`

// waitStep waits until the step of section sec is shown and ready for input,
// with htmx or without JavaScript (where htmx is undefined).
func (p *person) waitStep(sec rules.Section) {
	p.t.Helper()
	p.waitFor(`location.pathname === ` + strconv.Quote("/q/"+sec.ID) +
		` && document.querySelector("#wizard h1")?.textContent === ` + strconv.Quote(sec.Title) +
		` && ` + htmxSettled)
}

// waitReview waits until the review step is shown.
func (p *person) waitReview() {
	p.t.Helper()
	p.waitFor(`location.pathname === "/q/review" && document.querySelector("#wizard h1")?.textContent === "Review your answers" && ` + htmxSettled)
}

func (p *person) click(css string) {
	p.t.Helper()
	p.onFreshNode("click "+css, chromedp.Click(chromedp.CSS(css)))
}

// typeInto types text into the field css finds.
func (p *person) typeInto(css, text string) {
	p.t.Helper()
	p.onFreshNode("type into "+css, chromedp.SendKeys(chromedp.CSS(css), text))
}

// onFreshNode runs an action on an element, finding it again when a live
// update replaced it between chromedp finding it and acting on it: a person
// would act on the new one (a replaced field comes back empty, so typing
// again loses nothing).
func (p *person) onFreshNode(what string, action chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	for try := 1; ; try++ {
		err := chromedp.Do(p.ctx, action)
		if err == nil {
			return
		}
		if try == 3 || !strings.Contains(err.Error(), "Could not find node with given id") {
			p.t.Fatalf("%s: %v", what, err)
		}
	}
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

// mustBeTitled checks the document title: with htmx too, each swapped step
// names itself in the title bar, the history list and a screen reader.
func (p *person) mustBeTitled(title string) {
	p.t.Helper()
	if got, want := p.eval(`document.title`), title+" · stackfit"; got != want {
		p.t.Errorf("document title on %s is %q, want %q", p.path(), got, want)
	}
}

// headline is how the result page names the recommendation.
func headline(ev *rules.Evaluation) string {
	if ev.Recommendation == rules.Tie {
		return "Too close to call"
	}
	return ev.Recommendation.Name() + " recommended"
}

// TestQuestionnaire is the whole path of one person, with htmx and without
// JavaScript: the steps, a missing answer, the review with its leaning, the
// result, the share link in a stranger's browser, and a "what would change
// this" link. Every wait is on what the page shows, never on time.
func TestQuestionnaire(t *testing.T) {
	app := startApp(t)
	browser := newBrowser(t)
	ev := app.evaluatePick(t, nthOption(0)) // what answerFirstOptions gives
	sections := app.rules.Sections
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
			p.click(`main a[href="/q/` + sections[0].ID + `"]`) // the first step, without a redirect
			p.waitStep(sections[0])
			p.mustSee(".progress", "Step 1 of "+strconv.Itoa(len(sections)))
			if mode.js {
				// Survives only if the steps are swapped in place, not reloaded.
				p.eval(`window.stayedOnPage = "yes"`)
				// Counts every request htmx sends: one per step, none on a change.
				p.eval(`window.htmxRequests = 0; document.addEventListener("htmx:before:request", () => window.htmxRequests++), "ok"`)
			}

			// Next without answers: the step comes back with the problems beside the questions.
			p.click(`button[name="nav"][value="next"]`)
			p.waitFor(`document.querySelector(".error-summary") !== null && ` + htmxSettled)
			p.mustSee(".error-summary", "need an answer")
			p.mustBeTitled("Check your answers: " + sections[0].Title)
			p.mustSee("#q-"+sections[0].Questions[0].ID+"-error", "Choose")
			if mode.js {
				if got := p.eval(`document.activeElement.closest(".error-summary") ? "summary" : document.activeElement.tagName`); got != "summary" {
					t.Errorf("focus after the failed step is on %s, want the error summary", got)
				}
			}

			for i, sec := range sections {
				p.answerFirstOptions(sec.ID)
				if i == 0 && *docs {
					// The top of the step: the summary and the messages beside the first questions.
					p.eval(`window.scrollTo(0, 0), "ok"`)
					p.screenshot("questionnaire")
				}
				if mode.js {
					// Answering sends nothing: the only requests so far are the steps' posts.
					if got, want := p.eval(`String(window.htmxRequests)`), strconv.Itoa(i+1); got != want {
						t.Errorf("step %s: htmx sent %s requests, want %s (one per step posted)", sec.ID, got, want)
					}
				}
				if i == len(sections)-1 {
					// Back and Next again: each swap names its step in the title too.
					p.click(`button[name="nav"][value="back"]`)
					p.waitStep(sections[i-1])
					p.mustBeTitled(sections[i-1].Title)
					p.click(`button[name="nav"][value="next"]`)
					p.waitStep(sec)
					p.mustBeTitled(sec.Title)
				}
				p.click(`button[name="nav"][value="next"]`)
				if i+1 < len(sections) {
					p.waitStep(sections[i+1])
					p.mustBeTitled(sections[i+1].Title)
				}
			}
			p.waitReview()
			p.mustBeTitled("Review your answers")
			p.mustSee("main", "Review your answers", sections[0].Questions[0].Text)
			// The leaning appears on the review, once everything is answered.
			p.mustSee("#leaning", "Your answers lean", string(ev.Confidence)+" confidence", ev.ConfidenceReason)
			if *docs {
				// The end of the review: the decision's name typed, the button, and the
				// leaning, which stays in view beside the answers. The name goes again.
				p.do(chromedp.SetValue(chromedp.CSS("#name"), "Booking platform v2"))
				p.eval(`document.querySelector('form[action="/q/review"]').scrollIntoView({block: "center"}), "ok"`)
				p.screenshot("review")
				p.eval(`document.querySelector("#name").value = ""`)
			}
			if mode.js && p.eval(`window.stayedOnPage || "reloaded"`) != "yes" {
				t.Error("the questionnaire reloaded the page between steps; htmx should swap them in place")
			}
			p.click(`form[action="/q/review"] button`)
			p.waitFor(`location.pathname.startsWith("/r/") && document.querySelector("#verdict") !== null`)
			p.mustSee("#verdict", headline(ev))
			p.mustSee("main", string(ev.Confidence)+" confidence", ev.ConfidenceReason, "What would change this")
			// The document's words are on the page, folded under each reason.
			for _, r := range ev.Reasons {
				p.mustHold("main", r.Quotes...)
			}
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
			other.mustSee("main", "Someone shared this result with you", headline(ev), "Start from these answers")
			if len(ev.Flips) > 0 {
				other.click(`#flips-title ~ ul a`)
				other.waitFor(`location.pathname === ` + strconv.Quote("/r/"+share[strings.LastIndex(share, "/")+1:]+"/what-if") +
					` && document.querySelector("#verdict") !== null`)
				other.mustSee(".notice", "What if", "not saved")
				if v := other.text("#verdict"); strings.Contains(v, headline(ev)) {
					t.Errorf("the what-if page still says %q; the flip should change the result", v)
				}
				other.screenshot("what-if")
			} else {
				other.mustSee("main", "No change to a single answer would change this result.")
			}

			// …and starts from these answers: they arrive in their own questionnaire.
			other.open(strings.TrimPrefix(share, app.url))
			other.click(`form[action$="/start"] button[type="submit"]:not([name])`)
			other.waitReview()
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
	first := "/q/" + app.rules.Sections[0].ID
	for _, path := range []string{"/", first, "/how"} {
		p.open(path)
		if w := p.eval(`String(window.innerWidth)`); w != "390" {
			t.Fatalf("%s: layout viewport %s px wide, want 390 (is the viewport meta missing?)", path, w)
		}
		if over := p.eval(`String(document.documentElement.scrollWidth > window.innerWidth)`); over != "false" {
			t.Errorf("%s scrolls sideways on a phone", path)
		}
	}
	p.open(first)
	p.screenshot("phone-step")

	// Every step: the step indicator leaves the screen to the questions, Next
	// is the right-hand button, and a title that wraps stays inside its box.
	for i, sec := range app.rules.Sections {
		p.open("/q/" + sec.ID)
		p.waitStep(sec)
		if h := p.eval(`String(document.querySelector(".steps").getBoundingClientRect().bottom - document.querySelector("#progress-label").getBoundingClientRect().top)`); mustFloat(t, h) > 0.1*844 {
			t.Errorf("%s: the step indicator is %s px tall, more than a tenth of an 844 px screen", sec.ID, h)
		} else if i == 0 {
			t.Logf("the step indicator is %s px tall on a 390×844 phone", h)
		}
		if i > 0 {
			if order := p.eval(`String(document.querySelector('button[value="next"]').getBoundingClientRect().left >= document.querySelector('button[value="back"]').getBoundingClientRect().right)`); order != "true" {
				t.Errorf("%s: Next is not on the right of Back", sec.ID)
			}
		}
		if broken := p.eval(`[...document.querySelectorAll("fieldset.question")].filter(f => {
			// A legend drawn on the border line starts at the box's top edge: a wrapped
			// one then splits the border around its lines.
			const b = f.getBoundingClientRect(), l = f.querySelector("legend").getBoundingClientRect(),
			      border = parseFloat(getComputedStyle(f).borderTopWidth);
			return l.top < b.top + border || l.bottom > b.bottom || l.left < b.left || l.right > b.right;
		}).map(f => f.id).join(" ")`); broken != "" {
			t.Errorf("%s: the titles of %s stick out of their boxes", sec.ID, broken)
		}
		p.mustPassAxe("step " + sec.ID + " on a phone")
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
