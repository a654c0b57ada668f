package e2e

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDecisionNameAndCard: a person names the decision on the review step
// (a bad name first, which comes back with its message), and the result
// carries the name in its title and heading, with a preview card the
// browser shows as a 1200×630 picture. axe checks the review with the error
// and the named result, on a desktop and on a phone. With -docs, the card
// is saved as docs/card.png.
func TestDecisionNameAndCard(t *testing.T) {
	app := startApp(t)
	browser := newBrowser(t)
	ev := app.evaluatePick(t, nthOption(0))
	for _, device := range []struct {
		name string
		opts []option
	}{
		{"desktop", nil},
		{"phone", []option{onPhone}},
	} {
		t.Run(device.name, func(t *testing.T) {
			p := app.newPerson(t, browser, device.opts...)
			p.open("/q/" + app.rules.Sections[0].ID)
			for _, sec := range app.rules.Sections {
				p.waitStep(sec)
				p.answerFirstOptions(sec.ID)
				p.click(`button[name="nav"][value="next"]`)
			}
			p.waitReview()

			// A zero-width space is refused, with the message beside the field.
			// Set, not typed: a keyboard has no key for it.
			p.do(chromedp.SetValue(chromedp.CSS("#name"), "Booking\u200bplatform"))
			p.click(`form[action="/q/review"] button`)
			p.waitFor(`document.querySelector("#name-error") !== null`)
			p.mustSee("#name-error", "invisible character (U+200B)")
			if got := p.eval(`document.querySelector("#name").getAttribute("aria-invalid") || "none"`); got != "true" {
				t.Errorf("the refused name's field has aria-invalid %q, want true", got)
			}
			p.mustPassAxe("review, a refused name")

			p.do(chromedp.SetValue(chromedp.CSS("#name"), "Booking platform v2"))
			p.click(`form[action="/q/review"] button`)
			p.waitFor(`location.pathname.startsWith("/r/") && document.querySelector("#verdict") !== null`)
			if got, want := p.eval(`document.title`), "Booking platform v2: "+headline(ev)+" · stackfit"; got != want {
				t.Errorf("title %q, want %q", got, want)
			}
			p.mustSee(".verdict-card", "Booking platform v2", headline(ev))
			if over := p.eval(`String(document.documentElement.scrollWidth > window.innerWidth)`); over != "false" {
				t.Error("the named result scrolls sideways")
			}
			p.mustPassAxe("named result")

			card := p.eval(`document.querySelector('meta[property="og:image"]').content`)
			if !strings.HasPrefix(card, app.url+"/r/") {
				t.Fatalf("og:image %q is not this server's absolute address", card)
			}
			// The browser loads the card as a picture of the preview's size
			// (from the page: opening the PNG itself would show Chromium's
			// image viewer, whose inline styles the CSP refuses).
			p.eval(`window.card = new Image(); window.card.src = document.querySelector('meta[property="og:image"]').content; "ok"`)
			p.waitFor(`window.card.complete`)
			if got := p.eval(`window.card.naturalWidth + "x" + window.card.naturalHeight`); got != "1200x630" {
				t.Errorf("the card is %s, want 1200x630", got)
			}
			if device.name == "desktop" {
				saveCard(t, card)
			}
		})
	}
}

// saveCard fetches a card and, with -docs, saves it as docs/card.png.
func saveCard(t *testing.T, url string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds() != image.Rect(0, 0, 1200, 630) {
		t.Fatalf("the card is not a 1200×630 PNG (%v)", err)
	}
	if *docs {
		if err := os.WriteFile(filepath.Join("..", "docs", "card.png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
