package handlers_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"stackfit"
	"stackfit/handlers"
	"stackfit/rules"
	"stackfit/stackfittest"
)

// BenchmarkRevealToOpenPages is a facilitator revealing a workshop of 300
// participants while 300 participant pages hold its event stream open:
// each reveal ends when every page has its new status block. It reports
// the process's CPU time and allocations per reveal (the server's and the
// benchmark's readers', which are the same on either side of a change);
// the wall time holds the streams' 200 ms coalescing.
func BenchmarkRevealToOpenPages(b *testing.B) {
	const participants, pages = 300, 300
	limits := stackfit.DefaultLimits()
	limits.Off = true
	c := stackfittest.Open(b, filepath.Join(b.TempDir(), "stackfit.db"), stackfittest.Options{App: []stackfit.Option{stackfit.WithLimits(limits)}})
	defer c.Store.Close()
	app, rs := c.App, c.Rules
	h, err := handlers.New(handlers.Config{App: app, SessionKeys: testKeys,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	w, key, err := app.CreateWorkshop(b.Context(), "192.0.2.1", stackfit.NewWorkshop{Title: "Kickoff", Capacity: participants})
	if err != nil {
		b.Fatal(err)
	}
	answers := rules.Answers{}
	for i, q := range rs.Questions() {
		answers[q.ID] = rules.Choice{Options: []string{q.Options[i%len(q.Options)].ID}, Multiple: q.Multiple}
	}
	for range participants {
		if _, err := app.JoinAndSubmit(b.Context(), "192.0.2.1", w.Code, "P", answers); err != nil {
			b.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(b.Context())
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: pages + 10}}
	messages := make(chan struct{}, pages*4)
	for range pages {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/w/"+w.Code+"/events", nil)
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		if res.StatusCode != http.StatusOK {
			b.Fatalf("stream: status %d", res.StatusCode)
		}
		go func() {
			defer res.Body.Close()
			sc := bufio.NewScanner(res.Body)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				if sc.Text() == "" { // the blank line that ends a message
					messages <- struct{}{}
				}
			}
		}()
	}
	await := func() {
		timeout := time.After(time.Minute)
		for range pages {
			select {
			case <-messages:
			case <-timeout:
				b.Fatal("a page did not hear of the reveal within a minute")
			}
		}
	}
	await() // each stream's first message
	reveal := func() {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/workshops/"+w.Code+"/reveal", strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var body map[string]any
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("reveal: status %d %v", res.StatusCode, body)
		}
	}
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	b.ReportAllocs()
	start := cpu()
	for b.Loop() {
		reveal()
		await()
	}
	b.ReportMetric(float64((cpu()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
}
