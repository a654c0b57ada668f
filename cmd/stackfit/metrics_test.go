package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"stackfit/metrics/metricstest"
)

var metricsLine = regexp.MustCompile(`metrics on (http://\S+/metrics)`)

// TestMetricsOfTheRealServer starts the binary with --metrics-addr, makes
// results, a workshop, a submission and a live stream over HTTP, and finds
// each counted by exactly what was done; the site's own listener has no
// /metrics.
func TestMetricsOfTheRealServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the real server")
	}
	srv := startServer(t, buildBinary(t), filepath.Join(t.TempDir(), "metrics.db"), "--metrics-addr", "127.0.0.1:0")
	m := metricsLine.FindStringSubmatch(srv.ready)
	if m == nil {
		t.Fatalf("the ready line names no metrics address: %q", srv.ready)
	}
	scrape := m[1]
	client := &http.Client{Timeout: 10 * time.Second}
	before := metricstest.Scrape(t, scrape)

	var ids []string
	for i := range 2 {
		var r struct {
			ID string `json:"id"`
		}
		if !post(client, srv.base+"/api/v1/results", fmt.Sprintf(`{"answers": {"python": %q}}`, []string{"strong", "none"}[i]), &r) {
			t.Fatal("POST /api/v1/results: not 201")
		}
		ids = append(ids, r.ID)
	}
	if status := getStatus(t, client, srv.base+"/r/"+ids[0], ""); status != http.StatusOK {
		t.Fatalf("GET /r/%s: %d", ids[0], status)
	}
	var w struct {
		Code string `json:"code"`
		Key  string `json:"facilitator_key"`
	}
	if !post(client, srv.base+"/api/v1/workshops", `{"title": "Metrics"}`, &w) {
		t.Fatal("POST /api/v1/workshops: not 201")
	}
	var sub struct {
		ID string `json:"id"`
	}
	if !post(client, srv.base+"/api/v1/workshops/"+w.Code+"/submissions", `{"name": "Ada", "answers": {"python": "strong"}}`, &sub) {
		t.Fatal("POST submissions: not 201")
	}
	if status := getStatus(t, client, srv.base+"/metrics", ""); status != http.StatusNotFound {
		t.Errorf("the site's listener answers /metrics with %d, want 404", status)
	}
	stream := openStream(t.Context(), t, &http.Client{}, srv.base+"/api/v1/workshops/"+w.Code+"/events", w.Key)
	stream.next(t, "the ready event")
	streaming := metricstest.Scrape(t, scrape)
	stream.stop()
	// The server counts the stream closed once it notices the client left.
	waitFor(t, func() bool { return metricstest.Scrape(t, scrape).Value("stackfit_event_streams_open") == 0 })

	after := metricstest.Scrape(t, scrape)
	const requests = "stackfit_http_request_duration_seconds"
	delta := func(name string, labels ...string) float64 {
		return after.Value(name, labels...) - before.Value(name, labels...)
	}
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"results posted", delta(requests, "route", "/api/v1/results", "method", "POST", "status", "201"), 2},
		{"result pages", delta(requests, "route", "/r/:id", "method", "GET", "status", "200"), 1},
		{"workshops posted", delta(requests, "route", "/api/v1/workshops", "status", "201"), 1},
		{"submissions", delta(requests, "route", "/api/v1/workshops/:code/submissions", "status", "201"), 1},
		{"/metrics asked of the site", delta(requests, "route", "unmatched", "status", "404"), 1},
		{"results saved (a submission makes one)", delta("stackfit_results_saved_total"), 3},
		{"workshops open", after.Value("stackfit_workshops_open"), 1},
		{"participants", after.Value("stackfit_workshop_participants"), 1},
		{"writes committed", after.Sum("stackfit_store_commit_writes") - before.Sum("stackfit_store_commit_writes"), 4},
		{"commits timed", delta("stackfit_store_commit_seconds"), delta("stackfit_store_commit_writes")},
		{"the write queue, idle", after.Value("stackfit_store_write_queue"), 0},
		{"the stream while open", streaming.Value("stackfit_event_streams_open"), 1},
		{"streams once closed", after.Value("stackfit_event_streams_open"), 0},
		{"nothing refused", after.Value("stackfit_refused_total"), 0},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	for _, name := range []string{requests, "stackfit_store_commit_seconds", "stackfit_store_write_queue", "go_goroutines"} {
		if !after.Has(name) {
			t.Errorf("no %s in the scrape", name)
		}
	}

	// The metrics listener closes with the site on SIGTERM.
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := srv.cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: %v", err)
	}
	if _, err := http.Get(scrape); err == nil {
		t.Error("the metrics listener still answers after the server stopped")
	}
}
