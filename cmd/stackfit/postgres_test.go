package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"stackfit/store/storetest"
)

// --db postgres://… serves from PostgreSQL: two instances on one database
// (one session key, as they would run behind a proxy) share what they store,
// and the per-address limits.
func TestServeOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the real server")
	}
	srvs := startOnPostgres(t, 2, "--workshops-burst", "2")
	a, b := srvs[0], srvs[1]
	client := &http.Client{Timeout: 10 * time.Second}

	res, err := client.Post(a.base+"/api/v1/results", "application/json", strings.NewReader(`{"answers": {"python": "strong"}}`))
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ ID string }
	err = json.NewDecoder(res.Body).Decode(&created)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || err != nil {
		t.Fatalf("POST on A: %d, %v", res.StatusCode, err)
	}
	for _, path := range []string{"/api/v1/results/" + created.ID, "/r/" + created.ID, "/healthz"} {
		res, err := client.Get(b.base + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s on B: %d, want 200", path, res.StatusCode)
		}
	}
	sharedLimits(t, client, a, b)
}

// sharedLimits: from one address, the workshop limit (a burst of 2) spans
// both instances, and a guesser of join codes blocked on A is blocked on B.
func sharedLimits(t *testing.T, client *http.Client, a, b *server) {
	status := func(method, url, body string) int {
		t.Helper()
		req, err := http.NewRequest(method, url, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	workshop := `{"title": "Checkout"}`
	for i, s := range []*server{a, b, a} {
		want := http.StatusCreated
		if i == 2 {
			want = http.StatusTooManyRequests
		}
		if got := status(http.MethodPost, s.base+"/api/v1/workshops", workshop); got != want {
			t.Errorf("workshop %d (of a burst of 2 across A and B): %d, want %d", i+1, got, want)
		}
	}
	guesses := 0
	for ; guesses < 50 && status(http.MethodGet, a.base+"/w/ZZZZZZ", "") == http.StatusNotFound; guesses++ {
	}
	if guesses != 20 {
		t.Errorf("A refused the guesser after %d unknown codes, want 20", guesses)
	}
	if got := status(http.MethodGet, b.base+"/w/YYYYYY", ""); got != http.StatusTooManyRequests {
		t.Errorf("B, to the guesser blocked on A: %d, want 429", got)
	}
}

// startOnPostgres starts n instances of the real binary on one fresh
// PostgreSQL database with one session key, as they would run behind a
// proxy, each with flags.
func startOnPostgres(tb testing.TB, n int, flags ...string) []*server {
	tb.Helper()
	db := storetest.PostgresDatabase(tb)
	bin := buildBinary(tb)
	tb.Setenv("STACKFIT_SESSION_KEY", strings.Repeat("k", 32))
	srvs := make([]*server, n)
	for i := range srvs {
		srvs[i] = startServer(tb, bin, db, flags...)
	}
	return srvs
}

func TestBackupRefusesPostgres(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"backup", "copy.db", "--db", "postgres://u:secret@db.example/stackfit"}, nil, &stdout, &stderr, func(string) string { return "" })
	if code != exitUsage || !strings.Contains(stderr.String(), "pg_dump") || strings.Contains(stderr.String(), "secret") {
		t.Errorf("exit %d, stderr %q; want %d, a pointer to pg_dump and no password", code, stderr.String(), exitUsage)
	}
}

func TestDatabaseNameHidesThePassword(t *testing.T) {
	tests := []struct{ db, want string }{
		{"stackfit.db", "stackfit.db"},
		{"/var/lib/stackfit/stackfit.db", "/var/lib/stackfit/stackfit.db"},
		{"postgres://stackfit:secret@db.example:5432/stackfit?sslmode=require", "postgres://stackfit:xxxxx@db.example:5432/stackfit?sslmode=require"},
		{"postgresql://stackfit@db.example/stackfit", "postgresql://stackfit@db.example/stackfit"},
	}
	for _, tt := range tests {
		if got := databaseName(tt.db); got != tt.want {
			t.Errorf("databaseName(%q) = %q, want %q", tt.db, got, tt.want)
		}
	}
}
