// Command ceiling is the reference server of scripts/bench: a minimal Echo v4
// server that serves one fixed 6 KB page, the most this stack can do on this
// machine. stackfit's throughput is reported as a ratio to it, measured in the
// same round, so the figures hold on a shared or a slower machine.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// pageSize is about the size of stackfit's home page before compression.
const pageSize = 6 * 1024

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen on `host:port`")
	flag.Parse()

	page := fixedPage(pageSize)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/", func(c echo.Context) error { return c.HTMLBlob(http.StatusOK, page) })

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	e.Listener = ln
	// The same words as stackfit's, so the bench waits for both the same way.
	fmt.Printf("ceiling is ready on http://%s\n", ln.Addr())
	log.Fatal(e.Start(""))
}

// fixedPage is an HTML page of exactly size bytes.
func fixedPage(size int) []byte {
	head := "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ceiling</title></head><body><main>\n"
	tail := "</main></body></html>\n"
	line := "<p>A fixed page, the same bytes on every request.</p>\n"
	var b strings.Builder
	b.WriteString(head)
	for b.Len()+len(line)+len(tail) <= size {
		b.WriteString(line)
	}
	b.WriteString(strings.Repeat(" ", size-b.Len()-len(tail)))
	b.WriteString(tail)
	return []byte(b.String())
}
