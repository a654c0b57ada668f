package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"stackfit"
	"stackfit/handlers"
	"stackfit/metrics"
	"stackfit/metrics/metricstest"
	"stackfit/store"
)

// Requests are counted by route pattern and status, a result refused by its
// limit by the limit's name, and a kept result page by hit or miss.
func TestMetricsCountRequestsRefusalsAndKeptPages(t *testing.T) {
	m := metrics.New()
	scraper := httptest.NewServer(m.Handler())
	t.Cleanup(scraper.Close)
	limits := stackfit.DefaultLimits()
	limits.Results = stackfit.Rate{Burst: 1, PerMinute: 1}
	app := startConfiguredApp(t, filepath.Join(t.TempDir(), "stackfit.db"), handlers.Config{Metrics: m},
		store.WithMetrics(m), stackfit.WithLimits(limits))
	c := app.client()
	result := c.finish(nil)
	c.answerAll(nil)
	if r := c.post("/q/review", nil); r.status != http.StatusTooManyRequests {
		t.Fatalf("a second result: status %d, want 429", r.status)
	}
	for range 3 {
		if r := c.get(result); r.status != http.StatusOK {
			t.Fatalf("GET %s: status %d", result, r.status)
		}
	}
	if r := c.get("/nothing" + result); r.status != http.StatusNotFound {
		t.Fatalf("GET /nothing%s: status %d", result, r.status)
	}

	got := metricstest.Scrape(t, scraper.URL)
	const requests = "stackfit_http_request_duration_seconds"
	tests := []struct {
		name   string
		metric string
		labels []string
		want   float64
	}{
		{"result pages", requests, []string{"route", "/r/:id", "method", "GET", "status", "200"}, 3},
		{"results made", requests, []string{"route", "/q/review", "method", "POST", "status", "303"}, 1},
		{"results refused", requests, []string{"route", "/q/review", "method", "POST", "status", "429"}, 1},
		{"paths no route has", requests, []string{"route", "unmatched", "status", "404"}, 1},
		{"refused by the results limit", "stackfit_refused_total", []string{"status", "429", "cause", "results"}, 1},
		{"refused in all", "stackfit_refused_total", nil, 1},
		{"results saved", "stackfit_results_saved_total", nil, 1},
		{"the result page rendered", "stackfit_kept_pages_total", []string{"cache", "result", "outcome", "miss"}, 1},
		{"the result page kept", "stackfit_kept_pages_total", []string{"cache", "result", "outcome", "hit"}, 2},
		{"no stream open", "stackfit_event_streams_open", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !got.Has(tt.metric) {
				t.Fatalf("no %s in the scrape", tt.metric)
			}
			if v := got.Value(tt.metric, tt.labels...); v != tt.want {
				t.Errorf("%s%v = %v, want %v", tt.metric, tt.labels, v, tt.want)
			}
		})
	}
	// No label carries the id: every series is one of a route's.
	for _, s := range got[requests].Metric {
		for _, l := range s.Label {
			if strings.Contains(l.GetValue(), strings.TrimPrefix(result, "/r/")) {
				t.Errorf("a label has the result's id: %s=%q", l.GetName(), l.GetValue())
			}
		}
	}
}
