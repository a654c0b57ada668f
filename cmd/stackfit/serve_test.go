package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeRefuses: the server does not start when it would serve links
// from the Host header beyond this machine, or a configuration it cannot
// honour; the message says what to set.
func TestServeRefuses(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"all interfaces without base URL", []string{"--addr", ":0"}, nil, "set --base-url (env STACKFIT_BASE_URL)"},
		{"public address without base URL", []string{"--addr", "192.0.2.1:8080"}, nil, "set --base-url"},
		{"IPv6 everywhere without base URL", nil, map[string]string{"STACKFIT_ADDR": "[::]:0"}, "set --base-url"},
		{"stream cap not a number", []string{"--addr", "127.0.0.1:0"}, map[string]string{"STACKFIT_MAX_STREAMS": "many"}, "STACKFIT_MAX_STREAMS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"serve", "--db", filepath.Join(t.TempDir(), "stackfit.db")}, tt.args...)
			code := run(context.Background(), args, strings.NewReader(""), &out, &errOut, func(k string) string { return tt.env[k] })
			if code == exitOK || !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("exit %d, stderr %q: want a refusal saying %q", code, errOut.String(), tt.want)
			}
			if strings.Contains(out.String(), "ready") {
				t.Error("the server said it was ready")
			}
		})
	}
}

func TestIsLoopback(t *testing.T) {
	tests := map[string]bool{
		"127.0.0.1:8080": true, "127.0.0.2:80": true, "[::1]:8080": true, "localhost:8080": true,
		":8080": false, "0.0.0.0:8080": false, "[::]:8080": false, "192.168.1.10:8080": false,
		"stackfit.example:80": false, "127.0.0.1": false,
	}
	for addr, want := range tests {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

// TestCorruptDatabaseRefusedAtStart: the real binary refuses a database
// whose pages are damaged, says so, and exits instead of serving it.
func TestCorruptDatabaseRefusedAtStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "stackfit.db")
	// 40 workshops from one address: more than the default burst allows.
	srv := startServer(t, bin, db, "--workshops-burst", "100")
	for range 40 {
		postJSON(t, http.DefaultClient, srv.base+"/api/v1/workshops", "", map[string]any{"title": "Soon corrupt"}, 201, nil)
	}
	srv.cmd.Process.Signal(os.Interrupt)
	srv.cmd.Wait()

	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for i := 2 * 4096; i < len(data); i++ {
		data[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(db, data, 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", "127.0.0.1:0", "--db", db)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "corrupt") || strings.Contains(string(out), "ready on") {
		t.Errorf("serve on a corrupt database: %v\n%s", err, out)
	}
}
