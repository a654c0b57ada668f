package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// Latencies gathers the latency of every call of the bursts of a benchmark,
// and how long the bursts took, for the figures the store benchmarks report.
type Latencies struct {
	mu      sync.Mutex
	d       []time.Duration
	elapsed time.Duration
}

// Burst runs f n times at once, recording each call's latency; a call that
// fails fails the benchmark.
func (l *Latencies) Burst(tb testing.TB, n int, f func() error) {
	start := time.Now()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			t0 := time.Now()
			err := f()
			d := time.Since(t0)
			if err != nil {
				tb.Error(err)
			}
			l.mu.Lock()
			l.d = append(l.d, d)
			l.mu.Unlock()
		})
	}
	wg.Wait()
	l.elapsed += time.Since(start)
}

// Quantile is the latency below which a share q of the calls fell, in ms.
func (l *Latencies) Quantile(q float64) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	slices.Sort(l.d)
	return float64(l.d[int(q*float64(len(l.d)-1))].Microseconds()) / 1000
}

// Report reports calls a second (when rate), and the p50 and p99 latency.
func (l *Latencies) Report(b *testing.B, rate bool) {
	if rate {
		b.ReportMetric(float64(len(l.d))/l.elapsed.Seconds(), "submissions/s")
	}
	b.ReportMetric(l.Quantile(0.50), "p50-ms")
	b.ReportMetric(l.Quantile(0.99), "p99-ms")
}
