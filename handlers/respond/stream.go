package respond

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"stackfit"
)

// keepAlive sends a comment line so idle proxies do not cut an event stream.
const keepAlive = 25 * time.Second

// Bodyless drops what is written to it: a HEAD request answered as GET
// (see handlers' headAsGet) sends the headers only.
type Bodyless struct{ http.ResponseWriter }

func (Bodyless) Write(b []byte) (int, error) { return len(b), nil }

// StartStream sends the headers of an event stream. ok is false for a HEAD
// request: the headers are its whole answer, and a stream left open would
// hold a connection the client means to reuse.
func StartStream(c echo.Context) (w *echo.Response, ok bool) {
	w = c.Response()
	h := w.Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not hold messages back
	w.WriteHeader(http.StatusOK)
	if _, head := w.Writer.(Bodyless); head {
		return w, false
	}
	w.Flush()
	return w, true
}

// WriteEvent writes one server-sent event; each line of data gets its own
// "data:" line.
func WriteEvent(w io.Writer, id, event string, data []byte) {
	var b bytes.Buffer
	if id != "" {
		b.WriteString("id: " + id + "\n")
	}
	if event != "" {
		b.WriteString("event: " + event + "\n")
	}
	for line := range bytes.Lines(data) {
		b.WriteString("data: ")
		b.Write(bytes.TrimRight(line, "\r\n"))
		b.WriteByte('\n')
	}
	if len(data) == 0 {
		b.WriteString("data:\n")
	}
	b.WriteByte('\n')
	w.Write(b.Bytes())
}

// Listen hands each event to handle, and keeps the connection alive, until
// handle returns false, the browser goes away, stopping closes (the server
// shuts down), or the subscription closed: the subscriber fell behind, or
// the instance may have missed events (the browser reconnects and gets the
// whole state).
func Listen(c echo.Context, w *echo.Response, stopping <-chan struct{}, evs <-chan stackfit.Event, handle func(stackfit.Event) bool) {
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-c.Request().Context().Done():
			return
		case <-stopping:
			return
		case <-tick.C:
			io.WriteString(w, ": keep-alive\n\n")
			w.Flush()
		case e, ok := <-evs:
			if !ok || !handle(e) {
				return
			}
		}
	}
}
