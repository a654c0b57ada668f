package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"stackfit/rules"
)

// TestRoundRobinVisit: people use the HTML pages, without JavaScript (form
// posts with the CSRF token and the session cookie) and with htmx's
// fragment requests and streams, through a reverse proxy that sends each
// request to the next of three instances on one PostgreSQL database, with
// no stickiness. Every form post and the page its redirect leads to are
// served by different instances. The proxy sets X-Forwarded-For as nginx
// does, and the instances believe it from the proxy alone (--trusted-proxy):
// each person has an address of their own (a loopback address each), which
// the per-address limits, kept in the database, count across instances.
func TestRoundRobinVisit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the real server three times")
	}
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	p := startRoundRobin(t, 3)
	t.Run("questionnaire", func(t *testing.T) { visitQuestionnaire(t, p) })
	t.Run("workshop", func(t *testing.T) { visitWorkshop(ctx, t, p) })
	t.Logf("requests served by each instance: %v", p.spread())
}

// roundRobin is a reverse proxy that sends each request to the next
// instance, whoever sends it. Its responses say which instance served them
// (instanceHeader), for the test only.
type roundRobin struct {
	base      string // the proxy's URL, the instances' --base-url
	instances []*url.URL
	next      atomic.Uint64
	served    []atomic.Int64
	mu        sync.Mutex
	streams   map[string]int // path of an event stream: the instance serving it
}

const instanceHeader = "X-Test-Instance"

type instanceKey struct{}

// startRoundRobin starts the proxy's listener, then n instances of the real
// server on one fresh PostgreSQL database with one session key, the proxy's
// URL as their base URL and the proxy's address (127.0.0.1) as the one
// trusted proxy. Each address may join or send answers twice (a join and a
// submission), then once a minute.
func startRoundRobin(t *testing.T, n int) *roundRobin {
	t.Helper()
	rs, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p := &roundRobin{served: make([]atomic.Int64, n), streams: map[string]int{}}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			i := int((p.next.Add(1) - 1) % uint64(n))
			r.SetURL(p.instances[i])
			// As nginx's proxy_set_header X-Forwarded-For
			// $remote_addr: what the client said is dropped (Rewrite
			// starts without it), the address it came from is set.
			r.SetXForwarded()
			r.Out.Host = r.In.Host // proxy_set_header Host $host
			r.Out = r.Out.WithContext(context.WithValue(r.Out.Context(), instanceKey{}, i))
			p.served[i].Add(1)
			if strings.HasSuffix(r.In.URL.Path, "/events") {
				p.mu.Lock()
				p.streams[r.In.URL.Path] = i
				p.mu.Unlock()
			}
		},
		ModifyResponse: func(res *http.Response) error {
			res.Header.Set(instanceHeader, strconv.Itoa(res.Request.Context().Value(instanceKey{}).(int)))
			return nil
		},
		// Pass each write of an event stream on at once (nginx:
		// proxy_buffering off, which X-Accel-Buffering: no also asks).
		FlushInterval: -1,
	}
	front := httptest.NewUnstartedServer(proxy)
	p.base = "http://" + front.Listener.Addr().String()

	for _, srv := range startOnPostgres(t, n, "--base-url", p.base, "--trusted-proxy", "127.0.0.1/32",
		"--submissions-burst", "2", "--submissions-per-minute", "1") {
		checkRuleset(t, srv.base, rs)
		u, err := url.Parse(srv.base)
		if err != nil {
			t.Fatal(err)
		}
		p.instances = append(p.instances, u)
	}
	front.Start()
	t.Cleanup(front.Close)
	return p
}

// streamInstance is the instance that serves the event stream at path.
func (p *roundRobin) streamInstance(t *testing.T, path string) int {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	i, ok := p.streams[path]
	if !ok {
		t.Fatalf("no stream of %s went through the proxy", path)
	}
	return i
}

func (p *roundRobin) spread() []int64 {
	out := make([]int64, len(p.served))
	for i := range p.served {
		out[i] = p.served[i].Load()
	}
	return out
}

// browser is one person's browser without JavaScript: its own cookies, and
// its own address (127.0.0.x), which the proxy passes on in X-Forwarded-For.
type browser struct {
	t      *testing.T
	p      *roundRobin
	client *http.Client
	addr   string
	last   int // the instance that served the last response
}

func (p *roundRobin) browser(t *testing.T, addr string) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(addr)}, Timeout: 5 * time.Second}
	return &browser{t: t, p: p, addr: addr, last: -1, client: &http.Client{
		Jar:           jar,
		Transport:     &http.Transport{DialContext: dialer.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		// No timeout: it would cut the event streams; the test's context bounds them.
	}}
}

// page is one response as the browser got it.
type page struct {
	method, url string
	status      int
	location    string
	body        string
	instance    int
}

func (pg page) String() string {
	return fmt.Sprintf("%s %s: %d from instance %d", pg.method, pg.url, pg.status, pg.instance)
}

// do sends a request through the proxy; path may be a full URL of it.
func (b *browser) do(method, path string, form url.Values, header http.Header) page {
	b.t.Helper()
	target := path
	if strings.HasPrefix(path, "/") {
		target = b.p.base + path
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, target, err)
	}
	instance, err := strconv.Atoi(res.Header.Get(instanceHeader))
	if err != nil {
		b.t.Fatalf("%s %s: %d without %s: the proxy did not answer it (%s)", method, target, res.StatusCode, instanceHeader, data)
	}
	if method == http.MethodPost && instance == b.last {
		b.t.Errorf("%s %s was served by instance %d, as the page it was posted from", method, target, instance)
	}
	b.last = instance
	return page{method: method, url: target, status: res.StatusCode, location: res.Header.Get("Location"), body: string(data), instance: instance}
}

// open GETs path, follows its redirects, and wants a 200 at the end.
func (b *browser) open(path string, header http.Header) page {
	b.t.Helper()
	return b.follow(b.do(http.MethodGet, path, nil, header), header)
}

// follow goes where pg redirects, as a browser does (htmx's requests keep
// their headers through a redirect), and wants each hop served by another
// instance than the one before, and a 200 at the end.
func (b *browser) follow(pg page, header http.Header) page {
	b.t.Helper()
	for hops := 0; pg.status == http.StatusSeeOther || pg.status == http.StatusFound; hops++ {
		if hops == 10 {
			b.t.Fatalf("more than 10 redirects, the last %v", pg)
		}
		next := b.do(http.MethodGet, pg.location, nil, header)
		if next.instance == pg.instance {
			b.t.Errorf("%v and the page it led to, %v, were served by the same instance: the proxy is not round robin", pg, next)
		}
		pg = next
	}
	if pg.status != http.StatusOK {
		b.t.Fatalf("%v\n%s", pg, pg.body)
	}
	return pg
}

// submit posts form f of the page as a browser does, the values in set
// replacing or adding to what the form holds, and follows the redirect.
func (b *browser) submit(f htmlForm, set url.Values, header http.Header) page {
	b.t.Helper()
	values := f.filled()
	for k, v := range set {
		values[k] = v
	}
	if values.Get("_csrf") == "" {
		b.t.Fatalf("the form to %s carries no CSRF token", f.action)
	}
	pg := b.do(http.MethodPost, f.action, values, header)
	if pg.status != http.StatusSeeOther {
		b.t.Fatalf("%v, want 303\n%s", pg, pg.body)
	}
	return b.follow(pg, header)
}

// htmlForm is a form as a page has it.
type htmlForm struct {
	action  string
	values  url.Values // hidden and text fields, ticked boxes, textareas
	buttons []formButton
	groups  map[string][]string // radio and checkbox names: their values in order
	order   []string            // the groups in the page's order
}

// formButton is a submit button that sends a value of its own.
type formButton struct{ name, value, text string }

// button is the form's button whose text holds text.
func (f htmlForm) button(t *testing.T, text string) formButton {
	t.Helper()
	for _, b := range f.buttons {
		if strings.Contains(b.text, text) {
			return b
		}
	}
	t.Fatalf("the form to %s has no button saying %q: %v", f.action, text, f.buttons)
	return formButton{}
}

// filled is what a person sends who ticks the first option of every
// question left unanswered.
func (f htmlForm) filled() url.Values {
	out := url.Values{}
	for k, v := range f.values {
		out[k] = append([]string(nil), v...)
	}
	for _, name := range f.order {
		if len(out[name]) == 0 {
			out.Set(name, f.groups[name][0])
		}
	}
	return out
}

// forms parses the page's forms, by their action.
func (pg page) forms(t *testing.T) map[string]htmlForm {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(pg.body))
	if err != nil {
		t.Fatalf("%v: %v", pg, err)
	}
	out := map[string]htmlForm{}
	var cur *htmlForm
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "form":
				f := htmlForm{action: attr(n, "action"), values: url.Values{}, groups: map[string][]string{}}
				cur = &f
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
				if strings.EqualFold(attr(n, "method"), "post") {
					out[f.action] = f
				}
				cur = nil
				return
			case "input":
				if cur != nil && attr(n, "name") != "" {
					name := attr(n, "name")
					switch attr(n, "type") {
					case "radio", "checkbox":
						if _, ok := cur.groups[name]; !ok {
							cur.order = append(cur.order, name)
						}
						cur.groups[name] = append(cur.groups[name], attr(n, "value"))
						if hasAttr(n, "checked") {
							cur.values.Add(name, attr(n, "value"))
						}
					default:
						cur.values.Set(name, attr(n, "value"))
					}
				}
			case "button":
				if cur != nil && attr(n, "name") != "" {
					cur.buttons = append(cur.buttons, formButton{attr(n, "name"), attr(n, "value"), strings.Join(strings.Fields(textOf(n)), " ")})
				}
			case "textarea":
				if cur != nil && attr(n, "name") != "" {
					cur.values.Set(attr(n, "name"), textOf(n))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// form is the page's form posting to action.
func (pg page) form(t *testing.T, action string) htmlForm {
	t.Helper()
	f, ok := pg.forms(t)[action]
	if !ok {
		t.Fatalf("%v has no form posting to %s\n%s", pg, action, pg.body)
	}
	return f
}

// inputValue is the value of the input with that id.
func (pg page) inputValue(t *testing.T, id string) string {
	t.Helper()
	m := regexp.MustCompile(`<input id="` + regexp.QuoteMeta(id) + `"[^>]* value="([^"]*)"`).FindStringSubmatch(pg.body)
	if m == nil {
		t.Fatalf("%v has no input #%s\n%s", pg, id, pg.body)
	}
	return html.UnescapeString(m[1])
}

// answersListed is the text of the review page's answers (dl.answers).
func (pg page) answersListed(t *testing.T) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(pg.body))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "dl" && attr(n, "class") == "answers" {
			sb.WriteString(strings.Join(strings.Fields(textOf(n)), " "))
			sb.WriteString("\n")
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return sb.String()
}

func (pg page) mustContain(t *testing.T, wants ...string) {
	t.Helper()
	text := html.UnescapeString(pg.body)
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%v does not show %q\n%s", pg, w, pg.body)
		}
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func textOf(n *html.Node) string {
	var sb strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return sb.String()
}

// htmx is what htmx 4 sends with the requests it makes for a part of a page.
var htmx = http.Header{"Hx-Request": {"true"}, "Hx-Request-Type": {"partial"}}

// answerQuestionnaire goes through the questionnaire's steps from /q to
// its review page, ticking the first option of each question; the first
// step is sent as htmx sends it, and must come back as the next step's
// fragment, not a whole page.
func (b *browser) answerQuestionnaire() page {
	b.t.Helper()
	pg := b.open("/q", nil)
	for step := 0; !strings.HasSuffix(pg.url, "/q/review"); step++ {
		if step == 20 {
			b.t.Fatalf("still no review after 20 steps, at %v", pg)
		}
		action := strings.TrimPrefix(pg.url, b.p.base)
		f := pg.form(b.t, action)
		if len(f.order) == 0 {
			b.t.Fatalf("the step %v asks nothing", pg)
		}
		if step == 0 {
			frag := b.submit(f, url.Values{"nav": {"next"}}, htmx)
			if strings.Contains(frag.body, "<html") || !strings.Contains(frag.body, `id="wizard"`) {
				b.t.Fatalf("htmx's post of the first step led to %v, not the next step's fragment:\n%s", frag, frag.body)
			}
			pg = b.open(strings.TrimPrefix(frag.url, b.p.base), nil)
			continue
		}
		pg = b.submit(f, url.Values{"nav": {"next"}}, nil)
	}
	return pg
}

// visitQuestionnaire: a person answers alone, from the first step to the
// result page; its share link opens for someone else, who starts from those
// answers.
func visitQuestionnaire(t *testing.T, p *roundRobin) {
	ada := p.browser(t, "127.0.0.3")
	home := ada.open("/", nil)
	home.mustContain(t, `href="/q"`)
	review := ada.answerQuestionnaire()
	result := ada.submit(review.form(t, "/q/review"), url.Values{"name": {"Booking platform v2"}}, nil)
	id, ok := strings.CutPrefix(strings.TrimPrefix(result.url, p.base), "/r/")
	if !ok {
		t.Fatalf("the review led to %v, not a result", result)
	}
	result.mustContain(t, "Booking platform v2")

	share := result.inputValue(t, "share-link")
	if share != p.base+"/r/"+id {
		t.Errorf("share link %q, want the base URL's %q", share, p.base+"/r/"+id)
	}
	bo := p.browser(t, "127.0.0.4")
	shared := bo.open(share, nil)
	shared.mustContain(t, "Booking platform v2", "Start from these answers")
	start := bo.submit(shared.form(t, "/r/"+id+"/start"), nil, nil)
	if !strings.HasSuffix(start.url, "/q/review") {
		t.Fatalf("starting from the answers led to %v, not the review", start)
	}
	if got, want := start.answersListed(t), review.answersListed(t); got != want || want == "" {
		t.Errorf("started from %s, the review lists\n%s\nthe result's author reviewed\n%s", id, got, want)
	}
}

// participant is someone in the workshop: their browser and the name they give.
type participant struct {
	*browser
	name string
}

// visitWorkshop: a facilitator creates a workshop and opens its board,
// whose live stream goes through the proxy to one instance; people join
// and submit through the pages (on all three); after each submission the
// page a person lands on shows their own answers, and after the reveal,
// the team's result with them in it. A third join from one person's
// address is refused, whichever instance takes it. The facilitator removes
// someone (the board after it does not list them), reveals and closes
// through the confirmation pages, and a participant's page and stream say
// the workshop is closed.
func visitWorkshop(ctx context.Context, t *testing.T, p *roundRobin) {
	fac := p.browser(t, "127.0.0.2")
	create := fac.open("/w/new", nil)
	created := fac.submit(create.form(t, "/w"), url.Values{"title": {"Kickoff"}}, nil)
	m := regexp.MustCompile(`/w/([A-Z0-9]{6})/created$`).FindStringSubmatch(created.url)
	if m == nil {
		t.Fatalf("creating led to %v", created)
	}
	code := m[1]
	ws := "/w/" + code
	boardLink := created.inputValue(t, "board-link")
	if !strings.HasPrefix(boardLink, p.base+ws+"/board?key=") {
		t.Fatalf("facilitator link %q is not on the base URL", boardLink)
	}
	board := fac.open(boardLink, nil)
	board.mustContain(t, "Kickoff", `hx-sse:connect="`+ws+`/board/events"`)
	live := openStream(ctx, t, fac.client, p.base+ws+"/board/events", "")
	defer live.stop()
	if e := live.next(t, "the board's first render"); !strings.Contains(e.data, "board-status") {
		t.Fatalf("the board's stream began with %q", e.data)
	}
	boardOn := p.streamInstance(t, ws+"/board/events")

	people := []participant{
		{p.browser(t, "127.0.0.11"), "Ada"},
		{p.browser(t, "127.0.0.12"), "Bo"},
		{p.browser(t, "127.0.0.13"), "Cy"},
	}
	submittedOn := map[int]bool{}
	join := func(who participant, finished int) page {
		t.Helper()
		joinPage := who.open(ws, nil)
		joinPage.mustContain(t, "Join the workshop")
		who.submit(joinPage.form(t, ws+"/join"), url.Values{"name": {who.name}}, nil)
		review := who.answerQuestionnaire()
		review.mustContain(t, "Send my answers to “Kickoff”")
		f := review.form(t, "/q/review")
		values := f.filled()
		sent := who.do(http.MethodPost, "/q/review", values, nil)
		if sent.status != http.StatusSeeOther || sent.location != ws {
			t.Fatalf("%s's answers: %v to %q\n%s", who.name, sent, sent.location, sent.body)
		}
		submittedOn[sent.instance] = true
		// Read-your-writes: the page after the post, on another
		// instance, has the answers just sent.
		landed := who.follow(sent, nil)
		landed.mustContain(t, "Your answers are in")
		live.untilContains(t, fmt.Sprintf("<strong>%d</strong> finished", finished))
		return landed
	}
	join(people[0], 1)
	join(people[1], 2)
	if len(submittedOn) == 1 && submittedOn[boardOn] {
		t.Errorf("every submission went to instance %d, which also serves the board's stream: nothing crossed instances", boardOn)
	}

	// The same address as Ada's has joined and sent its answers: the
	// limit, counted in the database, refuses a third, whichever instance
	// takes it. A proxy whose X-Forwarded-For the instances ignored would
	// make everyone one address, and Bo would have been refused.
	twin := participant{p.browser(t, "127.0.0.11"), "Ada's twin"}
	values := twin.open(ws, nil).form(t, ws+"/join").filled()
	values.Set("name", twin.name)
	if refused := twin.do(http.MethodPost, ws+"/join", values, nil); refused.status != http.StatusTooManyRequests {
		t.Errorf("a third join or answer from Ada's address: %v, want 429\n%s", refused, refused.body)
	} else {
		refused.mustContain(t, "Many answers were sent from your network")
	}

	// Dee joins; the facilitator removes her with the button beside her
	// name, and the board the redirect leads to, on another instance,
	// does not list her.
	dee := participant{p.browser(t, "127.0.0.14"), "Dee"}
	dee.submit(dee.open(ws, nil).form(t, ws+"/join"), url.Values{"name": {dee.name}}, nil)
	live.untilContains(t, "<strong>3</strong> joined")
	board = fac.open(ws+"/board", nil)
	remove := board.form(t, ws+"/remove")
	b := remove.button(t, "Remove Dee")
	after := fac.submit(remove, url.Values{b.name: {b.value}}, nil)
	after.mustContain(t, "<strong>2</strong> joined")
	if strings.Contains(after.body, "<span>Dee</span>") {
		t.Errorf("the board after Dee's removal, %v, lists her:\n%s", after, after.body)
	}
	live.untilContains(t, "<strong>2</strong> joined")

	// Ada keeps her page open: its stream follows the workshop's state.
	adaLive := openStream(ctx, t, people[0].client, p.base+ws+"/events", "")
	defer adaLive.stop()
	if e := adaLive.next(t, "Ada's page's first render"); !strings.Contains(e.data, "Your answers are in") {
		t.Fatalf("Ada's stream began with %q", e.data)
	}

	confirm := fac.open(ws+"/reveal", nil)
	confirm.mustContain(t, "Reveal the team's result")
	revealed := fac.submit(confirm.form(t, ws+"/reveal"), nil, nil)
	revealed.mustContain(t, "Hide the team result again")
	if e := adaLive.next(t, "Ada's page after the reveal"); !strings.Contains(e.data, "From the answers of 2 people.") {
		t.Errorf("Ada's page after the reveal: %s", e.data)
	}

	// Cy sends his answers after the reveal: the page he lands on, on
	// another instance, counts them in the team's result even if that
	// instance has not yet heard of them.
	landed := join(people[2], 3)
	landed.mustContain(t, "From the answers of 3 people.")

	confirm = fac.open(ws+"/close", nil)
	confirm.mustContain(t, "Close “Kickoff”?")
	closed := fac.submit(confirm.form(t, ws+"/close"), nil, nil)
	closed.mustContain(t, "Reopen the workshop")
	adaLive.untilContains(t, "This workshop is closed")
	for _, who := range people {
		who.open(ws, nil).mustContain(t, "This workshop is closed", "Your answers are in", "From the answers of 3 people.")
	}
	live.untilContains(t, "<strong>3</strong> finished")
}
