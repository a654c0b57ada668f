package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"stackfit/rules"
)

// TestSeveralInstances: three instances of the real server on one
// PostgreSQL database with one session key, as they would run behind a
// round-robin proxy. The facilitator's board is on A; the participants go
// through B and C. First the whole room at once: A's board hears every
// submission, C sums up all of them, and what B stored opens on C. Then B is
// killed with SIGKILL in the middle of a burst whose clients retry on C:
// every submission that was answered 201 is stored with its answers, and A's
// board ends at the count stored.
func TestSeveralInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the real server three times")
	}
	srvs, rs := startLoadInstances(t, 3)
	a, b, c := srvs[0], srvs[1], srvs[2]

	t.Run("burst through B and C", func(t *testing.T) {
		f := runWorkshopLoad(t, spreadOver(srvs), rs)
		t.Logf("%d submissions through B and C, board on A, in %v: %.0f submissions/s, p50 %v, p99 %v",
			len(f.latencies), f.elapsed.Round(time.Millisecond), f.perSecond(),
			f.percentile(0.50).Round(10*time.Microsecond), f.percentile(0.99).Round(10*time.Microsecond))
	})
	t.Run("saved on B, opened on C", func(t *testing.T) {
		client := &http.Client{Timeout: loadTimeout}
		sent := generateAnswers(rs, loadSeed, 1)[0].Answers
		var created struct{ ID string }
		postJSON(t, client, b.base+"/api/v1/results", "", map[string]any{"answers": sent}, http.StatusCreated, &created)
		checkStoredAnswers(t, client, c.base, created.ID, sent)
		if status := getStatus(t, client, c.base+"/r/"+created.ID, ""); status != http.StatusOK {
			t.Errorf("the result page on C: %d, want 200", status)
		}

		// The facilitator's session, made on A, opens the board on C.
		ws := createWorkshop(t, client, a.base)
		browser, path := openFacilitatorLink(t, a.base, ws.BoardURL)
		if status := getStatus(t, browser, c.base+path, ""); status != http.StatusOK {
			t.Errorf("the board on C with the session from A: %d, want 200", status)
		}
	})
	// Last: it kills B.
	t.Run("B killed during a burst", func(t *testing.T) {
		killDuringBurst(t, a, b, c, rs)
	})
}

// attempt is one participant's submission in the kill's burst: sent to B,
// and sent again to C when B gave no reply.
type attempt struct {
	onB, onC reply
	retried  bool
}

// acknowledged is the reply that promised the participant was stored: a 201
// whose body came back whole. A request that got no reply may have been
// stored or not; the client cannot tell.
func (at attempt) acknowledged() (reply, bool) {
	r := at.onB
	if at.retried {
		r = at.onC
	}
	return r, r.err == nil && r.status == http.StatusCreated
}

// killDuringBurst sends a room's submissions to B, kills B once a third of
// them are answered, and sends those B left without a reply to C. A
// submission whose reply was lost may have been stored by B as well: a
// retry of it is a second participant of the same name, which the board
// counts, so the checks are that every acknowledged participant is stored,
// that nothing is stored but those and retried people's first tries, and
// that A's board shows exactly what is stored.
func killDuringBurst(t *testing.T, a, b, c *server, rs *rules.Ruleset) {
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	client := loadClient()
	defer client.CloseIdleConnections()

	ws := createWorkshop(t, client, a.base)
	board := watchBoard(ctx, t, a.base+"/api/v1/workshops/"+ws.Code+"/events", ws.FacilitatorKey)
	defer board.stop()
	page := watchHTMLBoard(ctx, t, a.base, ws.BoardURL)
	defer page.stop()

	people := generateAnswers(rs, loadSeed+1, loadParticipants)
	onB := b.base + "/api/v1/workshops/" + ws.Code + "/submissions"
	onC := c.base + "/api/v1/workshops/" + ws.Code + "/submissions"
	killAfter := int64(len(people) / 3)
	var (
		answeredByB atomic.Int64
		kill        sync.Once
	)
	killB := func() { kill.Do(func() { b.cmd.Process.Signal(syscall.SIGKILL) }) }
	attempts := make([]attempt, len(people))
	next := make(chan int)
	var wg sync.WaitGroup
	for range loadWorkers {
		wg.Go(func() {
			for i := range next {
				at := attempt{onB: submit(client, onB, people[i])}
				if at.onB.err != nil {
					at.retried = true
					at.onC = submit(client, onC, people[i])
				} else if at.onB.status == http.StatusCreated && answeredByB.Add(1) == killAfter {
					killB()
				}
				attempts[i] = at
			}
		})
	}
	for i := range people {
		next <- i
	}
	close(next)
	wg.Wait()
	killB()
	b.cmd.Wait()

	acked := map[string]int{}  // participant id: index in people
	tried := map[string]bool{} // the names of those B left without a reply
	for i, at := range attempts {
		r, ok := at.acknowledged()
		switch {
		case ok:
			acked[r.id] = i
		case r.err != nil:
			t.Errorf("participant %d got no reply from B nor C: %v, then %v", i+1, at.onB.err, at.onC.err)
		default:
			t.Errorf("participant %d: %d from %s: %s", i+1, r.status, map[bool]string{false: "B", true: "C"}[at.retried], strings.TrimSpace(r.body))
		}
		if at.retried {
			tried[people[i].Name] = true
		}
	}
	if len(tried) == 0 {
		t.Fatalf("every submission was answered by B: it was killed after the burst, not during it")
	}
	t.Logf("B answered %d submissions, then was killed; %d were retried on C", len(people)-len(tried), len(tried))
	if t.Failed() {
		t.FailNow()
	}

	// The reveal, through C, is announced after every submission that was
	// stored: PostgreSQL delivers notifications in commit order, and a
	// transaction of B's that had not committed when B died never will.
	postJSON(t, client, c.base+"/api/v1/workshops/"+ws.Code+"/reveal", ws.FacilitatorKey, nil, http.StatusOK, nil)
	announced := board.submissionsUntil(t, "revealed")

	var sum loadSummary
	getJSON(t, client, c.base+"/api/v1/workshops/"+ws.Code+"/summary", ws.FacilitatorKey, &sum)
	stored := map[string]bool{}
	for _, p := range sum.People {
		if !p.Submitted {
			t.Errorf("%s (%s) joined but has no answers: a join and its answers are one write", p.Name, p.ID)
			continue
		}
		stored[p.ID] = true
		if _, ok := acked[p.ID]; !ok && !tried[p.Name] {
			t.Errorf("%s (%s) is stored, but was neither acknowledged nor sent to B without a reply", p.Name, p.ID)
		}
	}
	for id, i := range acked {
		if !stored[id] {
			t.Errorf("participant %d (%s) was answered 201 but is not stored", i+1, id)
		}
	}
	if extra := len(stored) - len(acked); extra > len(tried) {
		t.Errorf("%d stored beyond those acknowledged, more than the %d whose reply B lost", extra, len(tried))
	}
	if sum.Participants != len(stored) || sum.Joined != len(stored) {
		t.Errorf("summary from C: %d participants, %d joined; it lists %d who submitted", sum.Participants, sum.Joined, len(stored))
	}
	t.Logf("%d acknowledged, %d stored (%d stored by B as it died, their reply lost, then again on C)",
		len(acked), len(stored), len(stored)-len(acked))

	// A's board: its stream announced exactly what is stored, once each, and
	// its summary and page show the count.
	seen := map[string]int{}
	for _, id := range announced {
		seen[id]++
	}
	for id, n := range seen {
		if n != 1 || !stored[id] {
			t.Errorf("A's stream announced %s %d times; stored: %v", id, n, stored[id])
		}
	}
	for id := range stored {
		if seen[id] == 0 {
			t.Errorf("%s is stored but A's stream never announced it", id)
		}
	}
	var onA loadSummary
	getJSON(t, client, a.base+"/api/v1/workshops/"+ws.Code+"/summary", ws.FacilitatorKey, &onA)
	if onA.Participants != len(stored) {
		t.Errorf("the summary from A counts %d participants, %d are stored", onA.Participants, len(stored))
	}
	page.untilContains(t, fmt.Sprintf("<strong>%d</strong> finished", len(stored)))

	// Every acknowledged participant's answers are stored as sent, and
	// their share link opens on C whichever instance answered.
	for id, i := range acked {
		r, _ := attempts[i].acknowledged()
		_, resultID, ok := strings.Cut(r.resultURL, "/r/")
		if !ok {
			t.Errorf("participant %d (%s): share link %q", i+1, id, r.resultURL)
			continue
		}
		checkStoredAnswers(t, client, c.base, resultID, people[i].Answers)
	}
}

// checkStoredAnswers wants the result id on the server at base to hold the
// answers sent.
func checkStoredAnswers(t *testing.T, client *http.Client, base, id string, sent map[string]any) {
	t.Helper()
	var stored struct {
		Answers map[string]any `json:"answers"`
	}
	getJSON(t, client, base+"/api/v1/results/"+id, "", &stored)
	if want := asJSON(t, sent); !reflect.DeepEqual(sortedLists(stored.Answers), sortedLists(want)) {
		t.Errorf("result %s holds %v, %v was sent", id, stored.Answers, want)
	}
}

// asJSON is v as it reads back from JSON, to compare with what a server sent.
func asJSON(t *testing.T, v map[string]any) map[string]any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// sortedLists sorts each multiple-choice answer: the order of the ticks
// means nothing.
func sortedLists(answers map[string]any) map[string]any {
	out := map[string]any{}
	for q, a := range answers {
		if list, ok := a.([]any); ok {
			ids := make([]string, len(list))
			for i, id := range list {
				ids[i] = fmt.Sprint(id)
			}
			slices.Sort(ids)
			a = ids
		}
		out[q] = a
	}
	return out
}
