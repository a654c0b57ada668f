package main

import (
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestFirstView: the home page, then the first step, then each file either
// page loads once, with every byte received counted and redirects counted.
func TestFirstView(t *testing.T) {
	home := `<html><head><link rel="stylesheet" href="/s/app.css"><script src="/s/app.js" defer></script></head>` +
		`<body><a href="/q/one">Start</a></body></html>`
	step := `<html><head><link rel="stylesheet" href="/s/app.css"></head><body><img alt="" src="/s/i.svg"></body></html>`
	tests := []struct {
		name          string
		stepRedirects bool
		wantPaths     []string
		wantRedirects int
	}{
		{"direct", false, []string{"/", "/q/one", "/s/app.css", "/s/app.js", "/s/i.svg"}, 0},
		{"a redirect to the step", true, []string{"/", "/q/one", "/s/app.css", "/s/app.js", "/s/i.svg"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/":
					if r.Header.Get("Accept-Encoding") != "br, gzip" {
						t.Errorf("Accept-Encoding %q", r.Header.Get("Accept-Encoding"))
					}
					w.Header().Set("Content-Type", "text/html")
					w.Header().Set("Content-Encoding", "gzip")
					zw := gzip.NewWriter(w)
					zw.Write([]byte(home))
					zw.Close()
				case "/q/one":
					if tt.stepRedirects {
						http.Redirect(w, r, "/q/two", http.StatusSeeOther)
						return
					}
					fallthrough
				case "/q/two":
					w.Header().Set("Content-Type", "text/html")
					w.Write([]byte(step))
				default:
					w.Header().Set("Content-Type", "text/plain")
					w.Write([]byte(strings.Repeat("x", 1000)))
				}
			}))
			defer srv.Close()
			f, err := firstView(context.Background(), srv.URL, "/q/one")
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			var sum int64
			for _, x := range f.fetches {
				paths = append(paths, x.path)
				sum += x.bytes
				if x.bytes < 100 {
					t.Errorf("%s: %d bytes, fewer than its headers", x.path, x.bytes)
				}
			}
			if !slices.Equal(paths, tt.wantPaths) {
				t.Errorf("fetched %v, want %v", paths, tt.wantPaths)
			}
			if f.total != sum || f.total < 3000 {
				t.Errorf("total %d, the fetches add up to %d", f.total, sum)
			}
			if f.redirects != tt.wantRedirects {
				t.Errorf("%d redirects, want %d", f.redirects, tt.wantRedirects)
			}
		})
	}
}
