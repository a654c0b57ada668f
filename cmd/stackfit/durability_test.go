package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// server is the real stackfit binary, started as a process.
type server struct {
	cmd  *exec.Cmd
	base string
	// ready is the line the server said it was ready with.
	ready string
}

// binary is the real stackfit, built once for all the tests that start it.
var binary struct {
	once      sync.Once
	dir, path string
	out       []byte
	err       error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

func buildBinary(t testing.TB) string {
	t.Helper()
	binary.once.Do(func() {
		if binary.dir, binary.err = os.MkdirTemp("", "stackfit-test-"); binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "stackfit")
		binary.out, binary.err = exec.Command("go", "build", "-o", binary.path, ".").CombinedOutput()
	})
	if binary.err != nil {
		t.Fatalf("go build: %v\n%s", binary.err, binary.out)
	}
	return binary.path
}

var readyLine = regexp.MustCompile(`ready on (http://\S+).*`)

// startServer runs the binary on db with the extra flags.
func startServer(t testing.TB, bin, db string, flags ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, flags...)...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	found := make(chan []string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := readyLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m
			}
		}
	}()
	select {
	case m := <-found:
		return &server{cmd: cmd, base: m[1], ready: m[0]}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not say it was ready")
	}
	return nil
}

// TestDurability: results are posted concurrently and the server is killed
// with SIGKILL while they are still arriving. After a restart on the same
// database, every result that was answered 201 must be there: a 201 is a
// promise (SQLite with synchronous=FULL commits before the reply).
func TestDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real server")
	}
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "durable.db")
	// Every post comes from one address: the results limit must let them all through.
	srv := startServer(t, bin, db, "--results-burst", "1000")

	const posts = 100
	var (
		mu      sync.Mutex
		created []string
		wg      sync.WaitGroup
		killed  sync.Once
	)
	client := &http.Client{Timeout: 10 * time.Second}
	start := make(chan struct{})
	for i := 0; i < posts; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			body := fmt.Sprintf(`{"answers": {"python": %q, "deadline": "soon"}}`, []string{"strong", "some", "none"}[i%3])
			res, err := client.Post(srv.base+"/api/v1/results", "application/json", strings.NewReader(body))
			if err != nil {
				return // the server was killed under this request: no promise was made
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusCreated {
				return
			}
			var cr struct{ ID string }
			if json.NewDecoder(res.Body).Decode(&cr) != nil {
				return // killed while the body was in flight: the client cannot know the id
			}
			mu.Lock()
			created = append(created, cr.ID)
			n := len(created)
			mu.Unlock()
			if n == posts/2 {
				killed.Do(func() { srv.cmd.Process.Signal(syscall.SIGKILL) })
			}
		}(i)
	}
	close(start)
	wg.Wait()
	killed.Do(func() { srv.cmd.Process.Signal(syscall.SIGKILL) })
	srv.cmd.Wait()
	if len(created) < posts/2 {
		t.Fatalf("only %d of %d posts got a 201 before the kill", len(created), posts)
	}
	t.Logf("%d of %d posts answered 201 before SIGKILL", len(created), posts)

	again := startServer(t, bin, db)
	for _, id := range created {
		res, err := client.Get(again.base + "/api/v1/results/" + id)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("result %s got a 201 but after the restart GET says %d", id, res.StatusCode)
		}
	}
}

// TestGracefulShutdown: SIGTERM lets a request in flight finish and closes the database.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and signals the real server")
	}
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "graceful.db")
	srv := startServer(t, bin, db)
	res, err := http.Post(srv.base+"/api/v1/results", "application/json", strings.NewReader(`{"answers": {"python": "strong"}}`))
	if err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("post: %v %v", err, res)
	}
	res.Body.Close()
	srv.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- srv.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not stop within 15 s of SIGTERM")
	}
	// A clean close checkpoints the WAL: nothing is left to replay.
	if fi, err := os.Stat(db + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("WAL file still holds %d bytes after a clean shutdown", fi.Size())
	}
}
