package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// ended waits for the server to end the stream.
func (s *sseStream) ended() {
	s.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case <-deadline:
			s.t.Fatal("the event stream still runs 5 s on")
		case _, ok := <-s.lines:
			if !ok {
				return
			}
		}
	}
}

// TestStreamsEndOnResync: when the instance may have missed changes (its
// listener on PostgreSQL reconnected), the hub's Resync ends every stream;
// the browser (htmx's hx-sse:connect) or API client reconnects, and the
// new stream starts from the whole state, changes made meanwhile included.
func TestStreamsEndOnResync(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, key := fac.createWorkshop("Resynced kickoff", false)
	tests := []struct {
		path   string
		header http.Header
		// first is what the new stream's first message must hold.
		first func(name string) string
	}{
		{"/w/" + code + "/board/events", nil, func(name string) string { return name }},
		{"/w/" + code + "/board/slides/events?q=1", nil, func(string) string { return "" }},
		{"/w/" + code + "/events", nil, func(string) string { return "" }},
		{"/api/v1/workshops/" + code + "/events", bearer(key), func(string) string { return `"code":"` + code + `"` }},
	}
	for i, tt := range tests {
		s := fac.stream(tt.path, tt.header)
		s.next()
		app.hub.Resync()
		s.ended()
		// Someone joins while no stream is open: no event reaches anyone.
		name := "Latecomer" + string(rune('A'+i))
		app.client().join(code, name)
		if m := fac.stream(tt.path, tt.header).next(); !strings.Contains(m.data, tt.first(name)) {
			t.Errorf("%s: first message after reconnecting lacks %q:\n%.1000s", tt.path, tt.first(name), m.data)
		}
	}
}
