// Package metrics counts what an operator watches stackfit by, in
// Prometheus' text format (VictoriaMetrics/metrics): requests by route, the
// store's group commit, the limits that refused someone, and the workshops
// and streams open. It replaced prometheus/client_golang, whose protobuf and
// collectors made the binary 2.4 MB larger; the kernel maps a binary's
// pages whole, so that was 2.4 MB of every instance's memory.
//
// cmd/stackfit makes one Metrics when --metrics-addr is set and hands it to
// the store and the handlers; a nil *Metrics is the no-op every method
// accepts, so nothing is counted, and nothing costs, when metrics are off.
// Each Metrics has its own set; the library's one switch, to write each
// family's TYPE line (which Prometheus needs to read a histogram as one), is
// turned on by New.
package metrics

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
)

// Metrics holds stackfit's metrics and the set they are in.
type Metrics struct {
	set *vm.Set

	mu        sync.RWMutex
	requests  map[requestKey]*vm.PrometheusHistogram
	refused   map[[2]string]*vm.Counter
	keptPages map[[2]string]*vm.Counter

	results *vm.Counter
	commits *vm.PrometheusHistogram
	batches *vm.PrometheusHistogram
}

type requestKey struct {
	route, method string
	status        int
}

var (
	// From a kept page (well under a millisecond) to a write that waited
	// out its 8 s deadline.
	requestBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
	// A commit is an fsync or two: milliseconds on a disk, up to seconds
	// when another process holds the write lock.
	commitBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}
	// Writes that shared one committed transaction (SQLite's group commit,
	// at most 64; PostgreSQL: 1).
	batchBuckets = []float64{1, 2, 4, 8, 16, 32, 64}
)

// New makes the metrics that exist from the start; those with labels are
// made when first counted.
func New() *Metrics {
	vm.ExposeMetadata(true)
	set := vm.NewSet()
	return &Metrics{
		set:       set,
		requests:  map[requestKey]*vm.PrometheusHistogram{},
		refused:   map[[2]string]*vm.Counter{},
		keptPages: map[[2]string]*vm.Counter{},
		results:   set.NewCounter("stackfit_results_saved_total"),
		commits:   set.NewPrometheusHistogramExt("stackfit_store_commit_seconds", commitBuckets),
		batches:   set.NewPrometheusHistogramExt("stackfit_store_commit_writes", batchBuckets),
	}
}

// Handler serves the metrics in Prometheus' text format, with the Go
// runtime's and the process's own.
func (m *Metrics) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		m.set.WritePrometheus(w)
		vm.WriteProcessMetrics(w)
	})
}

// Request counts an answered request. route is the pattern it matched
// (/r/:id), never the path: a path carries share ids and keys, and one
// series per id would grow without bound.
func (m *Metrics) Request(route, method string, status int, took time.Duration) {
	if m == nil {
		return
	}
	key := requestKey{route, knownMethod(method), status}
	m.mu.RLock()
	h := m.requests[key]
	m.mu.RUnlock()
	if h == nil {
		h = made(m, m.requests, key, func() *vm.PrometheusHistogram {
			return m.set.NewPrometheusHistogramExt(fmt.Sprintf(`stackfit_http_request_duration_seconds{route=%s,method=%s,status="%d"}`,
				strconv.Quote(key.route), strconv.Quote(key.method), key.status), requestBuckets)
		})
	}
	h.Update(took.Seconds())
}

// made returns the metric of key in series, making it with create if it is
// not there yet.
func made[K comparable, V any](m *Metrics, series map[K]V, key K, create func() V) V {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := series[key]; ok {
		return v
	}
	v := create()
	series[key] = v
	return v
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
	m.count(m.refused, [2]string{strconv.Itoa(status), cause}, `stackfit_refused_total{status=%s,cause=%s}`)
}

// count adds one to the counter of labels in series, named by format with
// the labels quoted.
func (m *Metrics) count(series map[[2]string]*vm.Counter, labels [2]string, format string) {
	m.mu.RLock()
	c := series[labels]
	m.mu.RUnlock()
	if c == nil {
		c = made(m, series, labels, func() *vm.Counter {
			return m.set.NewCounter(fmt.Sprintf(format, strconv.Quote(labels[0]), strconv.Quote(labels[1])))
		})
	}
	c.Inc()
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
	m.batches.Update(float64(writes))
	m.commits.Update(took.Seconds())
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
	m.count(m.keptPages, [2]string{cache, outcome}, `stackfit_kept_pages_total{cache=%s,outcome=%s}`)
}

// WriteQueue reports, at each scrape, how many writes wait for the store's
// writer (depth is called then).
func (m *Metrics) WriteQueue(depth func() int) {
	if m == nil {
		return
	}
	m.set.NewGauge("stackfit_store_write_queue", func() float64 { return float64(depth()) })
}

// Streams reports, at each scrape, how many event streams are open: boards,
// presenter views, participants' pages, API watchers.
func (m *Metrics) Streams(open func() int) {
	if m == nil {
		return
	}
	m.set.NewGauge("stackfit_event_streams_open", func() float64 { return float64(open()) })
}

// Workshops are the counts asked of the database at each scrape.
type Workshops struct {
	Open         int // not closed
	Participants int // in workshops not closed
}

// scrapeTimeout bounds the counting query, so a scrape answers while the
// database is busy (the metrics then say so by their absence).
const scrapeTimeout = 2 * time.Second

// CountWorkshops reports the open workshops and their participants, asking
// count at each scrape: the database is the one place that knows them
// across restarts.
func (m *Metrics) CountWorkshops(count func(ctx context.Context) (Workshops, error)) {
	if m == nil {
		return
	}
	m.set.RegisterMetricsWriter(func(w io.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
		defer cancel()
		n, err := count(ctx)
		if err != nil {
			return
		}
		vm.WriteGaugeUint64(w, "stackfit_workshops_open", uint64(n.Open))
		vm.WriteGaugeUint64(w, "stackfit_workshop_participants", uint64(n.Participants))
	})
}
