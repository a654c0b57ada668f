package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

// The limits under load, against the real binary over loopback: a load
// script, not a timed test (scripts/test runs no benchmarks). Run it with
//
//	go test -run '^$' -bench 'StreamFlood|WriteLockHeld' -benchtime 1x ./cmd/stackfit 2>&1 | grep -v '^time='
//
// (the grep drops the server's request log).
// Each benchmark does one bounded run whatever b.N is, and reports its
// figures with b.ReportMetric and b.Logf; nothing is asserted on speed.

const (
	floodStreams = 5000 // streams one client tries to open
	floodWorkers = 200  // at once
	lockHeld     = 20 * time.Second
	lockedPosts  = 12
)

// BenchmarkStreamFlood: one client opens 5,000 participant streams of one
// workshop with the default caps, while another polls /healthz every 10 ms,
// through the burst and for 3 s more with the accepted streams held.
// Reported: streams accepted and refused (by status), the refusals' and
// /healthz's latencies, and the server's descriptors at the peak.
func BenchmarkStreamFlood(b *testing.B) {
	srv := startServer(b, buildBinary(b), filepath.Join(b.TempDir(), "flood.db"))
	pid := srv.cmd.Process.Pid
	var w struct {
		Code string `json:"code"`
	}
	postJSON(b, http.DefaultClient, srv.base+"/api/v1/workshops", "", map[string]any{"title": "Flooded"}, http.StatusCreated, &w)
	fdsBefore := countFDs(pid)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b.ResetTimer()

	// /healthz, from its own connection, all through the flood.
	var mu sync.Mutex
	var health []time.Duration
	var healthFailed atomic.Int64
	healthDone := make(chan struct{})
	pollCtx, stopPolling := context.WithCancel(ctx)
	go func() {
		defer close(healthDone)
		client := &http.Client{Transport: &http.Transport{}, Timeout: 5 * time.Second}
		for pollCtx.Err() == nil {
			start := time.Now()
			res, err := client.Get(srv.base + "/healthz")
			if err == nil {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
			if err != nil || res.StatusCode != http.StatusOK {
				healthFailed.Add(1)
			}
			mu.Lock()
			health = append(health, time.Since(start))
			mu.Unlock()
			time.Sleep(10 * time.Millisecond)
		}
	}()

	statuses := map[int]int{}
	var refusals []time.Duration
	var open []io.Closer
	next := atomic.Int64{}
	transport := &http.Transport{MaxIdleConnsPerHost: floodWorkers}
	client := &http.Client{Transport: transport}
	start := time.Now()
	var wg sync.WaitGroup
	for range floodWorkers {
		wg.Go(func() {
			for next.Add(1) <= floodStreams && ctx.Err() == nil {
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.base+"/w/"+w.Code+"/events", nil)
				req.Header.Set("Accept", "text/event-stream") // as a browser's EventSource
				res, err := client.Do(req)
				mu.Lock()
				switch {
				case err != nil:
					statuses[-1]++
				case res.StatusCode == http.StatusOK:
					statuses[res.StatusCode]++
					open = append(open, res.Body) // held until the end
				default:
					statuses[res.StatusCode]++
					refusals = append(refusals, time.Since(t0))
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	mu.Lock()
	duringFlood := len(health)
	mu.Unlock()
	time.Sleep(3 * time.Second) // /healthz with every allowed stream held
	fdsPeak, rss := countFDs(pid), rssKB(pid)
	stopPolling()
	<-healthDone
	b.StopTimer()
	for _, c := range open {
		c.Close()
	}
	transport.CloseIdleConnections()

	b.ReportMetric(float64(statuses[http.StatusOK]), "accepted")
	b.ReportMetric(float64(statuses[http.StatusTooManyRequests]), "refused-429")
	b.ReportMetric(ms(percentile(health, 0.99)), "healthz-p99-ms")
	b.Logf("%d stream requests from one client in %v: %v (status: count; -1 = transport error)", floodStreams, elapsed.Round(time.Millisecond), statuses)
	b.Logf("refusals: p50 %v, p99 %v", percentile(refusals, 0.5).Round(time.Microsecond), percentile(refusals, 0.99).Round(time.Microsecond))
	b.Logf("/healthz: %d polls (%d during the opening burst, the rest with the streams held), %d failed, p50 %v, p99 %v, max %v",
		len(health), duringFlood, healthFailed.Load(),
		percentile(health, 0.5).Round(time.Microsecond), percentile(health, 0.99).Round(time.Microsecond), percentile(health, 1).Round(time.Microsecond))
	b.Logf("/healthz during the burst: p50 %v, p99 %v; after: p50 %v, p99 %v",
		percentile(health[:duringFlood], 0.5).Round(time.Microsecond), percentile(health[:duringFlood], 0.99).Round(time.Microsecond),
		percentile(health[duringFlood:], 0.5).Round(time.Microsecond), percentile(health[duringFlood:], 0.99).Round(time.Microsecond))
	b.Logf("server: %d descriptors before, %d with the streams held; RSS %d MB", fdsBefore, fdsPeak, rss/1024)
}

// BenchmarkWriteLockHeld: a second connection holds SQLite's write lock for
// 20 s; 12 posts sent at once during it must each be answered (503) within
// the write deadline, and once the lock is released a post succeeds on the
// same server.
func BenchmarkWriteLockHeld(b *testing.B) {
	db := filepath.Join(b.TempDir(), "locked.db")
	srv := startServer(b, buildBinary(b), db)
	body := map[string]any{"answers": map[string]string{"python": "strong"}}
	postJSON(b, http.DefaultClient, srv.base+"/api/v1/results", "", body, http.StatusCreated, nil)
	b.ResetTimer()

	other, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		b.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		b.Fatal(err)
	}
	locked := time.Now()

	type answer struct {
		status int
		after  time.Duration
		retry  string
	}
	answers := make([]answer, lockedPosts)
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 30 * time.Second}
	for i := range lockedPosts {
		wg.Go(func() {
			t0 := time.Now()
			req, _ := http.NewRequest(http.MethodPost, srv.base+"/api/v1/results", strings.NewReader(`{"answers": {"python": "strong"}}`))
			req.Header.Set("Content-Type", "application/json")
			res, err := client.Do(req)
			if err != nil {
				answers[i] = answer{status: -1, after: time.Since(t0)}
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			answers[i] = answer{status: res.StatusCode, after: time.Since(t0), retry: res.Header.Get("Retry-After")}
		})
	}
	wg.Wait()
	time.Sleep(lockHeld - time.Since(locked))
	conn.ExecContext(context.Background(), "ROLLBACK")
	conn.Close()

	t0 := time.Now()
	req, _ := http.NewRequest(http.MethodPost, srv.base+"/api/v1/results", strings.NewReader(`{"answers": {"python": "strong"}}`))
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	after := -1
	if err == nil {
		after = res.StatusCode
		res.Body.Close()
	}
	b.StopTimer()

	slowest := time.Duration(0)
	counts := map[int]int{}
	var lines []string
	for _, a := range answers {
		counts[a.status]++
		slowest = max(slowest, a.after)
		lines = append(lines, fmt.Sprintf("%d in %v (Retry-After %s)", a.status, a.after.Round(10*time.Millisecond), a.retry))
	}
	b.ReportMetric(float64(counts[http.StatusServiceUnavailable]), "answered-503")
	b.ReportMetric(slowest.Seconds(), "slowest-s")
	b.Logf("lock held %v; %d posts: %v", lockHeld, lockedPosts, counts)
	b.Logf("each: %s", strings.Join(lines, "; "))
	b.Logf("after release: a post answered %d in %v, no restart", after, time.Since(t0).Round(time.Millisecond))
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

func countFDs(pid int) int {
	entries, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	return len(entries)
}

// rssKB is the process's resident set in KiB (Linux).
func rssKB(pid int) int {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb int
			fmt.Sscan(rest, &kb)
			return kb
		}
	}
	return 0
}
