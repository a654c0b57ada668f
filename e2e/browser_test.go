// Package e2e drives stackfit in a real Chromium, as a person would: with
// and without JavaScript, on a desktop and a phone, and checks every page
// with axe-core.
package e2e

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"stackfit"
	"stackfit/events"
	"stackfit/handlers"
	"stackfit/rules"
	"stackfit/store"
)

// -docs writes the screenshots into ../docs for README instead of a temp dir.
var docs = flag.Bool("docs", false, "save screenshots of the main pages into docs/")

// app is stackfit on a real database in a temp dir, served on loopback.
type app struct {
	url   string
	rules *rules.Ruleset
}

func startApp(t *testing.T) *app {
	t.Helper()
	rs, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	hub := events.NewHub()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "stackfit.db"), store.PublishTo(hub))
	if err != nil {
		t.Fatal(err)
	}
	hash, block, err := st.SessionKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h, err := handlers.New(handlers.Config{
		App: stackfit.New(rs, st, hub), SessionKeys: [2][]byte{hash, block},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); st.Close() })
	return &app{url: srv.URL, rules: rs}
}

// browserPath finds Chromium. scripts/test installs Debian's chromium when it
// is missing and sets STACKFIT_REQUIRE_BROWSER, so in CI a missing browser
// fails the run instead of skipping these tests.
func browserPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("STACKFIT_REQUIRE_BROWSER") != "" || os.Getenv("CI") != "" {
		t.Fatal("no Chromium found: the browser tests need Debian's chromium (scripts/test installs it)")
	}
	t.Skip("no Chromium found; run scripts/test, which installs it, to run the browser tests")
	return ""
}

// newBrowser starts one headless Chromium for a test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browserPath(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	browser, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return browser
}

// person is one browser profile (own cookies) with one tab.
type person struct {
	t   *testing.T
	ctx context.Context
	app *app

	mu       sync.Mutex
	expected []string // console errors this test provokes on purpose
}

// expectConsole tolerates console errors containing text from now on, such
// as the 404 the browser logs when the test opens a missing page.
func (p *person) expectConsole(text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.expected = append(p.expected, text)
}

func (p *person) isExpected(msg string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.expected {
		if strings.Contains(msg, e) {
			return true
		}
	}
	return false
}

type option func(t *testing.T, ctx context.Context)

// withoutJS turns page scripts off for the whole tab.
func withoutJS(t *testing.T, ctx context.Context) {
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
}

// onPhone emulates a 390×844 phone in portrait.
func onPhone(t *testing.T, ctx context.Context) {
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844,
		chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2), chromedp.EmulatePortrait)); err != nil {
		t.Fatal(err)
	}
}

func (a *app) newPerson(t *testing.T, browser context.Context, opts ...option) *person {
	t.Helper()
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatal(err)
	}
	ctx, cancelTimeout := context.WithTimeout(tab, 90*time.Second)
	t.Cleanup(cancelTimeout)
	for _, o := range opts {
		o(t, ctx)
	}
	// The browser logs every 4xx fetch; 422 is the "answer this question" reply.
	p := &person{t: t, ctx: ctx, app: a, expected: []string{"status of 422"}}
	p.watchConsole()
	return p
}

// watchConsole fails the test on any console error or uncaught exception:
// that is where a Content-Security-Policy violation shows up.
func (p *person) watchConsole() {
	msgs := chromedp.Console(p.ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				if p.isExpected(m.Text) {
					continue
				}
				p.t.Errorf("browser console: %s", m.Text)
			}
		}
	}()
}

func (p *person) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatal(err)
	}
}

func (p *person) open(path string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.app.url + path))
}

func (p *person) text(css string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		p.t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

func (p *person) eval(js string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		p.t.Fatalf("%s: %v", js, err)
	}
	return s
}

// waitFor checks a JavaScript condition until it holds. It evaluates afresh
// each time rather than polling inside the page, because a form post without
// JavaScript replaces the page (and any poll running in it).
func (p *person) waitFor(cond string) {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var lastErr error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && Boolean(`+cond+`)`))
		if err == nil && ok {
			return
		}
		lastErr = err
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("waiting for %s: %v (page %s)", cond, lastErr, p.eval("location.href"))
}

func (p *person) path() string { return p.eval("location.pathname + location.search") }

func (p *person) mustSee(css string, wants ...string) {
	p.t.Helper()
	got := p.text(css)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			p.t.Errorf("%s on %s does not say %q; it says:\n%s", css, p.path(), w, got)
		}
	}
}

// screenshot saves what the window shows (the first screenful, as a person
// first sees it) into docs/ when the test runs with -docs (how README's
// pictures are made); otherwise it does nothing.
func (p *person) screenshot(name string) {
	p.t.Helper()
	if !*docs {
		return
	}
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", name+".png"), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}
