// Package metricstest reads a /metrics endpoint the way Prometheus does
// (prometheus/common's text parser), for tests that count what moved.
package metricstest

import (
	"net/http"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Families are one scrape's metric families by name.
type Families map[string]*dto.MetricFamily

// Scrape GETs url and parses the text format.
func Scrape(t testing.TB, url string) Families {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("scrape %s: %v", url, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("scrape %s: status %d", url, res.StatusCode)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("scrape %s: %v", url, err)
	}
	return families
}

// Has tells whether the scrape has a family of that name.
func (f Families) Has(name string) bool { return f[name] != nil }

// Value sums the series of name whose labels include every pair of labels
// ("route", "/r/:id", "status", "200"): a counter's or gauge's value, a
// histogram's sample count. Absent, it is 0.
func (f Families) Value(name string, labels ...string) float64 {
	var sum float64
	f.each(name, labels, func(m *dto.Metric) {
		switch {
		case m.Counter != nil:
			sum += m.Counter.GetValue()
		case m.Gauge != nil:
			sum += m.Gauge.GetValue()
		case m.Histogram != nil:
			sum += float64(m.Histogram.GetSampleCount())
		case m.Untyped != nil:
			sum += m.Untyped.GetValue()
		}
	})
	return sum
}

// Sum sums the _sum of the histograms name whose labels include labels.
func (f Families) Sum(name string, labels ...string) float64 {
	var sum float64
	f.each(name, labels, func(m *dto.Metric) {
		if m.Histogram != nil {
			sum += m.Histogram.GetSampleSum()
		}
	})
	return sum
}

func (f Families) each(name string, labels []string, fn func(*dto.Metric)) {
	family := f[name]
	if family == nil {
		return
	}
series:
	for _, m := range family.Metric {
		for i := 0; i+1 < len(labels); i += 2 {
			if !hasLabel(m, labels[i], labels[i+1]) {
				continue series
			}
		}
		fn(m)
	}
}

func hasLabel(m *dto.Metric, name, value string) bool {
	for _, l := range m.Label {
		if l.GetName() == name && l.GetValue() == value {
			return true
		}
	}
	return false
}
