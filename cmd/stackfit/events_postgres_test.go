package main

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"stackfit/events"
	"stackfit/store/storetest"
)

// On PostgreSQL a board's stream on one instance carries what people do on
// another, and an instance with its listener still stops cleanly.
func TestEventsAcrossInstancesOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the real server")
	}
	srvs := startOnPostgres(t, 2)
	a, b := srvs[0], srvs[1]
	client := &http.Client{Timeout: 10 * time.Second}

	res, err := client.Post(a.base+"/api/v1/workshops", "application/json", strings.NewReader(`{"title": "Across"}`))
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		Code           string `json:"code"`
		FacilitatorKey string `json:"facilitator_key"`
	}
	err = json.NewDecoder(res.Body).Decode(&w)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || err != nil || w.Code == "" {
		t.Fatalf("create on A: %d, %v, %+v", res.StatusCode, err, w)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, a.base+"/api/v1/workshops/"+w.Code+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+w.FacilitatorKey)
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	if stream.StatusCode != http.StatusOK {
		t.Fatalf("events on A: %d", stream.StatusCode)
	}
	events := make(chan string, 16)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(stream.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				events <- name
			}
		}
	}()
	nextEvent := func(what string) string {
		t.Helper()
		select {
		case name, ok := <-events:
			if !ok {
				t.Fatalf("%s: A's stream ended", what)
			}
			return name
		case <-ctx.Done():
			t.Fatalf("%s: nothing on A's stream", what)
		}
		return ""
	}
	if got := nextEvent("ready"); got != "ready" {
		t.Fatalf("A's stream began with %q, want ready", got)
	}

	res, err = client.Post(b.base+"/api/v1/workshops/"+w.Code+"/submissions", "application/json",
		strings.NewReader(`{"name": "Ada", "answers": {"python": "strong"}}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("submit on B: %d", res.StatusCode)
	}
	if got := nextEvent("B's submission"); got != "submission" {
		t.Errorf("A's stream carried %q, want B's submission", got)
	}

	// The listener ends with the server: a clean exit, in time.
	a.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- a.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("A's exit after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Error("A did not stop within 15 s of SIGTERM")
	}
}

// openDatabase's PostgreSQL store, wrapped with its listener, still keeps
// the rate limits' allowances in the database: the wrapper must not make
// serve fall back to each instance's memory.
func TestPostgresDatabaseSharesAllowances(t *testing.T) {
	ctx := context.Background()
	db, err := openDatabase(ctx, storetest.PostgresDatabase(t), events.NewHub(), nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	al, err := sharedAllowances(ctx, db)
	if err != nil || al == nil {
		t.Fatalf("sharedAllowances = %v, %v; want the database's", al, err)
	}
	al.Close()
}
