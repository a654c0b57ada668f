package main

import (
	"net"
	"strings"
	"testing"
)

func TestHealthURL(t *testing.T) {
	tests := []struct{ addr, want string }{
		{":8080", "http://127.0.0.1:8080/healthz"},
		{"0.0.0.0:8080", "http://127.0.0.1:8080/healthz"},
		{"[::]:8080", "http://[::1]:8080/healthz"},
		{"127.0.0.1:9000", "http://127.0.0.1:9000/healthz"},
		{"stackfit.internal:80", "http://stackfit.internal:80/healthz"},
	}
	for _, tt := range tests {
		if got, err := healthURL(tt.addr); err != nil || got != tt.want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", tt.addr, got, err, tt.want)
		}
	}
	if _, err := healthURL("8080"); err == nil {
		t.Error("healthURL(\"8080\") took a port without a colon")
	}
}

// Nothing listening is unhealthy: exit 1 and one line saying why.
func TestHealthcheckNoServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	code, stdout, stderr := runCLI(t, "", "healthcheck", "--addr", addr)
	if code != exitBadInput || stdout != "" || !strings.Contains(stderr, "stackfit healthcheck:") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
