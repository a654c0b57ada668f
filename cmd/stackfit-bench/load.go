package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// rawRequest is one HTTP/1.1 request, serialised once so the load generator
// spends its CPU on sending it, not on building it: on a 2-core machine the
// client shares the cores with the server it measures.
func rawRequest(method, host, path string, header http.Header, body string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: stackfit-bench\r\n", method, path, host)
	for _, name := range slices.Sorted(maps.Keys(header)) {
		for _, v := range header[name] {
			fmt.Fprintf(&b, "%s: %s\r\n", name, v)
		}
	}
	if body != "" || method == http.MethodPost {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n")
	b.WriteString(body)
	return []byte(b.String())
}

// tally is what one load run saw.
type tally struct {
	done    int           // responses read
	failed  int           // responses outside 2xx and 3xx, and broken connections
	elapsed time.Duration // how long the run lasted
	status  map[int]int
}

func (t tally) perSecond() float64 {
	if t.elapsed <= 0 {
		return 0
	}
	return float64(t.done-t.failed) / t.elapsed.Seconds()
}

// load keeps conns keep-alive connections to addr busy for d, each sending
// one of reqs (at random when there are several) and reading the whole
// response before the next, as wrk does. Only successful responses count
// toward the rate.
func load(ctx context.Context, addr string, reqs [][]byte, conns int, d time.Duration) tally {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	total := tally{status: map[int]int{}}
	start := time.Now()
	var wg sync.WaitGroup
	for w := range conns {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), uint64(start.UnixNano())))
			mine := tally{status: map[int]int{}}
			var conn net.Conn
			var br *bufio.Reader
			for ctx.Err() == nil {
				if conn == nil {
					c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
					if err != nil {
						if ctx.Err() == nil {
							mine.failed++
							mine.done++
						}
						continue
					}
					conn, br = c, bufio.NewReaderSize(c, 32<<10)
					context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
				}
				req := reqs[0]
				if len(reqs) > 1 {
					req = reqs[rng.IntN(len(reqs))]
				}
				status, keep, err := roundTrip(conn, br, req)
				if ctx.Err() != nil {
					break // a response cut by the end of the run is not counted
				}
				mine.done++
				if err != nil {
					mine.failed++
				} else {
					mine.status[status]++
					if status >= 400 {
						mine.failed++
					}
				}
				if err != nil || !keep {
					conn.Close()
					conn = nil
				}
			}
			if conn != nil {
				conn.Close()
			}
			mu.Lock()
			total.done += mine.done
			total.failed += mine.failed
			for s, n := range mine.status {
				total.status[s] += n
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	total.elapsed = time.Since(start)
	return total
}

// roundTrip sends req on conn and reads the whole response from br.
func roundTrip(conn net.Conn, br *bufio.Reader, req []byte) (status int, keepAlive bool, err error) {
	if _, err := conn.Write(req); err != nil {
		return 0, false, err
	}
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		return 0, false, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, !res.Close, err
}

// quantile is the q-quantile (0..1) of ds, nearest rank.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// sendEach sends every one of reqs once, over up to conns keep-alive
// connections, and returns how many got a 2xx or 3xx.
func sendEach(ctx context.Context, addr string, reqs [][]byte, conns int) int {
	next := make(chan []byte)
	var ok atomic.Int64
	var wg sync.WaitGroup
	for range min(conns, len(reqs)) {
		wg.Go(func() {
			var conn net.Conn
			var br *bufio.Reader
			defer func() {
				if conn != nil {
					conn.Close()
				}
			}()
			for req := range next {
				if conn == nil {
					c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
					if err != nil {
						continue
					}
					conn, br = c, bufio.NewReaderSize(c, 32<<10)
				}
				status, keep, err := roundTrip(conn, br, req)
				if err == nil && status < 400 {
					ok.Add(1)
				}
				if err != nil || !keep {
					conn.Close()
					conn = nil
				}
			}
		})
	}
	for _, req := range reqs {
		select {
		case next <- req:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	return int(ok.Load())
}
