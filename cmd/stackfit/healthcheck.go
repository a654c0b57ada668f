package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"time"
)

// healthcheck asks the server listening on addr for /healthz, as a
// container's HEALTHCHECK does: the runtime image has no curl. It prints
// the reply's JSON and exits 0 only for a healthy server.
func healthcheck(ctx context.Context, addr string, stdout, stderr io.Writer) int {
	url, err := healthURL(addr)
	if err != nil {
		fmt.Fprintf(stderr, "stackfit healthcheck: --addr %s: %v\n", addr, err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintf(stderr, "stackfit healthcheck: %v\n", err)
		return exitUsage
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "stackfit healthcheck: %v\n", err)
		return exitBadInput
	}
	defer res.Body.Close()
	var health map[string]any
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<16)).Decode(&health); err != nil {
		fmt.Fprintf(stderr, "stackfit healthcheck: %s answered %s without JSON: %v\n", url, res.Status, err)
		return exitBadInput
	}
	if code := printJSON(stdout, stderr, health); code != exitOK {
		return code
	}
	if res.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "stackfit healthcheck: %s answered %s: %v\n", url, res.Status, health["status"])
		return exitBadInput
	}
	return exitOK
}

// healthURL is /healthz on the server listening on addr, asked over
// loopback when it listens on every address (":8080", "0.0.0.0:8080").
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	if ip, err := netip.ParseAddr(host); host == "" || (err == nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
		if err == nil && ip.Is6() {
			host = "::1"
		}
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}
