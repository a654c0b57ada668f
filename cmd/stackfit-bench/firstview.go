package main

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
)

// firstViewGoal is issue 11's budget for a first visit, in bytes received.
const firstViewGoal = 30 * 1024

// fetched is one response of the first view: what was asked, its status and
// the bytes received for it, status line and headers included.
type fetched struct {
	path     string
	status   int
	encoding string
	bytes    int64
}

type firstViewFigures struct {
	fetches   []fetched
	total     int64
	redirects int
}

// resources are the files a page makes a browser load: stylesheets and
// icons (<link href>), scripts (<script src>) and images (<img src>).
var resources = regexp.MustCompile(`<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"`)

// firstView fetches what a browser fetches on a first visit, as a browser
// that accepts brotli and gzip: the home page, then the first step it links
// to, and each file either page loads, once (they are cached), with the
// cookies the server set. It counts the bytes read from the connections,
// so headers count as they are sent. A redirect is followed and counted.
func firstView(ctx context.Context, base, firstStep string) (firstViewFigures, error) {
	var received atomic.Int64
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Transport: &http.Transport{
		DisableCompression: true, // the encodings are asked for below, and the bytes counted as sent
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return countingConn{Conn: c, read: &received}, nil
		},
	}}
	defer client.CloseIdleConnections()
	var f firstViewFigures
	client.CheckRedirect = func(*http.Request, []*http.Request) error {
		f.redirects++
		return nil
	}
	get := func(path string) (string, error) {
		before := received.Load()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return "", err
		}
		req.Header.Set("Accept-Encoding", "br, gzip")
		req.Header.Set("User-Agent", "stackfit-bench")
		res, err := client.Do(req)
		if err != nil {
			return "", err
		}
		defer res.Body.Close()
		raw, err := io.ReadAll(res.Body)
		if err != nil {
			return "", err
		}
		if res.StatusCode != http.StatusOK {
			return "", fmt.Errorf("GET %s: %s", path, res.Status)
		}
		f.fetches = append(f.fetches, fetched{path: path, status: res.StatusCode,
			encoding: res.Header.Get("Content-Encoding"), bytes: received.Load() - before})
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			return "", nil
		}
		if res.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(strings.NewReader(string(raw)))
			if err != nil {
				return "", err
			}
			if raw, err = io.ReadAll(zr); err != nil {
				return "", err
			}
		} else if enc := res.Header.Get("Content-Encoding"); enc != "" {
			return "", fmt.Errorf("GET %s: a page in %s, which the bench does not read", path, enc)
		}
		return string(raw), nil
	}
	home, err := get("/")
	if err != nil {
		return f, err
	}
	if !strings.Contains(home, `href="`+firstStep+`"`) {
		return f, fmt.Errorf("the home page does not link %s", firstStep)
	}
	step, err := get(firstStep)
	if err != nil {
		return f, err
	}
	seen := map[string]bool{}
	for _, page := range []string{home, step} {
		for _, m := range resources.FindAllStringSubmatch(page, -1) {
			u, err := url.Parse(m[1])
			if err != nil || u.IsAbs() || seen[u.Path] {
				continue
			}
			seen[u.Path] = true
			if _, err := get(u.Path); err != nil {
				return f, err
			}
		}
	}
	f.total = received.Load()
	return f, nil
}

type countingConn struct {
	net.Conn
	read *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

func (f firstViewFigures) print() {
	verdict := "within"
	if f.total > firstViewGoal {
		verdict = "OVER"
	}
	fmt.Printf("first view (home, the first step and every file they load, once, as a browser sending Accept-Encoding: br, gzip; headers included): %.1f KB received, %s the goal of %d KB; %d redirect(s)\n",
		float64(f.total)/1024, verdict, firstViewGoal/1024, f.redirects)
	for _, x := range f.fetches {
		enc := x.encoding
		if enc == "" {
			enc = "identity"
		}
		fmt.Printf("  %-44s %d %-8s %6.1f KB\n", x.path, x.status, enc, float64(x.bytes)/1024)
	}
}
