package metrics_test

import (
	"testing"
	"time"

	"stackfit/metrics"
)

// BenchmarkRequest is what a request costs the metrics (compare with
// handlers' BenchmarkMetrics, a whole page).
func BenchmarkRequest(b *testing.B) {
	m := metrics.New()
	b.ReportAllocs()
	for b.Loop() {
		m.Request("/q/:section", "GET", 200, 300*time.Microsecond)
	}
}

// BenchmarkRequestOff is the same with metrics off (a nil *Metrics).
func BenchmarkRequestOff(b *testing.B) {
	var m *metrics.Metrics
	b.ReportAllocs()
	for b.Loop() {
		m.Request("/q/:section", "GET", 200, 300*time.Microsecond)
	}
}
