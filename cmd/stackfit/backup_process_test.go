package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"stackfit/store"
)

// acked is what the server answered 201 to, and when the answer came.
type acked struct {
	mu          sync.Mutex
	results     map[string]time.Time // result id
	workshops   map[string]string    // code: facilitator key
	workshopAt  map[string]time.Time
	submissions map[string]submission // participant id
}

type submission struct {
	workshop, result string
	at               time.Time
}

// TestBackupWhileWriting: results and workshop submissions arrive through
// the API without pause while `stackfit backup` runs on the real server's
// database. The backup, restored into a fresh database under a fresh
// server, holds every row the server acknowledged before the backup began,
// and no half-written one.
func TestBackupWhileWriting(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server and its backup")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "stackfit.db")
	srv := startServer(t, bin, db, "--no-limits")
	client := &http.Client{Timeout: 10 * time.Second}
	got := &acked{results: map[string]time.Time{}, workshops: map[string]string{}, workshopAt: map[string]time.Time{},
		submissions: map[string]submission{}}

	stop := make(chan struct{})
	var writers sync.WaitGroup
	for w := range 4 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			code := ""
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if i%100 == 0 { // a new workshop now and then, well below its capacity
					code = createWorkshopAPI(client, srv.base, fmt.Sprintf("Writer %d, %d", w, i), got)
				}
				postResult(client, srv.base, i, got)
				if code != "" {
					postSubmission(client, srv.base, code, fmt.Sprintf("Person %d-%d", w, i), got)
				}
			}
		}()
	}
	waitFor(t, func() bool { got.mu.Lock(); defer got.mu.Unlock(); return len(got.submissions) >= 40 })

	backup := filepath.Join(t.TempDir(), "backup.db")
	began := time.Now()
	out, err := exec.Command(bin, "backup", backup, "--db", db).Output()
	if err != nil {
		t.Fatalf("stackfit backup: %v\n%s", err, stderrOf(err))
	}
	var c store.Copy
	if err := json.Unmarshal(out, &c); err != nil {
		t.Fatalf("backup printed no JSON: %v\n%s", err, out)
	}
	// The writes go on for a moment after the backup, as they would.
	time.Sleep(200 * time.Millisecond)
	close(stop)
	writers.Wait()

	// The running server's database cannot be replaced.
	cmd := exec.Command(bin, "restore", backup, "--db", db)
	if msg, err := cmd.CombinedOutput(); cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(msg), "stop the server first") {
		t.Errorf("restore over the running server's database: %v\n%s", err, msg)
	}

	fresh := filepath.Join(t.TempDir(), "restored.db")
	if msg, err := exec.Command(bin, "restore", backup, "--db", fresh).CombinedOutput(); err != nil {
		t.Fatalf("stackfit restore: %v\n%s", err, msg)
	}
	again := startServer(t, bin, fresh)

	got.mu.Lock()
	defer got.mu.Unlock()
	var before struct{ results, workshops, submissions int }
	for id, at := range got.results {
		if at.Before(began) {
			before.results++
			if status := getStatus(t, client, again.base+"/api/v1/results/"+id, ""); status != http.StatusOK {
				t.Errorf("result %s was acknowledged before the backup; restored, GET says %d", id, status)
			}
		}
	}
	people := map[string]bool{} // restored participant ids
	for code, key := range got.workshops {
		var sum struct {
			People []struct {
				ID        string `json:"id"`
				Submitted bool   `json:"submitted"`
			} `json:"people"`
		}
		status := fetch(t, client, again.base+"/api/v1/workshops/"+code+"/summary", key, &sum)
		if got.workshopAt[code].Before(began) {
			before.workshops++
			if status != http.StatusOK {
				t.Errorf("workshop %s was acknowledged before the backup; restored, its summary says %d", code, status)
			}
		}
		for _, p := range sum.People {
			people[p.ID] = true
			// Joining and submitting is one transaction: a participant
			// without answers would be half of it.
			if !p.Submitted {
				t.Errorf("workshop %s: participant %s joined without answers", code, p.ID)
			}
		}
	}
	for id, s := range got.submissions {
		if !s.at.Before(began) {
			continue
		}
		before.submissions++
		if !people[id] {
			t.Errorf("submission %s to %s was acknowledged before the backup and is not in the restored workshop", id, s.workshop)
		}
		if status := getStatus(t, client, again.base+"/api/v1/results/"+s.result, ""); status != http.StatusOK {
			t.Errorf("submission %s's own result %s: GET says %d", id, s.result, status)
		}
	}
	if before.results == 0 || before.submissions == 0 {
		t.Fatalf("nothing was acknowledged before the backup: %+v", before)
	}
	if c.Rows.Results < int64(before.results+before.submissions) || c.Rows.Participants < int64(before.submissions) {
		t.Errorf("the backup counts %+v, fewer than acknowledged before it: %+v", c.Rows, before)
	}
	t.Logf("acknowledged before the backup: %+v; in all: %d results, %d submissions; the backup holds %+v",
		before, len(got.results), len(got.submissions), c.Rows)
}

func createWorkshopAPI(client *http.Client, base, title string, got *acked) string {
	var w struct {
		Code string `json:"code"`
		Key  string `json:"facilitator_key"`
	}
	if post(client, base+"/api/v1/workshops", fmt.Sprintf(`{"title": %q}`, title), &w) {
		got.mu.Lock()
		got.workshops[w.Code], got.workshopAt[w.Code] = w.Key, time.Now()
		got.mu.Unlock()
	}
	return w.Code
}

func postResult(client *http.Client, base string, i int, got *acked) {
	var r struct {
		ID string `json:"id"`
	}
	body := fmt.Sprintf(`{"answers": {"python": %q}}`, []string{"strong", "some", "none"}[i%3])
	if post(client, base+"/api/v1/results", body, &r) {
		got.mu.Lock()
		got.results[r.ID] = time.Now()
		got.mu.Unlock()
	}
}

func postSubmission(client *http.Client, base, code, name string, got *acked) {
	var s struct {
		ID  string `json:"id"`
		URL string `json:"url"`
	}
	body := fmt.Sprintf(`{"name": %q, "answers": {"python": "strong", "deadline": "soon"}}`, name)
	if post(client, base+"/api/v1/workshops/"+code+"/submissions", body, &s) {
		got.mu.Lock()
		got.submissions[s.ID] = submission{workshop: code, result: path.Base(s.URL), at: time.Now()}
		got.mu.Unlock()
	}
}

// post sends JSON and reads the reply into v: true when it was a 201,
// whose body was read whole (only then does the client know the ids).
func post(client *http.Client, url, body string, v any) bool {
	res, err := client.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return false
	}
	defer res.Body.Close()
	return res.StatusCode == http.StatusCreated && json.NewDecoder(res.Body).Decode(v) == nil
}

func getStatus(t *testing.T, client *http.Client, url, key string) int {
	t.Helper()
	return fetch(t, client, url, key, nil)
}

// fetch GETs url (with a facilitator key, if any), reads a 200's JSON into
// v, and says the status.
func fetch(t *testing.T, client *http.Client, url, key string, v any) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if v != nil && res.StatusCode == http.StatusOK {
		if err := json.NewDecoder(res.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	return res.StatusCode
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("the writers made no progress in 60 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func stderrOf(err error) []byte {
	if ee, ok := err.(*exec.ExitError); ok {
		return bytes.TrimSpace(ee.Stderr)
	}
	return nil
}
