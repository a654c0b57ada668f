package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

type burstFigures struct {
	sent, created, stored int
	status                map[int]int
	p50, p99, max         time.Duration
	elapsed               time.Duration
	peakRSS, hwm          int // KiB
}

// runBursts sends n bursts of size concurrent result creations, each on its
// own connection opened beforehand, so all of them reach the server at once,
// while the server's RSS is sampled every 10 ms. Afterwards every
// acknowledged id is looked up in the database file.
func runBursts(ctx context.Context, sf *process, db string, size, n int) ([]burstFigures, error) {
	body := `{"answers": {"python": "strong", "javascript": "some"}}`
	req := rawRequest(http.MethodPost, sf.addr, "/api/v1/results", http.Header{"Content-Type": {"application/json"}}, body)
	var out []burstFigures
	for range n {
		f, ids, err := burst(ctx, sf, req, size)
		if err != nil {
			return nil, err
		}
		if f.stored, err = countStored(db, ids); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func burst(ctx context.Context, sf *process, req []byte, size int) (burstFigures, []string, error) {
	conns := make([]net.Conn, size)
	for i := range conns {
		c, err := (&net.Dialer{}).DialContext(ctx, "tcp", sf.addr)
		if err != nil {
			return burstFigures{}, nil, err
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(60 * time.Second))
		conns[i] = c
	}
	f := burstFigures{sent: size, status: map[int]int{}}
	sampling, stopSampling := context.WithCancel(ctx)
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for sampling.Err() == nil {
			rss, _ := sf.memory()
			f.peakRSS = max(f.peakRSS, rss)
			time.Sleep(10 * time.Millisecond)
		}
	}()
	var mu sync.Mutex
	var latencies []time.Duration
	var ids []string
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Go(func() {
			<-gate
			t0 := time.Now()
			status, id, err := create(c, req)
			took := time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				status = -1
			}
			f.status[status]++
			latencies = append(latencies, took)
			if status == http.StatusCreated {
				ids = append(ids, id)
			}
		})
	}
	start := time.Now()
	close(gate)
	wg.Wait()
	f.elapsed = time.Since(start)
	time.Sleep(50 * time.Millisecond) // one more sample after the last reply
	stopSampling()
	<-sampled
	_, f.hwm = sf.memory()
	f.created = len(ids)
	f.p50, f.p99, f.max = quantile(latencies, 0.50), quantile(latencies, 0.99), quantile(latencies, 1)
	return f, ids, nil
}

func create(c net.Conn, req []byte) (int, string, error) {
	if _, err := c.Write(req); err != nil {
		return 0, "", err
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	var created struct {
		ID string `json:"id"`
	}
	data, err := io.ReadAll(res.Body)
	if err == nil && res.StatusCode == http.StatusCreated {
		err = json.Unmarshal(data, &created)
	}
	return res.StatusCode, created.ID, err
}

// countStored is how many of ids the database file holds, read beside the
// running server (WAL lets a reader in while it writes).
func countStored(db string, ids []string) (int, error) {
	conn, err := sql.Open("sqlite3", "file:"+db+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	found := 0
	for _, id := range ids {
		var n int
		if err := conn.QueryRow("SELECT count(*) FROM results WHERE id = ?", id).Scan(&n); err != nil {
			return 0, fmt.Errorf("count stored results: %w", err)
		}
		found += n
	}
	return found, nil
}

type commitTime struct{ median, p90 time.Duration }

// durableCommit times single-row commits on a fresh SQLite file with the
// pragmas the store uses (WAL, synchronous=FULL), in the directory of the
// benchmark's database, so it measures the disk the server writes to.
func durableCommit(path string) (commitTime, error) {
	defer os.Remove(path)
	defer os.Remove(path + "-wal")
	defer os.Remove(path + "-shm")
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=FULL&_txlock=immediate")
	if err != nil {
		return commitTime{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"); err != nil {
		return commitTime{}, err
	}
	var took []time.Duration
	for i := range 60 {
		t0 := time.Now()
		if _, err := db.Exec("INSERT INTO t (body) VALUES (?)", fmt.Sprintf("commit %d", i)); err != nil {
			return commitTime{}, err
		}
		if i >= 10 { // the first ones create and grow the WAL
			took = append(took, time.Since(t0))
		}
	}
	return commitTime{median: quantile(took, 0.5), p90: quantile(took, 0.9)}, nil
}
