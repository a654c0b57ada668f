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
// (one session key, as they would run behind a proxy) share what they store.
func TestServeOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the real server")
	}
	db := storetest.PostgresDatabase(t)
	bin := buildBinary(t)
	t.Setenv("STACKFIT_SESSION_KEY", strings.Repeat("k", 32))
	a := startServer(t, bin, db)
	b := startServer(t, bin, db)
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
