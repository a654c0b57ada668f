package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"stackfit/rules"
)

// The load of a workshop: a whole room submits within a few seconds while the
// facilitator's board listens to the event stream.
const (
	loadParticipants = 300
	// loadWorkers is how many participants press "submit" at the same moment.
	loadWorkers = 48
	// loadSeed makes the answers, and so the distributions, the same every run.
	loadSeed = 2026
	// loadTimeout bounds one whole run, so a stuck server or stream fails the
	// test with a message instead of hanging it.
	loadTimeout = 60 * time.Second
	// streamWait bounds each wait on the event stream.
	streamWait = 15 * time.Second
)

// TestWorkshopLoad: 300 participants submit at once over loopback to the real
// server while the board is connected. Every submission is answered 201,
// counted in the summary exactly as it was sent, and announced on the event
// stream once. The speed is logged, never asserted: see BenchmarkWorkshopLoad.
func TestWorkshopLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and loads the real server")
	}
	srv, rs := startLoadServer(t)
	f := runWorkshopLoad(t, oneInstance(srv.base), rs)
	t.Logf("%d submissions in %v with %d workers: %.0f submissions/s, p50 %v, p99 %v",
		len(f.latencies), f.elapsed.Round(time.Millisecond), loadWorkers,
		f.perSecond(), f.percentile(0.50).Round(10*time.Microsecond), f.percentile(0.99).Round(10*time.Microsecond))
}

// BenchmarkWorkshopLoad runs the same workshop once per iteration, each on a
// fresh workshop of the same servers: sqlite-1 on one instance over SQLite,
// postgres-3 on three instances over one PostgreSQL database (the board on
// the first, the submissions through the other two in turn). ns/op is one
// whole workshop (create it, connect the board, 300 submissions, every
// event, the summary checked); submissions/s and the latencies cover the
// submissions alone. postgres-3 needs a PostgreSQL server (scripts/postgres);
// STACKFIT_TEST_POSTGRES_FSYNC=on makes its commits as durable as SQLite's.
func BenchmarkWorkshopLoad(b *testing.B) {
	b.Run("sqlite-1", func(b *testing.B) {
		srv, rs := startLoadServer(b)
		benchmarkWorkshopLoad(b, oneInstance(srv.base), rs)
	})
	b.Run("postgres-3", func(b *testing.B) {
		srvs, rs := startLoadInstances(b, 3)
		benchmarkWorkshopLoad(b, spreadOver(srvs), rs)
	})
}

func benchmarkWorkshopLoad(b *testing.B, target loadTarget, rs *rules.Ruleset) {
	var all loadFigures
	b.ResetTimer()
	for range b.N {
		all.add(runWorkshopLoad(b, target, rs))
	}
	b.StopTimer()
	b.ReportMetric(all.perSecond(), "submissions/s")
	b.ReportMetric(ms(all.percentile(0.50)), "p50-ms")
	b.ReportMetric(ms(all.percentile(0.99)), "p99-ms")
}

// loadFlags let every participant through although they all come from one
// address, whatever the defaults (and a benchmark makes a workshop per round).
var loadFlags = []string{"--submissions-burst", "100000", "--workshops-burst", "100000"}

func startLoadServer(tb testing.TB) (*server, *rules.Ruleset) {
	tb.Helper()
	rs, err := rules.Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	srv := startServer(tb, buildBinary(tb), filepath.Join(tb.TempDir(), "load.db"), loadFlags...)
	checkRuleset(tb, srv.base, rs)
	return srv, rs
}

// startLoadInstances starts n instances of the real server on one fresh
// PostgreSQL database with one session key, as they would run behind a
// proxy.
func startLoadInstances(tb testing.TB, n int) ([]*server, *rules.Ruleset) {
	tb.Helper()
	rs, err := rules.Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	srvs := startOnPostgres(tb, n, loadFlags...)
	for _, srv := range srvs {
		checkRuleset(tb, srv.base, rs)
	}
	return srvs, rs
}

// checkRuleset fails unless the server at base runs the ruleset the test
// generates answers for.
func checkRuleset(tb testing.TB, base string, rs *rules.Ruleset) {
	tb.Helper()
	var q struct {
		Ruleset string `json:"ruleset"`
	}
	getJSON(tb, http.DefaultClient, base+"/api/v1/questionnaire", "", &q)
	if q.Ruleset != rs.Version {
		tb.Fatalf("the server runs ruleset %q, the test generates answers for %q", q.Ruleset, rs.Version)
	}
}

// loadTarget is where one workshop's load goes.
type loadTarget struct {
	// board is where the facilitator creates the workshop and watches its
	// board (the API's event stream and the HTML page's).
	board string
	// submit are where the participants send their answers, in turn.
	submit []string
	// summary is where the facilitator reveals and reads the summary.
	summary string
}

// oneInstance is a whole workshop on one server.
func oneInstance(base string) loadTarget {
	return loadTarget{board: base, submit: []string{base}, summary: base}
}

// spreadOver puts the board on the first instance and the participants on
// the others in turn; the summary is read from the last.
func spreadOver(srvs []*server) loadTarget {
	t := loadTarget{board: srvs[0].base, summary: srvs[len(srvs)-1].base}
	for _, srv := range srvs[1:] {
		t.submit = append(t.submit, srv.base)
	}
	return t
}

// workshopURLs are the API addresses of workshop code on each base.
func workshopURLs(bases []string, code, path string) []string {
	urls := make([]string, len(bases))
	for i, base := range bases {
		urls[i] = base + "/api/v1/workshops/" + code + path
	}
	return urls
}

// runWorkshopLoad is one workshop under load, checked; it returns how fast
// the submissions were answered.
func runWorkshopLoad(tb testing.TB, target loadTarget, rs *rules.Ruleset) loadFigures {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	client := loadClient()
	defer client.CloseIdleConnections()

	ws := createWorkshop(tb, client, target.board)
	board := watchBoard(ctx, tb, target.board+"/api/v1/workshops/"+ws.Code+"/events", ws.FacilitatorKey)
	defer board.stop()
	// The live HTML board listens too, re-rendering as the burst comes in.
	page := watchHTMLBoard(ctx, tb, target.board, ws.BoardURL)
	defer page.stop()

	people := generateAnswers(rs, loadSeed, loadParticipants)
	replies, figures := submitAll(client, workshopURLs(target.submit, ws.Code, "/submissions"), people)
	checkReplies(tb, replies)

	// Reveal publishes one more event, after every submission's (each was
	// published before its 201): once it arrives, the stream has told all.
	// It goes through the summary's instance, not the board's: across
	// instances PostgreSQL delivers the notifications in the order their
	// transactions committed, while the board's own instance would publish
	// its reveal at once, perhaps before a submission's notification from
	// another instance has reached it.
	postJSON(tb, client, target.summary+"/api/v1/workshops/"+ws.Code+"/reveal", ws.FacilitatorKey, nil, http.StatusOK, nil)
	announced := board.submissionsUntil(tb, "revealed")
	checkAnnounced(tb, replies, announced)
	page.untilContains(tb, fmt.Sprintf("<strong>%d</strong> finished", loadParticipants))

	var sum loadSummary
	getJSON(tb, client, target.summary+"/api/v1/workshops/"+ws.Code+"/summary", ws.FacilitatorKey, &sum)
	checkSummary(tb, rs, people, replies, sum)
	return figures
}

// loadClient keeps a connection open per worker.
func loadClient() *http.Client {
	return &http.Client{
		Timeout:   loadTimeout,
		Transport: &http.Transport{MaxIdleConnsPerHost: loadWorkers},
	}
}

// createdWorkshop is the reply to POST /api/v1/workshops.
type createdWorkshop struct {
	Code           string `json:"code"`
	BoardURL       string `json:"board_url"`
	FacilitatorKey string `json:"facilitator_key"`
}

func createWorkshop(tb testing.TB, client *http.Client, base string) createdWorkshop {
	tb.Helper()
	var ws createdWorkshop
	postJSON(tb, client, base+"/api/v1/workshops", "", map[string]any{"title": "Load test", "anonymous": false}, http.StatusCreated, &ws)
	return ws
}

// person is one participant's submission as sent.
type person struct {
	Name    string         `json:"name"`
	Answers map[string]any `json:"answers"` // an option id, or a list of them
}

// generateAnswers makes n valid, varied answer sets from seed. Each
// single-choice question gets its own skewed preference, so some questions
// are nearly unanimous and others split; about one answer in twelve is left
// out; the multiple-choice question mixes ticked sets with its exclusive
// options ("none", "not sure") alone.
func generateAnswers(rs *rules.Ruleset, seed uint64, n int) []person {
	rng := rand.New(rand.NewPCG(seed, seed))
	qs := rs.Questions()
	weights := make([][]int, len(qs))
	for qi, q := range qs {
		weights[qi] = make([]int, len(q.Options))
		for oi := range q.Options {
			w := rng.IntN(5)
			weights[qi][oi] = w*w + 1
		}
	}
	people := make([]person, n)
	for i := range people {
		p := person{Name: fmt.Sprintf("Participant %03d", i+1), Answers: map[string]any{}}
		for qi, q := range qs {
			if rng.IntN(12) == 0 {
				continue
			}
			if q.Multiple {
				p.Answers[q.ID] = tickSome(rng, q)
			} else {
				p.Answers[q.ID] = q.Options[weighted(rng, weights[qi])].ID
			}
		}
		people[i] = p
	}
	return people
}

// tickSome answers a multiple-choice question: one exclusive option alone,
// or a non-empty set of the others.
func tickSome(rng *rand.Rand, q *rules.Question) []string {
	var alone, others []string
	for _, o := range q.Options {
		if o.Exclusive || o.Unsure {
			alone = append(alone, o.ID)
		} else {
			others = append(others, o.ID)
		}
	}
	if len(others) == 0 || (len(alone) > 0 && rng.IntN(6) == 0) {
		return []string{alone[rng.IntN(len(alone))]}
	}
	var ticked []string
	for i, id := range others {
		// Earlier options are ticked more often, so the team's majority is not a coin toss.
		if rng.IntN(len(others)+1) > i {
			ticked = append(ticked, id)
		}
	}
	if len(ticked) == 0 {
		ticked = append(ticked, others[rng.IntN(len(others))])
	}
	return ticked
}

func weighted(rng *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	r := rng.IntN(total)
	for i, w := range weights {
		if r < w {
			return i
		}
		r -= w
	}
	panic("unreachable")
}

// reply is what one submission got back.
type reply struct {
	status         int
	body           string // kept when the status is not 201
	err            error
	id             string
	recommendation rules.Side
	resultURL      string // the participant's own share link
}

// submitAll sends every person's answers from loadWorkers goroutines at
// once, person i to urls[i % len(urls)].
func submitAll(client *http.Client, urls []string, people []person) ([]reply, loadFigures) {
	replies := make([]reply, len(people))
	latencies := make([]time.Duration, len(people))
	next := make(chan int)
	var wg sync.WaitGroup
	for range loadWorkers {
		wg.Go(func() {
			for i := range next {
				start := time.Now()
				replies[i] = submit(client, urls[i%len(urls)], people[i])
				latencies[i] = time.Since(start)
			}
		})
	}
	start := time.Now()
	for i := range people {
		next <- i
	}
	close(next)
	wg.Wait()
	return replies, loadFigures{elapsed: time.Since(start), latencies: latencies}
}

func submit(client *http.Client, url string, p person) reply {
	body, err := json.Marshal(p)
	if err != nil {
		return reply{err: err}
	}
	res, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return reply{err: err}
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return reply{status: res.StatusCode, err: fmt.Errorf("read the reply: %w", err)}
	}
	r := reply{status: res.StatusCode}
	if res.StatusCode != http.StatusCreated {
		r.body = string(data)
		return r
	}
	var created struct {
		ID     string `json:"id"`
		Result struct {
			Recommendation rules.Side `json:"recommendation"`
		} `json:"result"`
		URL string `json:"url"`
	}
	if err := json.Unmarshal(data, &created); err != nil {
		r.err = fmt.Errorf("decode the reply %s: %w", data, err)
	}
	r.id, r.recommendation, r.resultURL = created.ID, created.Result.Recommendation, created.URL
	return r
}

// checkReplies wants a 201 with a distinct participant id for everyone.
func checkReplies(tb testing.TB, replies []reply) {
	tb.Helper()
	statuses := map[int]int{}
	var example string
	ids := map[string]bool{}
	for i, r := range replies {
		switch {
		case r.err != nil:
			tb.Errorf("participant %d: %v", i+1, r.err)
		case r.status != http.StatusCreated:
			statuses[r.status]++
			if example == "" {
				example = fmt.Sprintf("participant %d got %d: %s", i+1, r.status, strings.TrimSpace(r.body))
			}
		case r.id == "" || ids[r.id]:
			tb.Errorf("participant %d got the id %q, empty or given before", i+1, r.id)
		}
		ids[r.id] = true
	}
	if len(statuses) > 0 {
		tb.Errorf("%d submissions, not all 201: other statuses %v; %s", len(replies), statuses, example)
	}
	if tb.Failed() {
		tb.FailNow()
	}
}

// checkAnnounced wants one submission event per participant answered 201.
func checkAnnounced(tb testing.TB, replies []reply, announced []string) {
	tb.Helper()
	if len(announced) != len(replies) {
		tb.Errorf("the event stream announced %d submissions, %d were made", len(announced), len(replies))
	}
	seen := map[string]int{}
	for _, id := range announced {
		seen[id]++
	}
	for id, n := range seen {
		if n > 1 {
			tb.Errorf("participant %s was announced %d times", id, n)
		}
	}
	for i, r := range replies {
		if seen[r.id] == 0 {
			tb.Errorf("participant %d (%s) got a 201 but no event", i+1, r.id)
		}
	}
}

// loadSummary is the part of GET …/summary that the load test checks.
type loadSummary struct {
	Participants int  `json:"participants"`
	Joined       int  `json:"joined"`
	Revealed     bool `json:"revealed"`
	Questions    []struct {
		ID           string         `json:"id"`
		Distribution map[string]int `json:"distribution"`
		Unanswered   int            `json:"unanswered"`
	} `json:"questions"`
	Individual map[rules.Side]int `json:"individual"`
	People     []struct {
		ID        string `json:"id"`
		Name      string `json:"name"`
		Submitted bool   `json:"submitted"`
	} `json:"people"`
}

// checkSummary compares the summary with what was sent: every question's
// distribution option by option, and the participants' own recommendations
// with what their replies said.
func checkSummary(tb testing.TB, rs *rules.Ruleset, people []person, replies []reply, got loadSummary) {
	tb.Helper()
	n := len(people)
	if got.Participants != n || got.Joined != n || !got.Revealed {
		tb.Errorf("summary: %d participants, %d joined, revealed %v; want %d, %d, true",
			got.Participants, got.Joined, got.Revealed, n, n)
	}
	qs := rs.Questions()
	if len(got.Questions) != len(qs) {
		tb.Fatalf("summary has %d questions, the questionnaire %d", len(got.Questions), len(qs))
	}
	for qi, q := range qs {
		gq := got.Questions[qi]
		if gq.ID != q.ID {
			tb.Errorf("summary question %d is %q, want %q", qi+1, gq.ID, q.ID)
			continue
		}
		want, unanswered := expectedDistribution(q, people)
		if !maps.Equal(gq.Distribution, want) || gq.Unanswered != unanswered {
			tb.Errorf("%s: distribution %v with %d unanswered, sent %v with %d unanswered",
				q.ID, gq.Distribution, gq.Unanswered, want, unanswered)
		}
		if total := sumOf(gq.Distribution) + gq.Unanswered; !q.Multiple && total != n {
			tb.Errorf("%s: the distribution and the unanswered add up to %d, not %d", q.ID, total, n)
		}
	}
	want := map[rules.Side]int{rules.Django: 0, rules.NodeJS: 0, rules.Tie: 0}
	for _, r := range replies {
		want[r.recommendation]++
	}
	if !maps.Equal(got.Individual, want) || sumOf(got.Individual) != n {
		tb.Errorf("individual recommendations %v, the replies said %v (of %d)", got.Individual, want, n)
	}
}

// expectedDistribution counts the people who chose each option of q (once per
// ticked option on a multiple-choice question) and those who left it out.
func expectedDistribution(q *rules.Question, people []person) (map[string]int, int) {
	dist := map[string]int{}
	for _, o := range q.Options {
		dist[o.ID] = 0
	}
	unanswered := 0
	for _, p := range people {
		switch a := p.Answers[q.ID].(type) {
		case string:
			dist[a]++
		case []string:
			for _, id := range a {
				dist[id]++
			}
		default:
			unanswered++
		}
	}
	return dist, unanswered
}

func sumOf[K comparable](m map[K]int) int {
	total := 0
	for _, n := range m {
		total += n
	}
	return total
}

// boardStream is the facilitator's event stream, read in the background.
type boardStream struct {
	events chan sseEvent
	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	err    error // why the stream ended, once it has
}

type sseEvent struct{ name, data string }

// watchBoard connects to the event stream and returns once its "ready"
// event has arrived, so nothing submitted afterwards can be missed.
func watchBoard(ctx context.Context, tb testing.TB, url, key string) *boardStream {
	tb.Helper()
	s := openStream(ctx, tb, http.DefaultClient, url, key)
	if e := s.next(tb, "the ready event"); e.name != "ready" {
		s.stop()
		tb.Fatalf("the event stream began with %q (%s), not ready", e.name, e.data)
	}
	return s
}

// watchHTMLBoard opens the board as the facilitator's browser does: the
// facilitator link puts the key in a session, and the page's htmx connects
// to the board's own stream, which re-renders the board as people submit.
func watchHTMLBoard(ctx context.Context, tb testing.TB, base, boardURL string) *boardStream {
	tb.Helper()
	browser, path := openFacilitatorLink(tb, base, boardURL)
	s := openStream(ctx, tb, browser, base+path+"/events", "")
	if e := s.next(tb, "the board's first render"); !strings.Contains(e.data, "board-status") {
		s.stop()
		tb.Fatalf("the board's stream began with %q, not the board", e.data)
	}
	return s
}

// openFacilitatorLink follows the facilitator link on the server at base
// as a browser does; it returns the browser, with the session cookie that
// keeps the key, and the path of the board the link led to.
func openFacilitatorLink(tb testing.TB, base, boardURL string) (*http.Client, string) {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	browser := &http.Client{Jar: jar} // no timeout: it would cut the board's stream
	res, err := browser.Get(boardURL)
	if err != nil {
		tb.Fatalf("open the facilitator link: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("the facilitator link gave %s", res.Status)
	}
	return browser, strings.TrimPrefix(res.Request.URL.String(), base)
}

// openStream connects to a text/event-stream and reads it in the background.
func openStream(ctx context.Context, tb testing.TB, client *http.Client, url, key string) *boardStream {
	tb.Helper()
	ctx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	req.Header.Set("Accept", "text/event-stream")
	// No client timeout: it would cut the stream; ctx bounds it instead.
	res, err := client.Do(req)
	if err != nil {
		cancel()
		tb.Fatalf("connect to %s: %v", url, err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		res.Body.Close()
		cancel()
		tb.Fatalf("%s: %s, Content-Type %q", url, res.Status, res.Header.Get("Content-Type"))
	}
	// Buffered, so the stream is read as fast as a browser reads it while
	// the test is busy submitting.
	s := &boardStream{events: make(chan sseEvent, 1024), cancel: cancel, done: make(chan struct{})}
	go s.read(ctx, res.Body)
	return s
}

// untilContains reads rendered boards until one contains want; it returns
// how many renders that took.
func (s *boardStream) untilContains(tb testing.TB, want string) int {
	tb.Helper()
	for n := 1; ; n++ {
		if e := s.next(tb, "a board showing "+want); strings.Contains(e.data, want) {
			return n
		}
	}
}

// read parses server-sent events until the stream ends or ctx is done.
func (s *boardStream) read(ctx context.Context, body io.ReadCloser) {
	defer close(s.done)
	defer body.Close()
	sc := bufio.NewScanner(body)
	var e sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if e.name == "" && e.data == "" {
				continue // a comment (keep-alive) ended
			}
			select {
			case s.events <- e:
			case <-ctx.Done():
				s.end(ctx.Err())
				return
			}
			e = sseEvent{}
		case strings.HasPrefix(line, "event:"):
			e.name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			e.data += strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " ")
		}
	}
	err := sc.Err()
	if err == nil {
		err = io.EOF
	}
	s.end(err)
}

func (s *boardStream) end(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

// next waits at most streamWait for the next event, failing with what it
// was waiting for.
func (s *boardStream) next(tb testing.TB, waitingFor string) sseEvent {
	tb.Helper()
	timer := time.NewTimer(streamWait)
	defer timer.Stop()
	select {
	case e := <-s.events:
		return e
	case <-s.done:
		s.mu.Lock()
		err := s.err
		s.mu.Unlock()
		if errors.Is(err, context.DeadlineExceeded) {
			tb.Fatalf("waiting for %s: the run took longer than %v", waitingFor, loadTimeout)
		}
		tb.Fatalf("waiting for %s: the event stream ended: %v", waitingFor, err)
	case <-timer.C:
		tb.Fatalf("waiting for %s: nothing on the event stream for %v", waitingFor, streamWait)
	}
	return sseEvent{}
}

// submissionsUntil collects the participant of every submission event until
// an event named last; any other event fails the test.
func (s *boardStream) submissionsUntil(tb testing.TB, last string) []string {
	tb.Helper()
	var participants []string
	for {
		e := s.next(tb, fmt.Sprintf("the %q event after %d submission events", last, len(participants)))
		switch e.name {
		case last:
			return participants
		case "submission":
			var d struct {
				Type        string `json:"type"`
				Participant string `json:"participant"`
			}
			if err := json.Unmarshal([]byte(e.data), &d); err != nil || d.Type != "submission" || d.Participant == "" {
				tb.Fatalf("submission event %q: %v", e.data, err)
			}
			participants = append(participants, d.Participant)
		default:
			tb.Fatalf("unexpected %q event during the submissions: %s", e.name, e.data)
		}
	}
}

// stop disconnects and waits for the reader to finish.
func (s *boardStream) stop() {
	s.cancel()
	<-s.done
}

// loadFigures is how fast submissions were answered.
type loadFigures struct {
	elapsed   time.Duration // from the first submission sent to the last answered
	latencies []time.Duration
}

func (f *loadFigures) add(g loadFigures) {
	f.elapsed += g.elapsed
	f.latencies = append(f.latencies, g.latencies...)
}

func (f loadFigures) perSecond() float64 {
	return float64(len(f.latencies)) / f.elapsed.Seconds()
}

// percentile is the nearest-rank percentile of the latencies, p in (0, 1].
func (f loadFigures) percentile(p float64) time.Duration {
	if len(f.latencies) == 0 {
		return 0
	}
	sorted := slices.Sorted(slices.Values(f.latencies))
	return sorted[int(math.Ceil(p*float64(len(sorted))))-1]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// postJSON posts body (none when nil) with the facilitator key when given,
// wants the status and decodes the reply into out unless nil.
func postJSON(tb testing.TB, client *http.Client, url, key string, body any, want int, out any) {
	tb.Helper()
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(http.MethodPost, url, r)
	if err != nil {
		tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	sendJSON(tb, client, req, key, want, out)
}

func getJSON(tb testing.TB, client *http.Client, url, key string, out any) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	sendJSON(tb, client, req, key, http.StatusOK, out)
}

func sendJSON(tb testing.TB, client *http.Client, req *http.Request, key string, want int, out any) {
	tb.Helper()
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("%s %s: read the reply: %v", req.Method, req.URL.Path, err)
	}
	if res.StatusCode != want {
		tb.Fatalf("%s %s: %d, want %d: %s", req.Method, req.URL.Path, res.StatusCode, want, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			tb.Fatalf("%s %s: decode %s: %v", req.Method, req.URL.Path, data, err)
		}
	}
}
