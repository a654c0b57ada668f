package main

import (
	"bytes"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"stackfit"
)

// parseServe parses serve's flags from args and the environment env.
func parseServe(t *testing.T, args []string, env map[string]string) (*serveConfig, error) {
	t.Helper()
	var c serveConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.flags(fs, func(k string) string { return env[k] })
	return &c, fs.Parse(args)
}

func TestLimitFlags(t *testing.T) {
	defaults := stackfit.DefaultLimits()
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		want  func(l *stackfit.Limits) // changes from the defaults
		bad   bool                     // refused at parse or at start
		warns string                   // in the start-up log
	}{
		{name: "defaults", want: func(*stackfit.Limits) {}},
		{name: "flags", args: []string{"--results-burst", "5", "--results-per-minute", "0.5", "--workshops-burst", "3",
			"--workshops-per-minute", "2", "--submissions-burst", "900", "--submissions-per-minute", "60", "--max-capacity", "1200"},
			want: func(l *stackfit.Limits) {
				l.Results = stackfit.Rate{Burst: 5, PerMinute: 0.5}
				l.Workshops = stackfit.Rate{Burst: 3, PerMinute: 2}
				l.Submissions = stackfit.Rate{Burst: 900, PerMinute: 60}
				l.MaxCapacity = 1200
			}, warns: "cannot fill a workshop"},
		{name: "environment", env: map[string]string{"STACKFIT_RESULTS_BURST": "7", "STACKFIT_WORKSHOPS_PER_MINUTE": "4",
			"STACKFIT_SUBMISSIONS_BURST": "2000", "STACKFIT_MAX_CAPACITY": "50"},
			want: func(l *stackfit.Limits) {
				l.Results.Burst, l.Workshops.PerMinute, l.Submissions.Burst, l.MaxCapacity = 7, 4, 2000, 50
			}},
		{name: "a flag beats the environment", args: []string{"--results-burst", "9"}, env: map[string]string{"STACKFIT_RESULTS_BURST": "7"},
			want: func(l *stackfit.Limits) { l.Results.Burst = 9 }},
		{name: "no limits by flag", args: []string{"--no-limits"}, want: func(l *stackfit.Limits) { l.Off = true }, warns: "per-address limits are off"},
		{name: "no limits by environment", env: map[string]string{"STACKFIT_NO_LIMITS": "1"}, want: func(l *stackfit.Limits) { l.Off = true }, warns: "per-address limits are off"},
		{name: "a bad number in the environment", env: map[string]string{"STACKFIT_WORKSHOPS_BURST": "ten"}, bad: true},
		{name: "a bad flag", args: []string{"--results-burst", "ten"}, bad: true},
		{name: "a burst of zero", args: []string{"--submissions-burst", "0"}, bad: true},
		{name: "a rate of zero", args: []string{"--results-per-minute", "0"}, bad: true},
		{name: "no places", args: []string{"--max-capacity", "0"}, bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseServe(t, tt.args, tt.env)
			var log bytes.Buffer
			if err == nil {
				err = c.checkLimits(slog.New(slog.NewTextHandler(&log, nil)))
			}
			if tt.bad {
				if err == nil {
					t.Fatalf("accepted, limits %+v", c.limits)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := defaults
			tt.want(&want)
			if c.limits != want {
				t.Errorf("limits %+v, want %+v", c.limits, want)
			}
			if tt.warns == "" && strings.Contains(log.String(), "WARN") {
				t.Errorf("unexpected warning: %s", log.String())
			}
			if tt.warns != "" && (!strings.Contains(log.String(), "level=WARN") || !strings.Contains(log.String(), tt.warns)) {
				t.Errorf("log %q, want a warning saying %q", log.String(), tt.warns)
			}
		})
	}
}

// The real binary applies the flags: one workshop, then 429.
func TestLimitFlagsServed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	srv := startServer(t, buildBinary(t), filepath.Join(t.TempDir(), "limits.db"), "--workshops-burst", "1")
	post := func() *http.Response {
		res, err := http.Post(srv.base+"/api/v1/workshops", "application/json", strings.NewReader(`{"title": "Kick-off"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if res := post(); res.StatusCode != http.StatusCreated {
		t.Fatalf("first workshop: status %d", res.StatusCode)
	}
	if res := post(); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("second workshop: status %d, Retry-After %q; want 429 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
}
