package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLoad: the generator sends the serialised requests as they are, spreads
// them over the given set, and counts a 4xx or 5xx as failed.
func TestLoad(t *testing.T) {
	tests := []struct {
		name       string
		reqs       func(host string) [][]byte
		wantKeys   []string
		wantFailed bool
	}{
		{"one GET", func(host string) [][]byte { return [][]byte{rawRequest(http.MethodGet, host, "/", nil, "")} }, []string{"GET /  "}, false},
		{"POST with a cookie", func(host string) [][]byte {
			return [][]byte{rawRequest(http.MethodPost, host, "/q/team",
				http.Header{"Cookie": {"s=1"}, "Content-Type": {"application/x-www-form-urlencoded"}}, "a=b")}
		},
			[]string{"POST /q/team s=1 a=b"}, false},
		{"random over two", func(host string) [][]byte {
			return [][]byte{rawRequest(http.MethodGet, host, "/r/a", nil, ""), rawRequest(http.MethodGet, host, "/r/b", nil, "")}
		},
			[]string{"GET /r/a  ", "GET /r/b  "}, false},
		{"404 fails", func(host string) [][]byte { return [][]byte{rawRequest(http.MethodGet, host, "/missing", nil, "")} }, []string{"GET /missing  "}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]int{}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				mu.Lock()
				seen[r.Method+" "+r.URL.Path+" "+r.Header.Get("Cookie")+" "+string(body)]++
				mu.Unlock()
				if r.URL.Path == "/missing" {
					http.NotFound(w, r)
					return
				}
				io.WriteString(w, strings.Repeat("x", 6144))
			}))
			host := strings.TrimPrefix(srv.URL, "http://")

			got := load(context.Background(), host, tt.reqs(host), 4, 200*time.Millisecond)
			srv.Close() // waits for the requests in flight, so seen is complete
			if got.done == 0 {
				t.Fatal("no response read")
			}
			if (got.failed > 0) != tt.wantFailed {
				t.Errorf("failed = %d of %d, want failures: %v (status %v)", got.failed, got.done, tt.wantFailed, got.status)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(seen) != len(tt.wantKeys) {
				t.Errorf("server saw %v, want only %q", seen, tt.wantKeys)
			}
			for _, k := range tt.wantKeys {
				if seen[k] == 0 {
					t.Errorf("server never saw %q (saw %v)", k, seen)
				}
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	for _, tt := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 5}, {0.99, 10}, {1, 10}, {0, 1}} {
		if got := quantile(ds, tt.q); got != tt.want {
			t.Errorf("quantile(%v) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if got := median([]float64{3, 1, 2, 4}); got != 2.5 {
		t.Errorf("median = %v, want 2.5", got)
	}
}

// TestSendEach: every request once, over several connections.
func TestSendEach(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Path]++
		mu.Unlock()
		if r.URL.Path == "/r/missing" {
			http.NotFound(w, r)
		}
	}))
	host := strings.TrimPrefix(srv.URL, "http://")
	var reqs [][]byte
	for i := range 50 {
		reqs = append(reqs, rawRequest(http.MethodGet, host, "/r/"+strconv.Itoa(i), nil, ""))
	}
	reqs = append(reqs, rawRequest(http.MethodGet, host, "/r/missing", nil, ""))
	ok := sendEach(context.Background(), host, reqs, 8)
	srv.Close()
	if ok != 50 {
		t.Errorf("%d succeeded, want 50", ok)
	}
	if len(seen) != 51 {
		t.Errorf("%d paths seen, want 51", len(seen))
	}
	for path, n := range seen {
		if n != 1 {
			t.Errorf("%s sent %d times", path, n)
		}
	}
}
