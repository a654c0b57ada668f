package postgres

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"stackfit"
	"stackfit/metrics"
	"stackfit/metrics/metricstest"
	"stackfit/rules"
	"stackfit/store/storetest"
)

// The store times each commit and counts each result saved, as the SQLite
// store does, and a refused write is neither.
func TestMetricsCountCommitsAndResults(t *testing.T) {
	db := newDatabase(t)
	m := metrics.New()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	ctx := context.Background()
	st, err := Open(ctx, db.url, WithMetrics(m))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	answers, ev := storetest.Evaluation(t, rules.Answers{"python": rules.One("strong")})

	w, _, err := st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Counted"})
	if err != nil {
		t.Fatal(err)
	}
	writes := []func() error{
		func() error { _, err := st.SaveResult(ctx, "", answers, ev); return err },
		func() error { _, err := st.JoinAndSubmit(ctx, w.Code, "Ada", answers, ev); return err },
		func() error {
			p, err := st.Join(ctx, w.Code, "Bo")
			if err == nil {
				_, err = st.Submit(ctx, w.Code, p.ID, answers, ev)
			}
			return err
		},
	}
	for _, write := range writes {
		if err := write(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.CloseWorkshop(ctx, w.Code); err != nil {
		t.Fatal(err)
	}
	if _, err := st.JoinAndSubmit(ctx, w.Code, "Late", answers, ev); !errors.Is(err, stackfit.ErrClosed) {
		t.Fatalf("a submission once closed: %v, want ErrClosed", err)
	}

	got := metricstest.Scrape(t, srv.URL)
	tests := []struct {
		name      string
		got, want float64
	}{
		// The create, four writes (the save, join and submit, join, submit), the close.
		{"commits timed", got.Value("stackfit_store_commit_seconds"), 6},
		{"writes committed", got.Sum("stackfit_store_commit_writes"), 6},
		{"results saved", got.Value("stackfit_results_saved_total"), 3},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
