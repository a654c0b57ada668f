package handlers_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"stackfit"
	"stackfit/events"
	"stackfit/handlers"
	"stackfit/metrics"
	"stackfit/rules"
	"stackfit/store"
)

// benchServer is the handler over a real database, called in process: the
// figures are the server's work per request, without the network.
func benchServer(b *testing.B, seed func(db *sql.DB, rs *rules.Ruleset)) (http.Handler, *rules.Ruleset) {
	b.Helper()
	return benchServerCounted(b, seed, nil)
}

// benchServerCounted is benchServer counting in m (nil: metrics off).
func benchServerCounted(b *testing.B, seed func(db *sql.DB, rs *rules.Ruleset), m *metrics.Metrics, opts ...stackfit.Option) (http.Handler, *rules.Ruleset) {
	b.Helper()
	dbPath := filepath.Join(b.TempDir(), "stackfit.db")
	rs, err := rules.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	hub := events.NewHub()
	st, err := store.Open(context.Background(), dbPath, store.PublishTo(hub), store.WithMetrics(m))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if seed != nil {
		db, err := sql.Open("sqlite3", "file:"+dbPath+"?_busy_timeout=5000")
		if err != nil {
			b.Fatal(err)
		}
		seed(db, rs)
		db.Close()
	}
	h, err := handlers.New(handlers.Config{
		App:         stackfit.New(rs, st, hub, opts...),
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		SessionKeys: testKeys,
		Metrics:     m,
	})
	if err != nil {
		b.Fatal(err)
	}
	return h, rs
}

// serve runs one request against h and fails on any status but want.
func serve(b *testing.B, h http.Handler, req *http.Request, want int) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != want {
		b.Fatalf("%s %s: status %d", req.Method, req.URL, w.Code)
	}
	return w
}

// BenchmarkResultPage reads 1,000 stored results in random order, as people
// opening shared links do: a cache must hold them all, not one hot page.
func BenchmarkResultPage(b *testing.B) {
	const results = 1000
	ids := make([]string, results)
	h, _ := benchServer(b, func(db *sql.DB, rs *rules.Ruleset) {
		answers := rules.Answers{}
		for _, q := range rs.Questions() {
			answers[q.ID] = rules.Choice{Options: []string{q.Options[0].ID}, Multiple: q.Multiple}
		}
		checked, err := rs.Check(answers)
		if err != nil {
			b.Fatal(err)
		}
		ev, err := rs.Evaluate(checked)
		if err != nil {
			b.Fatal(err)
		}
		a, _ := json.Marshal(checked)
		e, _ := json.Marshal(ev)
		for i := range ids {
			ids[i] = fmt.Sprintf("BENCH%017d", i)
			if _, err := db.Exec(`INSERT INTO results (id, created_at, ruleset, answers, evaluation) VALUES (?, ?, ?, ?, ?)`,
				ids[i], "2025-11-02T10:00:00.000Z", rs.Version, string(a), string(e)); err != nil {
				b.Fatal(err)
			}
		}
	})
	order := rand.New(rand.NewPCG(1, 2)).Perm(results)
	for _, i := range order { // once round, as a server that has run a while
		serve(b, h, httptest.NewRequest(http.MethodGet, "/r/"+ids[i], nil), http.StatusOK)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; b.Loop(); n++ {
		serve(b, h, httptest.NewRequest(http.MethodGet, "/r/"+ids[order[(n*7919)%results]], nil), http.StatusOK)
	}
}

// BenchmarkCreateResult is one of the burst's requests, POST
// /api/v1/results, with the per-address limits off as in scripts/bench: its
// bytes allocated are what 300 of them at once hold until the collector
// runs.
func BenchmarkCreateResult(b *testing.B) {
	h, rs := benchServerCounted(b, nil, nil, stackfit.WithLimits(stackfit.Limits{Off: true}))
	rng := rand.New(rand.NewPCG(3, 4))
	bodies := make([]string, 100)
	for i := range bodies {
		answers := map[string]any{}
		for _, q := range rs.Questions() {
			pick := q.Options[rng.IntN(len(q.Options))].ID
			if q.Multiple {
				answers[q.ID] = []string{pick}
			} else {
				answers[q.ID] = pick
			}
		}
		body, _ := json.Marshal(map[string]any{"answers": answers})
		bodies[i] = string(body)
	}
	b.ReportAllocs()
	for n := 0; b.Loop(); n++ {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/results", strings.NewReader(bodies[n%len(bodies)]))
		req.Header.Set("Content-Type", "application/json")
		serve(b, h, req, http.StatusCreated)
	}
}

// BenchmarkMetrics is BenchmarkStepGET, the cheapest page with a session (a
// kept page), with metrics off and on: run with -count to alternate them and
// compare the two in the same run.
func BenchmarkMetrics(b *testing.B) {
	for _, on := range []bool{false, true} {
		b.Run(map[bool]string{false: "off", true: "on"}[on], func(b *testing.B) {
			var m *metrics.Metrics
			if on {
				m = metrics.New()
			}
			h, rs := benchServerCounted(b, nil, m)
			stepGET(b, h, "/q/"+rs.Sections[1].ID)
		})
	}
}

// BenchmarkStepGET reloads a step of the questionnaire with a session, as a
// person in the middle of it does.
func BenchmarkStepGET(b *testing.B) {
	h, rs := benchServer(b, nil)
	stepGET(b, h, "/q/"+rs.Sections[1].ID)
}

func stepGET(b *testing.B, h http.Handler, path string) {
	first := serve(b, h, httptest.NewRequest(http.MethodGet, path, nil), http.StatusOK)
	cookies := first.Result().Cookies()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		serve(b, h, req, http.StatusOK)
	}
}

// BenchmarkHome is a new visitor's first page.
func BenchmarkHome(b *testing.B) {
	h, _ := benchServer(b, nil)
	b.ReportAllocs()
	for b.Loop() {
		serve(b, h, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK)
	}
}
