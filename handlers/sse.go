package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"stackfit"
)

// Event streams (server-sent events) keep a connection open per watching
// browser. These timings keep them cheap and alive behind proxies.
const (
	// coalesce gathers a burst of submissions into one re-render of the
	// board: 300 people submitting in a few seconds cost a few renders a
	// second, and the board still moves well within a second.
	coalesce = 200 * time.Millisecond
	// keepAlive sends a comment line so idle proxies do not cut the stream.
	keepAlive = 25 * time.Second
)

// stream sends a workshop's live block (page's template block, filled by
// view from the workshop's current state) now and again after every event
// that matters, as unnamed SSE messages, which htmx's hx-sse swaps into the
// element that connected. It returns when the browser goes away or the
// server stops.
func (s *Server) stream(c echo.Context, code string, matters func(stackfit.Event) bool,
	page, block string, view func(stackfit.Workshop) (any, error)) error {
	evs, stop := s.app.Subscribe(code)
	defer stop()
	w, ok := startStream(c)
	if !ok {
		return nil
	}
	send := func() error {
		ws, err := s.app.Workshop(c.Request().Context(), code)
		if err != nil {
			return err
		}
		v, err := view(ws)
		if err != nil {
			return err
		}
		html, err := s.views.Render(page, block, v)
		if err != nil {
			return err
		}
		writeSSE(w, "", "", html)
		w.Flush()
		return nil
	}
	if err := send(); err != nil {
		return err
	}
	s.listen(c, w, evs, func(e stackfit.Event) bool {
		if !matters(e) {
			return true
		}
		if !drain(evs, coalesce, s.stopping) {
			return false
		}
		if err := send(); err != nil {
			s.log.Error("event stream", "path", c.Request().URL.Path, "err", err)
			return false // headers are sent: an error page cannot follow
		}
		return true
	})
	return nil
}

// listen hands each event to handle, and keeps the connection alive, until
// handle returns false, the browser goes away, the server stops, or the
// subscriber fell behind (the browser reconnects and gets the whole state).
func (s *Server) listen(c echo.Context, w *echo.Response, evs <-chan stackfit.Event, handle func(stackfit.Event) bool) {
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-c.Request().Context().Done():
			return
		case <-s.stopping:
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

// drain swallows further events for d, so a burst becomes one message. It
// reports false when the stream should end.
func drain(evs <-chan stackfit.Event, d time.Duration, stopping <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			return true
		case <-stopping:
			return false
		case _, ok := <-evs:
			if !ok {
				return false
			}
		}
	}
}

// startStream sends the headers of an event stream. ok is false for a HEAD
// request (see headAsGet): the headers are its whole answer, and a stream
// left open would hold a connection the client means to reuse.
func startStream(c echo.Context) (w *echo.Response, ok bool) {
	w = c.Response()
	h := w.Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not hold messages back
	w.WriteHeader(http.StatusOK)
	if _, head := w.Writer.(bodyless); head {
		return w, false
	}
	w.Flush()
	return w, true
}

// writeSSE writes one message; each line of data gets its own "data:" line.
func writeSSE(w io.Writer, id, event string, data []byte) {
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

// apiEvents streams a workshop's events as JSON, one SSE message per
// submission or change of state, named by its type.
func (s *Server) apiEvents(c echo.Context) error {
	w, err := s.apiFacilitated(c)
	if err != nil {
		return err
	}
	evs, stop := s.app.Subscribe(w.Code)
	defer stop()
	out, ok := startStream(c)
	if !ok {
		return nil
	}
	writeSSE(out, "", "ready", []byte(`{"code":`+strconv.Quote(w.Code)+`}`))
	out.Flush()
	s.listen(c, out, evs, func(e stackfit.Event) bool {
		data, _ := json.Marshal(e)
		writeSSE(out, fmt.Sprint(e.ID), string(e.Kind), data)
		out.Flush()
		return true
	})
	return nil
}
