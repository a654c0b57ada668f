package metrics_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"stackfit/metrics"
	"stackfit/metrics/metricstest"
)

// What is counted is what a Prometheus parser reads back, family by family
// and label by label, including series made by many requests at once.
func TestScrapeReadsWhatWasCounted(t *testing.T) {
	m := metrics.New()
	var wg sync.WaitGroup
	for range 8 { // series are made on first use: concurrently, each once
		wg.Go(func() {
			for range 25 {
				m.Request("/r/:id", "GET", 200, 2*time.Millisecond)
				m.Request("/r/:id", "BREW", 404, time.Millisecond)
				m.KeptPage("result", true)
			}
		})
	}
	wg.Wait()
	m.Refused(429, "results")
	m.Refused(503, "")
	m.ResultSaved()
	m.Committed(3, 4*time.Millisecond)
	m.WriteQueue(func() int { return 7 })
	m.Streams(func() int { return 2 })
	m.CountWorkshops(func(context.Context) (metrics.Workshops, error) {
		return metrics.Workshops{Open: 4, Participants: 31}, nil
	})
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	got := metricstest.Scrape(t, srv.URL)

	tests := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"stackfit_http_request_duration_seconds", []string{"route", "/r/:id", "method", "GET", "status", "200"}, 200},
		{"stackfit_http_request_duration_seconds", []string{"method", "other", "status", "404"}, 200},
		{"stackfit_kept_pages_total", []string{"cache", "result", "outcome", "hit"}, 200},
		{"stackfit_refused_total", []string{"status", "429", "cause", "results"}, 1},
		{"stackfit_refused_total", []string{"status", "503", "cause", "other"}, 1},
		{"stackfit_results_saved_total", nil, 1},
		{"stackfit_store_commit_writes", nil, 1},
		{"stackfit_store_commit_seconds", nil, 1},
		{"stackfit_store_write_queue", nil, 7},
		{"stackfit_event_streams_open", nil, 2},
		{"stackfit_workshops_open", nil, 4},
		{"stackfit_workshop_participants", nil, 31},
	}
	for _, tt := range tests {
		if v := got.Value(tt.name, tt.labels...); v != tt.want {
			t.Errorf("%s %v: %v, want %v", tt.name, tt.labels, v, tt.want)
		}
	}
	if sum := got.Sum("stackfit_store_commit_writes"); sum != 3 {
		t.Errorf("commit writes sum %v, want 3", sum)
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes"} {
		if !got.Has(name) {
			t.Errorf("no %s in the scrape", name)
		}
	}
}

// A count the database cannot give in time is left out of the scrape, which
// still answers with everything else.
func TestWorkshopsAbsentWhenTheDatabaseFails(t *testing.T) {
	m := metrics.New()
	m.ResultSaved()
	m.CountWorkshops(func(context.Context) (metrics.Workshops, error) {
		return metrics.Workshops{}, errors.New("database is locked")
	})
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	got := metricstest.Scrape(t, srv.URL)
	if got.Has("stackfit_workshops_open") || got.Has("stackfit_workshop_participants") {
		t.Error("workshop counts in the scrape though counting failed")
	}
	if got.Value("stackfit_results_saved_total") != 1 {
		t.Error("the rest of the scrape is missing")
	}
}
