// Package metrics counts what an operator watches stackfit by, for
// Prometheus (client_golang): requests by route, the store's group commit,
// the limits that refused someone, and the workshops and streams open.
//
// cmd/stackfit makes one Metrics when --metrics-addr is set and hands it to
// the store and the handlers; a nil *Metrics is the no-op every method
// accepts, so nothing is counted, and nothing costs, when metrics are off.
// There are no globals: each Metrics has its own registry.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds stackfit's collectors and the registry they are in.
type Metrics struct {
	registry *prometheus.Registry

	requests  *prometheus.HistogramVec
	refused   *prometheus.CounterVec
	results   prometheus.Counter
	commits   prometheus.Histogram
	batches   prometheus.Histogram
	keptPages *prometheus.CounterVec

	// statuses are the status labels, made once: a request is then counted
	// without an allocation.
	statuses [600]string
}

// New makes the collectors and registers them, with the Go runtime's and the
// process's own.
func New() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	for i := range m.statuses {
		m.statuses[i] = strconv.Itoa(i)
	}
	m.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "stackfit_http_request_duration_seconds",
		Help: "Time to answer a request, by route pattern, method and status; its _count is the number of requests.",
		// From a kept page (well under a millisecond) to a write that
		// waited out its 8 s deadline.
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method", "status"})
	m.refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "stackfit_refused_total",
		Help: "Requests refused by a limit (429) or for want of capacity (503), by status and cause.",
	}, []string{"status", "cause"})
	m.results = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "stackfit_results_saved_total",
		Help: "Results saved: from the questionnaire, the API and workshop submissions.",
	})
	m.commits = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "stackfit_store_commit_seconds",
		Help: "Time from BEGIN to a durable COMMIT of one store transaction (SQLite: a group commit).",
		// A commit is an fsync or two: milliseconds on a disk, up to
		// seconds when another process holds the write lock.
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	})
	m.batches = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "stackfit_store_commit_writes",
		Help:    "Writes that shared one committed transaction (SQLite's group commit, at most 64; PostgreSQL: 1).",
		Buckets: []float64{1, 2, 4, 8, 16, 32, 64},
	})
	m.keptPages = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "stackfit_kept_pages_total",
		Help: "Pages asked of the kept-page caches, by cache (step, home) and outcome (hit, miss).",
	}, []string{"cache", "outcome"})
	m.registry.MustRegister(m.requests, m.refused, m.results, m.commits, m.batches, m.keptPages,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Request counts an answered request. route is the pattern it matched
// (/r/:id), never the path: a path carries share ids and keys, and one
// series per id would grow without bound.
func (m *Metrics) Request(route, method string, status int, took time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, knownMethod(method), m.status(status)).Observe(took.Seconds())
}

func (m *Metrics) status(code int) string {
	if code >= 0 && code < len(m.statuses) {
		return m.statuses[code]
	}
	return strconv.Itoa(code)
}

// knownMethod keeps the method label to the methods there are: anything
// else a client makes up is "other", so it cannot add series.
func knownMethod(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return method
	}
	return "other"
}

// Refused counts a request refused with status (429 or 503) for cause (the
// stackfit.Error's Cause: "results", "stream_workshop", "write_busy"...).
func (m *Metrics) Refused(status int, cause string) {
	if m == nil {
		return
	}
	if cause == "" {
		cause = "other"
	}
	m.refused.WithLabelValues(m.status(status), cause).Inc()
}

// ResultSaved counts a result committed to the database.
func (m *Metrics) ResultSaved() {
	if m == nil {
		return
	}
	m.results.Inc()
}

// Committed records one group commit: writes in the transaction, and the
// time from its BEGIN to its durable COMMIT.
func (m *Metrics) Committed(writes int, took time.Duration) {
	if m == nil {
		return
	}
	m.batches.Observe(float64(writes))
	m.commits.Observe(took.Seconds())
}

// KeptPage counts a look in the kept-page cache named cache.
func (m *Metrics) KeptPage(cache string, hit bool) {
	if m == nil {
		return
	}
	outcome := "miss"
	if hit {
		outcome = "hit"
	}
	m.keptPages.WithLabelValues(cache, outcome).Inc()
}

// WriteQueue reports, at each scrape, how many writes wait for the store's
// writer (depth is called then).
func (m *Metrics) WriteQueue(depth func() int) {
	if m == nil {
		return
	}
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "stackfit_store_write_queue",
		Help: "Writes waiting in the queue for the store's one writer.",
	}, func() float64 { return float64(depth()) }))
}

// Streams reports, at each scrape, how many event streams are open.
func (m *Metrics) Streams(open func() int) {
	if m == nil {
		return
	}
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "stackfit_event_streams_open",
		Help: "Live event streams open (boards, presenter views, participants' pages, API watchers).",
	}, func() float64 { return float64(open()) }))
}

// Workshops are the counts asked of the database at each scrape.
type Workshops struct {
	Open         int // not closed
	Participants int // in workshops not closed
}

// CountWorkshops reports the open workshops and their participants, asking
// count at each scrape: the database is the one place that knows them
// across restarts.
func (m *Metrics) CountWorkshops(count func(ctx context.Context) (Workshops, error)) {
	if m == nil {
		return
	}
	m.registry.MustRegister(&workshopCollector{count: count})
}

var (
	openDesc = prometheus.NewDesc("stackfit_workshops_open",
		"Workshops not closed.", nil, nil)
	participantsDesc = prometheus.NewDesc("stackfit_workshop_participants",
		"Participants in workshops not closed.", nil, nil)
)

type workshopCollector struct {
	count func(ctx context.Context) (Workshops, error)
}

func (c *workshopCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- openDesc
	ch <- participantsDesc
}

// scrapeTimeout bounds the counting query, so a scrape answers while the
// database is busy (the metrics then say so by their absence).
const scrapeTimeout = 2 * time.Second

func (c *workshopCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	w, err := c.count(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(openDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(openDesc, prometheus.GaugeValue, float64(w.Open))
	ch <- prometheus.MustNewConstMetric(participantsDesc, prometheus.GaugeValue, float64(w.Participants))
}
